"""Real browser: the app served by Streamlit, opened in Debian's Chromium through Playwright."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def open_app(page, server, query: str = ""):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/" + query, wait_until="domcontentloaded")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    return errors


def test_overview_draws_the_chart_with_no_error_box(page, server):
    errors = open_app(page, server)
    assert page.locator(".js-plotly-plot .bars path").count() >= 4
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert page.get_by_text("Sources and caveats").is_visible()
    assert errors == []


def test_shared_link_with_log_scale_opens_the_same_view(page, server):
    open_app(page, server, "?log=true")
    page.wait_for_selector(".js-plotly-plot .xtick", timeout=30_000)
    axis_type = page.evaluate(
        "() => document.querySelector('.js-plotly-plot')._fullLayout.xaxis.type"
    )
    assert axis_type == "log"


def test_the_test_server_logs_to_a_file_not_an_unread_pipe(page, server):
    """A chatty server must never block on a full pipe: its output goes to a log file."""
    open_app(page, server)
    assert server.proc.stdout is None and server.proc.stderr is None
    assert server.log_path.is_file()
    assert server.proc.poll() is None  # still serving after a page was drawn
