"""The generated parts of the documentation, written into the pages by cog.

``cog -r docs/*.md`` rewrites them after a change to the command line, the configuration's
keys or the schema; ``cog --check docs/*.md`` (in CI and in the tests) fails while a page
says something the code no longer does. Each function returns Markdown.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import tomllib
from pathlib import Path

import click
from click.testing import CliRunner

from monitor.cli import cli
from monitor.config import KEYS

DOCS = Path(__file__).resolve().parent
# Help is wrapped at this width whatever the terminal that runs cog: the site's code column.
HELP_WIDTH = 78


def commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command's path under ``monitor`` (``("jobs", "run")``), groups included, in the
    order the command line page presents them (the group's own commands, then those it
    imports when asked for)."""
    found = []
    context = click.Context(group)
    for name in [*group.commands, *getattr(group, "elsewhere", ())]:
        found.append((*path, name))
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            found.extend(commands(command, (*path, name)))
    return found


def command_help(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(
        cli, [*path, "--help"], prog_name="monitor", terminal_width=HELP_WIDTH
    )
    if result.exit_code != 0:
        raise RuntimeError(f"monitor {' '.join(path)} --help failed: {result.output}")
    return result.output.rstrip()


def cli_reference() -> str:
    """A section per command: its ``--help``, as the installed monitor prints it."""
    sections = [f"```text\n$ monitor --help\n{command_help(())}\n```"]
    for path in commands():
        name = " ".join(("monitor", *path))
        level = "#" * (2 + len(path))
        sections.append(f"{level} {name}\n\n```text\n$ {name} --help\n{command_help(path)}\n```")
    return "\n\n".join(sections)


def config_reference() -> str:
    """The table of every ``monitor.toml`` key, from :data:`monitor.config.KEYS`."""
    rows = ["| key | value | default | meaning |", "|---|---|---|---|"]
    for key in KEYS:
        default = f"`{key.default}`" if key.default[0] in '"[0123456789' else key.default
        rows.append(f"| `{key.name}` | {key.value} | {default} | {key.meaning} |")
    return "\n".join(rows)


def fresh_schema() -> dict[str, tuple[str, list[tuple[str, str, bool, bool]]]]:
    """Every table and view of a new database, in the order the migrations create them:
    name -> (``table``/``view``/``virtual table``, [(column, type, not null, key)])."""
    from monitor.store import open_db

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "fresh.db")
        open_db(path).conn.close()
        conn = sqlite3.connect(path)
        try:
            objects = conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'view') "
                "ORDER BY rowid"
            ).fetchall()
            shadows = {
                f"{name}_{part}"
                for kind, name, sql in objects
                if sql and sql.upper().startswith("CREATE VIRTUAL TABLE")
                for part in ("data", "idx", "docsize", "config", "content")
            }
            schema = {}
            for kind, name, sql in objects:
                if name in shadows:
                    continue
                if sql and sql.upper().startswith("CREATE VIRTUAL TABLE"):
                    kind = "virtual table"
                columns = [
                    (column, declared or "", bool(notnull), bool(key))
                    for _, column, declared, notnull, _, key in conn.execute(
                        "SELECT * FROM pragma_table_info(?)", (name,)
                    )
                ]
                schema[name] = (kind, columns)
            return schema
        finally:
            conn.close()


def schema_reference(notes_file: str = "schema.toml") -> str:
    """Every table and view of a fresh database with every column, described by
    ``docs/schema.toml``; fails for a table or column it does not describe, or describes but
    the database no longer has."""
    with open(DOCS / notes_file, "rb") as handle:
        notes = tomllib.load(handle)
    schema = fresh_schema()
    problems = [f"{name}: not described in {notes_file}" for name in schema if name not in notes]
    problems += [
        f"{name}: described in {notes_file}, not in the database"
        for name in notes
        if name not in schema
    ]
    sections = []
    for name, (kind, columns) in schema.items():
        note = notes.get(name, {})
        described = note.get("columns", {})
        names = [column for column, *_ in columns]
        problems += [
            f"{name}.{c}: not described in {notes_file}" for c in names if c not in described
        ]
        problems += [
            f"{name}.{c}: described in {notes_file}, not in the database"
            for c in described
            if c not in names
        ]
        rows = ["| column | type | meaning |", "|---|---|---|"]
        for column, declared, notnull, key in columns:
            kind_of = declared or "any"
            if key:
                kind_of += ", key"
            elif notnull:
                kind_of += ", not null"
            rows.append(f"| `{column}` | {kind_of} | {described.get(column, '')} |")
        sections.append(f"### `{name}` ({kind})\n\n{note.get('about', '')}\n\n" + "\n".join(rows))
    if problems:
        raise ValueError("docs/schema.toml is out of date:\n" + "\n".join(problems))
    return "\n\n".join(sections)
