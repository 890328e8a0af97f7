"""Over time: UNAMA's civilian casualties and coalition and US military deaths per year."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from figures import charts, views
from figures import schema as S
from figures.ui import common

#: The years the slider offers (the war: October 2001 to August 2021).
YEARS = (2001, 2021)
#: UNAMA's yearly civilian figures: rows whose publisher contains this.
UNAMA = "UNAMA"
MILITARY = ("coalition_military", "us_military")
#: Long lists of sources scroll in a box this high (pixels) instead of pushing the page down.
SOURCES_HEIGHT = 420

TABLE_COLUMNS = [
    S.MEASURE,
    S.VALUE,
    S.QUALIFIER,
    S.PERIOD_START,
    S.PERIOD_END,
    S.PUBLISHER,
    S.EDITION,
    S.COUNTING_RULE,
    S.GEOGRAPHY,
    S.PUBLISHED,
    S.SOURCE_URL,
    S.FIGURE_ID,
]


def valid_years(value: str) -> bool:
    """True for 'FROM,TO' (as ``common.query_snapshot`` joins ``?tr_years=A&tr_years=B``)."""
    parts = value.split(",")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        return False
    lo, hi = (int(p) for p in parts)
    return YEARS[0] <= lo <= hi <= YEARS[1]


def _unama(df: pd.DataFrame, years: tuple[int, int]) -> None:
    st.header("Civilians killed and injured per year (UNAMA)")
    first = st.toggle(
        "Show UNAMA's first-published values instead of the latest revisions",
        key="tr_first_published",
        bind="query-params",
    )
    killed, injured = (
        common.cached(views.unama_years, df, m, first, tuple(years)) for m in ("killed", "injured")
    )
    if killed.empty and injured.empty:
        st.info(
            "UNAMA's yearly counts run from 2009 to June 2021. Choose years in that range to "
            "see them."
        )
        return
    fig = common.cached(charts.unama_years_chart, df, first, tuple(years))
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    rows = pd.concat([killed, injured], ignore_index=True)
    with chart_tab:
        common.chart(
            fig,
            charts.unama_yearly_alt(killed, injured, first_published=first),
            "trends_unama_chart",
            "afghanistan-unama-civilians-per-year",
        )
    with table_tab:
        common.table(rows, TABLE_COLUMNS)
    st.caption(
        "Killed and injured are side by side, not stacked into one 'casualties' bar. "
        + (
            "Each year shows the value UNAMA first published (the start of each revision chain). "
            if first
            else "Each year shows the latest revision of UNAMA's figure for it; switch on "
            "first-published values to see each year as first reported. "
        )
        + "A figure for part of a year (UNAMA's mid-year update for January–June 2021) is "
        "labelled, drawn faded and dotted, and never counts as a full year. UNAMA documents "
        "each death case by case, so these are minimums."
    )
    with st.container(height=SOURCES_HEIGHT):
        common.sources(rows, heading="Sources and caveats: UNAMA per year")


def _military(df: pd.DataFrame, category: str, years: tuple[int, int]) -> None:
    label = S.value_label(S.CATEGORY, category)
    st.header(f"{label} deaths per year")
    series = common.cached(views.yearly_series_in, df, category, "killed", tuple(years))
    if not series:
        st.info(f"No per-year figures for {label} deaths in the years chosen.")
        return
    fig = common.cached(charts.yearly_lines_in, df, category, "killed", tuple(years))
    rows = pd.concat([r for _, r in series], ignore_index=True)
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        common.chart(
            fig,
            charts.yearly_lines_alt(series, category, "killed"),
            f"trends_{category}_chart",
            f"afghanistan-{category.replace('_', '-')}-per-year",
        )
    with table_tab:
        common.table(rows, TABLE_COLUMNS)
    st.caption(
        "One line per publisher and counting rule: they count different things and are never "
        "merged. iCasualties counted deaths in and around Afghanistan; the US Department of "
        "Defense's 2001–2011 table counts Operation Enduring Freedom in all locations; its "
        "hostile-only count leaves out accidents, illness and suicide. Open markers are figures "
        "for part of a year and are not joined to the line. Where one series has several "
        "figures for a year, the chart shows a whole-year figure before a part-year one, then "
        "the one covering more of the year, a primary source before a secondary one, the latest "
        "published, and then the smallest figure id."
    )
    with st.container(height=SOURCES_HEIGHT if len(rows) > 8 else "content"):
        common.sources(rows, heading=f"Sources and caveats: {label} deaths per year")


def render(df: pd.DataFrame) -> None:
    params = common.query_snapshot()  # before the widgets, which drop values they cannot use
    st.title("Over time")
    st.markdown(
        "Figures for one calendar year each, as their publishers state them. Each series keeps "
        "its own publisher and counting rule; figures from different series are never added "
        "up or joined."
    )
    years = st.slider(
        "Years shown",
        min_value=YEARS[0],
        max_value=YEARS[1],
        value=YEARS,
        key="tr_years",
        bind="query-params",
    )
    common.param_notice(
        params,
        {"tr_years": valid_years, "tr_first_published": {"true", "false"}},
    )
    _unama(df, years)
    for category in MILITARY:
        _military(df, category, years)


if __name__ == "__main__":
    render(common.load_figures())
