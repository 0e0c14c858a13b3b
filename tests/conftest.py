from __future__ import annotations

import sqlite3
from importlib.metadata import version
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "monitor" / "data" / "sample"


def pytest_report_header() -> list[str]:
    packages = ("sqlite-utils", "pandas", "vaderSentiment", "selectolax", "warcio")
    return [
        f"SQLite {sqlite3.sqlite_version}; "
        + ", ".join(f"{name} {version(name)}" for name in packages),
        f"shared material: {SHARED if SHARED.exists() else 'absent (real-page tests skip)'}",
    ]


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes a database or config it did not create."""
    monkeypatch.setenv("MONITOR_DB", str(tmp_path / "env.db"))
    monkeypatch.delenv("MONITOR_CONFIG", raising=False)


@pytest.fixture
def readers(monkeypatch: pytest.MonkeyPatch):
    """The archive-reader registry, with readers a test registers kept to that test."""
    from monitor.archives import registry

    monkeypatch.setattr(registry, "_READERS", dict(registry._READERS))
    monkeypatch.setattr(registry, "_SUFFIXES_BY_LENGTH", registry._SUFFIXES_BY_LENGTH)
    return registry


def shared_path(*parts: str) -> Path:
    """A path in the shared material, skipping the test with a reason where it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: real-page tests need ../shared beside the repository")
    return path


def parse(html: str) -> LexborHTMLParser:
    """A page's DOM, parsed as the extractors parse it."""
    return LexborHTMLParser(html)
