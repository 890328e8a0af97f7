"""Static snapshot of the dashboard: ``python -m figures export OUTDIR``. Pure: no Streamlit.

The snapshot is a folder of plain files that works opened from disk (``file://``) and from any
static host or CDN, with no network at all. It is the citable, indexable home of every view:

    index.html            every view, grouped by page; downloads; the dataset's citation and its
                          schema.org ``Dataset`` JSON-LD
    <slug>.html           one page per canonical view (``canonical_views``: each page's default
                          view, each category and measure on Compare sources, each claim of the
                          Article check with its ``ClaimReview`` JSON-LD, each source list By
                          country, …): title, description and Open Graph tags naming the view,
                          the chart(s) with a footer (sources, licence, link, data date), the
                          table, the sources with their kind and quote (linked at the quoted
                          text), a link to the same view in the app (``app_url``), a citation
    <slug>.csv, .json     the figures that view shows (the flat columns of casualties.csv)
    assets/plotly.min.js  plotly.js, shipped once, from the installed plotly package
    assets/style.css
    casualties.csv        the data (``figures.export.csv_bytes``)
    datapackage.json      its Frictionless descriptor
    sitemap.xml, robots.txt   when the address is known (``base_url``)
    v/<version>/…         with ``archive``: a dated copy of all of the above (but the sitemap);
                          every page links "this version" and "latest", and cites the dated copy

A build's version is the data's version (``datapackage.VERSION``, the date of its last change, as
CITATION.cff says) unless named. Earlier dated copies are never deleted by ``write``: publishing
into the same folder keeps them all at their addresses.

It draws the same ``figures.pages.View`` the Streamlit app draws, with the Jinja2 templates in
``figures/site/`` (autoescape on: every piece of data text is escaped; JSON-LD is written by
``figures.jsonld.script_json`` with ``<``, ``>`` and ``&`` escaped). Only http(s) URLs become
links (``figures.text.safe_url``); every ``src``/``href`` of the site itself is a relative path.

Adding a page
-------------
A page of ``figures/pages`` is added with ``page_view(name)`` (its default view) or
``page_view(name, state, slug)`` (another state of it), in ``VIEWS`` or ``canonical_views``. Any
``def my_view(df) -> View | None`` may be appended to ``VIEWS`` too. Return ``None`` when the data
has nothing for the page; raise ``Skipped("Page (why)")`` to have the index say what is missing.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from figures import charts, cite, datapackage, export, pages, text
from figures import compare as compare_data
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

#: The app's pages (app.py ``PAGES``): page module, URL path in the app ('' for its home page),
#: menu title; in the app's menu order. tests/test_site.py checks this against app.py.
APP_PAGES: tuple[tuple[str, str, str], ...] = tuple(
    (name, pages.APP_PATHS[name], title)
    for name, title in (
        ("overview", "Overview"),
        ("compare", "Compare sources"),
        ("trends", "Over time"),
        ("editions", "How estimates changed"),
        ("countries", "By country"),
        ("article", "Article check"),
        ("data", "Data & sources"),
        ("about", "About"),
    )
)
APP_PATH = pages.APP_PATHS
PAGE_TITLE = {name: title for name, _, title in APP_PAGES}

#: Parameters whose choice names a view of the page even when it is the default (so the title
#: of 'Compare sources' says which group of people and what was counted).
NAMED: dict[str, tuple[str, ...]] = {
    "compare": ("cmp_category", "cmp_measure", "cmp_period"),
    "countries": ("ctry_source",),
    "editions": ("ed_category", "ed_year", "ed_measure"),
    "article": ("art_claim",),
}


def app_query(params: Sequence[pages.Param], state: Mapping[str, object]) -> list[tuple[str, str]]:
    """The query string the app shows for ``state`` (``pages.state_query``; parameters missing
    from ``state`` are at their defaults), defaults left out as the app does."""
    asked = [
        (p.name, v)
        for p in params
        if state.get(p.name) is not None
        for v in p.url_values(state[p.name])
    ]
    full, _ = pages.parse_state(tuple(params), query_dict(asked))  # dependents follow parents
    return pages.state_query(tuple(params), full)


def query_dict(query: Sequence[tuple[str, str]]) -> dict[str, str]:
    """A query as ``pages.parse_state`` reads it: repeated values joined by commas."""
    out: dict[str, list[str]] = {}
    for k, v in query:
        out.setdefault(k, []).append(v)
    return {k: ",".join(v) for k, v in out.items()}


def view_name(
    params: Sequence[pages.Param], state: Mapping[str, object], named: Sequence[str] = ()
) -> str:
    """The words that say which view of a page this is ('Afghan civilians; Killed; …'): the
    named parameters' choices, then every other parameter that is not at its default."""
    words: list[str] = []
    seen: dict[str, object] = {}
    for p in params:
        value = state.get(p.name)
        if p.kind == pages.TOGGLE:
            if bool(value) != bool(p.default):
                words.append(p.label if value else f"{p.label}: off")
        elif p.kind == pages.RANGE:
            if value and tuple(value) != tuple(p.default):
                words.append(f"{p.label} {value[0]}–{value[1]}")
        elif p.kind == pages.MULTI:
            if value:
                words.append(f"{p.label}: " + ", ".join(p.label_of(str(v)) for v in value))
        elif p.kind == pages.TEXT or p.optional:
            if value:
                words.append(f"{p.label}: {p.label_of(str(value))}")
        elif value is not None:
            opts = p.options(seen)
            label = p.label_of(str(value))
            if p.name in named:
                words.append(f"{p.label} {value}" if label.isdigit() else label)
            elif opts and value != opts[0]:
                words.append(f"{p.label}: {label}")
        seen[p.name] = value
    return "; ".join(words)


@dataclass(frozen=True)
class Built:
    """A view ready to draw, with the page and state it comes from (for the app link)."""

    view: View
    page: str = ""  # the figures/pages module ('' for a view of no page)
    state: Mapping[str, object] = field(default_factory=dict)
    query: tuple[tuple[str, str], ...] = ()  # the app's query string for this view
    name: str = ""  # which view of the page this is, in words

    @property
    def title(self) -> str:
        return f"{self.view.title}: {self.name}" if self.name else self.view.title

    @property
    def slug(self) -> str:
        return self.view.slug


def _has_content(view: View) -> bool:
    return not view.message and bool(
        view.charts
        or view.text_tables
        or view.tables
        or view.blocks
        or any(s.charts for s in view.sections)
    )


@dataclass(frozen=True)
class PageView:
    """A canonical view: page ``name`` of ``figures/pages`` in ``state`` (option ids; unset
    parameters at their defaults), drawn at ``slug`` (default: the page's own slug). Calling it
    gives the View (None when the data has nothing for it); ``resolve`` gives it with its state."""

    name: str
    state: tuple[tuple[str, object], ...] = ()
    slug: str | None = None

    @property
    def __name__(self) -> str:  # a builder's name, as for a function
        return f"{self.name}_view"

    def resolve(self, df: pd.DataFrame, params=None) -> Built | None:
        params = pages.params_of(df, self.name) if params is None else params
        wanted = dict(self.state)
        if any(k not in {p.name for p in params} for k in wanted):
            return None
        query = app_query(params, wanted)
        state, bad = pages.parse_state(params, query_dict(query))
        if bad:
            return None  # e.g. a category the data does not have
        view = pages.page(self.name).build(df, state)
        if not _has_content(view):
            return None  # nothing in the data for this view
        if self.slug and self.slug != view.slug:
            view = replace(view, slug=self.slug)
        name = view_name(params, state, NAMED.get(self.name, ()))
        return Built(view, self.name, state, tuple(query), name)

    def __call__(self, df: pd.DataFrame) -> View | None:
        built = self.resolve(df)
        return None if built is None else built.view


def page_view(name: str, state: dict | None = None, slug: str | None = None) -> PageView:
    """The view of page ``name`` of ``figures/pages`` for ``state`` (default: its default view):
    the same View the app draws for that state."""
    return PageView(name, tuple(sorted((state or {}).items())), slug)


overview_view = page_view("overview")


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def slugify(text: str) -> str:
    """An id as a URL slug: lowercase letters and digits joined by single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def compare_view(category: str, measure: str | None = None) -> PageView:
    """Compare sources for one category (the app's defaults: killed, totals, latest editions),
    or for one of its measures."""
    from figures import compare as cmp
    from figures.pages import compare

    state: dict[str, object] = {"cmp_category": category}
    slug = compare.slug(category)
    if measure and measure != cmp.DEFAULT_MEASURE:
        state["cmp_measure"] = measure
        slug += "-" + ("all-measures" if measure == cmp.ALL_MEASURES else slugify(measure))
    return page_view("compare", state, slug=slug)


trends_view = page_view("trends")


editions_view = page_view("editions")


countries_view = page_view("countries")


@dataclass(frozen=True)
class _ArticleCheck(PageView):
    """The article check: when the claims cannot be checked, the index says why."""

    def resolve(self, df: pd.DataFrame, params=None) -> Built | None:
        try:
            from figures import claims
        except ImportError as exc:
            raise Skipped("Article check (figures/claims.py is not available)") from exc
        built = super().resolve(df, params)
        if built is None and not self.state:
            try:
                claims.evaluate_all(claims.load_claims(df), df)
            except (claims.ClaimsError, KeyError) as exc:
                raise Skipped(f"Article check (the claims could not be checked: {exc})") from exc
        return built


#: The article check's default view: every claim's verdict, and the first claim that cites
#: figures drawn beside them.
article_check_view = _ArticleCheck("article")


def claim_view(claim_id: str) -> PageView:
    """The article check on one claim: its own page (and its ClaimReview)."""
    from figures.pages import article

    return _ArticleCheck(
        "article", ((article.KEY, claim_id),), f"article-check-{slugify(claim_id)}"
    )


def _default_first(options: Sequence[str], default: str) -> list[str]:
    return [o for o in options if o == default] + [o for o in options if o != default]


#: The default view of each page, in menu order (the app's default category of Compare sources
#: first). Append a builder to add a page.
VIEWS: list[ViewBuilder] = [
    overview_view,
    *[compare_view(c) for c in _default_first(S.MAIN_CATEGORIES, compare_data.DEFAULT_CATEGORY)],
    trends_view,
    editions_view,
    countries_view,
    article_check_view,
    page_view("data"),
    page_view("about"),
]


def _options(params: Sequence[pages.Param], name: str, state=None) -> tuple[str, ...]:
    for p in params:
        if p.name == name:
            return p.options(state or {})
    return ()


def canonical_views(df: pd.DataFrame) -> list[ViewBuilder]:
    """Every view a reader may want to link to: each page's default view (``VIEWS``), then each
    choice of the page's main parameters (``params()``): each category and measure on Compare
    sources, the first-published values Over time, each Costs of War category and each UNAMA
    year that was revised, each source list By country (and with the United States drawn), and
    each claim of the Article check. One builder per slug."""
    from figures import views
    from figures.pages import countries, editions

    out: list[ViewBuilder] = list(VIEWS)
    cmp = pages.params_of(df, "compare")
    for cat in _options(cmp, "cmp_category"):
        for measure in _options(cmp, "cmp_measure", {"cmp_category": cat}):
            out.append(compare_view(cat, measure))
    out.append(page_view("trends", {"tr_first_published": True}, "over-time-first-published"))
    ed = pages.params_of(df, "editions")
    for cat in _options(ed, "ed_category")[1:]:  # the first is the default view's
        out.append(page_view("editions", {"ed_category": cat}, f"editions-{slugify(cat)}"))
    for year in _options(ed, "ed_year"):
        for measure in _options(ed, "ed_measure"):
            default = (year, measure) == (editions.DEFAULT_YEAR, editions.MEASURES[0])
            if not default and len(views.year_revision_chain(df, int(year), measure)) > 1:
                out.append(
                    page_view(
                        "editions",
                        {"ed_year": year, "ed_measure": measure},
                        f"editions-unama-{year}-{slugify(measure)}",
                    )
                )
    for source in _options(pages.params_of(df, "countries"), "ctry_source"):
        if source != views.LATEST:
            slug = f"{countries.SLUG}-{slugify(source)}"
            out.append(page_view("countries", {"ctry_source": source}, slug))
    out.append(page_view("countries", {"ctry_include_us": True}, f"{countries.SLUG}-with-us"))
    for claim_id in _options(pages.params_of(df, "article"), "art_claim"):
        out.append(claim_view(claim_id))
    seen: set = set()
    unique = []
    for b in out:
        key = (b.name, b.state) if isinstance(b, PageView) else (id(b),)
        if key not in seen:
            seen.add(key)
            unique.append(b)
    return unique


def snapshot_slug(df: pd.DataFrame, name: str, state: Mapping[str, object]) -> str | None:
    """The slug of the snapshot page that shows page ``name`` in ``state`` (one of
    ``canonical_views``), or None when the snapshot has no page for that exact view. Cheap: no
    view is built (the app's share box calls it)."""
    params = pages.params_of(df, name)
    full, _ = pages.parse_state(params, query_dict(pages.state_query(params, state)))
    for b in canonical_views(df):
        if not isinstance(b, PageView) or b.name != name:
            continue
        wanted, bad = pages.parse_state(params, query_dict(app_query(params, dict(b.state))))
        if not bad and wanted == full:
            return b.slug or getattr(pages.page(name), "SLUG", None)
    return None


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
    quote_url: str | None = None  # the source opened at the quote (text fragment, PDF page)
    quote_label: str = ""


def source_item(row: pd.Series) -> SourceItem:
    """One source: figure, publisher and document, scope, excerpt, caveat (all plain text)."""
    cat = S.value_label(S.CATEGORY, row[S.CATEGORY])
    nationality = row.get(S.NATIONALITY)
    if isinstance(nationality, str) and nationality.strip():
        cat += f", {nationality}"  # per-country figures: say whose
    measure = S.value_label(S.MEASURE, row[S.MEASURE])
    excerpt, caveat = row[S.EXCERPT], row[S.CAVEAT]
    excerpt = excerpt.strip() if isinstance(excerpt, str) else ""
    url = text.safe_url(row[S.SOURCE_URL])
    locator = row.get(S.LOCATOR)
    deep = text.safe_url(cite.quote_link(url, excerpt, locator)) if url else None
    page = cite.locator_page(locator) if url and cite.is_pdf(url) else None
    return SourceItem(
        figure_id=str(row[S.FIGURE_ID]),
        heading=f"{cat}: {format_figure(row)} {measure}",
        label=f"{row[S.PUBLISHER]}, {row[S.SOURCE_TITLE]}",
        url=url,
        kind=source_kind_text(row),
        dates=f"published {fmt_date(row[S.PUBLISHED])}; covers {period_text(row)}",
        scope=(
            f"{S.value_label(S.GEOGRAPHY, row[S.GEOGRAPHY])}; "
            f"{S.value_label(S.METHOD, row[S.METHOD])}; "
            f"{S.value_label(S.STATUS, row[S.STATUS])}"
        ),
        excerpt=excerpt,
        caveat=caveat.strip() if isinstance(caveat, str) else "",
        quote_url=deep,
        quote_label=f"open the document at page {page}"
        if page
        else "open the source at this quote",
    )


@dataclass(frozen=True)
class ChartBlock:
    div_id: str
    alt: str
    plot: str  # plotly.io's own markup of the inert figure: the one piece not escaped (``safe``)
    sources: str = ""  # the publishers of the figures it draws, for its footer


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
    rows = c.table.rows if c.table is not None else None
    pubs = (
        []
        if rows is None or S.PUBLISHER not in rows
        else [str(p) for p in rows[S.PUBLISHER].dropna()]
    )
    return ChartBlock(div_id=div_id, alt=c.alt, plot=plot, sources=cite.source_list(pubs))


@dataclass(frozen=True)
class _Site:
    groups: list[tuple[str, str, list[Built]]]  # (page, title, views), in menu order
    n_figures: int
    n_publishers: int
    today: datetime.date  # the day the snapshot was made (the version's release date)
    base_url: str | None  # where the snapshot is hosted (with a trailing slash)
    version: str = ""
    data_date: datetime.date | None = None
    archived: bool = False  # a dated copy of this version is written under v/<version>/
    app_url: str | None = None

    @property
    def nav(self) -> list[tuple[str, str]]:
        """Home, then each page's first (default) view."""
        return [(INDEX, "Home")] + [(f"{vs[0].slug}.html", t) for _, t, vs in self.groups]

    @property
    def version_dir(self) -> str:
        return f"{VERSIONS_DIR}/{self.version}/"


@dataclass(frozen=True)
class _Tree:
    """Where a page is written: the latest copy (the snapshot's root) or the dated one."""

    prefix: str = ""  # '' or 'v/<version>/'

    @property
    def dated(self) -> bool:
        return bool(self.prefix)


def _page_url(base: str | None, rel: str) -> str | None:
    """The address of ``rel`` (a file of the snapshot) under ``base`` ('index.html' as the
    folder itself)."""
    if not base:
        return None
    if rel == INDEX or rel.endswith("/" + INDEX):
        rel = rel[: -len(INDEX)]
    return base + rel


def _links(site: _Site, tree: _Tree, file: str) -> dict:
    """The page's links to itself: latest and this version, relative and absolute."""
    up = "../" * tree.prefix.count("/")
    latest_href = up + file
    version_href = (file if tree.dated else site.version_dir + file) if site.archived else None
    latest_url = _page_url(site.base_url, file)
    version_url = _page_url(site.base_url, site.version_dir + file) if site.archived else None
    return {
        "latest_href": latest_href,
        "version_href": version_href,
        "latest_url": latest_url,
        "version_url": version_url,
        "self_url": version_url if tree.dated else latest_url,
        "self_href": file,
        "cite_url": version_url or latest_url,
    }


def _common(site: _Site, tree: _Tree, file: str, title: str, description: str, plotly=False):
    links = _links(site, tree, file)
    return {
        "head_title": SITE_TITLE if file == INDEX else f"{title} — {SITE_TITLE}",
        "og_title": title,
        "description": shorten(description),
        "style_css": STYLE_CSS,
        "plotly_js": PLOTLY_JS,
        "plotly": plotly,
        "index": INDEX,
        "site_title": SITE_TITLE,
        "nav": site.nav,
        "current": file,
        "csv_name": CSV_NAME,
        "datapackage_name": DATAPACKAGE_NAME,
        "licence": cite.LICENCE,
        "licence_url": datapackage.LICENSE["path"],
        "n_figures": site.n_figures,
        "n_publishers": site.n_publishers,
        "today": site.today.isoformat(),
        "version": site.version,
        "dated": tree.dated,
        "data_date": fmt_date(pd.Timestamp(site.data_date)) if site.data_date else "",
        "released": fmt_date(pd.Timestamp(site.today)),
        **links,
        "jsonld": [],
    }


def _citation(site: _Site, url: str | None, title: str | None, rows: pd.DataFrame | None):
    pubs = [] if rows is None or rows.empty else [str(p) for p in rows[S.PUBLISHER].dropna()]
    return {
        "plain": cite.versioned_citation(url, site.version, site.today, title, pubs),
        "bibtex": cite.versioned_bibtex(url, site.version, site.today, title, pubs),
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


def shorten(text_: str, limit: int = 300) -> str:
    """Text on one line, cut at a word before ``limit`` characters with '…'."""
    one = " ".join(str(text_).split())
    if len(one) <= limit:
        return one
    return one[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def describe(built: Built) -> str:
    """The page's description (meta and Open Graph): what it shows, its verdict, its numbers."""
    view = built.view
    parts = [built.title + "."]
    badges = [s.badge[0] for s in view.sections if s.badge]
    if badges:
        parts.append("Verdict: " + "; ".join(badges) + ".")
    first = next((c.alt for c in view.all_charts), "")
    parts.append(first or view.intro)
    return shorten(" ".join(parts))


@dataclass(frozen=True)
class _Drawn:
    """A view computed once, drawn into both trees: its parts (with the charts' markup)."""

    built: Built
    main: dict
    sections: list[dict]
    figures: pd.DataFrame
    description: str
    csv: bytes
    columns: list[str]
    records: list[dict]
    jsonld: tuple[tuple, ...] = ()  # what its JSON-LD blocks review: ('claim', verdict, rows)


def app_link(site: _Site, built: Built) -> str | None:
    """The app's address of the same view, when the app's address is known."""
    if not site.app_url or built.page not in APP_PATH:
        return None
    path = APP_PATH[built.page]
    base = site.app_url.rstrip("/") + ("/" + path if path else "/")
    return text.safe_url(cite.view_link(base, path, built.query))


@dataclass(frozen=True)
class _Rows:
    """The flat CSV lines and JSON records of every figure, by id: a view's own CSV and JSON
    are the rows of the figures it shows, formatted once for the whole snapshot."""

    header: str
    columns: list[str]
    lines: dict[str, str]
    records: dict[str, dict]

    @classmethod
    def of(cls, df: pd.DataFrame) -> _Rows:
        if df.empty or S.FIGURE_ID not in df:
            return cls("", [], {}, {})
        header, lines = export.csv_lines(df)
        ids = [str(f) for f in df[S.FIGURE_ID]]
        return cls(
            header,
            export.columns(df),
            dict(zip(ids, lines, strict=True)),
            dict(zip(ids, export.records(df), strict=True)),
        )

    def pick(self, figures: pd.DataFrame) -> tuple[bytes, list[str], list[dict]]:
        """(CSV bytes, columns, records) of ``figures`` (formatted anew if one is not in df)."""
        ids = [] if figures.empty else [str(f) for f in figures[S.FIGURE_ID]]
        if self.header and all(i in self.lines for i in ids):
            lines = [self.lines[i] for i in ids]
            return (
                export.lines_bytes(self.header, lines),
                self.columns,
                [self.records[i] for i in ids],
            )
        if figures.empty:
            figures = pd.DataFrame(columns=list(S.ALL))
        return export.csv_bytes(figures), export.columns(figures), export.records(figures)


def _drawn(built: Built, rows: _Rows, verdicts: dict, site: _Site | None = None) -> _Drawn:
    view = built.view
    figures = export.view_frame([view.figures, *(s.figures for s in view.sections)])
    csv, columns, records = rows.pick(figures)
    extra: tuple[tuple, ...] = ()
    claim_id = built.state.get("art_claim") if built.page == "article" else None
    if claim_id and built.slug != _ARTICLE_SLUG and claim_id in verdicts:
        v = verdicts[claim_id]
        if v.comparisons:  # checked against figures
            extra = (("claim", v, view.sections[0].figures if view.sections else None),)
    return _Drawn(
        built=built,
        main=_part(view, f"chart-{view.slug}", "h2", site),
        sections=[
            {"heading": s.heading, **_part(s, f"chart-{view.slug}-s{i}", "h3", site)}
            for i, s in enumerate(view.sections, 1)
        ],
        figures=figures,
        description=describe(built),
        csv=csv,
        columns=columns,
        records=records,
        jsonld=extra,
    )


def _jsonld_blocks(site: _Site, drawn: _Drawn, links: dict) -> list[Markup]:
    from figures import jsonld

    out = []
    for kind, verdict, figures in drawn.jsonld:
        if kind == "claim":
            url = links["self_url"] or links["self_href"]
            block = jsonld.claim_review(verdict, figures, url=url, released=site.today)
            out.append(Markup(jsonld.script_json(block)))  # noqa: S704 (JSON, '<' escaped)
    return out


def view_json(site: _Site, drawn: _Drawn, links: dict, citation: dict, app: str | None) -> bytes:
    """The view's JSON: what it shows, where, which version, and its figures (as its CSV)."""
    built = drawn.built
    state = {k: list(v) if isinstance(v, tuple) else v for k, v in built.state.items()}
    doc = {
        "title": built.title,
        "description": drawn.description,
        "page": built.page or None,
        "slug": built.slug,
        "state": state,
        "url": links["self_url"] or links["self_href"],
        "latest_url": links["latest_url"],
        "interactive_url": app,
        "version": site.version,
        "released": site.today.isoformat(),
        "data_date": site.data_date.isoformat() if site.data_date else None,
        "licence": cite.LICENCE,
        "licence_url": datapackage.LICENSE["path"],
        "citation": citation["plain"],
        "csv": f"{built.slug}.csv",
        "columns": drawn.columns,
        "figures": drawn.records,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def view_html(site: _Site, view: View | Built | _Drawn, tree: _Tree | None = None) -> str:
    """One view's page, in the latest tree (default) or the dated one."""
    drawn = (
        view
        if isinstance(view, _Drawn)
        else _drawn(_as_built(view), _Rows.of(pd.DataFrame()), {}, site)
    )
    return _view_files(site, drawn, tree or _Tree())[f"{drawn.built.slug}.html"].decode("utf-8")


def _as_built(view: View | Built) -> Built:
    return view if isinstance(view, Built) else Built(view)


def _siblings(site: _Site, built: Built) -> tuple[str, list[tuple[str, str, bool]]]:
    for _page, title, views in site.groups:
        if any(b is built for b in views):
            if len(views) < 2:
                return title, []
            return title, [(f"{b.slug}.html", b.name or b.title, b is built) for b in views]
    return "", []


def _view_files(site: _Site, drawn: _Drawn, tree: _Tree) -> dict[str, bytes]:
    built, view = drawn.built, drawn.built.view
    file = f"{built.slug}.html"
    plotly = bool(view.all_charts)
    common = _common(site, tree, file, built.title, drawn.description, plotly=plotly)
    citation = _citation(site, common["cite_url"], built.title, drawn.figures)
    app = app_link(site, built)
    group_title, siblings = _siblings(site, built)
    common["jsonld"] = _jsonld_blocks(site, drawn, common)
    html = _ENV.get_template("view.html.j2").render(
        **common,
        view=view,
        name=built.name,
        main=drawn.main,
        sections=drawn.sections,
        downloads=[
            {"label": d.label, "href": _download_name(view, d.filename)} for d in view.downloads
        ],
        view_csv=f"{built.slug}.csv",
        view_json=f"{built.slug}.json",
        n_shown=len(drawn.figures),
        app_url=app,
        group_title=group_title,
        siblings=siblings,
        citation=citation,
    )
    out = {
        file: html.encode("utf-8"),
        f"{built.slug}.csv": drawn.csv,
        f"{built.slug}.json": view_json(site, drawn, common, citation, app),
    }
    for d in view.downloads:
        out[_download_name(view, d.filename)] = d.content()
    return out


def index_html(
    site: _Site, built: list, missing: list[str], tree: _Tree | None = None, df=None
) -> str:
    from figures import jsonld

    tree = tree or _Tree()
    common = _common(site, tree, INDEX, SITE_TITLE, datapackage.DESCRIPTION)
    if df is not None and not df.empty:
        base = site.base_url
        here = common["self_url"]
        prefix = (site.version_dir if tree.dated else "") if base else ""
        block = jsonld.dataset(
            df,
            url=here or INDEX,
            csv_url=(base + prefix + CSV_NAME) if base else CSV_NAME,
            datapackage_url=(base + prefix + DATAPACKAGE_NAME) if base else DATAPACKAGE_NAME,
            version=site.version,
            released=site.today,
        )
        common["jsonld"] = [Markup(jsonld.script_json(block))]  # noqa: S704 (JSON, '<' escaped)
    return _ENV.get_template("index.html.j2").render(
        **common,
        lead=datapackage.DESCRIPTION,
        groups=site.groups,
        missing=missing,
        citation=_citation(site, common["cite_url"], None, None),
    )


def sitemap_xml(site: _Site) -> str:
    """Every page of the latest copy, for search engines (needs the snapshot's address)."""
    urls = [_page_url(site.base_url, INDEX)]
    urls += [_page_url(site.base_url, f"{b.slug}.html") for _, _, vs in site.groups for b in vs]
    return _ENV.get_template("sitemap.xml.j2").render(urls=urls, lastmod=site.today.isoformat())


def robots_txt(site: _Site) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {site.base_url}sitemap.xml\n"


# --- the snapshot -------------------------------------------------------------------------------

VERSIONS_DIR = "v"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
#: File names a view's slug may not take (its .html, .csv and .json sit beside these).
RESERVED = frozenset({"index", "casualties", "datapackage", "sitemap", "robots", VERSIONS_DIR})
_ARTICLE_SLUG = "article-check"


def default_version(df: pd.DataFrame) -> str:
    """The data's version, as CITATION.cff and datapackage.json name it (``datapackage.VERSION``:
    the date of the data's last change, YYYY-MM-DD); ``df`` is kept for callers."""
    del df
    return datapackage.VERSION


def _resolve(builder: ViewBuilder, df: pd.DataFrame, params: dict) -> Built | None:
    if isinstance(builder, PageView):
        if builder.name not in params:
            params[builder.name] = pages.params_of(df, builder.name)
        return builder.resolve(df, params[builder.name])
    view = builder(df)
    return None if view is None else Built(view)


def _verdicts(df: pd.DataFrame, built: list[Built]) -> dict:
    if not any(b.page == "article" for b in built):
        return {}
    from figures import claims

    try:
        return {v.claim.claim_id: v for v in claims.evaluate_all(claims.load_claims(df), df)}
    except (claims.ClaimsError, KeyError):
        return {}


def _groups(built: list[Built]) -> list[tuple[str, str, list[Built]]]:
    order = [name for name, _, _ in APP_PAGES]
    by_page: dict[str, list[Built]] = {}
    for b in built:
        by_page.setdefault(b.page or f"view:{b.slug}", []).append(b)
    keys = sorted(by_page, key=lambda k: order.index(k) if k in order else len(order))
    return [(k, PAGE_TITLE.get(k) or by_page[k][0].view.menu_title, by_page[k]) for k in keys]


def build(
    df: pd.DataFrame,
    *,
    csv: bytes | None = None,
    base_url: str | None = None,
    today: datetime.date | None = None,
    registry: Sequence[ViewBuilder] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    version: str | None = None,
    archive: bool = False,
    app_url: str | None = None,
) -> dict[str, bytes]:
    """Every file of the snapshot, by relative path, in a stable order.

    ``csv``: the CSV bytes to ship (default ``figures.export.csv_bytes(df)``). ``base_url``:
    where the snapshot will be hosted (absolute links, Open Graph URLs, sitemap.xml and
    robots.txt). ``registry``: the views to draw (default: ``canonical_views(df)``).
    ``version``: the name of this build (default: the data's date); with ``archive``, a dated
    copy is written under ``v/<version>/`` as well, and every page links both. ``app_url``: the
    live app, for each page's "Open the interactive version" link. ``progress`` is called as
    ``progress(done, total, file)`` after each page.
    """
    from plotly.offline import get_plotlyjs

    today = today or datetime.date.today()
    version = cite.check_version(version or default_version(df))
    app = text.safe_url(app_url) if app_url else None
    if app_url and app is None:
        raise ValueError(f"the app's address must be an http(s) URL (got {app_url!r})")
    registry = canonical_views(df) if registry is None else registry
    built: list[Built] = []
    missing: list[str] = []
    params: dict = {}
    slugs: set[str] = set()
    for builder in registry:
        try:
            b = _resolve(builder, df, params)
        except Skipped as why:
            missing.append(str(why))
            continue
        if b is None:  # nothing in the data for this page
            continue
        slug = b.slug
        if not _SLUG.match(slug) or slug in RESERVED:
            raise ValueError(
                f"view slug must be a lowercase slug, not one of {sorted(RESERVED)} (got {slug!r})"
            )
        if slug in slugs:
            raise ValueError(f"two views share the slug {slug!r}")
        slugs.add(slug)
        built.append(b)
    base = cite.clean_url(base_url).rstrip("/") + "/" if base_url else None
    site = _Site(
        groups=_groups(built),
        n_figures=len(df),
        n_publishers=int(df[S.PUBLISHER].nunique()),
        today=today,
        base_url=base,
        version=version,
        data_date=cite.data_date(df[S.PUBLISHED]) if S.PUBLISHED in df else None,
        archived=archive,
        app_url=app,
    )
    shared: dict[str, bytes] = {
        PLOTLY_JS: get_plotlyjs().encode("utf-8"),
        STYLE_CSS: (TEMPLATES / "style.css").read_bytes(),
        CSV_NAME: export.csv_bytes(df) if csv is None else csv,
        DATAPACKAGE_NAME: export.datapackage_bytes(df),
    }
    trees = [_Tree(), *([_Tree(site.version_dir)] if archive else [])]
    files: dict[str, bytes] = {}
    for tree in trees:
        for name, content in shared.items():
            files[tree.prefix + name] = content
        files[tree.prefix + INDEX] = index_html(site, built, missing, tree, df).encode("utf-8")
    total = len(built) + 1
    if progress:
        progress(1, total, INDEX)
    verdicts = _verdicts(df, built)
    rows = _Rows.of(df)
    for i, b in enumerate(built, start=2):
        drawn = _drawn(b, rows, verdicts, site)
        for tree in trees:
            for name, content in _view_files(site, drawn, tree).items():
                files[tree.prefix + name] = content
        if progress:
            progress(i, total, f"{b.slug}.html")
    if base:
        files[SITEMAP] = sitemap_xml(site).encode("utf-8")
        files[ROBOTS] = robots_txt(site).encode("utf-8")
    return files


def write(files: dict[str, bytes], outdir: str | Path) -> list[Path]:
    """Write the snapshot's files under ``outdir`` (created if needed); returns their paths.

    Files of an earlier snapshot with the same names are replaced; nothing else is deleted, so
    the dated copies of earlier versions under ``v/`` stay where they are.
    """
    out = Path(outdir)
    written = []
    for rel, content in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    return written
