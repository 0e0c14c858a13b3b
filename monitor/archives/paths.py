"""Which archive files a list of files, folders and glob patterns names."""

from __future__ import annotations

import glob
import gzip
import os
import posixpath
from collections.abc import Iterable, Iterator
from pathlib import Path

from .registry import registered_suffixes, suffix_of
from .remote import glob_remote, has_wildcards, is_remote

_GLOB_CHARACTERS = frozenset("*?[")


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path | str]:
    """The archive files that ``paths`` name, sorted and each once; then the addresses
    among them (``https://...``), as given, each once.

    - A file is returned as given, whatever its suffix, so that reading it can report an
      unsupported one.
    - A folder is searched recursively for files with a supported suffix.
    - A glob pattern (``*``, ``?``, ``[...]``, and ``**`` for any depth of folders) adds the
      supported files it matches, and the supported files inside the folders it matches.
    - An address with ``*`` or ``[...]`` adds the supported files it matches, listed by the
      server (see :func:`~monitor.archives.remote.glob_remote`).

    Inside folders and glob matches, hidden files and folders (names starting with ``.``)
    are skipped, and so are files with other suffixes. ``~`` is expanded. Names that are not
    readable files (broken symbolic links, loops of them, FIFOs, sockets) are returned too,
    so that the ingest records each as unreadable rather than passing it over in silence.

    :param paths: files, folders and glob patterns (a single one is accepted too).
    :raises FileNotFoundError: when a path is neither an existing file or folder nor a glob
        pattern that matches an archive file. An existing folder without archive files is
        not an error (a watched inbox may be empty).
    :raises OSError: when an address pattern's listing cannot be had.
    """
    if isinstance(paths, str | bytes | os.PathLike):
        # A lone "archive/" would otherwise be taken for the paths "a", "r", "c", ...
        paths = [paths]
    found: dict[str, Path] = {}
    remote: dict[str, None] = {}
    for given in paths:
        if is_remote(given):
            address = str(given)
            if has_wildcards(address):
                matches = [match for match in glob_remote(address) if suffix_of(match)]
                if not matches:
                    raise FileNotFoundError(f"no archive files match {address!r}")
                remote.update(dict.fromkeys(matches))
            else:
                # Whether an address names a file is for its reading to find out.
                remote[address] = None
            continue
        text = os.path.expanduser(os.fsdecode(given))
        path = Path(text)
        if path.is_dir():
            matches: Iterable[Path] = _archives_in(path)
        elif os.path.lexists(path):
            # A file, or what passes for one: a broken link, a loop of links, a FIFO. Each
            # is recorded as unreadable when it is read, never opened if not a file.
            matches = (path,)
        elif _GLOB_CHARACTERS.intersection(text):
            matches = list(_glob_archives(text))
            if not matches:
                raise FileNotFoundError(
                    f"no archive files match {text!r} (supported: "
                    f"{', '.join(registered_suffixes())})"
                )
        else:
            raise FileNotFoundError(f"no such file or folder: {text!r}")
        for match in matches:
            # The same file named twice ("a.html", "./a.html", "dir/../a.html") is read once.
            found.setdefault(os.path.normcase(os.path.abspath(match)), match)
    return [*sorted(found.values()), *remote]


def _glob_archives(pattern: str) -> Iterator[Path]:
    # glob skips hidden names in the parts it expands (include_hidden defaults to False).
    for match in glob.iglob(pattern, recursive=True):
        path = Path(match)
        if path.is_dir():
            yield from _archives_in(path)
        elif suffix_of(path.name) is not None:
            yield path


def _archives_in(folder: Path) -> Iterator[Path]:
    for root, folders, names in os.walk(folder):
        # Pruning in place stops os.walk from descending into hidden folders.
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            if not name.startswith(".") and suffix_of(name) is not None:
                yield Path(root, name)


def paths_from(listing: str | os.PathLike[str], *, base: str | None = None) -> list[str]:
    """The paths a listing file names, one a line, in its order: as Common Crawl publishes
    an archive's files (CC-NEWS's ``warc.paths.gz``).

    Blank lines and lines starting with ``#`` are passed over; a listing whose name ends in
    ``.gz`` is read through gzip.

    :param listing: the listing file.
    :param base: put before each relative line: a folder, or an address's prefix
        (``https://data.commoncrawl.org/``), joined with ``/`` as addresses are.
    :raises OSError: when the listing cannot be read (``gzip.BadGzipFile`` for a damaged
        ``.gz``); :class:`UnicodeDecodeError` when it is not text.
    """
    opener = gzip.open if os.fsdecode(listing).endswith(".gz") else open
    with opener(listing, "rt", encoding="utf-8") as handle:
        lines = [line.strip() for line in handle]
    paths = [line for line in lines if line and not line.startswith("#")]
    if base is None:
        return paths
    return [_joined(base, path) for path in paths]


def _joined(base: str, path: str) -> str:
    if "://" in path or os.path.isabs(path):
        return path
    if "://" in base:
        return posixpath.join(base.rstrip("/") + "/", path)
    return os.path.join(base, path)
