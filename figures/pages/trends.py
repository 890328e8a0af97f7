"""Over time: UNAMA's civilian casualties and coalition and US military deaths per year."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from figures import charts, views
from figures import schema as S
from figures.pages import RANGE, TOGGLE, Chart, Param, Section, Table, View

SLUG = "over-time"
TITLE = "Over time"
INTRO = (
    "Figures for one calendar year each, as their publishers state them. Each series keeps "
    "its own publisher and counting rule; figures from different series are never added "
    "up or joined."
)
#: The years the slider offers (the war: October 2001 to August 2021).
YEARS = (2001, 2021)
MILITARY = ("coalition_military", "us_military")
TABLE_COLUMNS = (
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
)
UNAMA_HEADING = "Civilians killed and injured per year (UNAMA)"
MILITARY_CAPTION = (
    "One line per publisher and counting rule: they count different things and are never "
    "merged. iCasualties counted deaths in and around Afghanistan; the US Department of "
    "Defense's 2001–2011 table counts Operation Enduring Freedom in all locations; its "
    "hostile-only count leaves out accidents, illness and suicide. Open markers are figures "
    "for part of a year and are not joined to the line. Where one series has several "
    "figures for a year, the chart shows a whole-year figure before a part-year one, then "
    "the one covering more of the year, a primary source before a secondary one, the latest "
    "published, and then the smallest figure id."
)


def params(df: pd.DataFrame) -> tuple[Param, ...]:
    return (
        Param("tr_years", "Years shown", kind=RANGE, bounds=YEARS, default=YEARS),
        Param(
            "tr_first_published",
            "Show UNAMA's first-published values instead of the latest revisions",
            kind=TOGGLE,
            default=False,
            section=UNAMA_HEADING,
        ),
    )


def _unama(df: pd.DataFrame, years: tuple[int, int], first: bool) -> Section:
    killed, injured = (views.unama_years(df, m, first, years) for m in ("killed", "injured"))
    if killed.empty and injured.empty:
        return Section(
            heading=UNAMA_HEADING,
            message="UNAMA's yearly counts run from 2009 to June 2021. Choose years in that "
            "range to see them.",
        )
    rows = pd.concat([killed, injured], ignore_index=True)
    chart = Chart(
        charts.unama_yearly_chart(killed, injured, first_published=first),
        charts.unama_yearly_alt(killed, injured, first_published=first),
        "afghanistan-unama-civilians-per-year",
        table=Table(rows, TABLE_COLUMNS),
        key="trends_unama_chart",
    )
    caption = (
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
    return Section(
        heading=UNAMA_HEADING,
        charts=(chart,),
        captions=(caption,),
        figures=rows,
        sources_heading="Sources and caveats: UNAMA per year",
        scroll_sources=True,
    )


def _military(df: pd.DataFrame, category: str, years: tuple[int, int]) -> Section:
    label = S.value_label(S.CATEGORY, category)
    heading = f"{label} deaths per year"
    series = views.yearly_series_in(df, category, "killed", years)
    if not series:
        return Section(
            heading=heading, message=f"No per-year figures for {label} deaths in the years chosen."
        )
    rows = pd.concat([r for _, r in series], ignore_index=True)
    chart = Chart(
        charts.yearly_lines(series, category, "killed"),
        charts.yearly_lines_alt(series, category, "killed"),
        f"afghanistan-{category.replace('_', '-')}-per-year",
        table=Table(rows, TABLE_COLUMNS),
        key=f"trends_{category}_chart",
    )
    return Section(
        heading=heading,
        charts=(chart,),
        captions=(MILITARY_CAPTION,),
        figures=rows,
        sources_heading=f"Sources and caveats: {heading}",
    )


def build(df: pd.DataFrame, state: Mapping[str, object]) -> View:
    lo, hi = state.get("tr_years") or YEARS
    years = (int(lo), int(hi))
    first = bool(state.get("tr_first_published", False))
    sections = (_unama(df, years, first), *(_military(df, c, years) for c in MILITARY))
    return View(slug=SLUG, title=TITLE, intro=INTRO, sections=sections)
