"""The daily report: one summary of a day (:func:`build_summary`), rendered as a
self-contained HTML page and as Markdown with charts, plus the summary as JSON and a CSV file
per chart and table (:func:`write_report`).

    >>> from datetime import date
    >>> from monitor.report import write_report
    >>> files = write_report("monitor.db", date(2024, 11, 21), "reports")
    >>> files.markdown
    PosixPath('reports/2024-11-21.md')

The names import on first use: the words of the report (:mod:`monitor.report.words`), which
the spike explanations of ``monitor spikes`` use too, come without its templates and charts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy_names import lazy_names

_HOMES = {
    "ReportFiles": "files",
    "write_files": "files",
    "write_report": "files",
    "build_summary": "summary",
}


__getattr__, __dir__ = lazy_names(__name__, _HOMES, globals())


if TYPE_CHECKING:  # for type checkers and the API reference: the same names, eagerly
    from .files import ReportFiles, write_files, write_report
    from .summary import build_summary

__all__ = ["ReportFiles", "build_summary", "write_files", "write_report"]
