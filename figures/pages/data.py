"""Data & sources: every figure with its source, searchable, filterable and downloadable.

Its parameters: a search box, one multi-choice filter per column (the URL holds the values as the
data writes them; the reader sees their labels) and an optional figure id whose full record and
revision history are shown.
"""

from __future__ import annotations

import pandas as pd

from figures import export, provenance, views
from figures import schema as S
from figures.pages import (
    CHOICE,
    MULTI,
    TEXT,
    DatasetCitation,
    Download,
    Link,
    Markdown,
    Note,
    Param,
    Section,
    Table,
    TextTable,
    View,
)

#: This page never draws a chart (the app does not load the chart component for it).
DRAWS_CHARTS = False


SLUG = "data"
TITLE = "Data & sources"
INTRO = (
    "Every figure in the dataset, with the document that published it. Search and filter the "
    "table, open the source of a figure from its link, or choose a figure id below to see its "
    "full record. The address bar keeps your search and filters, so the link reopens this view. "
    "The figures come from different sources, methods and periods: compare them, never add "
    "them up."
)

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
TABLE_COLUMNS = tuple(_FIRST + [c for c in S.ALL if c not in _FIRST])

#: Multi-choice filters: (column, URL key, label). The URL names the values as the data writes
#: them (``?data_category=civilians``); the reader sees their labels.
FILTERS = (
    (S.CATEGORY, "data_category", "Category"),
    (S.MEASURE, "data_measure", "Measure"),
    (S.STATUS, "data_status", "Status"),
    (S.SOURCE_KIND, "data_kind", "Kind of source"),
    (S.PUBLISHER, "data_publisher", "Publisher"),
)
SEARCH_KEY = "data_q"
PAGE_KEY = "data_page"
#: The table shows this many rows at a time; a longer selection is paged (``data_page``), so a
#: reader's browser never receives 100,000 rows at once. The downloads hold every row.
PAGE_ROWS = 1000
FIGURE_KEY = "data_figure"
MAX_QUERY = 200
DETAIL = "One figure in full"
CITE = "How to cite this dataset"

CSV_NAME = "casualties.csv"  # the name datapackage.json gives the data file
SELECTION_NAME = "casualties-selection.csv"
CONTRACT_NOTE = (
    "Both CSV files follow the published contract (UTF-8, one row per figure, the same columns "
    "in the same order); datapackage.json describes every column. A text cell that a "
    "spreadsheet would run as a formula (one starting with =, +, -, @, a tab or a carriage "
    "return) is written with a single quote (') in front."
)


def filter_options(df: pd.DataFrame, column: str) -> list[str]:
    """The values a filter offers: those present in the data, in the schema's order (enums) or
    alphabetically (publishers)."""
    present = set(df[column].dropna())
    allowed = S.BY_NAME[column].allowed
    if allowed:
        return [v for v in allowed if v in present]
    return sorted(present, key=str.casefold)


def _labels(column: str, options: list[str]) -> dict[str, str]:
    if column == S.SOURCE_KIND:
        return {o: S.value_label(S.SOURCE_KIND, o) for o in options}
    if S.BY_NAME[column].kind == "enum":
        return {o: S.value_label(column, o) for o in options}
    return {}


def params(df: pd.DataFrame) -> tuple[Param, ...]:
    out = [
        Param(
            SEARCH_KEY,
            "Search the figures",
            kind=TEXT,
            default="",
            max_len=MAX_QUERY,
            placeholder="e.g. UNAMA, Costs of War, hostile, Pakistan",
            help="Finds figures whose publisher, source title, excerpt, caveat or figure id "
            "contain every word you type (not case-sensitive).",
        )
    ]
    for column, key, label in FILTERS:
        options = filter_options(df, column)
        out.append(
            Param(
                key,
                label,
                kind=MULTI,
                choices=tuple(options),
                default=(),
                labels=_labels(column, options),
                row="filters",
                placeholder="All",
            )
        )
    n_pages = -(-len(df) // PAGE_ROWS)
    if n_pages > 1:
        out.append(
            Param(
                PAGE_KEY,
                "Rows",
                kind=CHOICE,
                choices=tuple(str(i) for i in range(1, n_pages + 1)),
                default="1",
                labels={
                    str(i): f"{(i - 1) * PAGE_ROWS + 1:,}–{i * PAGE_ROWS:,}"
                    for i in range(1, n_pages + 1)
                },
                help=f"The table shows {PAGE_ROWS:,} figures at a time; the CSV download of the "
                "figures shown holds all of them.",
            )
        )
    out.append(
        Param(
            FIGURE_KEY,
            "Figure id",
            kind=CHOICE,
            choices=tuple(str(i) for i in df[S.FIGURE_ID]),
            optional=True,
            url_label=True,
            section=DETAIL,
            placeholder="Choose or type a figure id from the table",
            help="Shows everything recorded about the figure: source, excerpt, caveat, status "
            "and its earlier and later editions.",
        )
    )
    return tuple(out)


def selected(df: pd.DataFrame, state: dict) -> pd.DataFrame:
    """The figures the search and filters keep."""
    chosen = {column: list(state.get(key) or ()) for column, key, _ in FILTERS}
    return views.filter_values(views.search(df, state.get(SEARCH_KEY) or ""), chosen)


def _detail(df: pd.DataFrame, figure_id: str | None) -> Section:
    if not figure_id:
        return Section(DETAIL, minor=True)
    row = df.loc[df[S.FIGURE_ID] == figure_id].iloc[0]
    record = provenance.figure_record(row)
    history = provenance.revisions(df, figure_id)
    tables = ()
    if len(history) > 1:
        tables = (
            Table(
                history,
                tuple(k for k, _ in provenance.REVISION_COLUMNS),
                caption="Revision history",
                labels=dict(provenance.REVISION_COLUMNS),
            ),
        )
    links = [Link("Source", str(row[S.SOURCE_URL]), f"{row[S.PUBLISHER]}, {row[S.SOURCE_TITLE]}")]
    for col, label in (
        (S.PUBLISHER_URL, "Publisher's own address"),
        (S.ARCHIVE_URL, "Archived copy"),
    ):
        if col in row.index and isinstance(row[col], str) and row[col].strip():
            links.append(Link(label, str(row[col])))
    return Section(
        DETAIL,
        minor=True,
        links_heading="Open the documents",
        links=tuple(links),
        text_tables=(
            TextTable(provenance.headline(row), ("Field", "Value"), tuple(record), wrap=True),
        ),
        captions=(provenance.revisions_summary(history),),
        tables=tables,
    )


def build(df: pd.DataFrame, state: dict) -> View:
    rows = selected(df, state)
    shown = f"Showing {len(rows):,} of {len(df):,} figures."
    page_rows = rows
    pages_ = max(1, -(-len(rows) // PAGE_ROWS))
    if len(rows) > PAGE_ROWS:
        page = min(int(state.get(PAGE_KEY) or 1), pages_)
        first = (page - 1) * PAGE_ROWS
        page_rows = rows.iloc[first : first + PAGE_ROWS]
        shown += (
            f" The table lists {first + 1:,}–{first + len(page_rows):,} (page {page} of "
            f"{pages_}: choose the rows above); the CSV of the figures shown holds all of them."
        )
    captions = [shown]
    lead = ()
    if rows.empty:
        lead = (
            Note("No figure matches the search and filters. Remove some to see more.", info=True),
        )
    downloads = (
        # Made when a reader asks for them, not on every change of the filters.
        Download(
            f"All {len(df):,} figures (CSV)",
            CSV_NAME,
            "text/csv",
            lambda: export.csv_bytes(df),
            key="data_dl_all",
        ),
        Download(
            f"The {len(rows):,} figures shown (CSV)",
            SELECTION_NAME,
            "text/csv",
            (lambda: export.csv_bytes(rows)) if len(rows) else b"",
            key="data_dl_shown",
        ),
        Download(
            "Column descriptions (datapackage.json)",
            "datapackage.json",
            "application/json",
            lambda: export.datapackage_bytes(df),
            key="data_dl_datapackage",
        ),
    )
    cite = Section(
        CITE,
        minor=True,
        blocks=(
            Markdown(
                "Cite the publisher and document of each figure you use (every row names them "
                "and links to the document), and this compilation:"
            ),
            DatasetCitation(),
        ),
    )
    return View(
        slug=SLUG,
        title=TITLE,
        intro=INTRO,
        captions=tuple(captions),
        lead=lead,
        tables=() if rows.empty else (Table(page_rows, TABLE_COLUMNS),),
        downloads=downloads,
        remarks=(Note(CONTRACT_NOTE),),
        sections=(_detail(df, state.get(FIGURE_KEY)), cite),
        figures=None,
    )
