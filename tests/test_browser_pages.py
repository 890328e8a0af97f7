"""Real browser: pages opened from shared links (URL parameters), in Chromium.

Add one test per page below; ``open_app`` opens a page path with its query string and waits
for the charts to be drawn. The server reads tests/fixtures/figures.csv; the same links on the
shipped data are in tests/test_dataset.py.
"""

from __future__ import annotations

import pytest

from figures import compare, data, views
from figures import schema as S
from tests.conftest import FIGURES

pytestmark = pytest.mark.browser

PLOTS = "Array.from(document.querySelectorAll('.js-plotly-plot'))"


def open_app(page, server, path: str, query: str = "", charts: int = 1) -> list[str]:
    """Open ``server.url + path + query``; wait until ``charts`` Plotly charts are drawn."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + path + query, wait_until="domcontentloaded")
    page.wait_for_function(
        f"() => {PLOTS}.filter(p => p.querySelector('.main-svg') && p._fullLayout).length"
        f" >= {charts}",
        timeout=60_000,
    )
    return errors


def plot_js(page, expression: str):
    """Evaluate a JavaScript expression with ``plots`` bound to the drawn charts."""
    return page.evaluate(f"() => {{ const plots = {PLOTS}; return {expression}; }}")


def no_error_box(page) -> bool:
    return (
        page.locator('[data-testid="stException"]').count() == 0
        and page.locator('[data-testid="stAlertContentError"]').count() == 0
    )


def test_compare_link_opens_the_chosen_category_with_every_edition(page, server):
    errors = open_app(page, server, "/compare", "?cmp_category=us_military&cmp_all_editions=true")
    page.wait_for_function(
        f"() => {PLOTS}[0]._fullLayout.title.text.replace(/<br>/g, ' ').startsWith('US military, killed:')",
        timeout=30_000,
    )
    names = plot_js(page, "plots[0].data.map(t => t.name)")
    assert any(n.endswith("· superseded") for n in names)
    shown = compare.compare_rows(data.load_figures(FIGURES), "us_military", all_editions=True)
    assert len(shown) >= 10
    assert page.locator(".js-plotly-plot .scatterlayer .point").count() >= len(shown)
    assert page.get_by_text("Why these figures differ").is_visible()
    assert no_error_box(page)
    assert errors == []


def test_over_time_link_opens_the_chosen_years_and_first_published_values(page, server):
    errors = open_app(
        page, server, "/over-time", "?tr_years=2009&tr_years=2012&tr_first_published=true", 3
    )
    page.wait_for_function(
        f"() => {PLOTS}[0]._fullLayout.title.text.replace(/<br>/g, ' ').includes('first-published values')",
        timeout=30_000,
    )
    killed = plot_js(page, "plots[0].data.find(t => t.name === 'Killed')")
    first = views.unama_years(data.load_figures(FIGURES), "killed", True, (2009, 2012))
    assert list(first[views.SERIES_YEAR]) == [2009, 2010, 2011, 2012]
    assert killed["x"] == [str(y) for y in range(2009, 2013)]
    assert killed["y"] == list(first[S.VALUE])  # first-published, not the latest revisions
    assert page.locator(".js-plotly-plot").first.locator(".bars path").count() >= 8
    assert no_error_box(page)
    assert errors == []
