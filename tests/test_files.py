"""Files desk writes are written whole, by one helper, also where Windows holds a file open (issue 14)."""

from __future__ import annotations

import os
import threading

import pytest

from desk import files
from desk.files import atomic_write


def test_writers_of_one_file_never_share_a_temporary_name(tmp_path):
    target = tmp_path / "state.json"
    seen: list[str] = []

    def write(n: int) -> None:
        def body(temp):
            seen.append(temp.name)
            temp.write_text(str(n) * 1000, encoding="utf-8")
        atomic_write(target, body)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 8
    text = target.read_text(encoding="utf-8")
    assert len(set(text)) == 1 and len(text) == 1000  # one writer's whole file, never a mix
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_a_rename_windows_refuses_for_a_moment_is_retried(tmp_path, monkeypatch):
    real = os.replace
    refusals = iter([PermissionError(13, "in use"), PermissionError(13, "in use")])

    def busy_then_free(source, target):
        error = next(refusals, None)
        if error:
            raise error
        real(source, target)

    monkeypatch.setattr(files, "_WINDOWS", True)
    monkeypatch.setattr(files.os, "replace", busy_then_free)
    monkeypatch.setattr(files.time, "sleep", lambda _: None)
    atomic_write(tmp_path / "a.txt", lambda temp: temp.write_text("whole", encoding="utf-8"))
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "whole"


def test_a_rename_refused_for_good_leaves_no_temporary_file(tmp_path, monkeypatch):
    def refused(source, target):
        raise PermissionError(13, "in use")

    monkeypatch.setattr(files.os, "replace", refused)
    with pytest.raises(files.CannotWrite):
        atomic_write(tmp_path / "a.txt", lambda temp: temp.write_text("x", encoding="utf-8"), durable=True)
    assert list(tmp_path.iterdir()) == []
