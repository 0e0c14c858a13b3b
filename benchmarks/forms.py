"""The same articles in other archive forms, read as fast as the WARCs they hold?

Usage: ``python -m benchmarks.forms [--articles N] [--repeat R]``: writes the synthetic
archive's WARCs (N articles, in WARCs of 1,000), packs the same WARCs as a WACZ (as
Webrecorder's tools lay one out: ``archive/``, ``pages/pages.jsonl``), a ZIP and a tar.gz,
and ingests each form into a fresh database on one worker, best of R. It prints the
articles a second of each and how far each is from the WARCs read directly. Run it pinned
to one core (``taskset -c 0``) for figures that compare with docs/reading.md's.
"""

from __future__ import annotations

import argparse
import json
import tarfile
import tempfile
import zipfile
from pathlib import Path

from . import archive as synthetic
from .cluster import best_rate


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.forms", description=__doc__)
    parser.add_argument("--articles", type=int, default=2000, help="in WARCs of 1,000")
    parser.add_argument("--root", type=Path, default=None, help="where the files are written")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    root = args.root or Path(tempfile.mkdtemp(prefix="monitor-forms-"))
    warcs = synthetic.generate(root / "archive", args.articles).warc_files
    forms = {"WARC files": [str(path) for path in warcs]}
    forms["WACZ"] = [str(_wacz(root / "all.wacz", warcs))]
    with zipfile.ZipFile(root / "all.zip", "w", zipfile.ZIP_STORED) as bundle:
        for path in warcs:
            bundle.write(path, path.name)
    forms["ZIP"] = [str(root / "all.zip")]
    with tarfile.open(root / "all.tar.gz", "w:gz") as bundle:
        for path in warcs:
            bundle.add(path, path.name)
    forms["tar.gz"] = [str(root / "all.tar.gz")]
    rates = {name: best_rate(args.repeat, root, paths, workers=1) for name, paths in forms.items()}
    print(f"{args.articles} articles; articles a second on one worker (best of {args.repeat}):")
    for name, rate in rates.items():
        change = rate / rates["WARC files"] - 1
        print(f"  {rate:8.0f}  {name}  ({change:+.1%} against the WARC files)")
    return rates


def _wacz(path: Path, warcs: list[Path]) -> Path:
    """A WACZ of ``warcs``, laid out as Webrecorder's tools write one (WARCs stored, not
    compressed again; a page list)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as bundle:
        for warc in warcs:
            bundle.write(warc, f"archive/{warc.name}")
        pages = json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})
        bundle.writestr("pages/pages.jsonl", pages + "\n")
    return path


if __name__ == "__main__":
    main()
