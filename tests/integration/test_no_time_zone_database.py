"""desk runs where the system has no time-zone database (Windows), from the tzdata package (issue 14)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_desk_records_and_reports_with_no_system_time_zones(tmp_path):
    db = tmp_path / "desk.db"
    # An empty PYTHONTZPATH leaves zoneinfo only the tzdata package, as on Windows.
    env = {**os.environ, "PYTHONTZPATH": "", "LANG": "en_US.UTF-8", "PYTHONPATH": os.getcwd()}
    code = ("import zoneinfo, sys; assert zoneinfo.TZPATH == (), zoneinfo.TZPATH;"
            " from desk.entry import main; sys.argv = ['desk'] + sys.argv[1:]; main()")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", code, "--db", str(db), *args],
                              env=env, capture_output=True, text=True, timeout=120)

    added = run("staff", "add", "王芳", "--role", "consultant")
    assert added.returncode == 0, added.stderr
    rung = run("ring", "13812345678")
    report = run("report")
    assert "Traceback" not in rung.stderr + report.stderr
    assert report.returncode == 0, report.stderr
