"""By country: one figure per country by a documented rule, source lists, the chart and page."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from figures import charts, data, views
from figures import schema as S
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
WIKI = "english-wikipedia-30-aug-2021"
REUTERS = "reuters-20-may-2012"
REUTERS_LABEL = "One source list: Reuters, to 20 May 2012"


@pytest.fixture(scope="module")
def df():
    return data.load_figures(data.DEFAULT_PATH)


def by_country(rows: pd.DataFrame) -> dict[str, str]:
    return dict(zip(rows[S.NATIONALITY], rows[S.FIGURE_ID], strict=True))


# --- selection ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "figure_id",
    [
        "mil-icas-wikinews-canada-2006",  # one year only
        "nat-uk-mod-2021-killed-hostile",  # hostile-only subset
        "nat-denmark-2021-fallen",  # killed in combat only
        "nat-denmark-2021-killed-nonhostile",  # non-hostile only
        "nat-germany-bundeswehr-2008-killed-termez",  # one place
        "nat-netherlands-nos-tfu-2010-killed",  # one task force
        "nat-romania-2021-wounded",  # injured, not killed
        "mil-dod-2019-05-us-killed-oef-other",  # deaths outside Afghanistan only
        "mil-amark-us-trump-term",  # a presidential term
        "cow-2021-04-allied-military-killed",  # no nationality: not a country
    ],
)
def test_country_candidates_leave_out_partial_counts(df, figure_id):
    assert figure_id in set(df[S.FIGURE_ID])
    assert figure_id not in set(views.country_candidates(df)[S.FIGURE_ID])


def test_country_candidates_keep_whole_deployment_totals(df):
    ids = set(views.country_candidates(df)[S.FIGURE_ID])
    assert {"nat-uk-mod-2021-killed", "nat-georgia-mod-2021-killed", "nat-us-wiki-killed"} <= ids
    assert "nat-uk-reuters-2012-killed" in ids  # an older snapshot is still a total


def test_country_latest_prefers_the_national_count(df):
    chosen = by_country(views.country_latest(df))
    assert chosen["United Kingdom"] == "nat-uk-mod-2021-killed"  # 457
    assert chosen["Canada"] == "nat-canada-caf-2014-killed"  # 158, not Wikipedia's later 159
    assert chosen["Germany"] == "nat-germany-bundeswehr-2021-killed"  # 59, not Wikipedia's 62
    assert chosen["Spain"] == "nat-spain-mod-2021-killed"  # 104, counts a crash in Turkey
    assert chosen["Denmark"] == "nat-denmark-2021-killed-all-causes"  # computed 37 + 7


def test_country_latest_falls_back_to_the_latest_compiled_figure(df):
    chosen = by_country(views.country_latest(df))
    assert chosen["France"] == "nat-france-wiki-killed"  # 90 (Aug 2021) over iCasualties' 89
    assert chosen["Italy"] == "nat-italy-wiki-killed"  # 53 (Aug 2021) over press counts of 54
    assert chosen["Turkey"] == "nat-turkey-wiki-killed"


def test_country_latest_us_is_the_dod_headline_and_off_by_default(df):
    assert views.US not in set(views.country_latest(df)[S.NATIONALITY])
    rows = views.country_latest(df, include_us=True)
    us = rows[rows[S.NATIONALITY] == views.US].iloc[0]
    assert us[S.FIGURE_ID] == "mil-dod-2021-us-killed-oef-all-ofs" and us[S.VALUE] == 2461
    assert rows.index[rows[S.NATIONALITY] == views.US][0] == 0  # largest first


def test_country_latest_has_one_bar_per_country_largest_first(df):
    rows = views.country_latest(df)
    assert rows[S.NATIONALITY].is_unique
    assert list(rows[S.VALUE]) == sorted(rows[S.VALUE], reverse=True)
    assert len(rows) == 31


def test_country_latest_skips_superseded_figures(df):
    ids = set(views.country_latest(df)[S.FIGURE_ID])
    assert "nat-germany-bundeswehr-2008-killed-in-afghanistan" not in ids


def test_is_national_reads_the_counting_rule():
    rows = pd.DataFrame(
        {
            S.COUNTING_RULE: pd.array(
                ["NAT (UK MoD)", "DoD-ALL", "DoD-AFG (likely)", "WIKI", "iCas", None],
                dtype="string",
            )
        }
    )
    assert list(views.is_national(rows)) == [True, True, False, False, False, False]


def test_country_source_lists_are_one_document_of_one_date_newest_first(df):
    lists = views.country_source_lists(df)
    assert list(lists)[0] == WIKI
    label, wiki = lists[WIKI]
    assert label == "English Wikipedia, to 30 Aug 2021"
    assert len(wiki) == 32 and wiki[S.NATIONALITY].is_unique
    label, reuters = lists[REUTERS]
    assert label == "Reuters, to 20 May 2012"
    assert list(reuters[S.NATIONALITY])[:3] == ["United States", "United Kingdom", "Canada"]
    for _label, rows in lists.values():
        assert views.single_source(rows)
        assert rows[S.NATIONALITY].nunique() >= views.MIN_LIST_COUNTRIES


def test_country_rows_picks_one_list_and_hides_the_us_unless_asked(df):
    rows = views.country_rows(df, REUTERS)
    assert views.US not in set(rows[S.NATIONALITY])
    assert set(rows[S.FIGURE_ID].str.contains("reuters")) == {True}
    assert views.country_rows(df, REUTERS, include_us=True)[S.VALUE].iloc[0] == 1974


def test_country_rows_unknown_source_falls_back_to_latest(df):
    pd.testing.assert_frame_equal(views.country_rows(df, "nope"), views.country_latest(df))


def test_list_sum_only_for_one_source_list_of_one_scope(df):
    assert views.list_sum(views.country_rows(df, WIKI)) == 1160  # the list's non-US sum
    assert views.list_sum(views.country_rows(df, REUTERS)) == 925
    # Wikipedia's US figure covers OEF in all locations, the others in and around Afghanistan.
    assert views.list_sum(views.country_rows(df, WIKI, include_us=True)) is None
    assert views.list_sum(views.country_latest(df)) is None  # different sources: never summed


def test_list_own_totals_are_the_documents_own_totals(df):
    own = views.list_own_totals(df, views.country_rows(df, REUTERS))
    assert sorted(own[S.VALUE]) == [1033, 3007]
    assert views.list_own_totals(df, views.country_latest(df)).empty


# --- chart builders ----------------------------------------------------------------------------


def test_country_bar_one_bar_per_country_largest_on_top_with_its_source(df):
    rows = views.country_latest(df)
    fig = charts.country_bar(rows)
    national, compiled = fig.data
    assert national.name == "National government's own count"
    values = dict(zip(national.y, national.x, strict=True))
    assert values["United Kingdom"] == 457 and values["Canada"] == 158
    assert dict(zip(compiled.y, compiled.x, strict=True))["France"] == 90
    assert list(fig.layout.yaxis.categoryarray) == list(rows[S.NATIONALITY])[::-1]
    uk = list(national.y).index("United Kingdom")
    assert national.text[uk] == "457 — House of Commons Library, 2021"
    dk = list(national.y).index("Denmark")
    assert national.text[dk] == "44 — Danish national figures, 2021 (computed)"
    assert compiled.marker.pattern.shape == "/" and national.marker.pattern.shape == ""
    assert fig.layout.xaxis.type == "linear"
    assert fig.layout.showlegend is True


def test_country_bar_hover_names_source_rule_and_period(df):
    fig = charts.country_bar(views.country_latest(df))
    hover = fig.data[0].hovertext[list(fig.data[0].y).index("Spain")]
    assert "Source: Spanish Ministry of Defence" in hover
    assert "Counting rule: NAT (Spanish MoD), incl. interpreters and transit crash" in hover
    assert "Period: 1 Jan 2002 – 31 Dec 2021" in hover


def test_country_bar_escapes_html_from_the_data(df):
    rows = views.country_latest(df).copy()
    rows[S.PUBLISHER] = rows[S.PUBLISHER].astype(object)
    rows.loc[0, S.PUBLISHER] = "<img src=x onerror=alert(1)>"
    hover = charts.country_bar(rows).data[0].hovertext[0]
    assert "<img" not in hover and "&lt;img" in hover


def test_country_bar_log_scale_and_one_list_style(df):
    rows = views.country_rows(df, REUTERS, include_us=True)
    fig = charts.country_bar(rows, log=True, subtitle="Reuters", one_list=True)
    (bar,) = fig.data
    assert fig.layout.xaxis.type == "log"
    assert list(bar.y)[:2] == ["United States", "United Kingdom"] and bar.x[0] == 1974
    assert fig.layout.showlegend is False
    assert all(t.endswith("Reuters, 2012") for t in bar.text)
    notes = [a.text for a in fig.layout.annotations]
    assert notes == ["Source: Reuters (iCasualties.org and national ministries) (2012)"]
    assert "Reuters" in fig.layout.title.text


def test_country_alt_names_numbers_sources_and_the_rest(df):
    alt = charts.country_alt(views.country_latest(df), subtitle="latest figure per country")
    assert "United Kingdom: 457 (House of Commons Library, 2021)" in alt
    assert "bars are not added up" in alt
    assert "and 19 more countries with 1 to 15 deaths each" in alt
    assert "linear" in alt and "logarithmic" in charts.country_alt(
        views.country_latest(df), log=True
    )


# --- the page (AppTest) ------------------------------------------------------------------------


@pytest.fixture
def real_data(monkeypatch):
    monkeypatch.delenv(data.ENV_VAR, raising=False)


def open_page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page("figures/ui/countries.py").run()
    return at


def spec(at: AppTest) -> dict:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)


def bars(s: dict) -> dict[str, int]:
    return {y: x for trace in s["data"] for y, x in zip(trace["y"], trace["x"], strict=True)}


def test_countries_page_draws_latest_figures_without_the_us(real_data):
    at = open_page()
    assert not at.exception and not at.error
    s = spec(at)
    shown = bars(s)
    assert shown["United Kingdom"] == 457 and "United States" not in shown
    assert s["layout"]["xaxis"]["type"] == "linear"
    assert any("Not drawn\\: United States, 2,461 killed" in c.value for c in at.caption)
    assert any("not added up" in c.value for c in at.caption)
    assert any("How one figure per country is chosen" in m.value for m in at.markdown)
    assert any("**United Kingdom**" in m.value for m in at.markdown)  # sources name the country
    assert "457" in at.get("plotly_chart")[0].proto.alt


def test_countries_include_us_from_the_url_adds_the_us_bar(real_data):
    at = open_page({"ctry_include_us": "true"})
    assert at.toggle(key="ctry_include_us").value is True
    assert bars(spec(at))["United States"] == 2461
    assert not any("Not drawn" in c.value for c in at.caption)


def test_countries_log_scale_from_the_url(real_data):
    at = open_page({"ctry_log": "true"})
    assert at.toggle(key="ctry_log").value is True
    assert spec(at)["layout"]["xaxis"]["type"] == "log"


def test_countries_source_list_from_the_url_shows_only_that_list(real_data):
    at = open_page({"ctry_source": REUTERS_LABEL})
    assert at.selectbox(key="ctry_source").value == REUTERS
    s = spec(at)
    assert bars(s)["United Kingdom"] == 414 and len(bars(s)) == 10
    assert all(t.endswith("Reuters, 2012") for t in s["data"][0]["text"])
    text = "\n".join(m.value for m in at.markdown)
    assert "Sum of the 10 countries this source names" in text and "925" in text
    assert any("3,007" in c.value for c in at.caption)  # the document's own total, for context


def test_countries_malformed_parameters_show_a_notice_and_defaults(real_data):
    at = open_page({"ctry_source": "bogus", "ctry_log": "maybe", "ctry_x": "1"})
    assert not at.exception
    (notice,) = [i.value for i in at.info if "not understood" in i.value]
    for name in ("ctry\\_source", "ctry\\_log", "ctry\\_x"):
        assert name in notice
    s = spec(at)
    assert s["layout"]["xaxis"]["type"] == "linear"
    assert bars(s)["United Kingdom"] == 457
