"""Compare sources: every figure for one category, across publishers and editions."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from figures import charts, compare
from figures import schema as S
from figures.pages import TOGGLE, Chart, Param, Table, View

TITLE = "Compare sources"
INTRO = (
    "Every figure the sources give for one group of people, one mark per figure: each "
    "publisher, each edition, each period and place. The marks are side by side, never "
    "added up. The note under the controls says why the figures differ."
)
TABLE_COLUMNS = (
    S.MEASURE,
    S.VALUE,
    S.LOW,
    S.HIGH,
    S.QUALIFIER,
    S.PERIOD_START,
    S.PERIOD_END,
    S.GEOGRAPHY,
    S.METHOD,
    S.PUBLISHER,
    S.EDITION,
    S.PUBLISHED,
    S.COUNTING_RULE,
    S.STATUS,
    S.SOURCE_URL,
    S.FIGURE_ID,
)
#: A chart with more marks than this gets a hint to narrow it down.
MANY = 60


def slug(category: str | None) -> str:
    return "compare-" + (category or "none").replace("_", "-")


def params(df: pd.DataFrame) -> tuple[Param, ...]:
    cats = tuple(compare.categories(df))
    if not cats:
        return ()
    return (
        Param(
            "cmp_category",
            "Who was counted",
            choices=cats,
            default=compare.DEFAULT_CATEGORY,
            labels={c: S.value_label(S.CATEGORY, c) for c in cats},
            row="what",
        ),
        Param(
            "cmp_measure",
            "What was counted",
            default=compare.DEFAULT_MEASURE,
            depends_on="cmp_category",
            choices_by={c: tuple(compare.measures(df, c)) for c in cats},
            labels={m: compare.measure_label(m) for m in (*S.MEASURE_LABELS, compare.ALL_MEASURES)},
            help="'All measures' shows killed, injured and killed-and-injured figures side by "
            "side (never added up).",
            row="what",
        ),
        Param(
            "cmp_period",
            "Periods",
            choices=tuple(compare.PERIOD_OPTIONS),
            default=compare.TOTALS,
            labels=compare.PERIOD_OPTIONS,
            help="Totals cover more than a year (the whole war, or several years such as UNAMA's "
            "counts since 2009). 'All periods' adds single years and shorter periods.",
        ),
        Param(
            "cmp_all_editions",
            "Include superseded editions",
            kind=TOGGLE,
            default=False,
            help="Off: only the latest revision of each figure. On: also the earlier values a "
            "later revision or edition replaced (open markers).",
            row="toggles",
        ),
        Param("cmp_log", "Logarithmic scale", kind=TOGGLE, default=False, row="toggles"),
    )


def build(df: pd.DataFrame, state: Mapping[str, object]) -> View:
    category = state.get("cmp_category")
    if category is None:
        return View(
            slug=slug(None), title=TITLE, intro=INTRO, message="The data has no figures to compare."
        )
    category = str(category)
    measure = str(state.get("cmp_measure") or compare.DEFAULT_MEASURE)
    period = str(state.get("cmp_period") or compare.TOTALS)
    all_editions = bool(state.get("cmp_all_editions", False))
    log = bool(state.get("cmp_log", False))
    label = S.value_label(S.CATEGORY, category)
    head = {
        "slug": slug(category),
        "title": TITLE,
        "menu": f"{TITLE}: {label}",
        "intro": INTRO,
    }
    rows = compare.compare_rows(df, category, measure, all_editions=all_editions, period=period)
    if rows.empty:
        return View(
            **head,
            message="No figures of this kind. Choose 'All periods' under Periods, or include "
            "superseded editions.",
        )
    captions = []
    if len(rows) > MANY:
        captions.append(
            f"{len(rows)} figures. To see fewer, choose '{compare.PERIOD_OPTIONS[compare.TOTALS]}'"
            " or switch off superseded editions."
        )
    if log and (rows[S.VALUE] == 0).any():
        captions.append("Figures of 0 cannot be drawn on a logarithmic scale; see the Table tab.")
    chart = Chart(
        charts.compare_chart(rows, category, log=log),
        charts.compare_alt(rows, category, log=log),
        f"afghanistan-compare-{category}",
        table=Table(rows, TABLE_COLUMNS),
        key="compare_chart",
    )
    return View(
        **head,
        charts=(chart,),
        notes_heading="Why these figures differ",
        notes=tuple(compare.scope_differences(rows)),
        captions=tuple(captions),
        figures=rows,
    )
