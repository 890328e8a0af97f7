"""Data & sources: every figure with its source, searchable, filterable and downloadable."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pandas as pd
import streamlit as st

from figures import cite, export, provenance, views
from figures import schema as S
from figures.ui import common

#: The table shows every column of the contract: the figure, then the link to its source and who
#: published it, then the rest in the contract's order (the downloads keep the contract's order).
_FIRST = [
    S.FIGURE_ID,
    S.CATEGORY,
    S.MEASURE,
    S.VALUE,
    S.LOW,
    S.HIGH,
    S.QUALIFIER,
    S.SOURCE_URL,
    S.PUBLISHER,
    S.SOURCE_KIND,
    S.REPORTED_BY,
    S.PUBLISHED,
]
TABLE_COLUMNS = _FIRST + [c for c in S.ALL if c not in _FIRST]

#: Multiselect filters: (column, URL key, label). Options are the values as written in the CSV,
#: so a shared link names them exactly as the data does (``?data_category=civilians``).
FILTERS = (
    (S.CATEGORY, "data_category", "Category"),
    (S.MEASURE, "data_measure", "Measure"),
    (S.STATUS, "data_status", "Status"),
    (S.SOURCE_KIND, "data_kind", "Kind of source"),
    (S.PUBLISHER, "data_publisher", "Publisher"),
)
SEARCH_KEY = "data_q"
FIGURE_KEY = "data_figure"
MAX_QUERY = 200

CSV_NAME = "casualties.csv"  # the name datapackage.json gives the data file
SELECTION_NAME = "casualties-selection.csv"


def filter_options(df: pd.DataFrame, column: str) -> list[str]:
    """The values a filter offers: those present in the data, in the schema's order (enums) or
    alphabetically (publishers)."""
    present = set(df[column].dropna())
    allowed = S.BY_NAME[column].allowed
    if allowed:
        return [v for v in allowed if v in present]
    return sorted(present, key=str.casefold)


def _each_in(allowed: set[str]) -> Callable[[tuple[str, ...]], bool]:
    # A repeated parameter (?data_category=a&data_category=b) is valid when every value is;
    # an empty value (?data_category=) clears the filter.
    return lambda values: all(v == "" or v in allowed for v in values)


def _one(check: Callable[[str], bool]) -> Callable[[tuple[str, ...]], bool]:
    return lambda values: len(values) == 1 and check(values[0])


@st.cache_data(show_spinner=False, max_entries=4)
def _full_exports(df: pd.DataFrame) -> tuple[bytes, bytes]:
    return export.csv_bytes(df), export.datapackage_bytes(df)


def _downloads(df: pd.DataFrame, rows: pd.DataFrame) -> None:
    full_csv, package = _full_exports(df)
    all_col, shown_col, package_col = st.columns(3)
    all_col.download_button(
        f"All {len(df):,} figures (CSV)",
        full_csv,
        file_name=CSV_NAME,
        mime="text/csv",
        key="data_dl_all",
        on_click="ignore",
        icon=":material/download:",
    )
    shown_col.download_button(
        f"The {len(rows):,} figures shown (CSV)",
        export.csv_bytes(rows),
        file_name=SELECTION_NAME,
        mime="text/csv",
        key="data_dl_shown",
        on_click="ignore",
        icon=":material/download:",
        disabled=rows.empty,
    )
    package_col.download_button(
        "Column descriptions (datapackage.json)",
        package,
        file_name="datapackage.json",
        mime="application/json",
        key="data_dl_datapackage",
        on_click="ignore",
        icon=":material/download:",
    )
    st.caption(
        "Both CSV files follow the published contract (UTF-8, one row per figure, the same "
        "columns in the same order); datapackage.json describes every column. A text cell that a "
        "spreadsheet would run as a formula (one starting with =, +, -, @, a tab or a carriage "
        "return) is written with a single quote (') in front."
    )


def _figure_detail(df: pd.DataFrame, ids: list[str]) -> None:
    st.subheader("One figure in full")
    figure_id = st.selectbox(
        "Figure id",
        ids,
        index=None,
        placeholder="Choose or type a figure id from the table",
        key=FIGURE_KEY,
        bind="query-params",
        help="Shows everything recorded about the figure: source, excerpt, caveat, status and "
        "its earlier and later editions.",
    )
    if figure_id is None:
        return
    row = df.loc[df[S.FIGURE_ID] == figure_id].iloc[0]
    st.markdown(provenance.figure_markdown(row))
    history = provenance.revisions(df, figure_id)
    st.markdown("**Revision history**")
    st.markdown(provenance.revisions_summary(history))
    if len(history) > 1:
        st.dataframe(
            history,
            hide_index=True,
            width="stretch",
            column_config={
                key: st.column_config.TextColumn(heading)
                for key, heading in provenance.REVISION_COLUMNS
            },
        )


def _citation() -> None:
    st.subheader("How to cite this dataset")
    st.markdown(
        "Cite the publisher and document of each figure you use (every row names them and links "
        "to the document), and this compilation:"
    )
    url = cite.view_link(st.context.url, "data", [])
    today = datetime.date.today()
    st.markdown("**Plain text**")
    st.code(cite.dataset_citation(url, today), language=None, wrap_lines=True)
    st.markdown("**BibTeX**")
    st.code(cite.dataset_bibtex(url, today), language="bibtex")


def render(df: pd.DataFrame) -> None:
    st.title("Data & sources")
    st.markdown(
        "Every figure in the dataset, with the document that published it. Search and filter the "
        "table, open the source of a figure from its link, or choose a figure id below to see its "
        "full record. The address bar keeps your search and filters, so the link reopens this "
        "view. The figures come from different sources, methods and periods: compare them, never "
        "add them up."
    )
    # Read the link's parameters before the widgets: Streamlit drops invalid values from the URL
    # when a bound widget is created, and a repeated parameter carries several values.
    params = {k: tuple(st.query_params.get_all(k)) for k in st.query_params}
    ids = list(df[S.FIGURE_ID])
    valid: dict[str, object] = {
        SEARCH_KEY: _one(lambda q: len(q) <= MAX_QUERY),
        FIGURE_KEY: _one(set(ids).__contains__),
    }

    query = st.text_input(
        "Search the figures",
        key=SEARCH_KEY,
        bind="query-params",
        max_chars=MAX_QUERY,
        placeholder="e.g. UNAMA, Costs of War, hostile, Pakistan",
        help="Finds figures whose publisher, source title, excerpt, caveat or figure id contain "
        "every word you type (not case-sensitive).",
    )
    selected: dict[str, list[str]] = {}
    for box, (column, key, label) in zip(st.columns(len(FILTERS)), FILTERS, strict=True):
        options = filter_options(df, column)
        valid[key] = _each_in(set(options))
        with box:
            selected[column] = st.multiselect(
                label,
                options,
                key=key,
                bind="query-params",
                placeholder="All",
            )
    common.param_notice(params, valid)

    rows = views.filter_values(views.search(df, query), selected)
    common.record_sources(rows)  # the sidebar's "Cite this view" names the publishers shown
    st.markdown(f"**Showing {len(rows):,} of {len(df):,} figures.**")
    if rows.empty:
        st.info("No figure matches the search and filters. Remove some to see more figures.")
    else:
        common.table(rows, TABLE_COLUMNS)
    _downloads(df, rows)
    _figure_detail(df, ids)
    _citation()


if __name__ == "__main__":
    render(common.load_figures())
