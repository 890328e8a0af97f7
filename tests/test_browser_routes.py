"""Real browser: an address no page has opens a readable "Page not found" with links, never a
blank page or Streamlit's pop-up over another page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/nope", "/nope/", "/overview", "/overview/", "/Compare"])
def test_unknown_address_says_not_found_with_links(page, server, path):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + path, wait_until="domcontentloaded")
    page.get_by_role("heading", name="Page not found").wait_for(timeout=60_000)
    links = page.locator('[data-testid="stPageLink-NavLink"]')
    links.nth(7).wait_for(timeout=30_000)
    names = [" ".join(t.split()) for t in links.all_inner_texts()]
    for title in ("Overview", "Compare sources", "Over time", "Data & sources", "About"):
        assert title in names, (title, names)
    assert page.get_by_role("dialog").count() == 0  # no "Page not found" pop-up
    assert errors == []


def test_known_address_with_trailing_slash_opens_its_page(page, server):
    page.goto(server.url + "/compare/", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Compare sources").wait_for(timeout=60_000)
    assert page.get_by_role("heading", name="Page not found").count() == 0
