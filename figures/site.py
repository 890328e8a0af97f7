"""Static snapshot of the dashboard: ``python -m figures export OUTDIR``. Pure: no Streamlit.

The snapshot is a folder of plain files that works opened from disk (``file://``) and from any
static host or CDN, with no network at all:

    index.html            what is here, downloads, how to cite
    <view>.html           one page per view: interactive Plotly chart(s), a text description,
                          the table of the figures shown, their sources and caveats
    assets/plotly.min.js  plotly.js, shipped once, from the installed plotly package
    assets/style.css
    casualties.csv        the data (``figures.export.csv_bytes``)
    datapackage.json      its Frictionless descriptor

It draws the same ``figures.pages.View`` the Streamlit app draws, with the Jinja2 templates in
``figures/site/`` (autoescape on: every piece of data text is escaped). Only http(s) URLs become
links (``figures.text.safe_url``); every ``src``/``href`` of the site itself is a relative path.

Adding a page
-------------
A page of ``figures/pages`` is added with ``page_view(name)`` (its default view) or
``page_view(name, state, slug)`` (another state of it). Any ``def my_view(df) -> View | None``
may be appended to ``VIEWS`` too. Return ``None`` when the data has nothing for the page; raise
``Skipped("Page (why)")`` to have the index say what is missing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from figures import charts, cite, datapackage, export, pages, text
from figures import schema as S
from figures.charts import fmt_date, format_figure, period_text, source_kind_text
from figures.pages import Chart, Table, TextTable, View

PLOTLY_JS = "assets/plotly.min.js"
STYLE_CSS = "assets/style.css"
CSV_NAME = "casualties.csv"
DATAPACKAGE_NAME = "datapackage.json"
INDEX = "index.html"
SITE_TITLE = "Afghanistan war casualty figures, with sources"

#: Columns of the table under a chart, unless a view chooses others.
TABLE_COLUMNS: tuple[str, ...] = (
    S.CATEGORY,
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
    S.SOURCE_KIND,
    S.PUBLISHED,
    S.SOURCE_URL,
)

TEMPLATES = Path(__file__).with_name("site")

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


ViewBuilder = Callable[[pd.DataFrame], "View | None"]


class Skipped(Exception):
    """A builder cannot make its page; the message says which page and why (listed on the index)."""


# --- the registry of views --------------------------------------------------------------------


def page_view(name: str, state: dict | None = None, slug: str | None = None) -> ViewBuilder:
    """The view of page ``name`` of ``figures/pages`` for ``state`` (default: its default view):
    the same View the app draws for that state."""

    def build(df: pd.DataFrame) -> View | None:
        params = pages.params_of(df, name)
        query = {
            k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in (state or {}).items()
        }
        wanted, bad = pages.parse_state(params, query)
        if bad:
            return None  # e.g. a category the data does not have
        view = pages.page(name).build(df, wanted)
        if view.message or not (
            view.charts
            or view.text_tables
            or view.tables
            or view.blocks
            or any(s.charts for s in view.sections)
        ):
            return None  # nothing in the data for this page
        if slug and slug != view.slug:
            from dataclasses import replace

            view = replace(view, slug=slug)
        return view

    build.__name__ = f"{name}_view"
    return build


overview_view = page_view("overview")


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def compare_view(category: str) -> ViewBuilder:
    """Compare sources for one category (the app's defaults: killed, totals, latest editions)."""
    from figures.pages import compare

    return page_view("compare", {"cmp_category": category}, slug=compare.slug(category))


trends_view = page_view("trends")


editions_view = page_view("editions")


countries_view = page_view("countries")


def article_check_view(df: pd.DataFrame) -> View | None:
    """The article check's default view: every claim's verdict, and the first claim that cites
    figures drawn beside them (the live dashboard draws each claim)."""
    try:
        from figures import claims
    except ImportError as exc:
        raise Skipped("Article check (figures/claims.py is not available)") from exc
    view = page_view("article")(df)
    if view is None:
        try:
            claims.evaluate_all(claims.load_claims(df), df)
        except (claims.ClaimsError, KeyError) as exc:
            raise Skipped(f"Article check (the claims could not be checked: {exc})") from exc
    return view


#: The pages of the snapshot, in menu order. Append a builder to add a page.
VIEWS: list[ViewBuilder] = [
    overview_view,
    *[compare_view(c) for c in S.MAIN_CATEGORIES],
    trends_view,
    editions_view,
    countries_view,
    article_check_view,
    page_view("data"),
    page_view("about"),
]


# --- HTML (Jinja2 templates in figures/site/, autoescape on) --------------------------------------


def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


_ENV = _env()
_ESC = _ENV.from_string("{{ value }}")


def esc(value) -> str:
    """Plain text as HTML text (as the templates escape it): '' for missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return _ESC.render(value=str(value))


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, and the http(s) URL it links to (if any)."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Cells:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


def cell(row: pd.Series, column: str, formats: dict | None = None) -> Cell:
    """One table cell of ``pages.display_rows``: numbers with thousands separators, dates."""
    value = row[column] if column in row.index else None
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return Cell("")
    col = S.BY_NAME.get(column)
    if formats and column in formats:
        return Cell(formats[column] % value)
    if col is None:
        return Cell(str(value))
    if col.kind == "int":
        return Cell(charts.fmt_int(value))
    if col.kind == "date":
        return Cell(pd.Timestamp(value).strftime("%Y-%m-%d"))
    if col.kind == "url":
        return Cell(str(value), text.safe_url(value))
    return Cell(str(value))


def figure_cells(table: Table) -> Cells:
    shown = pages.display_rows(table.rows, list(table.columns))
    formats = dict(table.formats)
    return Cells(
        caption=table.caption,
        header=tuple(table.header(c) for c in shown.columns),
        rows=tuple(tuple(cell(r, c, formats) for c in shown.columns) for _, r in shown.iterrows()),
        note=table.note,
    )


def text_cells(table: TextTable) -> Cells:
    return Cells(
        caption=table.caption,
        header=tuple(table.header),
        rows=tuple(tuple(Cell(str(c)) for c in r) for r in table.rows),
    )


@dataclass(frozen=True)
class SourceItem:
    figure_id: str
    heading: str
    label: str
    url: str | None
    kind: str
    dates: str
    scope: str
    excerpt: str
    caveat: str


def source_item(row: pd.Series) -> SourceItem:
    """One source: figure, publisher and document, scope, excerpt, caveat (all plain text)."""
    cat = S.value_label(S.CATEGORY, row[S.CATEGORY])
    nationality = row.get(S.NATIONALITY)
    if isinstance(nationality, str) and nationality.strip():
        cat += f", {nationality}"  # per-country figures: say whose
    measure = S.value_label(S.MEASURE, row[S.MEASURE])
    excerpt, caveat = row[S.EXCERPT], row[S.CAVEAT]
    return SourceItem(
        figure_id=str(row[S.FIGURE_ID]),
        heading=f"{cat}: {format_figure(row)} {measure}",
        label=f"{row[S.PUBLISHER]}, {row[S.SOURCE_TITLE]}",
        url=text.safe_url(row[S.SOURCE_URL]),
        kind=source_kind_text(row),
        dates=f"published {fmt_date(row[S.PUBLISHED])}; covers {period_text(row)}",
        scope=(
            f"{S.value_label(S.GEOGRAPHY, row[S.GEOGRAPHY])}; "
            f"{S.value_label(S.METHOD, row[S.METHOD])}; "
            f"{S.value_label(S.STATUS, row[S.STATUS])}"
        ),
        excerpt=excerpt.strip() if isinstance(excerpt, str) else "",
        caveat=caveat.strip() if isinstance(caveat, str) else "",
    )


@dataclass(frozen=True)
class ChartBlock:
    div_id: str
    alt: str
    plot: str  # plotly.io's own markup of the inert figure: the one piece not escaped (``safe``)


def chart_block(c: Chart, div_id: str) -> ChartBlock:
    """The interactive chart (plotly.js loaded once per page from assets/), alt text, and id."""
    config = {
        "displaylogo": False,
        "responsive": True,
        "toImageButtonOptions": {"format": "png", "filename": c.name, "scale": 2},
    }
    plot = pio.to_html(
        charts.inert_figure(c.figure),  # no tag from the data survives in chart text
        config=config,
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=div_id,
    )
    return ChartBlock(div_id=div_id, alt=c.alt, plot=plot)


@dataclass(frozen=True)
class _Site:
    pages: list[tuple[str, str]]  # (file name, title) in menu order
    n_figures: int
    n_publishers: int
    today: datetime.date
    base_url: str | None


def _common(site: _Site, file: str, title: str, plotly: bool = False) -> dict:
    return {
        "head_title": SITE_TITLE if file == INDEX else f"{title} — {SITE_TITLE}",
        "style_css": STYLE_CSS,
        "plotly_js": PLOTLY_JS,
        "plotly": plotly,
        "index": INDEX,
        "site_title": SITE_TITLE,
        "nav": [(INDEX, "Home"), *site.pages],
        "current": file,
        "csv_name": CSV_NAME,
        "datapackage_name": DATAPACKAGE_NAME,
        "licence": cite.LICENCE,
        "n_figures": site.n_figures,
        "n_publishers": site.n_publishers,
        "today": site.today.isoformat(),
    }


def _citation(site: _Site, file: str, title: str | None, rows: pd.DataFrame | None):
    if not site.base_url:
        return None
    url = site.base_url.rstrip("/") + "/" + ("" if file == INDEX else file)
    if title is None:
        return {
            "plain": cite.dataset_citation(url, site.today),
            "bibtex": cite.dataset_bibtex(url, site.today),
        }
    pubs = [] if rows is None or rows.empty else [str(p) for p in rows[S.PUBLISHER].dropna()]
    return {
        "plain": cite.view_citation(url, site.today, title, pubs),
        "bibtex": cite.view_bibtex(url, site.today, title, pubs),
    }


def _download_name(view: View, filename: str) -> str:
    return f"downloads/{view.slug}/{filename}"


_MARKDOWN = None


def markdown_html(source: str) -> str:
    """Our own Markdown (``pages.Markdown``, written in the code) as HTML: CommonMark with raw
    HTML disabled (written out as text), links only to http(s) and relative addresses."""
    global _MARKDOWN
    if _MARKDOWN is None:
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark", {"html": False})
        md.validateLink = lambda url: text.safe_url(url) is not None or url.startswith("#")
        _MARKDOWN = md
    return _MARKDOWN.render(source)


def _blocks(site: _Site, blocks) -> list[dict]:
    out = []
    for b in blocks:
        if isinstance(b, pages.Markdown):
            # drawn with |safe: see markdown_html
            out.append({"html": markdown_html(b.text), "citation": None})
        elif isinstance(b, pages.DatasetCitation):
            url = (site.base_url.rstrip("/") + "/" if site.base_url else "") + "data.html"
            out.append(
                {
                    "html": "",
                    "citation": {
                        "plain": cite.dataset_citation(url, site.today),
                        "bibtex": cite.dataset_bibtex(url, site.today),
                    },
                }
            )
    return out


def _part(part, prefix: str, level: str, site: _Site | None = None) -> dict:
    """What the template draws of a View or a Section: charts, captions, tables, sources."""
    rows = part.figures
    has_rows = rows is not None and not rows.empty
    tables = [c.table for c in part.charts if c.table is not None]
    return {
        "blocks": _blocks(site, getattr(part, "blocks", ())) if site else [],
        "tables": [figure_cells(t) for t in getattr(part, "tables", ())],
        "message": part.message,
        "charts": [chart_block(c, f"{prefix}-{i}") for i, c in enumerate(part.charts, 1)],
        "captions": part.captions,
        "remarks": getattr(part, "remarks", ()),
        "badge": getattr(part, "badge", None),
        "links_heading": getattr(part, "links_heading", ""),
        "links": [
            {"label": k.label, "url": text.safe_url(k.url), "text": k.text}
            for k in getattr(part, "links", ())
        ],
        "folds": getattr(part, "folds", ()),
        "lead": getattr(part, "lead", ()),
        "warn": getattr(part, "warn", False),
        "more": [figure_cells(t) for t in getattr(part, "more", ())],
        "text_tables": [text_cells(t) for t in getattr(part, "text_tables", ())],
        "figure_tables": [figure_cells(t) for t in tables if not t.rows.empty] if has_rows else [],
        "sources": [source_item(r) for _, r in rows.iterrows()] if has_rows else [],
        "sources_heading": part.sources_heading,
        "level": level,
    }


def _shown(view: View) -> pd.DataFrame | None:
    frames = [f for f in (view.figures, *(s.figures for s in view.sections)) if f is not None]
    return _concat(frames) if frames else None


def view_html(site: _Site, view: View) -> str:
    file = f"{view.slug}.html"
    plotly = bool(view.charts) or any(s.charts for s in view.sections)
    return _ENV.get_template("view.html.j2").render(
        **_common(site, file, view.title, plotly=plotly),
        view=view,
        main=_part(view, f"chart-{view.slug}", "h2", site),
        sections=[
            {"heading": s.heading, **_part(s, f"chart-{view.slug}-s{i}", "h3", site)}
            for i, s in enumerate(view.sections, 1)
        ],
        downloads=[
            {"label": d.label, "href": _download_name(view, d.filename)} for d in view.downloads
        ],
        citation=_citation(site, file, view.title, _shown(view)),
    )


def index_html(site: _Site, built: list[View], missing: list[str]) -> str:
    return _ENV.get_template("index.html.j2").render(
        **_common(site, INDEX, SITE_TITLE),
        description=datapackage.DESCRIPTION,
        built=built,
        missing=missing,
        citation=_citation(site, INDEX, None, None),
    )


# --- the snapshot -------------------------------------------------------------------------------


def build(
    df: pd.DataFrame,
    *,
    csv: bytes | None = None,
    base_url: str | None = None,
    today: datetime.date | None = None,
    registry: Sequence[ViewBuilder] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, bytes]:
    """Every file of the snapshot, by relative path, in a stable order.

    ``csv``: the CSV bytes to ship (default ``figures.export.csv_bytes(df)``). ``base_url``:
    where the snapshot will be hosted; when given, every page carries its citation. ``progress``
    is called as ``progress(done, total, file)`` after each page.
    """
    from plotly.offline import get_plotlyjs

    registry = VIEWS if registry is None else registry
    today = today or datetime.date.today()
    built: list[View] = []
    missing: list[str] = []
    for builder in registry:
        try:
            view = builder(df)
        except Skipped as why:
            missing.append(str(why))
            continue
        if view is None:  # nothing in the data for this page
            continue
        if not _SLUG.match(view.slug) or view.slug == "index":
            raise ValueError(f"view slug must be a lowercase slug, not 'index' (got {view.slug!r})")
        if any(v.slug == view.slug for v in built):
            raise ValueError(f"two views share the slug {view.slug!r}")
        built.append(view)
    site = _Site(
        pages=[(f"{v.slug}.html", v.menu_title) for v in built],
        n_figures=len(df),
        n_publishers=int(df[S.PUBLISHER].nunique()),
        today=today,
        base_url=cite.clean_url(base_url) if base_url else None,
    )
    files: dict[str, bytes] = {
        PLOTLY_JS: get_plotlyjs().encode("utf-8"),
        STYLE_CSS: (TEMPLATES / "style.css").read_bytes(),
        CSV_NAME: export.csv_bytes(df) if csv is None else csv,
        DATAPACKAGE_NAME: export.datapackage_bytes(df),
    }
    total = len(built) + 1
    files[INDEX] = index_html(site, built, missing).encode("utf-8")
    if progress:
        progress(1, total, INDEX)
    for i, view in enumerate(built, start=2):
        name = f"{view.slug}.html"
        files[name] = view_html(site, view).encode("utf-8")
        for d in view.downloads:
            files[_download_name(view, d.filename)] = d.data
        if progress:
            progress(i, total, name)
    return files


def write(files: dict[str, bytes], outdir: str | Path) -> list[Path]:
    """Write the snapshot's files under ``outdir`` (created if needed); returns their paths.

    Files of an earlier snapshot with the same names are replaced; nothing else is deleted.
    """
    out = Path(outdir)
    written = []
    for rel, content in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    return written
