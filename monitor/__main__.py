"""``python -m monitor``: the same as the ``monitor`` command."""

from .entry import main

main()
