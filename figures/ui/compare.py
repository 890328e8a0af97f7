"""Compare sources: every figure for one category, across publishers and editions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from figures import charts, compare, text
from figures import schema as S
from figures.ui import common

TABLE_COLUMNS = [
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
]

#: A chart with more marks than this gets a hint to narrow it down.
MANY = 60
#: A long list of sources scrolls in a box this high (pixels) instead of pushing the page down.
SOURCES_HEIGHT = 480


def _default_first(options: list[str], default: str) -> list[str]:
    """The options with the default first (when present), the rest in their order."""
    return [default, *(o for o in options if o != default)] if default in options else options


def render(df: pd.DataFrame) -> None:
    params = common.query_snapshot()  # before the widgets, which drop values they cannot use
    st.title("Compare sources")
    st.markdown(
        "Every figure the sources give for one group of people, one mark per figure: each "
        "publisher, each edition, each period and place. The marks are side by side, never "
        "added up. The note under the controls says why the figures differ."
    )
    cats = compare.categories(df)
    if not cats:
        st.warning("The data has no figures to compare.")
        return
    # Choices travel in the link as their ids (?cmp_category=us_military&cmp_period=all), not
    # their labels; the first option is the default and is left out of the link.
    cats = _default_first(cats, compare.DEFAULT_CATEGORY)
    left, right = st.columns(2)
    with left:
        category = common.url_selectbox(
            "Who was counted",
            cats,
            key="cmp_category",
            format_func=lambda c: S.value_label(S.CATEGORY, c),
        )
    measures = _default_first(compare.measures(df, category), compare.DEFAULT_MEASURE)
    with right:
        measure = common.url_selectbox(
            "What was counted",
            measures,
            key="cmp_measure",
            format_func=compare.measure_label,
            help="'All measures' shows killed, injured and killed-and-injured figures side by "
            "side (never added up).",
        )
    period = common.url_selectbox(
        "Periods",
        list(compare.PERIOD_OPTIONS),
        key="cmp_period",
        format_func=compare.PERIOD_OPTIONS.__getitem__,
        help="Totals cover more than a year (the whole war, or several years such as UNAMA's "
        "counts since 2009). 'All periods' adds single years and shorter periods.",
    )
    toggles = st.columns(2)
    all_editions = toggles[0].toggle(
        "Include superseded editions",
        key="cmp_all_editions",
        bind="query-params",
        help="Off: only the latest revision of each figure. On: also the earlier values a "
        "later revision or edition replaced (open markers).",
    )
    log = toggles[1].toggle("Logarithmic scale", key="cmp_log", bind="query-params")
    valid: dict[str, object] = {
        "cmp_category": set(cats),
        "cmp_measure": set(measures),
        "cmp_period": set(compare.PERIOD_OPTIONS),
        "cmp_all_editions": {"true", "false"},
        "cmp_log": {"true", "false"},
    }
    common.param_notice(params, valid)

    rows = compare.compare_rows(df, category, measure, all_editions=all_editions, period=period)
    if rows.empty:
        st.warning(
            "No figures of this kind. Choose 'All periods' under Periods, or include "
            "superseded editions."
        )
        return

    notes = compare.scope_differences(rows)
    if notes:
        st.markdown("**Why these figures differ**")
        st.markdown("\n".join(f"- {text.md_escape(n)}" for n in notes))
    if len(rows) > MANY:
        st.caption(
            f"{len(rows)} figures. To see fewer, choose '{compare.PERIOD_OPTIONS[compare.TOTALS]}'"
            " or switch off superseded editions."
        )
    if log and (rows[S.VALUE] == 0).any():
        st.caption("Figures of 0 cannot be drawn on a logarithmic scale; see the Table tab.")

    fig = charts.compare_chart(rows, category, log=log)
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        common.chart(
            fig,
            charts.compare_alt(rows, category, log=log),
            "compare_chart",
            f"afghanistan-compare-{category}",
        )
    with table_tab:
        common.table(rows, TABLE_COLUMNS)
    with st.container(height=SOURCES_HEIGHT if len(rows) > 8 else "content"):
        common.sources(rows)


if __name__ == "__main__":
    render(common.load_figures())
