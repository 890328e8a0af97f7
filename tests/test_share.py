"""Share this view: the sidebar box with the link to the current view and its citation."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from figures import data
from figures.ui.html import copy_text_html, copy_texts
from tests.conftest import ROOT, VALID

APP = str(ROOT / "app.py")


@pytest.fixture
def small_data(monkeypatch):
    """AppTests read the small fixture (not autouse: the live browser server reads the real data)."""
    monkeypatch.setenv(data.ENV_VAR, str(VALID))


def run(params=None, context=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.context = context or {}
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


def sidebar_code(at: AppTest) -> list[str]:
    return copy_texts(h.proto.body for h in at.sidebar.get("html"))


def test_share_box_shows_the_link_with_the_query_string_and_the_citation(small_data):
    at = run({"log": "true"}, {"url": "https://figures.example.org/"})
    assert not at.exception and not at.error
    assert any(m.value == "**Share this view**" for m in at.sidebar.markdown)
    link, plain, bibtex = sidebar_code(at)
    assert link == "https://figures.example.org/?log=true"
    assert plain.startswith('Afghanistan war casualty figures project. "Overview". In: ')
    assert "Figures from: Costs of War (Watson Institute, Brown University)" in plain
    assert "https://figures.example.org/?log=true (accessed " in plain
    assert bibtex.startswith("@misc{afghanistan_casualty_figures_overview_")
    assert "url     = {https://figures.example.org/?log=true}," in bibtex
    assert at.sidebar.expander[-1].label == "Cite this view"


def test_share_link_names_the_current_page(small_data):
    at = run(context={"url": "https://figures.example.org/"})
    at.switch_page("figures/ui/about.py").run()
    assert not at.exception
    link, plain, _ = sidebar_code(at)[-3:]
    assert link == "https://figures.example.org/about"
    assert '"About"' in plain


def test_share_box_falls_back_to_a_relative_link_without_a_browser_url(small_data):
    at = run({"log": "true"})
    assert not at.exception
    assert sidebar_code(at)[0] == "/?log=true"
    assert any("address of the app" in c.value for c in at.sidebar.caption)


def test_share_box_lists_only_the_sources_of_the_current_run():
    script = (
        "import pandas as pd\n"
        "import streamlit as st\n"
        "from types import SimpleNamespace\n"
        "from figures.ui import common, share\n"
        "share.begin()\n"
        "if st.session_state.get('first', True):\n"
        "    common.record_sources(pd.DataFrame({'publisher': ['UNAMA', 'CoW', 'UNAMA']}))\n"
        "    st.session_state.first = False\n"
        "share.render(SimpleNamespace(url_path='x', title='X'))\n"
    )
    at = AppTest.from_string(script, default_timeout=30).run()
    assert "Figures from: UNAMA; CoW." in sidebar_code(at)[1]
    at.run()
    assert "Figures from" not in sidebar_code(at)[1]


def test_embedded_overview_draws_the_chart_without_error_or_share_box(small_data):
    at = run({"embed": "true"}, {"url": "https://figures.example.org/", "is_embedded": True})
    assert not at.exception
    assert not at.error
    assert len(at.get("plotly_chart")) == 1
    assert not at.info  # 'embed' is Streamlit's own parameter, never reported as unknown
    assert sidebar_code(at) == []
    assert not any("Share this view" in m.value for m in at.sidebar.markdown)


@pytest.mark.browser
def test_share_link_follows_the_widgets_in_a_real_browser(page, server):
    page.goto(server.url + "/", wait_until="domcontentloaded")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    box = page.locator('[data-testid="stSidebar"] .copy-text pre').first
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stSidebar\"] .copy-text pre')",
        timeout=30_000,
    )
    assert box.inner_text().strip() == server.url + "/"
    page.get_by_text("Logarithmic scale").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stSidebar\"] .copy-text pre')"
        ".innerText.includes('log=true')",
        timeout=30_000,
    )
    assert box.inner_text().strip() == server.url + "/?log=true"


@pytest.mark.browser
def test_embed_mode_in_a_real_browser_shows_the_chart_and_no_error(page, server):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/?embed=true", wait_until="domcontentloaded")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    assert page.locator(".js-plotly-plot .bars path").count() >= 4
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert page.get_by_text("Share this view").count() == 0
    assert errors == []


def test_share_box_offers_the_snapshot_page_of_the_same_view(monkeypatch):
    monkeypatch.setenv("FIGURES_SNAPSHOT_URL", "https://snap.example.org/figures")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["cmp_category"] = "civilians"
    at.run()
    at.switch_page("figures/ui/compare.py").run()
    assert "https://snap.example.org/figures/compare-civilians.html" in sidebar_code(at)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["log"] = "true"  # a view the snapshot has no page of: its home page
    at.run()
    assert "https://snap.example.org/figures/" in sidebar_code(at)
    assert any("no page for these exact settings" in c.value for c in at.sidebar.caption)


def test_share_box_has_no_snapshot_link_unless_its_address_is_set(monkeypatch):
    monkeypatch.delenv("FIGURES_SNAPSHOT_URL", raising=False)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not any("Static copy" in m.value for m in at.sidebar.markdown)


def test_copy_box_shows_hostile_text_escaped_and_gives_it_back_unchanged():
    hostile = '"><script>alert(1)</script>&amp; <img src=x onerror=alert(2)>'
    body = copy_text_html(hostile, 'k"><x', "Link")
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert 'id="copy-k---x"' in body
    assert copy_texts([body]) == [hostile]
