"""The daily report: one summary of a day (:func:`build_summary`), rendered as a
self-contained HTML page and as Markdown with charts, plus the summary as JSON and a CSV file
per chart and table (:func:`write_report`).

    >>> from datetime import date
    >>> files = write_report("monitor.db", date(2024, 11, 21), "reports")
    >>> files.markdown
    PosixPath('reports/2024-11-21.md')
"""

from __future__ import annotations

from .files import ReportFiles, write_files, write_report
from .summary import build_summary

__all__ = ["ReportFiles", "build_summary", "write_files", "write_report"]
