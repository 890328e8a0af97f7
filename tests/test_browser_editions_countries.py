"""Real browser: the editions and by-country pages opened from shared links, in Chromium."""

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


def test_editions_link_opens_the_chosen_category_and_year(page, server):
    errors = open_page(
        page, server, "/editions?ed_category=Afghan+civilians&ed_year=2016&ed_measure=injured", 2
    )
    wait_for(page, "plots.length === 2 && plots[1].data[0].y.join() === '7920,7924,7925'")
    first = page.evaluate(f"() => {PLOTS}[0].data[0].y")
    assert first == [11700, 26270, 31000, 38480, 43074, 47245]
    title = page.evaluate(f"() => {PLOTS}[0]._fullLayout.title.text")
    assert title.startswith("Afghan civilians")
    assert page.locator(".js-plotly-plot .scatterlayer .point").count() >= 5
    assert page.get_by_text("never subtract", exact=False).first.is_visible()
    assert no_error_box(page)
    assert errors == []


def test_editions_default_view_draws_both_charts(page, server):
    errors = open_page(page, server, "/editions", 2)
    wait_for(page, "plots[0].data[0].y.join() === '8756,13017,58596,64124'")
    assert page.locator(".js-plotly-plot .bars path").count() >= 4  # the revision bars
    assert no_error_box(page)
    assert errors == []


def test_by_country_link_with_us_and_log_scale(page, server):
    errors = open_page(page, server, "/by-country?ctry_include_us=true&ctry_log=true")
    wait_for(page, "plots[0]._fullLayout.xaxis.type === 'log'")
    names = page.evaluate(f"() => {PLOTS}[0].data.flatMap(t => t.y)")
    assert names[0] == "United States" and "United Kingdom" in names
    assert page.locator(".js-plotly-plot .bars path").count() >= 30
    assert page.get_by_text("Sources and caveats").is_visible()
    assert no_error_box(page)
    assert errors == []


def test_by_country_link_to_one_source_list(page, server):
    errors = open_page(
        page, server, "/by-country?ctry_source=One+source+list%3A+Reuters%2C+to+20+May+2012"
    )
    wait_for(page, "plots[0].data[0].text.every(t => t.endsWith('Reuters, 2012'))")
    assert page.evaluate(f"() => {PLOTS}[0].data[0].x.length") == 10
    assert page.get_by_text("Sum of the 10 countries this source names", exact=False).is_visible()
    assert no_error_box(page)
    assert errors == []


def test_by_country_malformed_link_shows_a_notice_and_the_default_chart(page, server):
    errors = open_page(page, server, "/by-country?ctry_log=maybe")
    wait_for(page, "plots[0]._fullLayout.xaxis.type === 'linear'")
    assert page.get_by_text("not understood", exact=False).is_visible()
    assert no_error_box(page)
    assert errors == []
