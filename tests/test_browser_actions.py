"""Real browser: the actions under every chart (copy link, PNG, SVG) and ``?embed=true``.

The images are Plotly's own downloads of the drawn chart, so what they carry (sources, licence,
data date, link) is checked in the SVG a reader gets. The server reads tests/fixtures.
"""

from __future__ import annotations

import pandas as pd
import pytest

from figures import charts, cite, data, pages
from figures import schema as S
from tests.conftest import FIGURES
from tests.test_browser_pages import PLOTS, no_error_box, open_app

pytestmark = pytest.mark.browser

PATHS = {name: "/" + path for name, path in pages.APP_PATHS.items()}


@pytest.mark.parametrize("name", [n for n in pages.NAMES if n not in ("data", "about")])
def test_every_chart_has_working_actions_and_its_svg_carries_the_footer(name, browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    try:
        errors = open_app(page, server, PATHS[name])
        n_charts = page.evaluate(f"() => {PLOTS}.length")
        assert n_charts >= 1
        page.wait_for_function(
            f"() => document.querySelectorAll('.chart-actions').length >= {n_charts}",
            timeout=30_000,
        )
        boxes = page.locator(".chart-actions")
        assert boxes.count() == page.evaluate(f"() => {PLOTS}.length")
        first = boxes.first
        first.scroll_into_view_if_needed()
        with page.expect_download(timeout=30_000) as png:
            first.locator("button[data-act=png]").click()
        assert png.value.suggested_filename.endswith(".png")
        assert png.value.path().stat().st_size > 5_000
        with page.expect_download(timeout=30_000) as svg:
            first.locator("button[data-act=svg]").click()
        assert svg.value.suggested_filename.endswith(".svg")
        image = svg.value.path().read_text(encoding="utf-8")
        newest = cite.data_date(data.load_figures(FIGURES)[S.PUBLISHED])
        day = charts.fmt_date(pd.Timestamp(newest))
        assert f"Licence: {cite.LICENCE}. Data as of {day}." in image  # as the snapshot says
        assert "Source" in image and server.url.split("//")[1] in image  # the link's host
        assert not errors and no_error_box(page)
    finally:
        ctx.close()


def test_copy_link_puts_the_views_link_on_the_clipboard(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = ctx.new_page()
    try:
        open_app(page, server, "/over-time", "?tr_years=2009&tr_years=2012", 3)
        box = page.locator(".chart-actions").first
        box.scroll_into_view_if_needed()
        box.locator("button[data-act=copy]").click()
        page.wait_for_function(
            "() => document.querySelector('.chart-actions-status').textContent.includes('copied')",
            timeout=10_000,
        )
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == f"{server.url}/over-time?tr_years=2009&tr_years=2012"
    finally:
        ctx.close()


@pytest.mark.parametrize("viewport", [(700, 600), (390, 844)])
def test_embed_shows_the_chart_with_its_footer_only(browser, server, viewport):
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = ctx.new_page()
    try:
        errors = open_app(page, server, "/compare", "?embed=true")
        assert page.locator("h1").count() == 0
        assert page.locator("[data-testid=stSidebarNav], [data-testid=stSidebar]").count() == 0
        assert page.locator(".chart-actions, [data-testid=stSelectbox]").count() == 0
        footer = page.evaluate(
            f"() => Array.from({PLOTS}[0].querySelectorAll('.annotation-text'))"
            ".map(t => t.textContent).join(' ')"
        )
        assert "Licence" in footer and "Source" in footer
        # the chart starts at the top: no title, intro or controls above it
        top = page.evaluate(f"() => {PLOTS}[0].getBoundingClientRect().top")
        assert top < 120
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport[0]
        assert not errors
    finally:
        ctx.close()


def test_sidebar_links_and_chart_actions_show_a_focus_ring(page, server):
    open_app(page, server, "/")
    ring = (
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.tagName, e.closest('[data-testid=stSidebarNav]') !== null,"
        " e.closest('.chart-actions') !== null, s.outlineStyle, s.outlineWidth]; }"
    )
    seen = {"nav": None, "actions": None}
    for _ in range(80):
        page.keyboard.press("Tab")
        tag, in_nav, in_actions, style, width = page.evaluate(ring)
        if in_nav and seen["nav"] is None:
            seen["nav"] = (tag, style, width)
        if in_actions and seen["actions"] is None:
            seen["actions"] = (tag, style, width)
        if all(seen.values()):
            break
    assert seen["nav"] == ("A", "solid", "3px"), seen
    assert seen["actions"] == ("BUTTON", "solid", "3px"), seen
