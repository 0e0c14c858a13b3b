"""The ingest step alone: ``monitor.ingest`` as a program, without the trends refresh that
``monitor ingest`` runs after it, to show how the command's time divides.

Usage: ``python -m benchmarks.ingest_step DATABASE WORKERS PATH...``
"""

from __future__ import annotations

import sys

import monitor

if __name__ == "__main__":
    database, workers, *paths = sys.argv[1:]
    result = monitor.ingest(paths, monitor.open_db(database), workers=int(workers))
    print(f"{result.read} files read, {result.documents} documents, {result.posts} posts")
