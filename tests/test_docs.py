"""The README and the pages of docs/ are the documentation: every example in them runs here,
and nothing the monitor offers (a command, an option, a configuration key, a table, a column,
a public name) is missing from them.

Examples, page by page, in a fresh folder holding the sample archive (``archive/``), the
example configuration (``monitor.toml``) and the demo's database (``monitor.db``):

- ``console``: each ``$ command`` runs (``monitor`` in this process, anything else in a shell)
  and prints exactly the lines shown under it (the folder shown as ``/srv/monitor``); a last
  line ``...`` shows only the start; it succeeds, unless the page shows its failure;
- ``python``: runs, the blocks of a page sharing their names, and prints exactly the
  ``text`` block right after it, where there is one;
- ``toml``: the configuration's parser accepts it;
- ``bash``, ``sh``, ``ini`` (systemd) and ``cron``: what cannot run here (installing, a
  cluster, a service) is checked instead: each ``monitor`` command parses with its options,
  each extra exists, each ``python -m`` module exists with the options given.
"""

from __future__ import annotations

import contextlib
import doctest
import importlib
import importlib.util
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import monitor
from monitor.cli import cli
from monitor.config import KEYS, Config, parse_config

from .conftest import ROOT, SAMPLE

sys.path.insert(0, str(ROOT / "docs"))
import generate  # docs/generate.py: the generated parts of the pages

README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
EXAMPLE_CONFIG = ROOT / "jobs" / "monitor.example.toml"


@dataclass(frozen=True)
class Block:
    language: str
    code: str
    line: int
    # The text block right after a python block: what it prints.
    output: str | None = None


def read_blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    found = [
        (match.group(1), match.group(2), text.count("\n", 0, match.start()) + 1, match.end())
        for match in FENCE.finditer(text)
    ]
    blocks = []
    skip = False
    for index, (language, code, line, end) in enumerate(found):
        if skip:
            skip = False
            continue
        output = None
        if language == "python" and index + 1 < len(found):
            following, following_code, _, _ = found[index + 1]
            between = text[end : text.index(following_code, end)]
            if following == "text" and between.strip() == "```text":
                output, skip = following_code, True
        blocks.append(Block(language, code, line, output))
    return blocks


def page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


def lines_of(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def assert_output(actual: str, shown: list[str], where: str) -> None:
    got = lines_of(actual)
    if shown and shown[-1] == "...":
        assert got[: len(shown) - 1] == shown[:-1], where
    else:
        assert got == shown, where


def console_commands(code: str) -> list[tuple[str, list[str]]]:
    """``$ command`` lines (a command may go on over lines inside quotes) and their output."""
    commands: list[tuple[str, list[str]]] = []
    lines = code.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        assert line.startswith("$ "), f"console output before any command: {line!r}"
        command = line[2:]
        while True:
            try:
                shlex.split(command)
                break
            except ValueError:  # an open quote: the command goes on
                index += 1
                command += "\n" + lines[index]
        index += 1
        output = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index].rstrip())
            index += 1
        while output and not output[-1]:
            output.pop()
        commands.append((command, output))
    return commands


# Pages show the folder an example runs in as this one.
SHOWN_FOLDER = "/srv/monitor"


def run_console(command: str, shown: list[str], folder: Path, where: str) -> None:
    words = shlex.split(command)
    if words[0] == "monitor":
        result = CliRunner().invoke(cli, words[1:], prog_name="monitor")
        # A command may fail where the page shows its failure.
        failure_shown = any(line.startswith(("failed: ", "Error: ")) for line in shown)
        assert result.exit_code == 0 or failure_shown, f"{where}: {command}: {result.output}"
        output = result.output.replace(str(folder), SHOWN_FOLDER)
        assert_output(output, shown, f"{where}: {command}")
        return
    environment = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    if shutil.which(words[0], path=environment["PATH"]) is None:
        pytest.skip(f"{where}: {words[0]} is not installed here")
    done = subprocess.run(
        command, shell=True, cwd=folder, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{where}: {command}: {done.stderr}"
    output = (done.stdout + done.stderr).replace(str(folder), SHOWN_FOLDER)
    assert_output(output, shown, f"{where}: {command}")


def check_monitor_command(words: list[str], where: str) -> None:
    """A ``monitor`` command line names a command and options that exist, with values its
    options take (nothing runs)."""
    command: click.Command = cli
    path = ["monitor"]
    arguments = words[1:]
    while isinstance(command, click.Group) and arguments:
        found = command.get_command(click.Context(command), arguments[0])
        if found is None:
            break
        path.append(arguments.pop(0))
        command = found
    try:
        command.make_context(" ".join(path), list(arguments))
    except click.exceptions.Exit:
        pass
    except click.ClickException as error:
        raise AssertionError(f"{where}: {' '.join(words)}: {error.format_message()}") from None


with open(ROOT / "pyproject.toml", "rb") as _handle:
    # Each extra of the project, with the packages it installs.
    EXTRAS = tomllib.load(_handle)["project"]["optional-dependencies"]
# The names of the packages any extra installs.
REQUIREMENTS = {re.match(r"[\w.-]+", item).group(0) for items in EXTRAS.values() for item in items}


def check_shell_line(line: str, where: str) -> None:
    """One command of an installation or deployment snippet."""
    words = shlex.split(line, comments=True)
    if not words:
        return
    while "=" in words[0] and not words[0].startswith(("-", "'")):  # VARIABLE=value command
        words.pop(0)
    program = Path(words[0]).name
    if program == "monitor":
        check_monitor_command(words, where)
    elif program == "pip" and "install" in words:
        for word in words:
            if match := re.fullmatch(r"(?:\.|reaction-monitor)\[([\w,-]+)\]", word):
                unknown = set(match.group(1).split(",")) - set(EXTRAS)
                assert not unknown, f"{where}: {line}: no extra {unknown}"
    elif program.startswith("python") and "-m" in words:
        module = words[words.index("-m") + 1]
        spec = importlib.util.find_spec(module)
        if spec is None:  # a tool of an extra not installed here (the profilers of bench)
            assert module.replace("_", "-") in REQUIREMENTS, f"{where}: {line}: no {module}"
            return
        if module.split(".")[0] == "benchmarks":
            origin = Path(spec.origin)
            # The package runs benchmarks/run.py.
            source = origin.parent / "run.py" if origin.name == "__init__.py" else origin
            for option in (word for word in words if word.startswith("--")):
                assert f'"{option}"' in source.read_text(), f"{where}: {line}: no {option}"


def shell_lines(code: str) -> list[str]:
    """The commands of a shell snippet: continuation lines joined, ``&&``, ``;`` and ``&``
    separated (outside quotes)."""
    joined = re.sub(r"\\\n\s*", " ", code)
    # Redirections (>> log 2>&1) are the shell's, not the command's.
    joined = re.sub(r"\s\d*(?:>>?|<)(?:&\d+|\s*[^\s&;]+)", "", joined)
    commands = []
    for line in joined.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars="&;")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        current: list[str] = []
        for token in lexer:
            if token in ("&&", "&", ";", "||"):
                commands.append(shlex.join(current))
                current = []
            else:
                current.append(token)
        if current:
            commands.append(shlex.join(current))
    return [command for command in commands if command]


def check_snippet(block: Block, where: str) -> None:
    if block.language in ("bash", "sh"):
        for line in shell_lines(block.code):
            check_shell_line(line, where)
    elif block.language == "ini":  # a systemd unit: its command
        (start,) = re.findall(r"^ExecStart=(.*)$", block.code, re.MULTILINE)
        check_shell_line(start, where)
    elif block.language == "cron":
        for line in block.code.splitlines():
            if line.strip() and not line.startswith("#"):
                schedule_and_command = line.split(None, 5)
                check_snippet(Block("sh", schedule_and_command[5], block.line), where)


def sample_folder(folder: Path, monkeypatch: pytest.MonkeyPatch, demo: bool = True) -> None:
    """Work in ``folder``, which holds the sample archive, the example configuration and,
    with ``demo``, the database ``monitor demo`` makes."""
    monkeypatch.chdir(folder)
    monkeypatch.delenv("MONITOR_DB")
    shutil.copytree(SAMPLE, folder / "archive")
    shutil.copy(EXAMPLE_CONFIG, folder / "monitor.toml")
    if demo:
        assert CliRunner().invoke(cli, ["demo"]).exit_code == 0


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_example_runs(page, tmp_path, monkeypatch):
    blocks = read_blocks(page)
    first = next((b.code for b in blocks if b.language == "console"), "")
    sample_folder(tmp_path, monkeypatch, demo=not first.startswith("$ monitor demo\n"))
    namespace: dict[str, object] = {}
    for block in blocks:
        where = f"{page_id(page)}:{block.line}"
        if block.language == "console":
            for command, shown in console_commands(block.code):
                run_console(command, shown, tmp_path, where)
        elif block.language == "python":
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(block.code, where, "exec"), namespace)
            if block.output is not None:
                assert_output(out.getvalue(), lines_of(block.output), where)
        elif block.language == "toml":
            parse_config(tomllib.loads(block.code))
        elif block.language in ("bash", "sh", "ini", "cron"):
            check_snippet(block, where)
        else:
            assert block.language == "text", f"{where}: a {block.language!r} block is not checked"


# The modules whose docstrings show examples (rendered in the API reference).
DOCTESTED = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for path in (ROOT / "monitor").rglob("*.py")
    if ">>> " in path.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("name", DOCTESTED)
def test_every_docstring_example_runs(name, tmp_path, monkeypatch):
    sample_folder(tmp_path, monkeypatch)
    module = importlib.import_module(name)
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    failed, tried = doctest.testmod(module, optionflags=flags, report=True)
    assert tried and not failed


def test_quick_start_is_what_ci_runs():
    (quick_start, *_) = (b for b in read_blocks(README) if b.language == "bash")
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert len(quick_start.code.splitlines()) == 2
    assert all(line in ci_lines for line in quick_start.code.splitlines())


def test_the_readme_is_a_front_page_that_links_to_every_reference():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 200
    targets = set(re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text))
    for page in ("cli", "configuration", "schema", "api", "getting-started"):
        assert f"docs/{page}.md" in targets
    for target in targets:
        if "://" not in target:
            assert (ROOT / target).exists(), target


def test_the_generated_parts_are_current():
    """What CI's ``cog --check`` checks: no page says what the code no longer does."""
    cogapp = pytest.importorskip("cogapp", reason="cog is not installed: pip install '.[test]'")
    pages = [str(page) for page in sorted(DOCS.glob("*.md"))]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = cogapp.Cog().main(["cog", "--check", "-I", str(DOCS), *pages])
    assert status == 0, out.getvalue()


def test_every_command_and_option_is_in_the_command_line_page():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    overview = set(re.findall(r"^\| `monitor (\w+)", text, re.MULTILINE))
    assert overview == set(cli.list_commands(click.Context(cli)))
    for path in generate.commands():
        name = " ".join(("monitor", *path))
        assert re.search(rf"^#+ {name}$", text, re.MULTILINE), name
        command = cli
        for part in path:
            command = command.get_command(click.Context(command), part)
        for parameter in command.params:
            for option in parameter.opts:
                if option.startswith("-"):
                    assert option in text, f"{name} {option}"


def attribute(config: Config, dotted: str) -> object:
    for part in dotted.split("."):
        config = getattr(config, part)
    return config


def test_every_configuration_key_is_documented_and_is_what_the_parser_takes():
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for key in KEYS:
        assert f"| `{key.name}` |" in text, key.name
    # The documented defaults are the code's: each, read by the parser, is the default.
    for key in KEYS:
        if key.default[0] not in '"[0123456789':  # "none: ..." (no value to parse)
            continue
        table, _, name = key.name.rpartition(".")
        value = tomllib.loads(f"value = {key.default}")["value"]
        parsed = parse_config({table: {name: value}} if table else {name: value})
        assert attribute(parsed, key.name) == attribute(Config(), key.name), key.name
    # Every key in the table is taken by the parser, and a key it does not list is refused.
    sample = {
        "db": "x.db", "archives": ["a/"], "timezone": "UTC", "reports": "r",
        "store_articles": "with-posts", "schedule.ingest_interval": 60,
        "schedule.report_time": "06:30", "schedule.catch_up_days": 1, "topics.NAME": ["#x"],
        "cluster.address": "local", "alerts.urls": ["json://127.0.0.1:9/hook"],
        "alerts.on": ["spike"], "alerts.dimensions": ["all"], "alerts.min_posts": 2,
        "alerts.max_age_days": 3,
    }  # fmt: skip
    assert set(sample) == {key.name for key in KEYS}
    for name, value in sample.items():
        table, _, key = name.rpartition(".")
        data = {table: {key: value}} if table else {key: value}
        parse_config(data)
        if table == "topics":  # any name is a topic's
            continue
        with pytest.raises(ValueError, match="unknown key"):
            parse_config({table: {key + "x": value}} if table else {key + "x": value})


def test_every_table_view_and_column_is_in_the_schema_page():
    text = (DOCS / "schema.md").read_text(encoding="utf-8")
    for name, (_, columns) in generate.fresh_schema().items():
        section = text.split(f"### `{name}` (", 1)[1].split("\n### ", 1)[0]
        for column, *_ in columns:
            assert f"| `{column}` |" in section, f"{name}.{column}"


def test_every_public_name_is_in_the_api_reference():
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    for name in monitor.__all__:
        assert f"::: monitor.{name}\n" in text, name


def test_every_page_is_in_the_site_navigation():
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as handle:
        navigation = set(re.findall(r"^  - [^:]+: (\S+\.md)$", handle.read(), re.MULTILINE))
    assert navigation == {page.name for page in DOCS.glob("*.md")}


def test_configuration_example_is_the_example_file_and_valid():
    shown = [b.code for b in read_blocks(DOCS / "configuration.md") if b.language == "toml"]
    assert shown == [EXAMPLE_CONFIG.read_text(encoding="utf-8")]
