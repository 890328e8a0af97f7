"""Actions under every chart: the footer a shared image carries, the link that reopens the view,
the CSV of the chart's figures, the embed snippet, and ``?embed=true`` (charts only).

Pure parts on tests/fixtures; the app's drawing with AppTest. The real clicks (PNG/SVG
downloads) are in tests/test_browser_actions.py.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from figures import charts, cite, data, export, pages
from figures import schema as S
from figures.ui import render
from tests.conftest import FIGURES, ROOT
from tests.test_pages import _app as open_page

APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return data.load_figures(FIGURES)


#: The pages that draw charts (Data & sources and About have none).
CHARTED = tuple(n for n in pages.NAMES if n not in ("data", "about"))


def default_view(df, name):
    return pages.page(name).build(df, pages.default_state(pages.params_of(df, name)))


# --- the footer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/compare?cmp_category=civilians&cmp_log=true&tr_years=2005&tr_years=2015",
        "https://example.org/" + "x" * 130,
        "/over-time",
    ],
)
def test_a_link_is_cut_into_lines_that_fit_a_phone_and_join_back(url):
    lines = charts.wrap_url(url)
    assert "".join(lines) == url
    assert all(0 < len(line) <= charts.TEXT_CHARS for line in lines)
    for line in lines[1:]:  # cut before a setting where one is
        assert line[0] in "?&" or len(line) == charts.TEXT_CHARS or "?" not in url


@pytest.mark.parametrize("name", CHARTED)
def test_every_chart_footer_names_sources_licence_date_and_link_and_keeps_the_plot(name, df):
    link = "https://example.org/compare?cmp_category=civilians&x=<b>"
    for c in default_view(df, name).all_charts:
        before = c.figure
        after = charts.with_footer(before, link, "20 Dec 2025", cite.LICENCE)
        footer = charts.source_note(after).text
        assert footer.startswith(charts.source_note(before).text)  # the sources line first
        assert footer.startswith(("Source: ", "Sources: ")), footer
        assert f"Licence: {cite.LICENCE}. Data as of 20 Dec 2025." in footer
        assert "&lt;b&gt;" in footer and "<b>" not in footer.split("Licence")[1]  # escaped
        joined = footer.split("Data as of")[1].split("<br>", 1)[1].replace("<br>", "")
        assert joined.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") == link
        plot_px = lambda f: f.layout.height - f.layout.margin.t - f.layout.margin.b  # noqa: E731
        assert plot_px(after) == plot_px(before), c.name
        assert after.layout.height > before.layout.height
        if before.layout.legend.yref == "container" and before.layout.showlegend:
            top_px = lambda f: (1 - f.layout.legend.y) * f.layout.height  # noqa: E731
            assert top_px(after) == pytest.approx(top_px(before))
        assert charts.source_note(before).text != footer  # the page's own figure is untouched


def test_a_chart_without_a_sources_line_is_left_as_it_is():
    fig = go.Figure()
    assert (
        charts.with_footer(fig, "https://x.org", "1 May 2026", "CC BY 4.0").layout.annotations == ()
    )


# --- the link, the CSV, the snippet -------------------------------------------------------------


def _joined(query: list[tuple[str, str]]) -> dict[str, str]:
    """Repeated URL values joined by commas, as the app reads them (``query_snapshot``)."""
    out: dict[str, str] = {}
    for k, v in query:
        out[k] = f"{out[k]},{v}" if k in out else v
    return out


@pytest.mark.parametrize("name", [*CHARTED, "data"])  # About has no settings
def test_a_views_link_reopens_the_same_state(name, df):
    params = pages.params_of(df, name)
    default = pages.default_state(params)
    assert pages.state_query(params, default) == []  # the default view: a bare link
    states = []
    # other options of every choice, every toggle flipped, a narrower range (one at a time)
    for p in params:
        values = []
        if p.kind == pages.CHOICE:
            values = list(p.options(default))[1:4]
        elif p.kind == pages.TOGGLE:
            values = [not p.default]
        elif p.kind == pages.RANGE:
            values = [(p.bounds[0] + 1, p.bounds[1] - 1)]
        for v in values:
            state, bad = pages.parse_state(params, _joined([(p.name, u) for u in p.url_values(v)]))
            assert not bad and state[p.name] == v, (p.name, v)
            states.append(state)
    assert states, name
    for state in states:
        back, bad = pages.parse_state(params, _joined(pages.state_query(params, state)))
        assert not bad and back == state, (name, state)


def test_a_link_names_the_page_path_of_the_app():
    with open(APP, encoding="utf-8") as f:
        app = f.read()
    for name, path in pages.APP_PATHS.items():
        if path:
            assert f'"{path}"' in app, name
    assert cite.view_link(None, pages.APP_PATHS["trends"], [("tr_years", "2005")]) == (
        "/over-time?tr_years=2005"
    )


@pytest.mark.parametrize("name", CHARTED)
def test_each_chart_csv_holds_the_figures_it_draws(name, df):
    for c in default_view(df, name).all_charts:
        rows = list(csv.DictReader(io.StringIO(pages.chart_csv(c).decode("utf-8"))))
        assert rows, c.name
        if S.FIGURE_ID in c.table.rows.columns:
            assert [r[S.FIGURE_ID] for r in rows] == list(c.table.rows[S.FIGURE_ID])
            assert list(rows[0]) == export.columns(c.table.rows)
            assert all(r[S.SOURCE_URL] and r[S.PUBLISHER] for r in rows)
        else:
            assert len(rows) == len(c.table.rows)


@pytest.mark.parametrize("name", CHARTED)
def test_a_chart_csv_from_the_app_carries_link_licence_and_date(name, df):
    for c in default_view(df, name).all_charts:
        out = pages.chart_csv(c, "https://x.org/compare?a=1", cite.LICENCE, "20 Dec 2025")
        rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
        assert list(rows[0])[-3:] == list(pages.CHART_CSV_EXTRA)
        assert {(r["view_link"], r["licence"], r["data_as_of"]) for r in rows} == {
            ("https://x.org/compare?a=1", cite.LICENCE, "20 Dec 2025")
        }
        plain = list(csv.DictReader(io.StringIO(pages.chart_csv(c).decode("utf-8"))))
        assert [{k: r[k] for k in plain[0]} for r in rows] == plain  # the same rows otherwise


def test_a_chart_csv_neutralises_formulas():
    frame = pd.DataFrame({"Publisher": ["=HYPERLINK(1)"], "n": [3]})
    chart = pages.Chart(go.Figure(), "", "x", table=pages.Table(frame, ("Publisher", "n")))
    assert pages.chart_csv(chart).decode().splitlines()[1].startswith("'=HYPERLINK")


def test_the_embed_snippet_is_an_escaped_iframe_of_the_embed_view():
    snippet = render.embed_snippet('https://x.org/compare?a=1&b="><script>', 'A "title"', 500)
    assert snippet.startswith("<iframe ") and snippet.endswith("</iframe>")
    assert "<script>" not in snippet and "&#34;&gt;&lt;script&gt;" in snippet
    assert "embed=true" in snippet and 'height="540"' in snippet
    assert render.embed_link("/over-time") == "/over-time?embed=true"
    assert render.embed_link("/c?a=1") == "/c?a=1&embed=true"


# --- the app -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CHARTED)
def test_every_chart_has_its_actions_and_footer_in_the_app(name, df):
    view = default_view(df, name)
    at = open_page(name)
    assert not at.exception
    charts_ = at.get("plotly_chart")
    assert len(charts_) == len(view.all_charts) >= 1
    for drawn in charts_:
        assert f"Licence: {cite.LICENCE}" in drawn.proto.spec
    html = [h.proto.body for h in at.get("html") if "chart-actions" in h.proto.body]
    assert len(html) == len(charts_)
    assert all('data-act="png"' in h and 'data-act="svg"' in h for h in html)
    csv_buttons = [d for d in at.get("download_button") if d.proto.label == "CSV"]
    assert len(csv_buttons) == len(charts_)


def _embedded(name: str, query: dict[str, str]) -> AppTest:
    """The embed view of page ``name`` (Streamlit hides ``?embed=true`` from ``st.query_params``
    and only a browser sets ``st.context.is_embedded``: the real link is in
    tests/test_browser_actions.py)."""

    def script(name: str, query: dict) -> None:
        from figures import pages
        from figures.ui import common, render

        df = common.load_figures()
        render.render_embedded(name, df, pages.params_of(df, name), query)

    at = AppTest.from_function(script, args=(name, query), default_timeout=60).run()
    assert not at.exception, [e.stack_trace for e in at.exception]
    return at


def test_the_embed_view_draws_the_charts_with_their_footer_only(df):
    at = _embedded("compare", {})
    assert not at.title and not at.selectbox and not at.toggle and not at.dataframe
    assert not [h for h in at.get("html") if "chart-actions" in h.proto.body]
    (chart,) = at.get("plotly_chart")
    assert "Licence" in chart.proto.spec and "Sources:" in chart.proto.spec
    assert all("Sources and caveats" not in m.value for m in at.markdown)


def test_the_embed_view_honours_the_link_state(df):
    params = pages.params_of(df, "compare")
    category = next(p for p in params if p.name.endswith("category"))
    other = category.options(pages.default_state(params))[1]
    at = _embedded("compare", {category.name: other})
    view = pages.page("compare").build(df, pages.parse_state(params, {category.name: other})[0])
    (chart,) = at.get("plotly_chart")
    assert chart.proto.alt == view.charts[0].alt
    assert view.charts[0].alt != default_view(df, "compare").charts[0].alt
    assert f"?{category.name}={other}" in chart.proto.spec  # the footer links to this view
