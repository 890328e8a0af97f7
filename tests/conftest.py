"""Shared fixtures: paths, small CSV builders, and a live Streamlit server for browser tests.

Every test reads the small, frozen tests/fixtures/figures.csv (see tests/fixtures/README.md), never
the shipped data/casualties.csv: ``FIGURES_DATA`` is set to it below, when pytest imports this
file, before any test, AppTest, subprocess or live server starts, so all of them inherit it. Only
tests/test_dataset.py reads the shipped data, each test there by naming data/casualties.csv
explicitly; the figures it pins live there alone.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "valid.csv"
#: The frozen subset of the shipped data that every test but tests/test_dataset.py runs on.
FIGURES = FIXTURES / "figures.csv"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
#: Every page module under figures/ui/ (AppTest opens figures/ui/<page>.py).
PAGES = [
    "overview",
    "compare",
    "trends",
    "editions",
    "countries",
    "article",
    "data",
    "about",
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Whatever the caller's environment says: the app, the CLI and the test servers read the fixture.
os.environ["FIGURES_DATA"] = str(FIGURES)


def flat_fixture_text() -> str:
    """tests/fixtures/figures.csv joined with its sources.csv: one flat CSV (the download's form)."""
    from figures import data, export

    return export.csv_bytes(data.load_figures(FIGURES)).decode("utf-8")


def valid_rows() -> tuple[list[str], list[dict[str, str]]]:
    with VALID.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def to_csv(header: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


@pytest.fixture
def write_csv(tmp_path, monkeypatch):
    """write_csv(text_or_bytes, name='figures.csv') -> Path; messages then name it 'figures.csv'."""
    monkeypatch.chdir(tmp_path)

    def _write(content, name="figures.csv"):
        p = tmp_path / name
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8", newline="")
        return p

    return _write


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_or_skip() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if IN_CI:
        pytest.fail(
            f"CI=true but Chromium is missing at {CHROMIUM}: browser tests are mandatory in CI"
        )
    pytest.skip(
        f"Chromium not found at {CHROMIUM} (apt-get install chromium); browser test skipped"
    )


class Server:
    def __init__(self, env: dict[str, str] | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The server's output goes to a file, never to an unread pipe: a chatty server that fills a
        # pipe buffer blocks. The log is kept next to the other temporary files and read on failure.
        self.log_path = Path(tempfile.mkstemp(prefix="streamlit-test-server-", suffix=".log")[1])
        self.log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [  # as deployed (Makefile, Dockerfile): warmed, then `streamlit run app.py`
                sys.executable,
                "-m",
                "figures.ui.serve",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not become healthy within 60 s:\n{self.output()}")

    def output(self) -> str:
        """What the server has logged so far."""
        self.log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()
        self.log_path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def server():
    chromium_or_skip()
    srv = Server()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(path),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.fixture
def serve_data():
    """serve_data(path) -> a live Server with FIGURES_DATA=path, stopped after the test."""
    chromium_or_skip()
    started: list[Server] = []

    def _start(path) -> Server:
        srv = Server({"FIGURES_DATA": str(path)})
        started.append(srv)
        return srv

    yield _start
    for srv in started:
        srv.stop()
