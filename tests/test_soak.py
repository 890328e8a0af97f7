"""Soak, short: real sessions over the server's WebSocket, every one served, none failing.

The long version is ``python -m bench soak --sessions 100 --seconds 60`` (see docs/benchmarks.md).
This asserts behaviour only, never timings.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.session_client import Target, check_loopback, discover_pages, run_sessions
from tests.conftest import Server

pytestmark = pytest.mark.soak


def run(coro):
    """asyncio.run in a thread of its own: Playwright's sync API may hold this thread's loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@pytest.fixture(scope="module")
def live_server():
    srv = Server()
    yield srv
    srv.stop()


def test_soak_sessions_all_finish_without_errors(live_server):
    pages = run(discover_pages(live_server.url))
    assert len(pages) >= 2, pages
    targets = [Target(p) for p in pages] + [Target(pages[0], "log=true")]
    stats = run(run_sessions(live_server.url, 10, targets, seconds=5, think=0.2))
    assert stats.errors == []
    assert stats.sessions_finished == 10
    assert len(stats.reruns) >= 10
    assert all(r.ok for r in stats.reruns)
    served = {r.target.label for r in stats.reruns}
    assert len(served) >= min(10, len(targets))


def test_soak_client_refuses_servers_off_this_machine():
    check_loopback("http://127.0.0.1:8501")
    check_loopback("http://localhost:8501")
    with pytest.raises(ValueError, match="loopback"):
        check_loopback("http://192.168.1.10:8501")
    with pytest.raises(ValueError, match="loopback"):
        run(run_sessions("http://example.org", 1, [Target()], reruns=1))


def test_soak_client_counts_a_missing_page_as_an_error(live_server):
    stats = run(run_sessions(live_server.url, 1, [Target("no-such-page")], reruns=1))
    assert len(stats.errors) == 1
    assert "page not found" in stats.errors[0]
