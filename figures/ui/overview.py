"""Overview: the five categories side by side, each from a chosen source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from figures import charts, views
from figures import schema as S
from figures.ui import common

TABLE_COLUMNS = [
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
]


def _label(row: pd.Series, superseded: set[str]) -> str:
    edition = row[S.EDITION] if pd.notna(row[S.EDITION]) else charts.fmt_date(row[S.PUBLISHED])
    old = " — superseded by a later edition" if row[S.FIGURE_ID] in superseded else ""
    kind = charts.source_kind_text(row)
    return f"{charts.format_figure(row)} — {row[S.PUBLISHER]} ({edition}; {kind}){old}"


def render(df: pd.DataFrame) -> None:
    st.title("Casualty figures of the war in Afghanistan, 2001–2021")
    st.markdown(
        "Each bar is one source's figure for one group of people, with the source's range drawn "
        "where it gives one. Bars come from different sources and methods: compare them, never "
        "add them up."
    )
    params = common.query_snapshot()  # before the widgets, which drop values they cannot use
    superseded = views.superseded_ids(df)
    candidates = views.overview_candidates_all(df)
    choices = {}
    valid: dict[str, object] = {"log": {"true", "false"}}
    with st.expander("Choose the source for each bar"):
        for cat in S.MAIN_CATEGORIES:
            cands = candidates.get(cat)
            if cands is None or cands.empty:
                continue
            ids = list(cands[S.FIGURE_ID])
            default = views.overview_default(cands, cat)
            ids.remove(default)
            ids.insert(0, default)  # the first option is the default, dropped from the URL
            labels = {r[S.FIGURE_ID]: _label(r, superseded) for _, r in cands.iterrows()}
            key = f"src_{cat}"
            valid[key] = set(ids)
            choices[cat] = common.url_selectbox(
                S.value_label(S.CATEGORY, cat), ids, key=key, format_func=labels.__getitem__
            )
    log = st.toggle("Logarithmic scale", key="log", bind="query-params")
    common.param_notice(params, valid)

    rows = views.overview_rows(df, choices, candidates)
    if rows.empty:
        st.warning("The data has no whole-war totals for these categories.")
        return
    fig = charts.overview_bar(rows, log=log)
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        common.chart(fig, charts.overview_alt(rows, log), "overview_chart", "afghanistan-overview")
    with table_tab:
        common.table(rows, TABLE_COLUMNS)
    common.sources(rows)


if __name__ == "__main__":
    render(common.load_figures())
