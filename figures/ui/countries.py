"""By country: coalition military deaths by nationality, each bar with its source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from figures import charts, text, views
from figures import schema as S
from figures.ui import common

TABLE_COLUMNS = [
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
]

LATEST_LABEL = "Latest figure per country (national count preferred)"

RULE = (
    "**How one figure per country is chosen.** Among each country's whole-deployment totals of "
    "military deaths (all causes; not hostile-only or one task force; not superseded), the "
    "national government's own count comes first (counting rule *NAT*, or the US Department "
    "of Defense for the US), a printed figure before one computed from two printed figures, "
    "an exact figure before a rounded one; then the latest period end, a primary source, the "
    "latest publication. Where a country has no national count in the data, the latest "
    "compiled figure is shown (hatched bars). Choose one source list below to see figures "
    "that were compiled the same way on one date."
)


def _figure_text(row: pd.Series) -> str:
    return (
        f"{charts.format_figure(row)} killed ({row[S.PUBLISHER]}, "
        f"{charts.period_text(row)}; {S.value_label(S.GEOGRAPHY, row[S.GEOGRAPHY])})"
    )


def _us_note(df: pd.DataFrame, source: str, lists: dict) -> None:
    """The US figure, stated in words when its bar is hidden."""
    rows = common.cached(views.country_rows, df, source, True)
    us = rows[rows[S.NATIONALITY] == views.US]
    if us.empty:
        st.caption("This source list has no US figure.")
        return
    r = us.iloc[0]
    others = rows[rows[S.NATIONALITY] != views.US]
    ratio = ""
    if not others.empty and int(others[S.VALUE].max()) > 0:
        times = int(r[S.VALUE]) / int(others[S.VALUE].max())
        ratio = f" — about {times:.0f} times the next largest bar"
    st.caption(
        text.md_escape(f"Not drawn: United States, {_figure_text(r)}{ratio}.")
        + " Turn on *Include the United States* to draw it (a logarithmic scale keeps the "
        "other bars readable)."
    )


def render(df: pd.DataFrame) -> None:
    st.title("Coalition military deaths by country")
    st.markdown(
        "Deaths of each coalition country's military personnel in the war in Afghanistan, one "
        "bar per country, each naming its source. Countries count differently (all causes or "
        "hostile action only, in Afghanistan or also nearby, soldiers or also civilian staff), "
        "so read each bar's counting rule before comparing two. Figures chosen country by "
        "country are never added up into a coalition total."
    )
    lists = common.cached(views.country_source_lists, df)
    source_labels = {views.LATEST: LATEST_LABEL}
    source_labels.update({key: f"One source list: {label}" for key, (label, _) in lists.items()})
    # A bound selectbox writes its *label* to the URL, so the labels are what links carry.
    valid: dict[str, object] = {
        "ctry_source": set(source_labels.values()),
        "ctry_include_us": {"true", "false"},
        "ctry_log": {"true", "false"},
    }
    common.param_notice(dict(st.query_params), valid)

    source = st.selectbox(
        "Figures",
        list(source_labels),
        format_func=source_labels.__getitem__,
        key="ctry_source",
        bind="query-params",
        help="One figure per country by the rule below, or every country of one source list "
        "of one date.",
    )
    col_us, col_log = st.columns(2)
    with col_us:
        include_us = st.toggle(
            "Include the United States", key="ctry_include_us", bind="query-params"
        )
    with col_log:
        log = st.toggle("Logarithmic scale", key="ctry_log", bind="query-params")

    rows = common.cached(views.country_rows, df, source, include_us)
    if rows.empty:
        st.warning("The data has no per-country figures for this choice.")
        return
    if source == views.LATEST:
        subtitle = "latest figure per country; sources and dates differ, see each bar"
    else:
        subtitle = f"all figures from one source: {lists[source][0]}"
    fig = charts.country_bar(rows, log=log, subtitle=subtitle, one_list=source != views.LATEST)
    alt = charts.country_alt(rows, log=log, subtitle=subtitle)
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        common.chart(fig, alt, "countries_chart", "afghanistan-deaths-by-country")
    with table_tab:
        common.table(rows, TABLE_COLUMNS)

    if not include_us:
        _us_note(df, source, lists)
    total = views.list_sum(rows)
    if source == views.LATEST:
        st.caption(
            "The bars come from different sources, counting rules and dates, so they are not "
            "added up into a coalition total."
        )
        st.markdown(RULE)
    elif total is not None:
        label = lists[source][0]
        scope = "including" if include_us else "excluding"
        st.markdown(
            text.md_escape(
                f"Sum of the {len(rows)} countries this source names ({label}; {scope} the "
                f"United States): {charts.fmt_int(total)}. This is that source's sum of the "
                "countries it names on that date, not a coalition total from any other source."
            )
        )
        own = views.list_own_totals(df, rows)
        if not own.empty:
            stated = "; ".join(
                f"{S.value_label(S.CATEGORY, r[S.CATEGORY])}: {charts.format_figure(r)}"
                for _, r in own.iterrows()
            )
            st.caption(
                text.md_escape(
                    f"The same document states its own totals ({stated}); they can be larger "
                    "because they include countries the list does not name one by one."
                )
            )
    else:
        st.caption(
            "These figures are not added up: they differ in where the deaths were counted "
            "(see each bar's hover or the table)."
        )
    _sources(rows)


def _sources(rows: pd.DataFrame) -> None:
    """Sources and caveats, each item led by the country its bar shows."""
    st.markdown("**Sources and caveats**")
    items = [
        f"- **{text.md_escape(r[S.NATIONALITY])}**: {text.source_item(r).removeprefix('- ')}"
        for _, r in rows.iterrows()
    ]
    st.markdown("\n".join(items))
    record = getattr(common, "record_sources", None)  # the sidebar's citation, where present
    if record is not None:
        record(rows)


if __name__ == "__main__":
    render(common.load_figures())
