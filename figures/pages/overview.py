"""Overview: the five categories side by side, each from a chosen source."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from figures import charts, views
from figures import schema as S
from figures.pages import TOGGLE, Chart, Param, Table, View

SLUG = "overview"
TITLE = "Casualty figures of the war in Afghanistan, 2001–2021"
MENU = "Overview"
INTRO = (
    "Each bar is one source's figure for one group of people, with the source's range drawn "
    "where it gives one. Bars come from different sources and methods: compare them, never "
    "add them up."
)
TABLE_COLUMNS = (
    S.CATEGORY,
    S.VALUE,
    S.LOW,
    S.HIGH,
    S.QUALIFIER,
    S.PERIOD_START,
    S.PERIOD_END,
    S.PUBLISHER,
    S.PUBLISHED,
    S.SOURCE_URL,
)
CHOOSE = "Choose the source for each bar"


def source_param(category: str) -> str:
    return f"src_{category}"


def _label(row: pd.Series, superseded: set[str]) -> str:
    edition = row[S.EDITION] if pd.notna(row[S.EDITION]) else charts.fmt_date(row[S.PUBLISHED])
    old = " — superseded by a later edition" if row[S.FIGURE_ID] in superseded else ""
    kind = charts.source_kind_text(row)
    return f"{charts.format_figure(row)} — {row[S.PUBLISHER]} ({edition}; {kind}){old}"


def params(df: pd.DataFrame) -> tuple[Param, ...]:
    """One source choice per category the data has (by figure id), and the log scale."""
    superseded = views.superseded_ids(df)
    out = []
    for cat, cands in views.overview_candidates_all(df).items():
        if cands.empty:
            continue
        out.append(
            Param(
                source_param(cat),
                S.value_label(S.CATEGORY, cat),
                choices=tuple(cands[S.FIGURE_ID]),
                default=views.overview_default(cands, cat),
                labels={r[S.FIGURE_ID]: _label(r, superseded) for _, r in cands.iterrows()},
                group=CHOOSE,
            )
        )
    out.append(Param("log", "Logarithmic scale", kind=TOGGLE, default=False))
    return tuple(out)


def build(df: pd.DataFrame, state: Mapping[str, object]) -> View:
    log = bool(state.get("log", False))
    choices = {
        cat: str(state[source_param(cat)])
        for cat in S.MAIN_CATEGORIES
        if state.get(source_param(cat)) is not None
    }
    rows = views.overview_rows(df, choices)
    if rows.empty:
        return View(
            slug=SLUG,
            title=TITLE,
            menu=MENU,
            intro=INTRO,
            message="The data has no whole-war totals for these categories.",
        )
    chart = Chart(
        charts.overview_bar(rows, log=log),
        charts.overview_alt(rows, log),
        "afghanistan-overview",
        table=Table(rows, TABLE_COLUMNS),
        key="overview_chart",
    )
    return View(slug=SLUG, title=TITLE, menu=MENU, intro=INTRO, charts=(chart,), figures=rows)
