"""py3langid's model, decompressed once and then kept, uncompressed, in a cache folder.

py3langid ships its model LZMA-compressed; decompressing it takes a third of a second or
more, paid again by every process that detects a language (every ``monitor ingest``, every
worker). The same arrays, stored uncompressed, load in a few hundredths of a second. The
cache is a folder in ``$XDG_CACHE_HOME/reaction-monitor/`` (``~/.cache/reaction-monitor/``),
named for py3langid's version and the model file's size and time; where it cannot be read or
written, the model is loaded as py3langid loads it.

Every installed copy of py3langid (a virtual environment each) has a folder of its own, of
66 MB: the cache keeps the :data:`KEEP` most recently used and removes the others whenever
it writes a new one (a copy whose folder was removed writes it again when next used).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")

KEEP = 3
"""How many installed copies' models the cache keeps."""
# A folder's time says when it was last used; refreshed at most this often, to spare a
# write to every process that loads the model.
_USE_RESOLUTION_S = 3600
# A folder being written by a process that died long ago.
_ABANDONED_S = 24 * 3600


def load_identifier() -> LanguageIdentifier:
    """py3langid's identifier with normalised probabilities, as
    ``LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)`` builds it."""
    try:
        return _from_cache()
    except Exception:  # any trouble with the cache: the model as py3langid loads it
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def cache_folder() -> Path:
    """Where the uncompressed model of the installed py3langid is kept."""
    source = MODEL_DIR / MODEL_FILE
    stat = source.stat()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reaction-monitor"
    return base / f"py3langid-{version('py3langid')}-{stat.st_size}-{stat.st_mtime_ns}"


def _from_cache() -> LanguageIdentifier:
    from py3langid.modelio import _to_array

    folder = cache_folder()
    if folder.is_dir():
        _mark_used(folder)
    else:
        _write_cache(folder)
        prune(folder.parent, keep=folder)
    # Memory-mapped: nothing is copied that need not be, and the pages of the biggest array
    # are shared by every process that uses the model.
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
    # What py3langid's modelio.load_model and from_model_file make of the same arrays.
    return LanguageIdentifier(
        arrays["ptc"],
        np.asarray(arrays["pc"]),
        arrays["classes"].tolist(),
        _to_array(arrays["nextmove"]),
        arrays["out_feat"].tolist(),
        norm_probs=True,
        tk_row=_to_array(arrays["nextmove_row"]),
    )


def _write_cache(folder: Path) -> None:
    import lzma

    folder.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(MODEL_DIR / MODEL_FILE) as compressed:
        model = np.load(io.BytesIO(compressed.read()), allow_pickle=False)
        arrays = {name: model[name] for name in _ARRAYS}
    # Written aside and renamed: no process ever reads a folder half written.
    temporary = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".tmp-"))
    try:
        for name, array in arrays.items():
            np.save(temporary / f"{name}.npy", array, allow_pickle=False)
        try:
            temporary.rename(folder)
        except OSError:
            if not folder.is_dir():  # else another process has just written it
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def prune(base: Path, keep: Path | None = None) -> list[Path]:
    """Remove all but the :data:`KEEP` most recently used model folders in ``base`` (always
    keeping ``keep``), and folders abandoned half written; the folders removed."""
    now = time.time()
    folders = sorted(
        (path for path in base.glob("py3langid-*") if path.is_dir() and path != keep),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    kept = KEEP - 1 if keep is not None else KEEP
    removed = folders[kept:]
    removed += [path for path in base.glob(".tmp-*") if now - path.stat().st_mtime > _ABANDONED_S]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def _mark_used(folder: Path) -> None:
    try:
        if time.time() - folder.stat().st_mtime > _USE_RESOLUTION_S:
            os.utime(folder)
    except OSError:  # a cache shared read-only: it is never pruned from here either
        pass
