"""By country: coalition military deaths by nationality, each bar with its source."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from figures import charts, views
from figures import schema as S
from figures.pages import TOGGLE, Chart, Note, Param, Table, View

SLUG = "by-country"
TITLE = "Coalition military deaths by country"
MENU = "By country"
INTRO = (
    "Deaths of each coalition country's military personnel in the war in Afghanistan, one "
    "bar per country, each naming its source. Countries count differently (all causes or "
    "hostile action only, in Afghanistan or also nearby, soldiers or also civilian staff), "
    "so read each bar's counting rule before comparing two. Figures chosen country by "
    "country are never added up into a coalition total."
)
TABLE_COLUMNS = (
    S.NATIONALITY,
    S.VALUE,
    S.QUALIFIER,
    S.PUBLISHER,
    S.COUNTING_RULE,
    S.PERIOD_START,
    S.PERIOD_END,
    S.GEOGRAPHY,
    S.STATUS,
    S.SOURCE_URL,
)
LATEST_LABEL = "Latest figure per country (national count preferred)"
RULE_HEADING = "How one figure per country is chosen."
RULE = (
    "Among each country's whole-deployment totals of "
    "military deaths (all causes; not hostile-only or one task force; not superseded), the "
    "national government's own count comes first (counting rule NAT, or the US Department "
    "of Defense for the US), a printed figure before one computed from two printed figures, "
    "an exact figure before a rounded one; then the latest period end, a primary source, the "
    "latest publication. Where a country has no national count in the data, the latest "
    "compiled figure is shown (hatched bars). Choose one source list below to see figures "
    "that were compiled the same way on one date."
)


def params(df: pd.DataFrame) -> tuple[Param, ...]:
    lists = views.country_source_lists(df)
    labels = {views.LATEST: LATEST_LABEL}
    labels.update({key: f"One source list: {label}" for key, label in lists.labels().items()})
    return (
        # A bound selectbox writes its *label* to the URL, so the labels are what links carry.
        Param(
            "ctry_source",
            "Figures",
            choices=tuple(labels),
            default=views.LATEST,
            labels=labels,
            url_label=True,
            help="One figure per country by the rule below, or every country of one source "
            "list of one date.",
        ),
        Param("ctry_include_us", "Include the United States", kind=TOGGLE, row="toggles"),
        Param("ctry_log", "Logarithmic scale", kind=TOGGLE, row="toggles"),
    )


def _figure_text(row: pd.Series) -> str:
    return (
        f"{charts.format_figure(row)} killed ({row[S.PUBLISHER]}, "
        f"{charts.period_text(row)}; {S.value_label(S.GEOGRAPHY, row[S.GEOGRAPHY])})"
    )


def _us_note(df: pd.DataFrame, source: str) -> Note:
    """The US figure, stated in words when its bar is hidden."""
    rows = views.country_rows(df, source, True)
    us = rows[rows[S.NATIONALITY] == views.US]
    if us.empty:
        return Note("This source list has no US figure.")
    r = us.iloc[0]
    others = rows[rows[S.NATIONALITY] != views.US]
    ratio = ""
    if not others.empty and int(others[S.VALUE].max()) > 0:
        times = int(r[S.VALUE]) / int(others[S.VALUE].max())
        ratio = f" — about {times:.0f} times the next largest bar"
    return Note(
        f"Not drawn: United States, {_figure_text(r)}{ratio}. Turn on 'Include the United "
        "States' to draw it (a logarithmic scale keeps the other bars readable)."
    )


def _sum_notes(df: pd.DataFrame, rows: pd.DataFrame, label: str, include_us: bool) -> list[Note]:
    total = views.list_sum(rows)
    if total is None:
        return [
            Note(
                "These figures are not added up: they differ in where the deaths were counted "
                "(see each bar's hover or the table)."
            )
        ]
    scope = "including" if include_us else "excluding"
    out = [
        Note(
            f"Sum of the {len(rows)} countries this source names ({label}; {scope} the "
            f"United States): {charts.fmt_int(total)}. This is that source's sum of the "
            "countries it names on that date, not a coalition total from any other source.",
            small=False,
        )
    ]
    own = views.list_own_totals(df, rows)
    if not own.empty:
        stated = "; ".join(
            f"{S.value_label(S.CATEGORY, r[S.CATEGORY])}: {charts.format_figure(r)}"
            for _, r in own.iterrows()
        )
        out.append(
            Note(
                f"The same document states its own totals ({stated}); they can be larger "
                "because they include countries the list does not name one by one."
            )
        )
    return out


def build(df: pd.DataFrame, state: Mapping[str, object]) -> View:
    source = str(state.get("ctry_source") or views.LATEST)
    include_us = bool(state.get("ctry_include_us", False))
    log = bool(state.get("ctry_log", False))
    head = {"slug": SLUG, "title": TITLE, "menu": MENU, "intro": INTRO}
    rows = views.country_rows(df, source, include_us)
    if rows.empty:
        return View(**head, message="The data has no per-country figures for this choice.")
    lists = views.country_source_lists(df)
    latest = source == views.LATEST
    if latest:
        subtitle = "latest figure per country; sources and dates differ, see each bar"
    else:
        subtitle = f"all figures from one source: {lists[source][0]}"
    chart = Chart(
        charts.country_bar(rows, log=log, subtitle=subtitle, one_list=not latest),
        charts.country_alt(rows, log=log, subtitle=subtitle),
        "afghanistan-deaths-by-country",
        table=Table(rows, TABLE_COLUMNS),
        key="countries_chart",
    )
    remarks: list[Note] = [] if include_us else [_us_note(df, source)]
    if latest:
        remarks += [
            Note(
                "The bars come from different sources, counting rules and dates, so they are "
                "not added up into a coalition total."
            ),
            Note(RULE, heading=RULE_HEADING, small=False),
        ]
    else:
        remarks += _sum_notes(df, rows, lists[source][0], include_us)
    return View(
        **head,
        charts=(chart,),
        remarks=tuple(remarks),
        figures=rows,
        sources_lead=S.NATIONALITY,
    )
