"""Pages as pure functions (figures/pages): build() on the fixture, and both renderers of it.

Every migrated page (``figures.pages.NAMES``) is checked three ways: its ``build(data, state)``
on tests/fixtures/figures.csv, the Streamlit app's drawing of its default view (AppTest), and the
static snapshot's drawing of the same view (figures/site.py); the two show the same figures.
"""

from __future__ import annotations

import datetime
import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from figures import data, pages, site, views
from figures import schema as S
from figures.ui.render import SHOWN_FIGURES_KEY
from tests.conftest import FIGURES, PAGES, ROOT

APP = str(ROOT / "app.py")
DAY = datetime.date(2026, 3, 5)
#: Columns whose values are slugs in the data and labels on screen.
ENUMS = [c.name for c in S.COLUMNS if c.kind == "enum"]


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return data.load_figures(FIGURES)


def default_view(df: pd.DataFrame, name: str) -> pages.View:
    params = pages.params_of(df, name)
    return pages.page(name).build(df, pages.default_state(params))


def test_migrated_pages_are_pages_of_the_app():
    assert set(pages.NAMES) <= set(PAGES)
    assert pages.NAMES[0] == "overview"


# --- the page model ---------------------------------------------------------------------------


def test_parse_state_keeps_valid_values_and_names_the_rest(df):
    params = pages.params_of(df, "overview")
    state, bad = pages.parse_state(
        params, {"log": "perhaps", "src_civilians": "no-such-id", "zz": "1", "embed": "true"}
    )
    assert bad == ["log", "src_civilians", "zz"]
    assert state == pages.default_state(params)
    cands = views.overview_candidates_all(df)["civilians"]
    other = next(f for f in cands[S.FIGURE_ID] if f != state["src_civilians"])
    state, bad = pages.parse_state(params, {"log": "true", "src_civilians": other})
    assert bad == [] and state["log"] is True and state["src_civilians"] == other


def test_valid_values_are_what_the_notice_accepts(df):
    params = pages.params_of(df, "overview")
    valid = pages.valid_values(params)
    assert valid["log"] == {"true", "false"}
    assert views.bad_params({"log": "true", "src_civilians": "x"}, valid) == ["src_civilians"]


def test_display_rows_show_labels_never_slugs(df):
    rows = df.head(40)
    shown = pages.display_rows(rows, [*ENUMS, S.PUBLISHER, S.VALUE])
    assert list(shown.columns[: len(ENUMS)]) == ENUMS
    assert S.SOURCE_KIND in shown.columns
    from figures.charts import source_kind_text

    kinds = [source_kind_text(r) for _, r in rows.iterrows()]
    assert list(shown[S.SOURCE_KIND]) == kinds  # the kind in words, with who reported it
    for c in ENUMS:
        if c == S.SOURCE_KIND:
            continue
        labels = S.BY_NAME[c].labels
        for raw, seen in zip(rows[c].astype(object), shown[c], strict=True):
            if pd.isna(raw):
                assert seen == ""
            else:
                assert seen == S.value_label(c, raw)
                if raw in labels and labels[raw] != raw:
                    assert seen != raw, (c, raw)
    assert shown[S.VALUE].dtype == rows[S.VALUE].dtype  # numbers stay numbers


# --- build() per page on the fixture ----------------------------------------------------------


def test_overview_build_default_view(df):
    view = default_view(df, "overview")
    assert view.slug == "overview" and view.menu_title == "Overview"
    assert view.title.startswith("Casualty figures of the war in Afghanistan")
    (chart,) = view.charts
    assert "Horizontal bar chart" in chart.alt
    assert chart.table is not None and chart.table.columns[0] == S.CATEGORY
    rows = views.overview_rows(df)
    assert view.figure_ids == list(rows[S.FIGURE_ID])
    assert list(chart.table.rows[S.FIGURE_ID]) == view.figure_ids
    assert not view.message


def test_overview_build_honours_the_state(df):
    params = pages.params_of(df, "overview")
    state = pages.default_state(params)
    cands = views.overview_candidates_all(df)["civilians"]
    other = next(f for f in cands[S.FIGURE_ID] if f != state["src_civilians"])
    view = pages.page("overview").build(df, {**state, "src_civilians": other, "log": True})
    assert other in view.figure_ids
    spec = view.charts[0].figure.to_plotly_json()
    assert spec["layout"]["xaxis"]["type"] == "log"


def test_overview_params_are_choices_by_id_with_labels(df):
    params = {p.name: p for p in pages.params_of(df, "overview")}
    src = params["src_civilians"]
    assert src.label == S.value_label(S.CATEGORY, "civilians")
    assert src.options({})[0] == src.default
    assert all(src.label_of(o) != o for o in src.choices)  # readers choose by label, not id
    assert params["log"].kind == pages.TOGGLE


def test_overview_build_without_totals_says_so(df):
    view = pages.page("overview").build(df.iloc[0:0], {})
    assert view.message and not view.charts and view.figure_ids == []


# --- both renderers ---------------------------------------------------------------------------


def _app(name: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    if name != "overview":
        at.switch_page(f"figures/ui/{name}.py").run()
    return at


@pytest.mark.parametrize("name", pages.NAMES)
def test_app_draws_the_default_view_of_every_migrated_page(name, df):
    view = default_view(df, name)
    at = _app(name)
    assert not at.exception and not at.error, name
    assert at.title[0].value == view.title
    drawn = at.get("plotly_chart")
    assert [c.proto.alt for c in drawn] == [c.alt for c in view.all_charts]
    assert at.session_state[SHOWN_FIGURES_KEY] == view.figure_ids
    for frame in at.dataframe:
        value = frame.value
        for c in ENUMS:
            if S.label(c) in value.columns or c in value.columns:
                col = value[c] if c in value.columns else value[S.label(c)]
                slugs = {v for v in col if v in S.BY_NAME[c].labels and S.value_label(c, v) != v}
                assert not slugs, (name, c, slugs)


@pytest.mark.parametrize("name", pages.NAMES)
def test_app_notices_bad_link_values_and_shows_the_default_view(name, df):
    params = pages.params_of(df, name)
    bad = {
        p.name: "x" * (p.max_len + 1) if p.kind == pages.TEXT else "no-such-value" for p in params
    } | {"zz_unknown": "1"}
    at = _app(name, bad)
    assert not at.exception, name
    notice = " ".join(i.value for i in at.info)
    assert "not understood" in notice
    for p in [*params, pages.Param("zz_unknown", "")]:
        assert p.name.replace("_", "\\_") in notice or p.name in notice, p.name
    assert at.session_state[SHOWN_FIGURES_KEY] == default_view(df, name).figure_ids


@pytest.fixture(scope="module")
def snapshot(df) -> dict[str, bytes]:
    return site.build(df, today=DAY, csv=b"")


@pytest.mark.parametrize("name", pages.NAMES)
def test_snapshot_draws_the_default_view_of_every_migrated_page(name, df, snapshot):
    view = default_view(df, name)
    page = snapshot[f"{view.slug}.html"].decode()
    assert f"<h1>{site.esc(view.title)}</h1>" in page
    assert page.count('class="plotly-graph-div"') == len(view.all_charts)
    for c in view.all_charts:
        assert f'aria-label="{site.esc(c.alt)}"' in page
    shown = re.findall(r'<li data-figure="([^"]+)"', page)
    assert shown == view.figure_ids
    for fid in view.figure_ids:
        row = df[df[S.FIGURE_ID] == fid].iloc[0]
        for c in (S.CATEGORY, S.METHOD, S.GEOGRAPHY):
            label = S.value_label(c, row[c])
            assert site.esc(label) in page, (fid, c)
    tables = page.split("Table of the figures shown")[1:]
    for c, table in zip([c for c in view.all_charts if c.table is not None], tables, strict=True):
        table = table.split("</details>", 1)[0]
        for col in c.table.columns:
            if S.BY_NAME.get(col) is not None and S.BY_NAME[col].kind == "enum":
                for raw in c.table.rows[col].dropna().astype(str):
                    if S.value_label(col, raw) != raw:
                        assert f"<td>{raw}</td>" not in table, (name, col, raw)
                        if col != S.SOURCE_KIND:  # in words, with who reported it
                            assert f"<td>{site.esc(S.value_label(col, raw))}</td>" in table


@pytest.mark.parametrize("name", [n for n in pages.NAMES if n not in ("data", "about")])
def test_app_and_snapshot_show_the_same_figures(name, df, snapshot):
    view = default_view(df, name)
    at = _app(name)
    page = snapshot[f"{view.slug}.html"].decode()
    in_snapshot = re.findall(r'<li data-figure="([^"]+)"', page)
    assert in_snapshot
    assert at.session_state[SHOWN_FIGURES_KEY] == in_snapshot


def test_overview_link_state_reaches_the_view(df):
    at = _app("overview", {"log": "true"})
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["xaxis"]["type"] == "log"


def test_compare_build_default_view(df):
    from figures import compare

    view = default_view(df, "compare")
    assert view.slug == "compare-civilians" and view.title == "Compare sources"
    rows = compare.compare_rows(df, "civilians", "killed")
    assert view.figure_ids == list(rows[S.FIGURE_ID])
    (chart,) = view.charts
    assert chart.alt == pages.page("compare").charts.compare_alt(rows, "civilians")
    assert view.notes_heading == "Why these figures differ"
    assert list(view.notes) == compare.scope_differences(rows)


def test_compare_measure_choices_follow_the_category(df):
    params = pages.params_of(df, "compare")
    state, bad = pages.parse_state(
        params, {"cmp_category": "opposition_fighters", "cmp_measure": "injured"}
    )
    assert bad == ["cmp_measure"] and state["cmp_measure"] == "killed"
    view = pages.page("compare").build(df, state)
    assert set(df.set_index(S.FIGURE_ID).loc[view.figure_ids, S.CATEGORY]) == {
        "opposition_fighters"
    }


def test_compare_build_of_an_empty_selection_says_what_to_change(df):
    state = {"cmp_category": "journalists", "cmp_measure": "killed", "cmp_period": "totals"}
    view = pages.page("compare").build(df[df[S.CATEGORY] != "journalists"], state)
    assert "All periods" in view.message and not view.charts


def test_snapshot_has_a_compare_page_per_main_category(snapshot):
    from figures.pages import compare

    for cat in S.MAIN_CATEGORIES:
        assert f"{compare.slug(cat)}.html" in snapshot


def test_trends_build_default_view(df):
    from figures.pages import trends

    view = default_view(df, "trends")
    assert view.slug == "over-time" and view.title == "Over time"
    assert [s.heading for s in view.sections] == [
        trends.UNAMA_HEADING,
        "Coalition military (all nations) deaths per year",
        "US military deaths per year",
    ]
    killed, injured = (views.unama_years(df, m, False, (2001, 2021)) for m in ("killed", "injured"))
    unama = view.sections[0]
    assert list(unama.figures[S.FIGURE_ID]) == [*killed[S.FIGURE_ID], *injured[S.FIGURE_ID]]
    assert len(view.all_charts) == 3
    assert "latest revision" in unama.captions[0]


def test_trends_build_honours_years_and_first_published(df):
    build = pages.page("trends").build
    early = build(df, {"tr_years": (2002, 2005), "tr_first_published": False})
    assert "UNAMA's yearly counts run from 2009" in early.sections[0].message
    assert len(early.all_charts) == 2
    first = build(df, {"tr_years": (2009, 2012), "tr_first_published": True})
    assert "first published" in first.sections[0].captions[0]
    years = {int(str(p)[:4]) for p in first.sections[0].figures[S.PERIOD_START]}
    assert years and min(years) >= 2009 and max(years) <= 2012


def test_trends_section_toggle_comes_under_its_heading():
    at = _app("trends")
    order = [
        (type(e).__name__, getattr(e, "value", None))
        for e in at.main
        if type(e).__name__ in ("Header", "Toggle", "Slider")
    ]
    kinds = [k for k, _ in order]
    assert kinds[:3] == ["Slider", "Header", "Toggle"], order


def test_countries_build_default_view(df):
    from figures.pages import countries

    view = default_view(df, "countries")
    assert view.slug == "by-country" and view.menu_title == "By country"
    rows = views.country_rows(df, views.LATEST, False)
    assert view.figure_ids == list(rows[S.FIGURE_ID])
    assert views.US not in set(view.figures[S.NATIONALITY])
    assert view.sources_lead == S.NATIONALITY
    texts = [n.text for n in view.remarks]
    assert any(t.startswith("Not drawn: United States") for t in texts) or any(
        "no US figure" in t for t in texts
    )
    assert any(n.heading == countries.RULE_HEADING for n in view.remarks)


def test_countries_source_list_is_chosen_by_its_label_in_the_link(df):
    params = {p.name: p for p in pages.params_of(df, "countries")}
    src = params["ctry_source"]
    assert src.url_label
    other = next((o for o in src.choices if o != views.LATEST), None)
    if other is None:
        pytest.skip("the fixture has no source list")
    state, bad = pages.parse_state(tuple(params.values()), {"ctry_source": src.label_of(other)})
    assert bad == [] and state["ctry_source"] == other
    _, bad = pages.parse_state(tuple(params.values()), {"ctry_source": other})
    assert bad == ["ctry_source"]  # the id is not what the link carries
    view = pages.page("countries").build(df, state)
    rows = views.country_rows(df, other, False)
    assert view.figure_ids == list(rows[S.FIGURE_ID])
    assert not any(n.heading for n in view.remarks)


def test_countries_include_us_draws_the_us_bar(df):
    view = pages.page("countries").build(df, {"ctry_include_us": True})
    if views.US in set(views.country_rows(df, views.LATEST, True)[S.NATIONALITY]):
        assert views.US in set(view.figures[S.NATIONALITY])
    assert not any(n.text.startswith("Not drawn") for n in view.remarks)


def test_editions_build_default_view(df):
    from figures.pages import editions

    view = default_view(df, "editions")
    assert view.slug == "editions" and view.title == "How estimates changed"
    costs, unama = view.sections
    assert (costs.heading, unama.heading) == (editions.EDITIONS_HEADING, editions.REVISIONS_HEADING)
    chains = views.edition_chains(df, views.COSTS_OF_WAR, editions.DEFAULT_CATEGORY)
    linked = [c for c in chains if len(c) > 1]
    if linked:
        assert list(costs.figures[S.FIGURE_ID]) == list(pd.concat(linked)[S.FIGURE_ID])
        assert costs.lead and costs.lead[0].info  # never subtract one edition from another
    chain = views.year_revision_chain(df, 2011, "killed")
    assert list(unama.figures[S.FIGURE_ID]) == list(chain[S.FIGURE_ID])
    table = unama.charts[0].table
    assert table.header(views.CHANGE) == "Change from first published"
    assert table.header(S.VALUE) == S.label(S.VALUE)


def test_editions_choices_by_label_in_the_link_and_messages(df):
    params = pages.params_of(df, "editions")
    state, bad = pages.parse_state(params, {"ed_year": "1999", "ed_measure": "Injured"})
    assert bad == ["ed_year"] or bad == ["ed_measure", "ed_year"]
    measure = next(p for p in params if p.name == "ed_measure")
    state, bad = pages.parse_state(params, {"ed_measure": measure.label_of("injured")})
    assert bad == [] and state["ed_measure"] == "injured"
    view = pages.page("editions").build(df[df[S.CATEGORY] != "civilians"], state)
    assert view.sections[1].warn and "no UNAMA figure" in view.sections[1].message


def test_article_build_default_view(df):
    from figures import claims
    from figures.pages import article

    verdicts = claims.evaluate_all(claims.load_claims(df), df)
    view = default_view(df, "article")
    assert view.slug == "article-check" and view.title == "Article check"
    (summary,) = view.text_tables
    assert [r[2] for r in summary.rows] == [v.badge for v in verdicts]
    assert not any("Id" in h for h in summary.header)  # no slug on screen
    (detail,) = view.sections
    first = next(v for v in verdicts if v.comparisons)
    assert detail.heading == first.claim.claim and detail.badge[0] == first.badge
    assert len(detail.charts) == 1 and "Dot chart" in detail.charts[0].alt
    rows, _, _ = article.figures_of(first, df)
    assert view.figure_ids == list(rows[S.FIGURE_ID])


def test_article_claims_are_chosen_by_their_text_and_linked_by_id(df):
    from figures import claims

    verdicts = claims.evaluate_all(claims.load_claims(df), df)
    (param,) = pages.params_of(df, "article")
    for v in verdicts:
        assert param.label_of(v.claim.claim_id) == v.claim.claim
    last = verdicts[-1].claim
    at = _app("article", {"art_claim": last.claim_id})
    box = at.selectbox(key="art_claim")
    assert box.value == last.claim_id
    assert last.claim in box.options and last.claim_id not in box.options
    assert at.query_params.get("art_claim") in (last.claim_id, [last.claim_id])


def test_snapshot_article_check_draws_the_default_claim_chart(snapshot, df):
    view = default_view(df, "article")
    page = snapshot["article-check.html"].decode()
    assert page.count('class="plotly-graph-div"') == 1
    assert site.esc(view.sections[0].badge[0]) in page


def test_app_and_snapshot_data_pages_list_every_figure_and_the_about_text(df, snapshot):
    at = _app("data")
    (table,) = [d for d in at.main.dataframe if S.SOURCE_URL in d.value.columns]
    page = snapshot["data.html"].decode()
    assert list(table.value[S.FIGURE_ID]) == list(df[S.FIGURE_ID])
    assert all(f"<td>{i}</td>" in page for i in df[S.FIGURE_ID])
    assert "How to cite this dataset" in page and "@misc{" in page
    about = snapshot["about.html"].decode()
    for heading in ("Definitions", "Corrections log"):
        assert f">{heading}</h3>" in about, heading
    assert "<script" not in about.split("</nav>", 1)[-1].split("<footer", 1)[0]


def test_pages_that_never_draw_a_chart_say_so_and_the_others_draw_one():
    """The app loads the chart component early on every page that draws charts
    (``pages.draws_charts``): a page that says it never does has none, the others have some."""
    df = data.load_figures()
    for name in pages.NAMES:
        params = pages.params_of(df, name)
        view = pages.build_view(df, name, pages.state_items(pages.default_state(params)))
        assert bool(view.all_charts) == pages.draws_charts(name), name
