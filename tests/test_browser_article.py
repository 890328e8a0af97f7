"""Real browser: the Article check page opened from a shared link, in Debian's Chromium.

The server reads tests/fixtures/figures.csv; a shipped claim's verdict in the browser is checked
in tests/test_dataset.py.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_malformed_claim_in_a_link_shows_the_notice_and_the_default(page, server):
    page.goto(server.url + "/article-check?art_claim=not-a-claim")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.get_by_text("not understood", exact=False).first.wait_for(timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
