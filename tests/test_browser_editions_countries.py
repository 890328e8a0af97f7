"""Real browser: the editions and by-country pages opened from shared links, in Chromium.

The server reads tests/fixtures/figures.csv; the links that show shipped figures are checked in
tests/test_dataset.py.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PLOTS = "Array.from(document.querySelectorAll('.js-plotly-plot'))"


def open_page(page, server, path: str, charts: int = 1) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + path, wait_until="domcontentloaded")
    page.wait_for_function(
        f"() => {PLOTS}.filter(p => p.querySelector('.main-svg') && p.data).length >= {charts}",
        timeout=60_000,
    )
    return errors


def no_error_box(page) -> bool:
    return (
        page.locator('[data-testid="stException"]').count() == 0
        and page.locator('[data-testid="stAlertContentError"]').count() == 0
    )


def wait_for(page, expression: str) -> None:
    """Wait until a JavaScript expression over the drawn charts is true."""
    page.wait_for_function(
        f"() => {{ const plots = {PLOTS}; return {expression}; }}", timeout=30_000
    )


def test_by_country_malformed_link_shows_a_notice_and_the_default_chart(page, server):
    errors = open_page(page, server, "/by-country?ctry_log=maybe")
    wait_for(page, "plots[0]._fullLayout.xaxis.type === 'linear'")
    assert page.get_by_text("not understood", exact=False).is_visible()
    assert no_error_box(page)
    assert errors == []
