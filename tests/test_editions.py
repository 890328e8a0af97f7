"""How estimates changed: edition chains, UNAMA revisions, their charts and the page."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from figures import charts, data, views
from figures import schema as S
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
ASF = "afghan_security_forces"


@pytest.fixture(scope="module")
def df():
    return data.load_figures(data.DEFAULT_PATH)


def linked(df, category):
    return [c for c in views.edition_chains(df, views.COSTS_OF_WAR, category) if len(c) > 1]


# --- selection ---------------------------------------------------------------------------------


def test_edition_chains_follow_supersedes_oldest_first(df):
    (chain,) = linked(df, ASF)
    assert list(chain[S.FIGURE_ID]) == [
        "cow-2011-06-afghan-security-forces-killed",
        "cow-2013-09-afghan-security-forces-killed",
        "cow-2018-11-afghan-security-forces-killed",
        "cow-2019-11-afghan-security-forces-killed",
        "cow-2021-04-afghan-security-forces-killed",
    ]
    assert list(chain[S.VALUE].iloc[:4]) == [8756, 13017, 58596, 64124]
    last = chain.iloc[-1]
    assert pd.isna(last[S.VALUE]) and (last[S.LOW], last[S.HIGH]) == (66000, 69000)


def test_edition_chains_keep_unlinked_figures_as_chains_of_one(df):
    chains = views.edition_chains(df, views.COSTS_OF_WAR, ASF)
    assert [len(c) for c in chains] == [5, 1]
    assert chains[1][S.FIGURE_ID].iloc[0] == "cow-2021-04-afghan-security-forces-killed-ap-low"


def test_edition_chains_leave_out_other_publishers_quoting_costs_of_war(df):
    ids = {
        i for c in views.edition_chains(df, views.COSTS_OF_WAR, "civilians") for i in c[S.FIGURE_ID]
    }
    assert "unama-cum-2009-2014-killed-cow-quote" not in ids
    assert "cow-2021-04-civilians-killed" in ids


def test_edition_categories_are_those_with_two_or_more_editions(df):
    cats = views.edition_categories(df, views.COSTS_OF_WAR)
    assert ASF in cats and "civilians" in cats and "us_military" in cats
    assert "coalition_military" not in cats  # Costs of War gives no coalition-wide series
    assert cats == [c for c in S.CATEGORY_LABELS if c in cats]


def test_year_revision_chain_runs_from_first_published_to_latest(df):
    chain = views.year_revision_chain(df, 2011, "killed")
    assert list(chain[S.VALUE]) == [3021, 3131, 3133, 3133]
    assert chain[S.FIGURE_ID].iloc[0] == "unama-2011-killed-first"
    assert chain[S.FIGURE_ID].iloc[-1] == "unama-2011-killed-rev2019"


@pytest.mark.parametrize("year", range(2009, 2021))
@pytest.mark.parametrize("measure", ["killed", "injured", "killed_and_injured"])
def test_every_year_and_measure_has_a_unama_chain(df, year, measure):
    chain = views.year_revision_chain(df, year, measure)
    assert not chain.empty
    assert (chain[S.PERIOD_START] == pd.Timestamp(year=year, month=1, day=1)).all()
    assert (chain[S.MEASURE] == measure).all()


def test_year_without_revision_is_a_chain_of_one(df):
    changes = views.revision_changes(views.year_revision_chain(df, 2020, "killed"))
    assert list(changes[S.VALUE]) == [3035]
    assert list(changes[views.STAGE]) == ["first published"]


def _chain(values):
    return pd.DataFrame(
        {
            S.FIGURE_ID: [f"f{i}" for i in range(len(values))],
            S.VALUE: pd.array(values, dtype="Int64"),
        }
    )


def test_revision_changes_gives_difference_and_percent_from_first_published():
    out = views.revision_changes(_chain([200, 210, 190]))
    assert list(out[views.STAGE]) == ["first published", "interim revision", "latest revision"]
    assert list(out[views.CHANGE]) == [0, 10, -10]
    assert list(out[views.CHANGE_PCT]) == [0.0, 5.0, -5.0]


def test_revision_changes_of_real_2011_chain(df):
    out = views.revision_changes(views.year_revision_chain(df, 2011, "killed"))
    assert list(out[views.CHANGE]) == [0, 110, 112, 112]
    assert round(out[views.CHANGE_PCT].iloc[-1], 2) == 3.71


def test_revision_changes_has_no_percent_from_zero_or_missing_first_value():
    out = views.revision_changes(_chain([0, 5]))
    assert list(out[views.CHANGE]) == [0, 5]
    assert out[views.CHANGE_PCT].isna().all()
    out = views.revision_changes(_chain([None, 5]))
    assert out[views.CHANGE].isna().all() and out[views.CHANGE_PCT].isna().all()


def test_revision_changes_of_empty_chain_is_empty():
    out = views.revision_changes(_chain([]))
    assert out.empty and {views.STAGE, views.CHANGE, views.CHANGE_PCT} <= set(out.columns)


def test_format_change_signs_and_rounds():
    assert charts.format_change(112, 3.7075) == "+112 (+3.7%)"
    assert charts.format_change(-9, -0.2524) == "−9 (−0.3%)"
    assert charts.format_change(0, 0.0) == "unchanged"
    assert charts.format_change(pd.NA, pd.NA) == "change not known"
    assert charts.format_change(5, pd.NA) == "+5"


# --- chart builders ----------------------------------------------------------------------------


def test_edition_chart_plots_each_edition_at_its_period_end_with_labels(df):
    chains = linked(df, ASF)
    fig = charts.edition_chart(chains, ASF)
    line = fig.data[0]
    assert list(line.y) == [8756, 13017, 58596, 64124]
    assert [pd.Timestamp(x) for x in line.x] == list(chains[0][S.PERIOD_END].iloc[:4])
    assert list(line.text) == [
        "8,756<br>Jun 2011",
        "13,017<br>Sept 2013",
        "58,596<br>Nov 2018",
        "64,124<br>Nov 2019",
    ]
    assert "period each edition covers" in fig.layout.xaxis.title.text
    assert (
        fig.layout.title.text
        == "Afghan security forces: Costs of War estimates, edition by edition"
    )
    notes = [a.text for a in fig.layout.annotations]
    assert notes == ["Source: Costs of War (Watson Institute, Brown University) (2012–2021)"]


def test_edition_chart_draws_a_range_as_a_vertical_bar_never_a_midpoint(df):
    fig = charts.edition_chart(linked(df, ASF), ASF)
    (rng,) = [t for t in fig.data if "range only" in t.name]
    assert list(rng.y) == [66000, 69000]
    assert rng.x[0] == rng.x[1]
    assert rng.text[1] == "66,000–69,000<br>Apr 2021"
    assert all(67500 not in list(t.y) for t in fig.data)


def test_edition_chart_draws_a_stated_range_around_a_value_as_error_bar(df):
    (chain,) = linked(df, ASF)
    chain = chain.copy()
    chain.loc[1, [S.LOW, S.HIGH]] = [12000, 15000]
    fig = charts.edition_chart([chain], ASF)
    err = fig.data[0].error_y
    assert err.visible is True
    assert list(err.array) == [0, 1983, 0, 0] and list(err.arrayminus) == [0, 1017, 0, 0]


def test_edition_chart_gives_each_series_of_other_scope_its_own_panel(df):
    chains = linked(df, "all_direct_deaths")
    fig = charts.edition_chart(chains, "all_direct_deaths")
    titles = [a.text for a in fig.layout.annotations][:-1]
    assert titles == [
        "Afghanistan, killed",
        "Afghanistan and Pakistan, killed",
        "All post-9/11 war zones, killed",
        "Afghanistan and Pakistan, injured",
    ]
    assert fig.layout.yaxis4.title.text == "People injured, war so far"
    assert {t.yaxis for t in fig.data} == {"y", "y2", "y3", "y4"}


def test_edition_chart_lines_differ_by_dash_and_marker_not_only_colour(df):
    fig = charts.edition_chart(linked(df, "all_direct_deaths"), "all_direct_deaths")
    lines = [t for t in fig.data if "range only" not in t.name]
    assert len({t.line.dash for t in lines}) == len(lines)
    assert len({t.marker.symbol for t in lines}) == len(lines)


def test_edition_hover_names_edition_source_and_escapes_html(df):
    (chain,) = linked(df, ASF)
    chain = chain.copy()
    chain[S.PUBLISHER] = chain[S.PUBLISHER].astype(object)
    chain.loc[0, S.PUBLISHER] = "<script>x</script>"
    hover = charts.edition_chart([chain], ASF).data[0].hovertext
    assert "&lt;script&gt;" in hover[0] and "<script>" not in hover[0]
    assert "Edition: Sept 2013" in hover[1] and "Published: 30 Sep 2013" in hover[1]


def test_edition_alt_states_every_edition_and_warns_against_subtracting(df):
    alt = charts.edition_alt(linked(df, ASF), ASF)
    for n in ("8,756", "13,017", "58,596", "64,124", "66,000–69,000"):
        assert n in alt
    assert "Afghan security forces killed" in alt
    assert "not the number of deaths between them" in alt


def test_revision_chart_labels_each_value_with_its_change(df):
    changes = views.revision_changes(views.year_revision_chain(df, 2011, "killed"))
    fig = charts.revision_chart(changes, 2011)
    (bar,) = fig.data
    assert list(bar.y) == [3021, 3131, 3133, 3133]
    assert list(bar.text) == [
        "3,021<br>first published",
        "3,131<br>+110 (+3.6%)",
        "3,133<br>+112 (+3.7%)",
        "3,133<br>+112 (+3.7%)",
    ]
    assert bar.x[0] == "First published<br>4 Feb 2012"
    assert bar.x[-1] == "Latest revision<br>28 Sep 2020"
    assert list(bar.marker.pattern.shape) == ["", "/", "/", "/"]
    assert fig.layout.yaxis.range[0] == 0  # bars start at zero: the change is in the labels
    assert "2011" in fig.layout.title.text and "killed" in fig.layout.title.text


def test_revision_alt_states_values_and_changes(df):
    changes = views.revision_changes(views.year_revision_chain(df, 2009, "injured"))
    alt = charts.revision_alt(changes, 2009)
    assert "first published 3,566" in alt
    assert "latest revision 3,557" in alt and "−9 (−0.3%)" in alt


# --- the page (AppTest) ------------------------------------------------------------------------


@pytest.fixture(autouse=False)
def real_data(monkeypatch):
    monkeypatch.delenv(data.ENV_VAR, raising=False)


def open_page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page("figures/ui/editions.py").run()
    return at


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_editions_page_draws_both_charts_by_default(real_data):
    at = open_page()
    assert not at.exception and not at.error
    editions, revisions = specs(at)
    assert editions["data"][0]["y"] == [8756, 13017, 58596, 64124]
    assert "Afghan security forces" in editions["layout"]["title"]["text"]
    assert revisions["data"][0]["y"] == [3021, 3131, 3133, 3133]
    assert any("never subtract" in i.value for i in at.info)
    alts = [c.proto.alt for c in at.get("plotly_chart")]
    assert "13,017" in alts[0] and "+112 (+3.7%)" in alts[1]
    assert any("Sources and caveats" in m.value for m in at.markdown)


def test_editions_category_from_the_url_changes_the_chart(real_data):
    at = open_page({"ed_category": "Afghan civilians"})
    assert at.selectbox(key="ed_category").value == "civilians"
    editions = specs(at)[0]
    assert "Afghan civilians" in editions["layout"]["title"]["text"]
    assert editions["data"][0]["y"] == [11700, 26270, 31000, 38480, 43074, 47245]
    assert editions["data"][1]["y"] == [18044, 20332]  # Sept 2013: a range, no single figure
    assert not any("not understood" in i.value for i in at.info)


def test_editions_year_from_the_url_changes_the_revision_chart(real_data):
    at = open_page({"ed_year": "2016"})
    assert at.selectbox(key="ed_year").value == "2016"
    revisions = specs(at)[1]
    assert revisions["data"][0]["y"] == [3498, 3510, 3527]
    assert "2016" in revisions["layout"]["title"]["text"]


def test_editions_measure_from_the_url_changes_the_revision_chart(real_data):
    at = open_page({"ed_year": "2016", "ed_measure": "injured"})
    assert at.selectbox(key="ed_measure").value == "injured"
    revisions = specs(at)[1]
    assert revisions["data"][0]["y"] == [7920, 7924, 7925]
    assert revisions["data"][0]["text"][-1] == "7,925<br>+5 (+0.1%)"


def test_editions_year_without_revision_says_so(real_data):
    at = open_page({"ed_year": "2020"})
    assert specs(at)[1]["data"][0]["y"] == [3035]
    assert any("no later revision" in m.value for m in at.markdown)


def test_editions_malformed_parameters_show_a_notice_and_defaults(real_data):
    at = open_page({"ed_year": "1999", "ed_category": "nonsense", "ed_bogus": "1"})
    assert not at.exception
    (notice,) = [i.value for i in at.info if "not understood" in i.value]
    for name in ("ed\\_year", "ed\\_category", "ed\\_bogus"):
        assert name in notice
    editions, revisions = specs(at)
    assert editions["data"][0]["y"] == [8756, 13017, 58596, 64124]
    assert revisions["data"][0]["y"] == [3021, 3131, 3133, 3133]
