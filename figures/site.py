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

Every piece of data text goes through ``html.escape``; only http(s) URLs become links
(``figures.text.safe_url``); every ``src``/``href`` of the site itself is a relative path.

Adding a page
-------------
Write a small pure function ``def my_view(df) -> View | None`` and append it to ``VIEWS``. Return
``None`` when the data has nothing for the page; raise ``Skipped("Page (why)")`` to have the index
say what is missing. A ``View`` carries a slug (the file name), a title, an intro, charts
(``Chart(figure, alt, name)``, e.g. from ``figures.charts``), the rows whose table, sources and
caveats it lists, and optional text tables (``TextTable``) and notes. The export's tests then check
the new page too (no network, every chart drawn, text escaped).
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from figures import charts, cite, datapackage, export, text, views
from figures import schema as S
from figures.charts import fmt_date, format_figure, period_text, source_kind_text

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

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Chart:
    """One interactive chart: the figure, alt text stating its main numbers, a PNG file name."""

    figure: go.Figure
    alt: str
    name: str


@dataclass(frozen=True)
class TextTable:
    """A table of plain text cells (e.g. the article's claims and what the sources say)."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class View:
    """Everything one static page shows. All text is plain text; the page escapes it."""

    slug: str
    title: str
    intro: str = ""
    charts: tuple[Chart, ...] = ()
    rows: pd.DataFrame | None = None  # the figures shown: their table, sources and caveats
    table_columns: tuple[str, ...] = TABLE_COLUMNS
    tables: tuple[TextTable, ...] = ()
    notes: tuple[str, ...] = ()


ViewBuilder = Callable[[pd.DataFrame], "View | None"]


class Skipped(Exception):
    """A builder cannot make its page; the message says which page and why (listed on the index)."""


# --- the registry of views --------------------------------------------------------------------


def overview_view(df: pd.DataFrame) -> View | None:
    """The overview: the five categories side by side, each from its default source."""
    rows = views.overview_rows(df)
    if rows.empty:
        return None
    return View(
        slug="overview",
        title="Overview",
        intro=(
            "Each bar is one source's figure for one group of people, with the source's range "
            "drawn where it gives one. Bars come from different sources and methods: compare "
            "them, never add them up. This snapshot shows each bar's default source; the live "
            "dashboard lets you choose another."
        ),
        charts=(
            Chart(charts.overview_bar(rows), charts.overview_alt(rows), "afghanistan-overview"),
        ),
        rows=rows,
    )


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def compare_view(category: str) -> ViewBuilder:
    """Compare sources for one category (the app's defaults: killed, totals, latest editions)."""

    def build(df: pd.DataFrame) -> View | None:
        from figures import compare

        if category not in compare.categories(df):
            return None
        measure = compare.DEFAULT_MEASURE
        if measure not in compare.measures(df, category):
            return None
        rows = compare.compare_rows(df, category, measure)
        if rows.empty:
            return None
        label = S.value_label(S.CATEGORY, category)
        return View(
            slug="compare-" + category.replace("_", "-"),
            title=f"Compare sources: {label}",
            intro=(
                f"Every total the sources give for {label.lower()} killed, one mark per "
                "figure: each publisher, each edition, each period and place, side by side and "
                "never added up. Latest editions only; the live dashboard also shows superseded "
                "editions, other measures and single years."
            ),
            charts=(
                Chart(
                    charts.compare_chart(rows, category),
                    charts.compare_alt(rows, category),
                    f"afghanistan-compare-{category}",
                ),
            ),
            rows=rows,
            notes=tuple(f"Why these figures differ: {n}" for n in compare.scope_differences(rows)),
        )

    build.__name__ = f"compare_view_{category}"
    return build


def trends_view(df: pd.DataFrame) -> View | None:
    """Over time: UNAMA's civilians per year (latest revisions); coalition and US deaths."""
    found: list[Chart] = []
    frames: list[pd.DataFrame] = []
    killed, injured = (
        views.yearly_series(df, "civilians", m, publisher_contains=views.UNAMA)
        for m in ("killed", "injured")
    )
    if not (killed.empty and injured.empty):
        found.append(
            Chart(
                charts.unama_yearly_chart(killed, injured),
                charts.unama_yearly_alt(killed, injured),
                "afghanistan-unama-civilians-per-year",
            )
        )
        frames += [killed, injured]
    for category in ("coalition_military", "us_military"):
        series = [(n, r) for n, r in views.yearly_series_all(df, category, "killed") if not r.empty]
        if series:
            found.append(
                Chart(
                    charts.yearly_lines(series, category, "killed"),
                    charts.yearly_lines_alt(series, category, "killed"),
                    f"afghanistan-{category.replace('_', '-')}-per-year",
                )
            )
            frames += [r for _, r in series]
    if not found:
        return None
    return View(
        slug="over-time",
        title="Over time",
        intro=(
            "Figures for one calendar year each, as their publishers state them: UNAMA's "
            "civilians killed and injured (latest revision of each year), and coalition and US "
            "military deaths. Each series keeps its own publisher and counting rule; figures "
            "from different series are never added up or joined. A figure for part of a year "
            "is labelled as such."
        ),
        charts=tuple(found),
        rows=_concat(frames),
    )


#: The editions view's defaults, as on the app's page (figures/ui/editions.py).
EDITIONS_CATEGORY = "afghan_security_forces"
REVISION_YEAR = 2011
REVISION_MEASURE = "killed"


def editions_view(df: pd.DataFrame) -> View | None:
    """How estimates changed: Costs of War editions of one category; UNAMA's revisions of a year."""
    found: list[Chart] = []
    frames: list[pd.DataFrame] = []
    chains = [
        c for c in views.edition_chains(df, views.COSTS_OF_WAR, EDITIONS_CATEGORY) if len(c) > 1
    ]
    if chains:
        found.append(
            Chart(
                charts.edition_chart(chains, EDITIONS_CATEGORY),
                charts.edition_alt(chains, EDITIONS_CATEGORY),
                f"costs-of-war-editions-{EDITIONS_CATEGORY}",
            )
        )
        frames += chains
    chain = views.year_revision_chain(df, REVISION_YEAR, REVISION_MEASURE)
    if not chain.empty:
        changes = views.revision_changes(chain)
        found.append(
            Chart(
                charts.revision_chart(changes, REVISION_YEAR),
                charts.revision_alt(changes, REVISION_YEAR),
                f"unama-{REVISION_YEAR}-{REVISION_MEASURE}-revisions",
            )
        )
        frames.append(chain)
    if not found:
        return None
    return View(
        slug="editions",
        title="How estimates changed",
        intro=(
            "Publishers revise their figures. Costs of War re-estimates the whole war in each "
            "edition, so the difference between two editions is not the number of people killed "
            "between their dates: never subtract one edition from another. UNAMA restates "
            "earlier years in later reports as it verifies more incidents. Every published value "
            "is kept."
        ),
        charts=tuple(found),
        rows=_concat(frames),
    )


def countries_view(df: pd.DataFrame) -> View | None:
    """Coalition military deaths by country: the latest figure per country, US not drawn."""
    rows = views.country_rows(df, views.LATEST, include_us=False)
    if rows.empty:
        return None
    subtitle = "latest figure per country; sources and dates differ, see each bar"
    return View(
        slug="by-country",
        title="Coalition military deaths by country",
        intro=(
            "Deaths of each coalition country's military personnel, one bar per country, each "
            "naming its source. Countries count differently (all causes or hostile action only, "
            "in Afghanistan or also nearby), so read each bar's counting rule before comparing "
            "two. The bars are never added up into a coalition total. The United States is not "
            "drawn (its figure dwarfs the others); see the US military figures on the other pages."
        ),
        charts=(
            Chart(
                charts.country_bar(rows, subtitle=subtitle),
                charts.country_alt(rows, subtitle=subtitle),
                "afghanistan-deaths-by-country",
            ),
        ),
        rows=rows,
        table_columns=(S.NATIONALITY, *TABLE_COLUMNS[2:]),
    )


def article_check_view(df: pd.DataFrame) -> View | None:
    """The article check: each claim of the February 2020 article, its verdict and why.

    HOOK: the app's page also draws one chart per claim; the rows and labels it draws come from
    ``figures/ui/article.py`` (``_figures_of``). Once that moves to ``figures/claims.py``, add a
    ``Chart(charts.claim_chart(...), charts.claim_alt(...), ...)`` per claim here.
    """
    try:
        from figures import claims
    except ImportError as exc:
        raise Skipped("Article check (figures/claims.py is not available)") from exc
    try:
        verdicts = claims.evaluate_all(claims.load_claims(df), df)
    except (claims.ClaimsError, KeyError) as exc:
        raise Skipped(f"Article check (the claims could not be checked: {exc})") from exc
    if not verdicts:
        return None
    table = TextTable(
        caption="The article's numbers and what the sources say",
        header=("Claim (paraphrased)", "As the article puts it", "Verdict", "Why"),
        rows=tuple((v.claim.claim, v.claim.words, v.badge, v.explanation) for v in verdicts),
    )
    cited = [r for v in verdicts for r, _ in v.comparisons]
    rows = pd.DataFrame(cited).drop_duplicates(S.FIGURE_ID) if cited else pd.DataFrame()
    return View(
        slug="article-check",
        title="Article check",
        intro=(
            "The project started from an opinion article of February 2020 about the US–Taliban "
            "talks. Each number in it is set beside what the sources in this dataset say, with "
            "a verdict computed from the number, the words around it and the source figures. "
            "It checks the numbers only: it does not endorse or dispute the article's views."
        ),
        tables=(table,),
        rows=rows.reset_index(drop=True),
    )


#: The pages of the snapshot, in menu order. Append a builder to add a page.
VIEWS: list[ViewBuilder] = [
    overview_view,
    *[compare_view(c) for c in S.MAIN_CATEGORIES],
    trends_view,
    editions_view,
    countries_view,
    article_check_view,
]


# --- HTML ---------------------------------------------------------------------------------------


def esc(value) -> str:
    """Plain text as HTML text: '' for missing, whitespace kept as is."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def link(label, url) -> str:
    """An HTML link when the URL is http(s); otherwise the escaped label alone."""
    target = text.safe_url(url)
    if not target:
        return esc(label)
    return f'<a href="{esc(target)}" rel="noopener noreferrer">{esc(label)}</a>'


def cell(row: pd.Series, column: str) -> str:
    """One table cell as HTML: numbers with thousands separators, labels for enum values."""
    value = row[column] if column in row.index else None
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    col = S.BY_NAME.get(column)
    if col is None:
        return esc(value)
    if col.kind == "int":
        return esc(charts.fmt_int(value))
    if col.kind == "date":
        return esc(pd.Timestamp(value).strftime("%Y-%m-%d"))
    if col.kind == "enum":
        return esc(S.value_label(column, str(value)))
    if col.kind == "url":
        return link(value, value)
    return esc(value)


def rows_table(rows: pd.DataFrame, columns: Sequence[str]) -> str:
    cols = [c for c in columns if c in rows.columns]
    head = "".join(f'<th scope="col">{esc(S.label(c))}</th>' for c in cols)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{cell(r, c)}</td>" for c in cols) + "</tr>"
        for _, r in rows.iterrows()
    )
    return (
        f'<div class="scroll"><table>\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody></table></div>"
    )


def text_table(table: TextTable) -> str:
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in table.header)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in table.rows
    )
    return (
        f'<div class="scroll"><table>\n<caption>{esc(table.caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table></div>"
    )


def source_item(row: pd.Series) -> str:
    """One source as an HTML list item: figure, publisher and document, scope, excerpt, caveat."""
    cat = S.value_label(S.CATEGORY, row[S.CATEGORY])
    nationality = row.get(S.NATIONALITY)
    if isinstance(nationality, str) and nationality.strip():
        cat += f", {nationality}"  # per-country figures: say whose
    measure = S.value_label(S.MEASURE, row[S.MEASURE])
    parts = [
        f"<strong>{esc(f'{cat}: {format_figure(row)} {measure}')}</strong>",
        link(f"{row[S.PUBLISHER]}, {row[S.SOURCE_TITLE]}", row[S.SOURCE_URL]),
        f'<em class="kind">{esc(source_kind_text(row))}</em>',
        esc(f"published {fmt_date(row[S.PUBLISHED])}; covers {period_text(row)}"),
        esc(
            f"{S.value_label(S.GEOGRAPHY, row[S.GEOGRAPHY])}; "
            f"{S.value_label(S.METHOD, row[S.METHOD])}; "
            f"{S.value_label(S.STATUS, row[S.STATUS])}"
        ),
    ]
    out = "<li>" + " — ".join(parts)
    if isinstance(row[S.EXCERPT], str) and row[S.EXCERPT].strip():
        out += f'<br><span class="excerpt">Excerpt: <q>{esc(row[S.EXCERPT])}</q></span>'
    caveat = row[S.CAVEAT]
    if isinstance(caveat, str) and caveat.strip():
        out += f'<br><span class="caveat"><em>Caveat:</em> {esc(caveat)}</span>'
    return out + "</li>"


def chart_block(c: Chart, div_id: str) -> str:
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
    return (
        f'<figure class="chart" role="group" aria-labelledby="{div_id}-alt">\n'
        f'<div class="plot" role="img" aria-label="{esc(c.alt)}">{plot}</div>\n'
        f'<figcaption id="{div_id}-alt"><details><summary>Chart description</summary>'
        f"<p>{esc(c.alt)}</p></details></figcaption>\n</figure>"
    )


_CSS = """\
:root { --accent: #0072B2; --muted: #555; --line: #E5E5E5; }
* { box-sizing: border-box; }
body { font-family: "Source Sans Pro", Arial, sans-serif; color: #1A1A1A; margin: 0;
       line-height: 1.5; background: #fff; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 1rem; }
header { border-bottom: 1px solid var(--line); padding-top: .5rem; }
header .site { font-weight: 600; margin: 0 0 .25rem; }
nav ul { list-style: none; padding: 0; margin: 0 0 .5rem; display: flex; flex-wrap: wrap;
         gap: .25rem 1rem; }
a { color: var(--accent); }
a[aria-current="page"] { font-weight: 600; color: #1A1A1A; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .25rem; }
figure.chart { margin: 1rem 0; }
figcaption, .note, footer { color: var(--muted); font-size: .95rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .9rem; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left;
         vertical-align: top; }
td { font-variant-numeric: tabular-nums; }
ul.sources li { margin-bottom: .5rem; }
.excerpt, .caveat { font-size: .95rem; }
pre { white-space: pre-wrap; background: #F2F4F7; padding: .5rem; font-size: .85rem; }
footer { border-top: 1px solid var(--line); margin-top: 2rem; padding-bottom: 2rem; }
"""


@dataclass(frozen=True)
class _Site:
    pages: list[tuple[str, str]]  # (file name, title) in menu order
    n_figures: int
    n_publishers: int
    today: datetime.date
    base_url: str | None


def _page(site: _Site, file: str, title: str, body: str, plotly: bool = False) -> str:
    current = ' aria-current="page"'
    nav = "".join(
        f'<li><a href="{esc(f)}"{current if f == file else ""}>{esc(t)}</a></li>'
        for f, t in [(INDEX, "Home"), *site.pages]
    )
    head_title = SITE_TITLE if file == INDEX else f"{title} — {SITE_TITLE}"
    script = f'\n<script src="{PLOTLY_JS}" charset="utf-8"></script>' if plotly else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{esc(head_title)}</title>
<link rel="stylesheet" href="{STYLE_CSS}">{script}
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header>
<p class="site"><a href="{INDEX}">{esc(SITE_TITLE)}</a></p>
<nav aria-label="Pages"><ul>{nav}</ul></nav>
</header>
<main id="main">
{body}
</main>
<footer>
<p>Data: <a href="{CSV_NAME}" download>{CSV_NAME}</a> and
<a href="{DATAPACKAGE_NAME}">{DATAPACKAGE_NAME}</a> (its schema and sources).
Licence: {esc(cite.LICENCE)}; each figure is credited to its publisher.
Static snapshot of {site.n_figures:,} figures from {site.n_publishers:,} publishers,
made {esc(site.today.isoformat())}.</p>
</footer>
</body>
</html>
"""


def _citation_block(site: _Site, file: str, title: str | None, rows: pd.DataFrame | None) -> str:
    if not site.base_url:
        return ""
    url = site.base_url.rstrip("/") + "/" + ("" if file == INDEX else file)
    if title is None:
        plain = cite.dataset_citation(url, site.today)
        bib = cite.dataset_bibtex(url, site.today)
    else:
        pubs = [] if rows is None else [str(p) for p in rows[S.PUBLISHER].dropna()]
        plain = cite.view_citation(url, site.today, title, pubs)
        bib = cite.view_bibtex(url, site.today, title, pubs)
    return (
        "<h2>Cite this page</h2>\n"
        f"<p>{esc(plain)}</p>\n<details><summary>BibTeX</summary><pre>{esc(bib)}</pre></details>"
    )


def view_html(site: _Site, view: View) -> str:
    file = f"{view.slug}.html"
    parts = [f"<h1>{esc(view.title)}</h1>"]
    if view.intro:
        parts.append(f"<p>{esc(view.intro)}</p>")
    for i, c in enumerate(view.charts, start=1):
        parts.append(chart_block(c, f"chart-{view.slug}-{i}"))
    for t in view.tables:
        parts.append(text_table(t))
    rows = view.rows
    if rows is not None and not rows.empty:
        parts.append(
            "<details><summary>Table of the figures shown</summary>\n"
            + rows_table(rows, view.table_columns)
            + "</details>"
        )
        items = "\n".join(source_item(r) for _, r in rows.iterrows())
        parts.append(f'<h2>Sources and caveats</h2>\n<ul class="sources">\n{items}\n</ul>')
    for note in view.notes:
        parts.append(f'<p class="note">{esc(note)}</p>')
    parts.append(_citation_block(site, file, view.title, rows))
    body = "\n".join(p for p in parts if p)
    return _page(site, file, view.title, body, plotly=bool(view.charts))


def index_html(site: _Site, built: list[View], missing: list[str]) -> str:
    items = "\n".join(
        f'<li><a href="{esc(v.slug)}.html">{esc(v.title)}</a>'
        + (f" — {esc(v.intro)}" if v.intro else "")
        + "</li>"
        for v in built
    )
    parts = [
        f"<h1>{esc(SITE_TITLE)}</h1>",
        f"<p>{esc(datapackage.DESCRIPTION)}</p>",
        f"<h2>Pages</h2>\n<ul>\n{items}\n</ul>",
    ]
    if missing:
        lis = "\n".join(f"<li>{esc(m)}</li>" for m in missing)
        parts.append(f'<p class="note">Not in this snapshot:</p>\n<ul class="note">\n{lis}\n</ul>')
    parts.append(
        "<h2>Download the data</h2>\n"
        f'<p><a href="{CSV_NAME}" download>{CSV_NAME}</a>: one row per figure as its source '
        "states it, with publisher, document, address, date, excerpt and caveats. "
        f'<a href="{DATAPACKAGE_NAME}">{DATAPACKAGE_NAME}</a>: the Frictionless descriptor '
        "(schema, licence, publishers).</p>"
    )
    parts.append(_citation_block(site, INDEX, None, None))
    return _page(site, INDEX, SITE_TITLE, "\n".join(p for p in parts if p))


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
        pages=[(f"{v.slug}.html", v.title) for v in built],
        n_figures=len(df),
        n_publishers=int(df[S.PUBLISHER].nunique()),
        today=today,
        base_url=cite.clean_url(base_url) if base_url else None,
    )
    files: dict[str, bytes] = {
        PLOTLY_JS: get_plotlyjs().encode("utf-8"),
        STYLE_CSS: _CSS.encode("utf-8"),
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
