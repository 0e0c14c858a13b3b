"""The README's commands and examples are the documentation: they must stay true."""

from __future__ import annotations

import contextlib
import io
import re
import shutil

from click.testing import CliRunner

from monitor.cli import cli
from monitor.config import load_config

from .conftest import ROOT, SAMPLE

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def console_output(command: str) -> list[str]:
    """The output shown under ``$ command`` in a console block, lines right-stripped."""
    for block in blocks("console"):
        if block.startswith(f"$ {command}\n"):
            return [line.rstrip() for line in block.splitlines()[1:]]
    raise AssertionError(f"README shows no output of {command!r}")


def test_every_command_is_documented():
    documented = set(re.findall(r"^\| `monitor (\w+)", README, re.MULTILINE))
    assert documented == set(cli.commands)


def test_quick_start_is_what_ci_runs():
    quick_start = blocks("bash")[0].splitlines()
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert len(quick_start) == 2
    assert all(line in ci_lines for line in quick_start)


def test_worked_example_output_is_real(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MONITOR_DB")
    runner = CliRunner()
    demo = [line.rstrip() for line in runner.invoke(cli, ["demo"]).output.splitlines()]
    shown = console_output("monitor demo")
    assert demo[: len(shown)] == shown
    for command in (
        "monitor posts --hashtag ww3 --format table",
        "monitor trends --hashtag ww3 --format table",
    ):
        output = runner.invoke(cli, command.split()[1:]).output
        assert [line.rstrip() for line in output.splitlines()] == console_output(command)


def test_python_examples_run_and_print_what_is_shown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MONITOR_DB")
    shutil.copytree(SAMPLE, tmp_path / "archive")
    (tmp_path / "monitor.toml").write_text(blocks("toml")[0], encoding="utf-8")
    CliRunner().invoke(cli, ["demo"])
    namespace: dict[str, object] = {}
    shown = re.findall(r"```python\n(.*?)```\n(?:\n```text\n(.*?)```)?", README, re.DOTALL)
    assert len(shown) == len(blocks("python"))
    for number, (code, output) in enumerate(shown):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"README python block {number}", "exec"), namespace)
        if output:
            assert out.getvalue().splitlines() == output.splitlines()


def test_configuration_example_is_the_example_file_and_valid(tmp_path):
    example = ROOT / "jobs" / "monitor.example.toml"
    assert blocks("toml")[0] == example.read_text(encoding="utf-8")
    loaded = load_config(example)
    assert (loaded.timezone, [t.name for t in loaded.topics]) == ("Europe/Kyiv", ["ww3", "atacms"])
