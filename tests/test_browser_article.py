"""Real browser: the Article check page opened from a shared link, in Debian's Chromium."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_shared_link_opens_the_claim_with_its_verdict_and_no_error_box(page, server):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/article-check?art_claim=watson-security-forces")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    # The badge (the summary table's grid cells are drawn on a canvas and hidden from the DOM).
    verdict = page.get_by_text("◐ Holds only for an older edition").locator("visible=true").first
    verdict.wait_for(timeout=30_000)
    assert verdict.is_visible()
    assert page.get_by_text("does not endorse or dispute the article", exact=False).is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert page.locator('[data-testid="stAlertContentInfo"]').count() == 0  # no "not understood"
    assert "art_claim=watson-security-forces" in page.url
    assert errors == []


def test_malformed_claim_in_a_link_shows_the_notice_and_the_default(page, server):
    page.goto(server.url + "/article-check?art_claim=not-a-claim")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.get_by_text("not understood", exact=False).first.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
