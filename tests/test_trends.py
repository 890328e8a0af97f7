"""Over time (issue #4, page 3): per-year selection, the charts, and the page.

The page runs on tests/fixtures/figures.csv; the shipped per-year figures are pinned in
tests/test_dataset.py.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from figures import charts, data, pages, views
from figures import schema as S
from tests.conftest import ROOT, to_csv, valid_rows

APP = str(ROOT / "app.py")
HEADER, _BASE = valid_rows()
TEMPLATE = {**_BASE[0], S.SUPERSEDES: "", S.LOW: "", S.HIGH: "", S.EDITION: ""}
HALF_2021 = "2021<br>(1 Jan–30 Jun only)"


def frame(*rows: dict) -> pd.DataFrame:
    """A validated frame of the given rows (unspecified columns from the fixture's first row)."""
    return data.parse_figures(to_csv(HEADER, [{**TEMPLATE, **r} for r in rows]), "test.csv")


def row(fid, value, start, end, *, category="civilians", measure="killed", **kw):
    return {
        S.FIGURE_ID: fid,
        S.CATEGORY: category,
        S.MEASURE: measure,
        S.VALUE: value,
        S.PERIOD_START: start,
        S.PERIOD_END: end,
        S.GEOGRAPHY: kw.pop("geography", "afghanistan"),
        S.METHOD: "documented",
        S.PUBLISHER: kw.pop("publisher", "UNAMA"),
        S.PUBLISHED: kw.pop("published", "2021-09-28"),
        S.STATUS: kw.pop("status", "SECONDARY"),
        S.COUNTING_RULE: kw.pop("rule", "UNAMA"),
        **kw,
    }


@pytest.fixture
def unama():
    return frame(
        row("k2010-first", "2777", "2010-01-01", "2010-12-31", published="2011-03-09"),
        row("k2010-rev", "2794", "2010-01-01", "2010-12-31", supersedes="k2010-first"),
        row("k2021h1", "1659", "2021-01-01", "2021-06-30", published="2021-07-26"),
        row("i2010", "4368", "2010-01-01", "2010-12-31", measure="injured"),
        row("i2021h1", "3524", "2021-01-01", "2021-06-30", measure="injured"),
        row("cum", "40211", "2009-01-01", "2021-06-30"),  # several years: not a per-year figure
        row("aug", "496", "2019-08-01", "2019-08-31"),  # one month: not a per-year figure
    )


# --- selection ---------------------------------------------------------------------------------


def test_yearly_rows_keep_whole_and_part_years_only(unama):
    rows = views.yearly_rows(unama, "civilians", "killed")
    got = dict(zip(rows[S.FIGURE_ID], rows[views.SERIES_PARTIAL], strict=True))
    assert got == {"k2010-rev": False, "k2021h1": True}
    assert list(rows[views.SERIES_YEAR]) == [2010, 2021]


def test_war_start_counts_as_part_of_2001():
    rows = views.yearly_rows(
        frame(row("y2001", "12", "2001-10-07", "2001-12-31")), "civilians", "killed"
    )
    assert list(rows[views.SERIES_PARTIAL]) == [True]
    assert list(rows[views.SERIES_YEAR]) == [2001]


def test_yearly_series_latest_revision_by_default_first_published_on_request(unama):
    latest = views.yearly_series(unama, "civilians", "killed", publisher_contains="unama")
    first = views.yearly_series(
        unama, "civilians", "killed", publisher_contains="UNAMA", first_published=True
    )
    assert list(latest[S.VALUE]) == [2794, 1659]
    assert list(first[S.VALUE]) == [2777, 1659]


def test_one_per_year_picks_by_a_fixed_rule():
    df = frame(
        row("partial", "690", "2010-01-01", "2010-12-18", published="2011-01-01"),
        row("whole-secondary", "711", "2010-01-01", "2010-12-31", published="2012-01-01"),
        row("whole-primary", "710", "2010-01-01", "2010-12-31", status="PRIMARY"),
        row("b-late", "500", "2011-01-01", "2011-12-31", published="2013-01-01"),
        row("a-early", "499", "2011-01-01", "2011-12-31", published="2012-01-01"),
        row("z-tie", "10", "2012-01-01", "2012-12-31"),
        row("y-tie", "11", "2012-01-01", "2012-12-31"),
    )
    picked = views.yearly_series(df, "civilians", "killed")
    # Whole year before part year, then primary, then latest published, then smallest id.
    assert list(picked[S.FIGURE_ID]) == ["whole-primary", "b-late", "y-tie"]


def test_yearly_series_refuses_to_join_different_geographies():
    df = frame(
        row("dod", "311", "2009-01-01", "2009-12-31", geography="oef_all_locations"),
        row("icas", "317", "2010-01-01", "2010-12-31", geography="in_and_around_afghanistan"),
    )
    with pytest.raises(views.ScopeError):
        views.yearly_series(df, "civilians", "killed")


def test_yearly_series_all_keeps_each_publisher_and_counting_rule_apart():
    mil = {"category": "us_military"}
    df = frame(
        row("dod-2009", "311", "2009-01-01", "2009-12-31", publisher="US Department of Defense",
            rule="DoD-OEF", geography="oef_all_locations", **mil),
        row("dod-2011", "343", "2011-01-01", "2011-09-29", publisher="US Department of Defense",
            rule="DoD-OEF", geography="oef_all_locations", **mil),
        row("icas-2009", "317", "2009-01-01", "2009-12-31", publisher="iCasualties.org",
            rule="iCas", geography="in_and_around_afghanistan", **mil),
        row("icas-2010", "499", "2010-01-01", "2010-12-31",
            publisher="iCasualties.org (compiled by areppim)", rule="iCas",
            geography="in_and_around_afghanistan", **mil),
        row("hostile-2019", "17", "2019-01-01", "2019-12-31", publisher="US Department of Defense",
            rule="DoD-HOSTILE (hostile only)", **mil),
    )  # fmt: skip
    series = dict(views.yearly_series_all(df, "us_military"))
    assert list(series) == [
        "US Department of Defense: DoD-OEF; Operation Enduring Freedom, all locations",
        "iCasualties.org: iCas; In and around Afghanistan",
        "US Department of Defense: DoD-HOSTILE (hostile only); Afghanistan",
    ]
    icas = series["iCasualties.org: iCas; In and around Afghanistan"]
    assert list(icas[S.VALUE]) == [317, 499]
    dod = series["US Department of Defense: DoD-OEF; Operation Enduring Freedom, all locations"]
    assert list(dod[views.SERIES_PARTIAL]) == [False, True]


def test_filter_years_is_inclusive(unama):
    rows = views.yearly_rows(unama, "civilians", "killed")
    assert list(views.filter_years(rows, (2010, 2020))[S.FIGURE_ID]) == ["k2010-rev"]
    assert list(views.filter_years(rows, (2021, 2021))[S.FIGURE_ID]) == ["k2021h1"]


def test_valid_years_parameter():
    (years,) = [p for p in pages.page("trends").params(None) if p.name == "tr_years"]
    assert years.kind == pages.RANGE and years.default == (2001, 2021)
    valid = pages.valid_values((years,))["tr_years"]
    for ok in ("2005,2015", "2001,2021"):
        assert years.parse_range(ok) is not None and valid(ok)
    for fixable in ("2015,2005", "1990,2015"):  # corrected and said, not dropped
        assert years.parse_range(fixable) is None and valid(fixable)
    for bad in ("2005", "abc,def"):
        assert years.parse_range(bad) is None and not valid(bad)
    assert years.correct_range("2015,2005") == (
        (2005, 2015),
        "The years in the link were reversed (2015 to 2005), so 2005–2015 is shown.",
    )
    assert years.correct_range("1990,2015")[0] == (2001, 2015)


# --- charts -------------------------------------------------------------------------------------


def unama_series(df, first=False):
    return [
        views.yearly_series(df, "civilians", m, publisher_contains="UNAMA", first_published=first)
        for m in ("killed", "injured")
    ]


def test_unama_chart_killed_and_injured_side_by_side_half_year_labelled(unama):
    killed, injured = unama_series(unama)
    fig = charts.unama_yearly_chart(killed, injured)
    assert [t.name for t in fig.data] == ["Killed", "Injured"]
    assert fig.layout.barmode == "group"
    k = fig.data[0]
    assert list(k.x) == ["2010", HALF_2021]
    assert list(k.y) == [2794, 1659]
    assert list(k.marker.opacity) == [1.0, 0.55]
    assert list(k.marker.pattern.shape) == ["", "."]
    assert list(fig.data[1].marker.pattern.shape) == ["/", "."]
    assert list(fig.layout.xaxis.categoryarray) == ["2010", HALF_2021]
    assert fig.layout.xaxis.type == "category"
    notes = [a.text for a in fig.layout.annotations]
    assert notes[0].startswith("Sources: UNAMA (2021)")
    assert "Part of a year only" in notes
    assert "latest revision of each year" in fig.layout.title.text.replace("<br>", " ")


def test_unama_chart_first_published_values(unama):
    killed, injured = unama_series(unama, first=True)
    fig = charts.unama_yearly_chart(killed, injured, first_published=True)
    assert list(fig.data[0].y) == [2777, 1659]
    assert "first-published values" in fig.layout.title.text.replace("<br>", " ")


def test_unama_alt_states_every_value_and_the_half_year(unama):
    killed, injured = unama_series(unama)
    alt = charts.unama_yearly_alt(killed, injured)
    assert "Killed: 2010: 2,794, 2021 (1 Jan–30 Jun only): 1,659." in alt
    assert "Injured: 2010: 4,368" in alt
    assert "Highest full year for killed: 2010 (2,794)" in alt
    assert "part of a year only, not a full year" in alt
    assert "not added up" in alt


def military():
    return frame(
        row("m2009", "311", "2009-01-01", "2009-12-31"),
        row("m2011", "343", "2011-01-01", "2011-09-29"),
        row("m2012", "", "2012-01-01", "2012-12-31", low="280", high="300"),
        row("m2013", "120", "2013-01-01", "2013-12-31"),
        row("m2014", "55", "2014-01-01", "2014-12-31"),
    )


def test_yearly_lines_break_at_missing_and_part_years():
    series = views.yearly_series_all(military(), "civilians")
    fig = charts.yearly_lines(series, "civilians")
    line, part, rng = fig.data[0], fig.data[1], fig.data[2]
    assert line.name == "UNAMA: UNAMA; Afghanistan"
    assert list(line.x) == [2009, 2010, 2011, 2012, 2013, 2014]
    assert list(line.y) == [311, None, None, None, 120, 55]
    assert part.marker.symbol == "circle-open" and list(part.y) == [343]
    assert part.showlegend is False
    # A range with no single figure is a vertical bar from low to high, never a midpoint.
    assert list(rng.x) == [2012, 2012] and list(rng.y) == [280, 300]
    assert fig.data[-1].name == "Open marker: part of a year only"
    assert fig.layout.annotations[0].text.startswith("Sources: UNAMA (2021)")
    assert fig.layout.title.text.replace("<br>", " ") == (
        "Afghan civilians killed per year, one line per source and counting rule"
    )


def test_yearly_lines_give_each_series_its_own_marker_and_dash():
    df = frame(
        row("a", "1", "2009-01-01", "2009-12-31", rule="A"),
        row("b", "2", "2009-01-01", "2009-12-31", rule="B"),
    )
    fig = charts.yearly_lines(views.yearly_series_all(df, "civilians"), "civilians")
    assert [t.marker.symbol for t in fig.data] == ["circle", "square"]
    assert [t.line.dash for t in fig.data] == ["solid", "dash"]


def test_yearly_lines_alt_states_each_series():
    series = views.yearly_series_all(military(), "civilians")
    alt = charts.yearly_lines_alt(series, "civilians")
    assert "1 series, one per source and counting rule, never merged" in alt
    assert "highest 311 in 2009" in alt
    assert "2011 (1 Jan–29 Sep only): 343" in alt
    assert "2012: 280–300" in alt


# --- page (AppTest, on tests/fixtures/figures.csv; the shipped figures: tests/test_dataset.py) ---


def run_page(params: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.switch_page("figures/ui/trends.py").run()
    assert not at.exception
    return at


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def notices(at: AppTest) -> list[str]:
    return [i.value for i in at.info if "not understood" in i.value]


def trace(spec: dict, name: str) -> dict:
    return next(t for t in spec["data"] if t["name"] == name)


def test_trends_page_year_range_from_the_url_filters_every_chart():
    at = run_page({"tr_years": ["2009", "2012"]})
    assert at.slider(key="tr_years").value == (2009, 2012)
    unama_spec, coalition, us = specs(at)
    assert trace(unama_spec, "Killed")["x"] == ["2009", "2010", "2011", "2012"]
    for s in (coalition, us):
        years = {x for t in s["data"] for x in (t.get("x") or []) if x is not None}
        assert years and min(years) >= 2009 and max(years) <= 2012


def test_trends_page_years_before_unama_say_so():
    at = run_page({"tr_years": ["2002", "2005"]})
    assert any("UNAMA's yearly counts run from 2009" in i.value for i in at.info)
    assert len(specs(at)) == 2  # the two military charts


def test_trends_page_reversed_years_are_swapped_and_said():
    at = run_page({"tr_years": ["2015", "2005"]})
    assert at.slider(key="tr_years").value == (2005, 2015)
    assert any("reversed (2015 to 2005), so 2005–2015 is shown" in i.value for i in at.info)
    assert not notices(at)  # not "defaults are shown": the corrected range is
    years = [int(x) for x in trace(specs(at)[0], "Killed")["x"]]
    assert years and years[0] == 2009 and max(years) <= 2015  # UNAMA's counts start in 2009


def test_trends_page_years_outside_the_data_are_moved_to_its_ends():
    at = run_page({"tr_years": ["1990", "2012"]})
    assert at.slider(key="tr_years").value == (2001, 2012)
    assert any("covers 2001–2021 only, so 2001–2012 is shown" in i.value for i in at.info)


def test_trends_page_malformed_parameters_show_a_notice_and_defaults():
    at = run_page({"tr_years": "abc", "tr_first_published": "maybe"})
    (notice,) = notices(at)
    assert "tr\\_years" in notice and "tr\\_first\\_published" in notice
    assert at.slider(key="tr_years").value == (2001, 2021)
    assert "latest revision" in specs(at)[0]["layout"]["title"]["text"].replace("<br>", " ")
