"""The ``monitor`` command: a thin layer over the Python API.

Each command lives in a module of its own, imported when it runs or the commands are
listed: a command loads what it uses, not what the others do (``monitor trends`` does not
load the ingest's parsers and models, nor ``monitor ingest`` the report's templates).
"""

from __future__ import annotations

from importlib import import_module
from typing import ClassVar

import click

from . import exits
from .cli_options import DB_PATH, ON_INTERRUPT
from .messages import printable


class _Monitor(click.Group):
    """The command group, ending every command the documented way (see ``monitor.exits``):
    an environment error is one line and status 3, Ctrl-C one line and status 130."""

    elsewhere: ClassVar[dict[str, tuple[str, str]]] = {
        "ingest": ("cli_ingest", "ingest"),
        "demo": ("cli_ingest", "demo"),
        "files": ("cli_ingest", "files_command"),
        "rescore": ("cli_ingest", "rescore_command"),
        "posts": ("cli_reads", "posts"),
        "trends": ("cli_reads", "trends"),
        "spikes": ("cli_reads", "spikes"),
        "report": ("cli_reads", "report"),
        "jobs": ("cli_jobs", "jobs"),
        "alerts": ("cli_alerts", "alerts"),
    }
    """Each command's module and name there, in the order the docs present them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*self.commands, *self.elsewhere])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.elsewhere:
            module, attribute = self.elsewhere[name]
            return getattr(import_module(f"{__package__}.{module}"), attribute)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo(ctx.meta.get(ON_INTERRUPT, "Interrupted."), err=True)
            ctx.exit(exits.INTERRUPTED)
        except exits.ENVIRONMENT_ERRORS as error:
            message = exits.describe(error, ctx.meta.get(DB_PATH))
            click.echo(f"Error: {printable(message)}", err=True)
            ctx.exit(exits.CANNOT_WRITE)


@click.group(cls=_Monitor)
@click.version_option(package_name="reaction-monitor")
def cli() -> None:
    """Find the social posts that news articles embed, their hashtags and sentiment."""


def main() -> None:
    cli(prog_name="monitor")
