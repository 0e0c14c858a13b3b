from __future__ import annotations

import functools
import os
import time

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from monitor import language_model

TEXTS = [
    "Did we just take a step closer to World War III? This is terrifying. #WW3",
    "Das ist eine gefährliche Eskalation und niemand weiß, wie es weitergehen soll.",
    "Esto es una locura, nadie quiere otra guerra en Europa.",
    "ok",
    "😂😂",
    "",
]


@functools.cache
def py3langid_own() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def test_the_cached_model_detects_exactly_as_py3langids_own(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = language_model.load_identifier()  # decompresses and writes the cache
    folder = language_model.cache_folder()
    assert folder.parent == tmp_path / "reaction-monitor"
    assert sorted(p.name for p in folder.iterdir()) == [
        "classes.npy",
        "nextmove.npy",
        "nextmove_row.npy",
        "out_feat.npy",
        "pc.npy",
        "ptc.npy",
    ]
    cached = language_model.load_identifier()  # reads it
    for text in TEXTS:
        assert first.rank(text) == cached.rank(text) == py3langid_own().rank(text)


@pytest.mark.parametrize("problem", ["not a folder", "unreadable"])
def test_without_a_usable_cache_the_model_loads_as_py3langid_loads_it(
    tmp_path, monkeypatch, problem
):
    if problem == "not a folder":
        blocker = tmp_path / "file"
        blocker.write_text("")
        monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        language_model.cache_folder().mkdir(parents=True)  # a folder without the arrays
    identifier = language_model.load_identifier()
    assert [identifier.rank(t) for t in TEXTS] == [py3langid_own().rank(t) for t in TEXTS]


def test_the_cache_keeps_the_most_recently_used_copies(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    base = tmp_path / "reaction-monitor"
    # Models of other installed copies, used one to five days ago, and a folder abandoned
    # half written two days ago.
    for days in range(1, 6):
        old = base / f"py3langid-0.{days}-1-1"
        old.mkdir(parents=True)
        (old / "ptc.npy").write_bytes(b"x" * 1000)
        os.utime(old, (time.time() - days * 86400,) * 2)
    abandoned = base / ".tmp-abc"
    abandoned.mkdir()
    os.utime(abandoned, (time.time() - 2 * 86400,) * 2)
    language_model.load_identifier()
    assert sorted(path.name for path in base.iterdir()) == sorted(
        [language_model.cache_folder().name, "py3langid-0.1-1-1", "py3langid-0.2-1-1"]
    )
    # Loading from the cache marks the folder used, and removes nothing.
    folder = language_model.cache_folder()
    os.utime(folder, (time.time() - 7200,) * 2)
    language_model.load_identifier()
    assert time.time() - folder.stat().st_mtime < 60
    assert len(list(base.iterdir())) == 3
