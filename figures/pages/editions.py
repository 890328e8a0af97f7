"""How estimates changed: Costs of War editions, and UNAMA's revisions of one year's figures."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from figures import charts, views
from figures import schema as S
from figures.pages import Chart, Note, Param, Section, Table, View

SLUG = "editions"
TITLE = "How estimates changed"
INTRO = (
    "Publishers revise their figures. Costs of War re-estimates every category in each "
    "edition; UNAMA restates earlier years in later reports as it verifies more incidents. "
    "Every published value is kept, and this page shows how they changed."
)
EDITIONS_HEADING = "Costs of War, edition by edition"
REVISIONS_HEADING = "UNAMA: one year's figure, first published and revised"
DEFAULT_CATEGORY = "afghan_security_forces"
YEARS = tuple(str(y) for y in range(2009, 2021))
DEFAULT_YEAR = "2011"  # the year UNAMA revised the most (first published 3,021 killed)
MEASURES = ("killed", "injured", "killed_and_injured")

EDITION_COLUMNS = (
    S.EDITION,
    S.VALUE,
    S.LOW,
    S.HIGH,
    S.QUALIFIER,
    S.GEOGRAPHY,
    S.MEASURE,
    S.PERIOD_END,
    S.PUBLISHED,
    S.STATUS,
    S.SOURCE_KIND,
    S.SOURCE_URL,
)
REVISION_COLUMNS = (
    views.STAGE,
    S.VALUE,
    views.CHANGE,
    views.CHANGE_PCT,
    S.EDITION,
    S.PUBLISHED,
    S.STATUS,
    S.SOURCE_URL,
)
REVISION_LABELS = {
    views.STAGE: "Stage",
    views.CHANGE: "Change from first published",
    views.CHANGE_PCT: "Change (%)",
}
REVISION_FORMATS = {views.CHANGE: "%+d", views.CHANGE_PCT: "%+.1f%%"}

NEVER_SUBTRACT = (
    "Each Costs of War edition re-estimates the whole war from October 2001 to its "
    "cut-off date, often with new sources and methods. The difference between two editions "
    "is therefore not the number of people killed between their dates: never subtract "
    "one edition from another."
)
POINTS = (
    "Points sit at the end of the period each edition covers (its 'as of' date), not its "
    "publication date, which the hover and the table give. A range with no single figure "
    "is drawn as a vertical bar from low to high; the line is not drawn through a "
    "made-up midpoint."
)
LINES = (
    "Each line is a separate series of a different scope (where the deaths took place, "
    "or what was counted); lines are compared, never added up."
)
LOOSE = (
    "These figures are not linked to an earlier or later edition (for example rounded "
    "headline numbers, figures of another scope, or figures quoted by the press), so "
    "they are not on the chart."
)


def params(df: pd.DataFrame) -> tuple[Param, ...]:
    cats = tuple(views.edition_categories(df, views.COSTS_OF_WAR))
    # Bound selectboxes write their *labels* to the URL, so the labels are what links carry.
    return (
        Param(
            "ed_category",
            "Category",
            choices=cats,
            default=DEFAULT_CATEGORY,
            labels={c: S.value_label(S.CATEGORY, c) for c in cats},
            url_label=True,
            section=EDITIONS_HEADING,
        ),
        Param(
            "ed_year",
            "Year",
            choices=YEARS,
            default=DEFAULT_YEAR,
            url_label=True,
            section=REVISIONS_HEADING,
            row="year-measure",
        ),
        Param(
            "ed_measure",
            "Measure",
            choices=MEASURES,
            default=MEASURES[0],
            labels={m: S.value_label(S.MEASURE, m) for m in MEASURES},
            url_label=True,
            section=REVISIONS_HEADING,
            row="year-measure",
        ),
    )


def _editions(df: pd.DataFrame, category: str | None) -> Section:
    """Part (a): one Costs of War category across its editions."""
    if category is None:
        return Section(
            EDITIONS_HEADING,
            message="The data has no Costs of War editions linked to one another.",
            warn=True,
        )
    chains = views.edition_chains(df, views.COSTS_OF_WAR, category)
    linked = [c for c in chains if len(c) > 1]
    loose = [c for c in chains if len(c) == 1]
    if not linked:
        return Section(
            EDITIONS_HEADING,
            message="The data has no Costs of War editions linked for this category.",
            warn=True,
        )
    rows = pd.concat(linked, ignore_index=True)
    chart = Chart(
        charts.edition_chart(linked, category),
        charts.edition_alt(linked, category),
        f"costs-of-war-editions-{category}",
        table=Table(rows, EDITION_COLUMNS),
        key="editions_chart",
    )
    more = ()
    if loose:
        other = pd.concat(loose, ignore_index=True)
        more = (
            Table(
                other,
                EDITION_COLUMNS,
                caption=f"Other Costs of War figures for this category ({len(other)})",
                note=LOOSE,
            ),
        )
    return Section(
        EDITIONS_HEADING,
        lead=(Note(NEVER_SUBTRACT, info=True),),
        charts=(chart,),
        captions=(POINTS, *((LINES,) if len(linked) > 1 else ())),
        figures=rows,
        more=more,
    )


def _revisions(df: pd.DataFrame, year: int, measure: str) -> Section:
    """Part (b): UNAMA's figure for one year, first published to latest revision."""
    chain = views.year_revision_chain(df, year, measure)
    if chain.empty:
        return Section(
            REVISIONS_HEADING,
            message=f"The data has no UNAMA figure for civilians {measure} in {year}.",
            warn=True,
        )
    changes = views.revision_changes(chain)
    shown = changes.assign(**{views.CHANGE_PCT: changes[views.CHANGE_PCT].round(1)})
    chart = Chart(
        charts.revision_chart(changes, year),
        charts.revision_alt(changes, year),
        f"unama-{year}-{measure}-revisions",
        table=Table(shown, REVISION_COLUMNS, labels=REVISION_LABELS, formats=REVISION_FORMATS),
        key="revisions_chart",
    )
    first, last = changes.iloc[0], changes.iloc[-1]
    label = S.value_label(S.MEASURE, measure)
    if len(changes) == 1:
        summary = (
            f"UNAMA's figure for civilians {label} in {year} is shown as first published "
            f"({charts.format_figure(first)}); the data holds no later revision of it."
        )
    else:
        change = charts.format_change(last[views.CHANGE], last[views.CHANGE_PCT])
        summary = (
            f"First published: {charts.format_figure(first)} "
            f"({charts.fmt_date(first[S.PUBLISHED])}). Latest revision: "
            f"{charts.format_figure(last)} ({charts.fmt_date(last[S.PUBLISHED])}), "
            f"{change} from the first-published value."
        )
    return Section(
        REVISIONS_HEADING,
        charts=(chart,),
        remarks=(Note(summary, small=False),),
        figures=changes,
    )


def build(df: pd.DataFrame, state: Mapping[str, object]) -> View:
    category = state.get("ed_category")
    year = int(str(state.get("ed_year") or DEFAULT_YEAR))
    measure = str(state.get("ed_measure") or MEASURES[0])
    return View(
        slug=SLUG,
        title=TITLE,
        intro=INTRO,
        sections=(
            _editions(df, None if category is None else str(category)),
            _revisions(df, year, measure),
        ),
    )
