"""How estimates changed: Costs of War editions, and UNAMA's revisions of one year's figures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from figures import charts, text, views
from figures import schema as S
from figures.ui import common

DEFAULT_CATEGORY = "afghan_security_forces"
YEARS = [str(y) for y in range(2009, 2021)]
DEFAULT_YEAR = "2011"  # the year UNAMA revised the most (first published 3,021 killed)
MEASURES = ["killed", "injured", "killed_and_injured"]

EDITION_COLUMNS = [
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
]


def _options(values: list[str], labels: dict[str, str], default: str) -> list[str]:
    """The options with the default first (a bound widget drops its default from the URL)."""
    values = [v for v in values if v != default]
    return [default, *values] if default in labels else values


def _categories(df: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    cats = common.cached(views.edition_categories, df, views.COSTS_OF_WAR)
    labels = {c: S.value_label(S.CATEGORY, c) for c in cats}
    return _options(cats, labels, DEFAULT_CATEGORY), labels


def _revision_table(changes: pd.DataFrame) -> None:
    """The revision chain as a table: stage, value, change from first published, source."""
    shown = pd.DataFrame(
        {
            "Stage": changes[views.STAGE],
            S.label(S.VALUE): changes[S.VALUE],
            "Change from first published": changes[views.CHANGE],
            "Change (%)": changes[views.CHANGE_PCT].round(1),
            S.label(S.EDITION): changes[S.EDITION],
            S.label(S.PUBLISHED): changes[S.PUBLISHED],
            S.label(S.STATUS): changes[S.STATUS],
            S.label(S.SOURCE_URL): changes[S.SOURCE_URL],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            S.label(S.VALUE): st.column_config.NumberColumn(format="localized"),
            "Change from first published": st.column_config.NumberColumn(format="%+d"),
            "Change (%)": st.column_config.NumberColumn(format="%+.1f%%"),
            S.label(S.PUBLISHED): st.column_config.DateColumn(format="YYYY-MM-DD"),
            S.label(S.SOURCE_URL): st.column_config.LinkColumn(),
        },
    )


def render_editions(df: pd.DataFrame, category: str) -> None:
    """Part (a): one Costs of War category across its editions."""
    chains = common.cached(views.edition_chains, df, views.COSTS_OF_WAR, category)
    linked = [c for c in chains if len(c) > 1]
    loose = [c for c in chains if len(c) == 1]
    if not linked:
        st.warning("The data has no Costs of War editions linked for this category.")
        return
    st.info(
        "Each Costs of War edition re-estimates the **whole war** from October 2001 to its "
        "cut-off date, often with new sources and methods. The difference between two editions "
        "is therefore **not** the number of people killed between their dates: never subtract "
        "one edition from another.",
        icon="ℹ️",
    )
    fig = charts.edition_chart(linked, category)
    alt = charts.edition_alt(linked, category)
    rows = pd.concat(linked, ignore_index=True)
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        common.chart(fig, alt, "editions_chart", f"costs-of-war-editions-{category}")
        st.caption(
            "Points sit at the end of the period each edition covers (its 'as of' date), not its "
            "publication date, which the hover and the table give. A range with no single figure "
            "is drawn as a vertical bar from low to high; the line is not drawn through a "
            "made-up midpoint."
        )
        if len(linked) > 1:
            st.caption(
                "Each line is a separate series of a different scope (where the deaths took place, "
                "or what was counted); lines are compared, never added up."
            )
    with table_tab:
        common.table(rows, EDITION_COLUMNS)
    common.sources(rows)
    if loose:
        other = pd.concat(loose, ignore_index=True)
        with st.expander(f"Other Costs of War figures for this category ({len(other)})"):
            st.markdown(
                "These figures are not linked to an earlier or later edition (for example rounded "
                "headline numbers, figures of another scope, or figures quoted by the press), so "
                "they are not on the chart."
            )
            common.table(other, EDITION_COLUMNS)


def render_revisions(df: pd.DataFrame, year: int, measure: str) -> None:
    """Part (b): UNAMA's figure for one year, first published to latest revision."""
    chain = common.cached(views.year_revision_chain, df, year, measure)
    if chain.empty:
        st.warning(f"The data has no UNAMA figure for civilians {measure} in {year}.")
        return
    changes = views.revision_changes(chain)
    fig = charts.revision_chart(changes, year)
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        common.chart(
            fig,
            charts.revision_alt(changes, year),
            "revisions_chart",
            f"unama-{year}-{measure}-revisions",
        )
    with table_tab:
        _revision_table(changes)
    last = changes.iloc[-1]
    first = changes.iloc[0]
    label = S.value_label(S.MEASURE, measure)
    if len(changes) == 1:
        st.markdown(
            text.md_escape(
                f"UNAMA's figure for civilians {label} in {year} is shown as first published "
                f"({charts.format_figure(first)}); the data holds no later revision of it."
            )
        )
    else:
        change = charts.format_change(last[views.CHANGE], last[views.CHANGE_PCT])
        st.markdown(
            text.md_escape(
                f"First published: {charts.format_figure(first)} "
                f"({charts.fmt_date(first[S.PUBLISHED])}). Latest revision: "
                f"{charts.format_figure(last)} ({charts.fmt_date(last[S.PUBLISHED])}), "
                f"{change} from the first-published value."
            )
        )
    common.sources(changes)


def render(df: pd.DataFrame) -> None:
    st.title("How estimates changed")
    st.markdown(
        "Publishers revise their figures. Costs of War re-estimates every category in each "
        "edition; UNAMA restates earlier years in later reports as it verifies more incidents. "
        "Every published value is kept, and this page shows how they changed."
    )
    cat_options, cat_labels = _categories(df)
    measure_labels = {m: S.value_label(S.MEASURE, m) for m in MEASURES}
    year_labels = {y: y for y in YEARS}
    # A bound selectbox writes its *label* to the URL, so the labels are what links carry.
    valid: dict[str, object] = {
        "ed_category": set(cat_labels.values()),
        "ed_year": set(YEARS),
        "ed_measure": set(measure_labels.values()),
    }

    common.param_notice(dict(st.query_params), valid)

    st.header("Costs of War, edition by edition")
    if cat_options:
        category = st.selectbox(
            "Category",
            cat_options,
            format_func=cat_labels.__getitem__,
            key="ed_category",
            bind="query-params",
        )
        render_editions(df, category)
    else:
        st.warning("The data has no Costs of War editions linked to one another.")

    st.header("UNAMA: one year's figure, first published and revised")
    col_year, col_measure = st.columns(2)
    with col_year:
        year = st.selectbox(
            "Year",
            _options(YEARS, year_labels, DEFAULT_YEAR),
            key="ed_year",
            bind="query-params",
        )
    with col_measure:
        measure = st.selectbox(
            "Measure",
            MEASURES,
            format_func=measure_labels.__getitem__,
            key="ed_measure",
            bind="query-params",
        )
    render_revisions(df, int(year), measure)


if __name__ == "__main__":
    render(common.load_figures())
