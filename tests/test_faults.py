"""Faults under a live server: the data file is corrupted, truncated, removed and restored while
the app runs. Each reload shows the readable error page or the chart again, without a restart.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.conftest import FIGURES

pytestmark = pytest.mark.browser

CHART = ".js-plotly-plot .main-svg"
ERROR = '[data-testid="stAlertContentError"]'


def reload_and_wait(page, server) -> str:
    """Reload the overview; return 'chart' or 'error' once either is drawn."""
    page.goto(server.url + "/", wait_until="domcontentloaded")
    page.wait_for_selector(f"{CHART}, {ERROR}", timeout=60_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")
    return "error" if page.locator(ERROR).count() else "chart"


def assert_problem_shown(page, fragment: str | re.Pattern) -> None:
    """The error page names the problem (its list of problems may draw just after the alert)."""
    assert "could not be loaded" in page.inner_text(ERROR)
    expect(page.locator('[data-testid="stMain"]')).to_contain_text(fragment, timeout=30_000)


def test_corrupt_truncate_remove_restore_without_restart(page, serve_data, tmp_path):
    path = tmp_path / "figures.csv"
    shutil.copyfile(FIGURES, path)
    sources = tmp_path / "sources.csv"
    shutil.copyfile(FIGURES.with_name("sources.csv"), sources)
    good = path.read_bytes()
    server = serve_data(path)
    pid = server.proc.pid

    assert reload_and_wait(page, server) == "chart"

    # Corrupted: an unknown measure in one row.
    path.write_bytes(good.replace(b",killed,", b",dead,", 1))
    assert reload_and_wait(page, server) == "error"
    assert_problem_shown(page, "figures.csv:2: measure: must be one of")

    # Truncated half-way through a row.
    path.write_bytes(good[: len(good) // 2])
    assert reload_and_wait(page, server) == "error"
    assert_problem_shown(page, re.compile(r"figures\.csv:\d+: (row has too|a quoted field)"))

    # Truncated to nothing.
    path.write_bytes(b"")
    assert reload_and_wait(page, server) == "error"
    assert_problem_shown(page, "file is empty")

    # The sources file beside it: a document's kind broken, then the file removed, then restored.
    path.write_bytes(good)
    good_sources = sources.read_bytes()
    sources.write_bytes(good_sources.replace(b",news_report,", b",blog,", 1))
    assert reload_and_wait(page, server) == "error"
    assert_problem_shown(page, re.compile(r"sources\.csv:\d+: kind: must be one of"))
    sources.unlink()
    assert reload_and_wait(page, server) == "error"
    assert_problem_shown(page, "sources.csv: file not found")
    sources.write_bytes(good_sources)
    assert reload_and_wait(page, server) == "chart"

    # Removed.
    path.unlink()
    assert reload_and_wait(page, server) == "error"
    assert_problem_shown(page, "figures.csv: file not found")

    # Restored: the chart is back, served by the same process.
    path.write_bytes(good)
    assert reload_and_wait(page, server) == "chart"
    assert page.locator(".js-plotly-plot .bars path").count() >= 4
    assert server.proc.poll() is None and server.proc.pid == pid


def test_edit_keeping_size_and_mtime_is_seen(page, serve_data, tmp_path):
    """A same-size edit with the modification time put back (rsync -t, cp -p, an editor's
    backup restore) must not be served from the loader's cache."""
    path = tmp_path / "figures.csv"
    shutil.copyfile(FIGURES, path)
    shutil.copyfile(FIGURES.with_name("sources.csv"), tmp_path / "sources.csv")
    good = path.read_bytes()
    server = serve_data(path)
    assert reload_and_wait(page, server) == "chart"
    before = path.stat()

    bad = good.replace(b",killed,", b",kilLed,", 1)
    assert len(bad) == len(good)
    path.write_bytes(bad)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert reload_and_wait(page, server) == "error"
    assert_problem_shown(page, "measure: must be one of")

    path.write_bytes(good)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert reload_and_wait(page, server) == "chart"
