"""Compare sources (issue #4, page 2): selection, the "why they differ" note, the chart, the page.

The page runs on tests/fixtures/figures.csv; the shipped figures it shows are pinned in
tests/test_dataset.py.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from figures import charts, compare, data
from figures import schema as S
from tests.conftest import FIGURES, ROOT, to_csv, valid_rows

APP = str(ROOT / "app.py")
HEADER, _BASE = valid_rows()
TEMPLATE = {**_BASE[0], S.SUPERSEDES: "", S.LOW: "", S.HIGH: "", S.EDITION: ""}


def frame(*rows: dict) -> pd.DataFrame:
    """A validated frame of the given rows (unspecified columns from the fixture's first row)."""
    return data.parse_figures(to_csv(HEADER, [{**TEMPLATE, **r} for r in rows]), "test.csv")


COW = "Costs of War (Watson Institute, Brown University)"


def cow(fid, value, end, published, supersedes="", geography="afghanistan", **kw):
    return {
        S.FIGURE_ID: fid,
        S.CATEGORY: "civilians",
        S.MEASURE: "killed",
        S.VALUE: value,
        S.PERIOD_START: "2001-10-01",
        S.PERIOD_END: end,
        S.GEOGRAPHY: geography,
        S.METHOD: "estimate",
        S.PUBLISHER: COW,
        S.PUBLISHED: published,
        S.SUPERSEDES: supersedes,
        S.EDITION: kw.pop("edition", ""),
        S.COUNTING_RULE: kw.pop("rule", "CoW direct deaths"),
        **kw,
    }


def unama(fid, value, start, end, measure="killed", **kw):
    return {
        S.FIGURE_ID: fid,
        S.CATEGORY: "civilians",
        S.MEASURE: measure,
        S.VALUE: value,
        S.PERIOD_START: start,
        S.PERIOD_END: end,
        S.GEOGRAPHY: "afghanistan",
        S.METHOD: "documented",
        S.PUBLISHER: "UNAMA",
        S.PUBLISHED: kw.pop("published", "2020-02-22"),
        S.COUNTING_RULE: kw.pop("rule", "UNAMA cumulative since 2009"),
        **kw,
    }


@pytest.fixture
def civ():
    return frame(
        cow("cow-2019", "43074", "2019-10-31", "2019-11-13", edition="Nov 2019"),
        cow("cow-2021", "47245", "2021-04-16", "2021-04-16", "cow-2019", edition="Apr 2021"),
        cow("cow-afpak", "71344", "2021-04-16", "2021-04-16", geography="afghanistan_and_pakistan"),
        unama("unama-cum", "35000", "2009-01-01", "2019-12-31", qualifier="more_than"),
        unama("unama-2012", "2769", "2012-01-01", "2012-12-31"),  # leap year: 365 days
        unama("unama-2019-cas", "10392", "2019-01-01", "2019-12-31", "killed_and_injured"),
    )


# --- selection ---------------------------------------------------------------------------------


def test_compare_rows_shows_current_totals_by_default(civ):
    rows = compare.compare_rows(civ, "civilians")
    assert list(rows[S.FIGURE_ID]) == ["unama-cum", "cow-2021", "cow-afpak"]
    assert not rows[compare.SUPERSEDED].any()


def test_compare_rows_all_editions_marks_superseded(civ):
    rows = compare.compare_rows(civ, "civilians", all_editions=True).set_index(S.FIGURE_ID)
    assert bool(rows.loc["cow-2019", compare.SUPERSEDED]) is True
    assert bool(rows.loc["cow-2021", compare.SUPERSEDED]) is False


def test_compare_rows_all_periods_adds_single_years_including_leap_years(civ):
    totals = set(compare.compare_rows(civ, "civilians")[S.FIGURE_ID])
    everything = set(
        compare.compare_rows(civ, "civilians", period=compare.ALL_PERIODS)[S.FIGURE_ID]
    )
    assert "unama-2012" not in totals
    assert everything - totals == {"unama-2012"}


def test_compare_rows_sorts_by_geography_then_period_end(civ):
    rows = compare.compare_rows(civ, "civilians", all_editions=True)
    assert list(rows[S.FIGURE_ID]) == ["cow-2019", "unama-cum", "cow-2021", "cow-afpak"]


def test_compare_rows_all_measures_side_by_side(civ):
    rows = compare.compare_rows(civ, "civilians", compare.ALL_MEASURES, period=compare.ALL_PERIODS)
    assert set(rows[S.MEASURE]) == {"killed", "killed_and_injured"}


def test_measures_offer_all_only_when_there_are_several(civ):
    assert compare.measures(civ, "civilians") == ["killed", "killed_and_injured", "all"]
    assert compare.measures(civ, "us_military") == []
    assert compare.categories(civ) == ["civilians"]


# --- why the figures differ ---------------------------------------------------------------------


def test_scope_differences_explains_period_geography_and_method(civ):
    notes = compare.scope_differences(compare.compare_rows(civ, "civilians"))
    text = "\n".join(notes)
    assert "Oct 2001 (Costs of War)" in text
    assert "Jan 2009 (UNAMA)" in text
    assert "1 covers Afghanistan and Pakistan" in text
    assert "documented counts (UNAMA)" in text
    assert "estimates (Costs of War)" in text
    assert "stated as a minimum" in text


def test_scope_differences_explains_measures_and_superseded_editions(civ):
    rows = compare.compare_rows(
        civ, "civilians", compare.ALL_MEASURES, all_editions=True, period=compare.ALL_PERIODS
    )
    text = "\n".join(compare.scope_differences(rows))
    assert "count 'killed', 'killed and injured'" in text
    assert "not death tolls" in text
    assert "1 superseded value is shown" in text
    assert "Costs of War (2 dates, 2019–2021)" in text


def test_scope_differences_says_nothing_about_what_agrees():
    rows = compare.compare_rows(
        frame(
            cow("a", "100", "2019-10-31", "2019-11-13"),
            cow("b", "120", "2019-10-31", "2019-11-13", rule="CoW direct deaths"),
        ),
        "civilians",
    )
    assert compare.scope_differences(rows) == []
    assert compare.scope_differences(rows.head(1)) == []


# --- chart --------------------------------------------------------------------------------------


def points(fig):
    return [
        (t.name, y, x)
        for t in fig.data
        if t.type == "scatter"
        for x, y in zip(t.x, t.y, strict=True)
    ]


def test_compare_chart_draws_one_mark_per_figure_never_stacked(civ):
    rows = compare.compare_rows(civ, "civilians", all_editions=True)
    fig = charts.compare_chart(rows, "civilians")
    marks = points(fig)
    assert sorted(y for _, y, _ in marks) == sorted(rows[S.FIGURE_ID])
    assert dict((y, x) for _, y, x in marks)["cow-afpak"] == 71344
    assert fig.layout.barmode != "stack"
    names = {t.name for t in fig.data}
    assert "Afghanistan · estimate · superseded" in names
    assert "Afghanistan and Pakistan · estimate" in names


def test_compare_chart_marks_scope_with_symbols_not_colour_alone(civ):
    rows = compare.compare_rows(civ, "civilians", all_editions=True)
    fig = charts.compare_chart(rows, "civilians")
    symbols = {t.name: t.marker.symbol for t in fig.data}
    assert symbols["Afghanistan · documented count (a minimum)"] == "circle"
    assert symbols["Afghanistan · estimate"] == "diamond"
    assert symbols["Afghanistan · estimate · superseded"] == "diamond-open"


def test_compare_chart_labels_each_figure_with_its_scope(civ):
    rows = compare.compare_rows(civ, "civilians", all_editions=True)
    fig = charts.compare_chart(rows, "civilians")
    labels = {
        v: t
        for axis in (fig.layout.yaxis, fig.layout.yaxis2)
        for v, t in zip(axis.tickvals, axis.ticktext, strict=True)
    }
    assert labels["cow-2019"] == (
        "<b>43,074 · Costs of War</b><br>Nov 2019 · superseded<br>"
        "Oct 2001–Oct 2019 · Afghanistan · estimate"
    )
    assert "Afghanistan + Pakistan" in labels["cow-afpak"]
    assert "published 22 Feb 2020" in labels["unama-cum"]
    assert "documented" in labels["unama-cum"]
    # Top to bottom in the order compare_rows gives; the wider area in a panel of its own.
    order = list(fig.layout.yaxis.categoryarray)[::-1] + list(fig.layout.yaxis2.categoryarray)[::-1]
    wide = rows[S.GEOGRAPHY].isin(charts.WIDER_SCOPES)
    assert order == list(rows[~wide][S.FIGURE_ID]) + list(rows[wide][S.FIGURE_ID])
    assert list(fig.layout.yaxis2.categoryarray) == ["cow-afpak"]
    # Every label is drawn above its mark, wrapped to fit a phone.
    drawn = {a.y: a.text for a in fig.layout.annotations[1:] if a.yref in ("y", "y2")}
    assert set(drawn) == set(rows[S.FIGURE_ID])
    assert all(len(line) <= 60 for t in drawn.values() for line in t.split("<br>"))


def test_compare_chart_draws_ranges_never_a_midpoint():
    rows = compare.compare_rows(
        frame(
            cow("range-only", "", "2013-09-30", "2013-09-30", low="18044", high="20332"),
            cow("with-range", "500", "2014-09-30", "2014-09-30", low="400", high="650"),
        ),
        "civilians",
    )
    fig = charts.compare_chart(rows, "civilians")
    (bar,) = [t for t in fig.data if t.type == "bar"]
    assert bar.name == "Range only (no single figure stated)"
    assert list(bar.base) == [18044] and list(bar.x) == [20332 - 18044]
    (dot,) = [t for t in fig.data if t.type == "scatter"]
    assert list(dot.y) == ["with-range"]
    assert list(dot.error_x.array) == [150] and list(dot.error_x.arrayminus) == [100]


def test_compare_chart_title_source_line_and_log_axis(civ):
    rows = compare.compare_rows(civ, "civilians")
    fig = charts.compare_chart(rows, "civilians", log=True)
    assert fig.layout.title.text.replace("<br>", " ").startswith(
        "Afghan civilians, killed: 3 figures from 2 publishers"
    )
    assert fig.layout.annotations[0].text.startswith("Sources: UNAMA (2020)")
    assert fig.layout.xaxis.type == "log"
    assert "(log scale)" in fig.layout.xaxis.title.text.replace("<br>", " ")
    assert fig.layout.xaxis.dtick == 1  # powers of ten only: labels never overlap


def test_compare_alt_states_the_main_numbers(civ):
    rows = compare.compare_rows(civ, "civilians")
    alt = charts.compare_alt(rows, "civilians")
    assert "3 figures for Afghan civilians killed" in alt
    assert "Largest: 71,344 (Costs of War, Afghanistan and Pakistan)" in alt
    assert "more than 35,000 (UNAMA, 1 Jan 2009 – 31 Dec 2019" in alt
    assert "not to be added up" in alt


# --- page (AppTest, on tests/fixtures/figures.csv; the shipped figures: tests/test_dataset.py) ---


def run_page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.switch_page("figures/ui/compare.py").run()
    assert not at.exception
    return at


def spec(at: AppTest, i: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def notices(at: AppTest) -> list[str]:
    return [i.value for i in at.info if "not understood" in i.value]


def test_compare_page_category_from_the_url():
    at = run_page({"cmp_category": "us_military"})
    assert at.selectbox(key="cmp_category").value == "us_military"
    assert (
        spec(at)["layout"]["title"]["text"].replace("<br>", " ").startswith("US military, killed:")
    )
    assert not notices(at)


def test_compare_page_measure_from_the_url():
    at = run_page({"cmp_measure": "injured"})
    assert (
        spec(at)["layout"]["title"]["text"]
        .replace("<br>", " ")
        .startswith("Afghan civilians, injured:")
    )


def test_compare_page_log_scale_from_the_url():
    at = run_page({"cmp_log": "true"})
    assert spec(at)["layout"]["xaxis"]["type"] == "log"


def test_compare_page_malformed_parameters_show_a_notice_and_defaults():
    # A category's label is not its id: links carry ids.
    at = run_page({"cmp_category": "US military", "cmp_period": "sometimes", "cmp_log": "2"})
    (notice,) = notices(at)
    assert "cmp\\_category" in notice and "cmp\\_period" in notice and "cmp\\_log" in notice
    assert (
        spec(at)["layout"]["title"]["text"]
        .replace("<br>", " ")
        .startswith("Afghan civilians, killed:")
    )
    assert spec(at)["layout"]["xaxis"]["type"] == "linear"


def test_every_category_and_measure_builds_a_chart_on_the_fixture():
    df = data.load_figures(FIGURES)
    assert len(compare.categories(df)) >= 5
    for category in compare.categories(df):
        for measure in compare.measures(df, category):
            # The widest selection: every edition and every period.
            rows = compare.compare_rows(
                df, category, measure, all_editions=True, period=compare.ALL_PERIODS
            )
            fig = charts.compare_chart(rows, category, log=True)
            assert sum(len(t.y) for t in fig.data) == len(rows), (category, measure)
            assert charts.compare_alt(rows, category)
            assert compare.scope_differences(rows) or len(rows) < 2


def test_compare_page_small_category_from_the_url():
    at = run_page({"cmp_category": "journalists", "cmp_period": "all"})
    assert not at.error and not notices(at)
    assert (
        spec(at)["layout"]["title"]["text"]
        .replace("<br>", " ")
        .startswith("Journalists and media workers, killed:")
    )


def test_compare_page_choices_go_into_the_link_and_reset_what_no_longer_applies():
    at = run_page({"cmp_measure": "injured"})
    at.selectbox(key="cmp_category").select("opposition_fighters").run()
    assert not at.exception
    # Opposition fighters have killed figures only: the measure falls back to killed.
    assert at.selectbox(key="cmp_measure").value == "killed"
    assert dict(at.query_params) == {"cmp_category": "opposition_fighters"}
    assert (
        spec(at)["layout"]["title"]["text"]
        .replace("<br>", " ")
        .startswith("Opposition fighters, killed:")
    )


def test_compare_chart_stops_marks_at_the_limit_and_says_so(civ, monkeypatch):
    rows = compare.compare_rows(civ, "civilians", all_editions=True)
    assert len(rows) > 3
    monkeypatch.setattr(charts, "MAX_COMPARE_MARKS", 3)
    fig = charts.compare_chart(rows, "civilians")
    assert sorted(y for _, y, _ in points(fig)) == sorted(rows[S.FIGURE_ID].iloc[:3])
    assert f"{len(rows)} figures" in fig.layout.title.text  # the title counts every figure
    note = fig.layout.title.subtitle.text.replace("<br>", " ")
    assert f"first 3 of {len(rows)} figures" in note  # the subtitle says where the marks stop
    assert "Table tab" in note


def test_compare_chart_under_the_limit_has_every_mark_and_no_note(civ):
    rows = compare.compare_rows(civ, "civilians", all_editions=True)
    fig = charts.compare_chart(rows, "civilians")
    assert len(points(fig)) + sum(len(t.y) for t in fig.data if t.type == "bar") == len(rows)
    assert not fig.layout.title.subtitle.text
