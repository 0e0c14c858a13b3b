"""``python -m monitor``: the same as the ``monitor`` command."""

from .cli import main

main()
