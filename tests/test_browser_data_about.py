"""Real browser: the Data & sources and About pages as a reader sees them in Chromium.

The server reads tests/fixtures/figures.csv; a shipped figure's detail is checked in
tests/test_dataset.py.
"""

from __future__ import annotations

import pytest

from figures import data, views
from tests.conftest import FIGURES

pytestmark = pytest.mark.browser

GRID = '[data-testid="stDataFrame"] table[role="grid"]'


def open_page(page, server, path: str) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + path, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=60_000)
    return errors


def no_error_box(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


def test_data_page_link_opens_the_searched_table_with_source_links(page, server):
    expected = len(views.search(data.load_figures(FIGURES), "UNAMA"))
    assert expected >= 2
    errors = open_page(page, server, "/data?data_q=UNAMA")
    # The grid keeps an accessible (visually hidden) table of what it draws.
    page.wait_for_selector(GRID, state="attached", timeout=60_000)
    grid = page.locator(GRID)
    assert grid.get_attribute("aria-rowcount") == str(expected + 1)  # rows + header
    assert page.get_by_text(f"Showing {expected:,} of").is_visible()
    assert page.get_by_role("textbox", name="Search the figures").input_value() == "UNAMA"

    headers = grid.locator("thead th").all_inner_texts()
    link_col = headers.index("Source URL") + 1
    first_links = grid.locator(f'tbody td[aria-colindex="{link_col}"]').all_inner_texts()
    assert first_links
    assert all(url.startswith(("https://", "http://")) for url in first_links)
    no_error_box(page)
    assert errors == []


def test_data_page_offers_the_downloads(page, server):
    open_page(page, server, "/data")
    buttons = page.locator('[data-testid="stDownloadButton"]')
    # The buttons arrive one by one: wait for the last of the ones checked below.
    buttons.filter(has_text="datapackage.json").first.wait_for(timeout=60_000)
    buttons.filter(has_text="(CSV)").first.wait_for(timeout=60_000)
    labels = page.locator('[data-testid="stDownloadButton"]').all_inner_texts()
    assert any("All " in label and "(CSV)" in label for label in labels)
    assert any("datapackage.json" in label for label in labels)
    no_error_box(page)


def test_about_page_shows_the_definitions_with_no_error_box(page, server):
    errors = open_page(page, server, "/about")
    page.get_by_text("Documented count and estimate").wait_for(timeout=60_000)
    assert page.locator("h1").first.inner_text() == "About"
    for heading in ("Definitions", "How the figures were sourced", "Licence"):
        page.get_by_role("heading", name=heading).wait_for(timeout=30_000)  # drawn in order
        assert page.get_by_role("heading", name=heading).is_visible()
    no_error_box(page)
    assert errors == []
