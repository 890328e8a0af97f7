"""Pages as pure functions of (data, view state): one module per page, drawn by two renderers.

Each page module declares its URL parameters (``params(df) -> tuple[Param, ...]``) and computes
its view (``build(df, state) -> View``). ``figures/ui/`` draws a View with Streamlit (widgets
made from the declared parameters, bound to the URL); ``figures/site.py`` draws the same View to
static HTML through the Jinja2 templates in ``figures/site/``. Neither renderer holds page logic.

Importable without Streamlit.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType

import pandas as pd
import plotly.graph_objects as go

from figures import charts, views
from figures import schema as S

#: Framework parameters that are never a page's own (``?embed=true``).
FRAMEWORK_PARAMS = frozenset({"embed", "embed_options"})

CHOICE = "choice"
TOGGLE = "toggle"
RANGE = "range"
MULTI = "multi"
TEXT = "text"


@dataclass(frozen=True)
class Param:
    """One URL parameter of a page and the widget that sets it.

    ``choice``: the URL holds the option itself (an id), never its label; the default is left out
    of the URL. ``toggle``: ``true``/``false``, bound to the URL by Streamlit. ``range``: two
    whole numbers within ``bounds`` (a range slider, ``?name=FROM&name=TO``). ``labels`` maps an
    option to the text a reader sees. ``depends_on`` names an earlier parameter whose value picks
    this one's options from ``choices_by``. ``group`` puts widgets in one expander, ``row`` puts
    widgets side by side, ``section`` puts the widget under the heading of that section.
    """

    name: str
    label: str
    kind: str = CHOICE
    choices: tuple[str, ...] = ()
    default: str | bool | tuple[int, int] | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    help: str | None = None
    group: str = ""
    row: str = ""
    depends_on: str = ""
    choices_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    bounds: tuple[int, int] = (0, 0)
    section: str = ""
    url_label: bool = False  # the URL holds the option's label (a Streamlit-bound selectbox)
    optional: bool = False  # a choice that may be left empty (None: nothing chosen)
    placeholder: str = ""
    max_len: int = 200  # ``text``: the longest value accepted

    def split_multi(self, raw: str) -> tuple[str, ...] | None:
        """The options 'A,B' names (repeated URL values joined by commas; an option may itself
        hold a comma), or None when it is not a list of options. '' is no option."""
        if raw == "":
            return ()
        options = sorted(self.all_options(), key=len, reverse=True)
        # Reachable positions: the start, and one past each option that ends at a comma.
        found: dict[int, tuple[str, ...]] = {0: ()}
        for start in sorted_positions(found, len(raw)):
            for option in options:
                end = start + len(option)
                if raw.startswith(option, start) and (end == len(raw) or raw[end] == ","):
                    found.setdefault(end + 1 if end < len(raw) else end, found[start] + (option,))
        values = found.get(len(raw))
        return tuple(dict.fromkeys(values)) if values else None

    def from_url(self, raw: str, state: Mapping[str, object]) -> str | None:
        """The option a URL value names (its id, or its label for ``url_label``), else None."""
        for option in self.options(state):
            if raw == (self.label_of(option) if self.url_label else option):
                return option
        return None

    def parse_range(self, raw: str) -> tuple[int, int] | None:
        """'FROM,TO' (repeated URL values joined by commas) within ``bounds``, else None."""
        parts = raw.split(",")
        if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
            return None
        lo, hi = (int(p) for p in parts)
        return (lo, hi) if self.bounds[0] <= lo <= hi <= self.bounds[1] else None

    def correct_range(self, raw: str) -> tuple[tuple[int, int], str | None]:
        """The range 'FROM,TO' asks for, corrected (``views.year_range``: reversed years swapped,
        years outside ``bounds`` moved to its ends), and a notice saying what was changed."""
        return views.year_range(raw.split(","), self.bounds)

    def url_values(self, value: object, state: Mapping[str, object] | None = None) -> list[str]:
        """The URL values that set this parameter to ``value`` ([] for the default: a link leaves
        defaults out; a choice's default is its first option given ``state``)."""
        if self.kind == TOGGLE:
            return [] if bool(value) == bool(self.default) else ["true" if value else "false"]
        if self.kind == MULTI:
            return [str(v) for v in value or ()]  # type: ignore[union-attr]
        if self.kind == TEXT:
            return [str(value)] if value else []
        if value is None or value == self.default:
            return []
        if (
            self.kind == CHOICE
            and not self.optional
            and state is not None
            and value == next(iter(self.options(state)), None)
        ):
            return []
        if self.kind == RANGE:
            return [str(v) for v in value]  # type: ignore[union-attr]
        if self.url_label:
            return [self.label_of(str(value))]
        return [str(value)]

    def options(self, state: Mapping[str, object]) -> tuple[str, ...]:
        """The options, the default first (given the values of the parameters before it)."""
        opts = self.choices
        if self.depends_on:
            opts = self.choices_by.get(state.get(self.depends_on), ())
        if self.default in opts:
            return (self.default, *(o for o in opts if o != self.default))
        return tuple(opts)

    def all_options(self) -> set[str]:
        if self.depends_on:
            return {o for opts in self.choices_by.values() for o in opts}
        return set(self.choices)

    def label_of(self, option: str) -> str:
        return self.labels.get(option, option)


@dataclass(frozen=True)
class Table:
    """The figures behind a chart, shown with human labels (``display_rows``)."""

    rows: pd.DataFrame
    columns: tuple[str, ...]
    caption: str = ""
    note: str = ""  # a sentence above the table
    labels: Mapping[str, str] = field(default_factory=dict)  # headers of non-schema columns
    formats: Mapping[str, str] = field(default_factory=dict)  # printf formats, e.g. "%+d"

    def header(self, column: str) -> str:
        if column in self.labels:
            return self.labels[column]
        return S.label(column) if column in S.BY_NAME else column


@dataclass(frozen=True)
class TextTable:
    """A table of plain text cells (e.g. the article's claims and what the sources say)."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    wrap: bool = False  # long texts shown in full (a static table), not in a scrolling grid


@dataclass(frozen=True)
class Chart:
    """One chart: the figure, alt text stating its main numbers, a PNG file name, and optionally
    the table of the figures it draws."""

    figure: go.Figure
    alt: str
    name: str
    table: Table | None = None
    key: str = ""


@dataclass(frozen=True)
class Download:
    """A file to download. ``data`` may be a function that makes the bytes: called only when a
    reader asks for the file (the app) or the snapshot is written."""

    label: str
    filename: str
    mime: str
    data: bytes | Callable[[], bytes]
    key: str = ""  # the app's widget key (stable, for tests and the URL-free state)

    def content(self) -> bytes:
        return self.data() if callable(self.data) else self.data


@dataclass(frozen=True)
class Note:
    """A remark under a chart: plain text, with an optional lead-in heading; ``small`` for a
    caption, else a paragraph."""

    text: str
    heading: str = ""
    small: bool = True
    info: bool = False  # a box that stands out (e.g. a warning against a misreading)


@dataclass(frozen=True)
class Link:
    """A link to a source (only http(s) URLs become links) and what it says."""

    label: str
    url: str
    text: str = ""


@dataclass(frozen=True)
class Fold:
    """Folded explanation written in the code (trusted Markdown, never data)."""

    label: str
    markdown: str


@dataclass(frozen=True)
class Markdown:
    """Text written in the code (trusted Markdown, never data), e.g. the About page."""

    text: str


@dataclass(frozen=True)
class DatasetCitation:
    """The citation of the whole dataset (plain text and BibTeX). Each renderer fills in its own
    address and the date a reader accessed it."""


@dataclass(frozen=True)
class Section:
    """A part of a page under its own heading: charts, captions, and the sources of its figures."""

    heading: str
    charts: tuple[Chart, ...] = ()
    captions: tuple[str, ...] = ()
    message: str = ""  # shown instead of charts when the section has nothing to draw
    figures: pd.DataFrame | None = None
    sources_heading: str = "Sources and caveats"
    scroll_sources: bool = False  # a list of sources that is always long
    warn: bool = False  # the message is a warning, not a hint
    lead: tuple[Note, ...] = ()  # before the charts
    remarks: tuple[Note, ...] = ()  # after the charts
    more: tuple[Table, ...] = ()  # folded tables after the sources (caption as the fold's label)
    badge: tuple[str, str] | None = None  # (text, colour) beside the heading; never colour alone
    links_heading: str = ""
    links: tuple[Link, ...] = ()  # after the charts
    slot: str = ""  # the widgets whose ``Param.section`` is this go right above the section
    minor: bool = False  # a sub-heading
    blocks: tuple[Markdown | DatasetCitation, ...] = ()  # after ``lead``
    tables: tuple[Table, ...] = ()  # after the charts
    text_tables: tuple[TextTable, ...] = ()  # after the charts


@dataclass(frozen=True)
class View:
    """Everything one page shows, for one view state. All text is plain text."""

    slug: str
    title: str
    menu: str = ""  # the short name in a menu (the title when empty)
    subtitle: str = ""
    intro: str = ""
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    text_tables: tuple[TextTable, ...] = ()
    notes_heading: str = ""
    notes: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()
    message: str = ""  # shown instead of charts when the view has nothing to draw
    figures: pd.DataFrame | None = None  # the figures shown: their sources and caveats
    sources_heading: str = "Sources and caveats"
    downloads: tuple[Download, ...] = ()
    sections: tuple[Section, ...] = ()
    remarks: tuple[Note, ...] = ()  # under the charts
    folds: tuple[Fold, ...] = ()  # after the tables
    problems: tuple[str, ...] = ()  # with ``message``: what is wrong, one line each
    sources_lead: str = ""  # a column whose value leads each source (e.g. the country)
    blocks: tuple[Markdown | DatasetCitation, ...] = ()  # first, e.g. the About page's text
    lead: tuple[Note, ...] = ()  # after the captions, before the charts and tables

    @property
    def menu_title(self) -> str:
        return self.menu or self.title

    @property
    def all_charts(self) -> tuple[Chart, ...]:
        """The charts of the view and of its sections, in page order."""
        return (*self.charts, *(c for s in self.sections for c in s.charts))

    @property
    def figure_ids(self) -> list[str]:
        """Every figure the view shows, in order (a figure in two sections once per section)."""
        out: list[str] = []
        for frame in (self.figures, *(s.figures for s in self.sections)):
            if frame is not None and not frame.empty:
                out += [str(f) for f in frame[S.FIGURE_ID]]
        return out


# --- state ------------------------------------------------------------------------------------


def default_state(params: tuple[Param, ...]) -> dict[str, object]:
    state: dict[str, object] = {}
    for p in params:
        if p.kind == TOGGLE:
            state[p.name] = bool(p.default)
        elif p.kind == RANGE:
            state[p.name] = p.default
        elif p.kind == MULTI:
            state[p.name] = tuple(p.default or ())  # type: ignore[arg-type]
        elif p.kind == TEXT:
            state[p.name] = p.default or ""
        elif p.optional:
            state[p.name] = p.default
        else:
            opts = p.options(state)
            state[p.name] = opts[0] if opts else None
    return state


def parse_state(
    params: tuple[Param, ...], query: Mapping[str, str]
) -> tuple[dict[str, object], list[str]]:
    """The state a link asks for, and the names of the parameters that were not understood
    (unknown names, values not among the options); those fall back to their defaults."""
    state: dict[str, object] = {}
    bad: list[str] = []
    known = {p.name for p in params}
    for p in params:
        raw = query.get(p.name)
        if p.kind == TOGGLE:
            if raw is not None and raw not in ("true", "false"):
                bad.append(p.name)
            state[p.name] = raw == "true" if raw in ("true", "false") else bool(p.default)
        elif p.kind == RANGE:
            # Reversed or out-of-range years are corrected (``range_notices`` says so), not
            # dropped; only a value that is not two years falls back to the default.
            if raw is not None and not _two_years(raw):
                bad.append(p.name)
                raw = None
            state[p.name] = p.default if raw is None else p.correct_range(raw)[0]
        elif p.kind == MULTI:
            values = None if raw is None else p.split_multi(raw)
            if raw is not None and values is None:
                bad.append(p.name)
            state[p.name] = values if values is not None else tuple(p.default or ())  # type: ignore[arg-type]
        elif p.kind == TEXT:
            if raw is not None and len(raw) > p.max_len:
                bad.append(p.name)
                raw = None
            state[p.name] = raw if raw is not None else (p.default or "")
        elif p.optional:
            chosen = None if raw is None else p.from_url(raw, state)
            if raw is not None and chosen is None:
                bad.append(p.name)
            state[p.name] = chosen if chosen is not None else p.default
        else:
            opts = p.options(state)
            chosen = None if raw is None else p.from_url(raw, state)
            if raw is not None and chosen is None:
                bad.append(p.name)
            state[p.name] = chosen or (opts[0] if opts else None)
    bad += [k for k in query if k not in known and k not in FRAMEWORK_PARAMS]
    return state, sorted(bad)


def sorted_positions(found: dict[int, tuple[str, ...]], length: int):
    """Positions 0..length that ``found`` reaches, in order, as it grows (``split_multi``)."""
    for position in range(length + 1):
        if position in found:
            yield position


def _two_years(raw: str) -> bool:
    return bool(re.fullmatch(r"\s*-?\d{1,6}\s*,\s*-?\d{1,6}\s*", raw))


def range_notices(params: tuple[Param, ...], query: Mapping[str, str]) -> dict[str, str]:
    """For each range parameter whose URL value had to be corrected (reversed, or outside the
    data's years), the notice that says what is shown instead."""
    out = {}
    for p in params:
        raw = query.get(p.name)
        if p.kind == RANGE and raw is not None and _two_years(raw):
            value, notice = p.correct_range(raw)
            if notice:
                out[p.name] = notice
    return out


def state_query(params: tuple[Param, ...], state: Mapping[str, object]) -> list[tuple[str, str]]:
    """The query string (as (name, value) pairs) of a link that reopens ``state``: defaults left
    out, repeated names for a range. ``parse_state`` of it gives ``state`` back."""
    return [(p.name, v) for p in params for v in p.url_values(state.get(p.name), state)]


def valid_values(
    params: tuple[Param, ...], state: Mapping[str, object] | None = None
) -> dict[str, object]:
    """For ``views.bad_params``: each parameter's allowed URL values (given ``state``, the
    options of a parameter that depends on another; without it, all of them)."""
    out: dict[str, object] = {}
    for p in params:
        if p.kind == TOGGLE:
            out[p.name] = {"true", "false"}
        elif p.kind == RANGE:
            out[p.name] = _two_years  # corrected when reversed or outside (``range_notices``)
        elif p.kind == MULTI:
            out[p.name] = lambda raw, p=p: p.split_multi(raw) is not None
        elif p.kind == TEXT:
            out[p.name] = lambda raw, p=p: len(raw) <= p.max_len
        elif p.url_label:
            out[p.name] = {p.label_of(o) for o in p.all_options()}
        elif p.depends_on and state is not None:
            out[p.name] = set(p.options(state))
        else:
            out[p.name] = p.all_options()
    return out


# --- display ----------------------------------------------------------------------------------


def source_kind_texts(rows: pd.DataFrame) -> list[str]:
    """``charts.source_kind_text`` of every row, computed once per distinct source (a table of
    100,000 figures cites a few hundred documents)."""
    keys = [c for c in (S.SOURCE_KIND, S.REPORTED_BY, S.SOURCE_URL, S.STATUS) if c in rows]
    if rows.empty:
        return []
    distinct = rows[keys].drop_duplicates()
    words = {  # a dict per source, not a Series: 4,600 Series took 1.5 s
        tuple(r): charts.source_kind_text(dict(zip(keys, r, strict=True)))
        for r in distinct.itertuples(index=False)
    }
    return [words[tuple(r)] for r in rows[keys].itertuples(index=False)]


def display_rows(rows: pd.DataFrame, columns) -> pd.DataFrame:
    """The columns of ``rows`` as a reader sees them: enum values as their labels (never a slug),
    the kind of source in words beside the publisher; numbers and dates keep their types."""
    columns = [c for c in columns if c in rows.columns or c == S.SOURCE_KIND]
    if S.SOURCE_KIND not in columns and S.PUBLISHER in columns:
        columns.insert(columns.index(S.PUBLISHER) + 1, S.SOURCE_KIND)
    shown = pd.DataFrame(index=rows.index)
    for c in columns:
        if c == S.SOURCE_KIND:
            shown[c] = source_kind_texts(rows)
        elif S.BY_NAME.get(c) is not None and S.BY_NAME[c].kind == "enum":
            shown[c] = [
                "" if pd.isna(v) else S.value_label(c, str(v)) for v in rows[c].astype(object)
            ]
        else:
            shown[c] = rows[c]
    return shown.reset_index(drop=True)


# --- the registry -----------------------------------------------------------------------------

#: Migrated pages: name -> module (figures.pages.<name>), in menu order.
NAMES = ("overview", "compare", "trends", "countries", "editions", "article", "data", "about")


#: Each page's path in the app (app.py): the overview is the app's root.
APP_PATHS = {
    "overview": "",
    "compare": "compare",
    "trends": "over-time",
    "countries": "by-country",
    "editions": "editions",
    "article": "article-check",
    "data": "data",
    "about": "about",
}


#: Columns a chart's CSV adds after the figures' own: where the rows come from and on what terms.
CHART_CSV_EXTRA = ("view_link", "licence", "data_as_of")


def chart_csv(
    chart: Chart, link: str | None = None, licence: str = "", data_as_of: str = ""
) -> bytes:
    """The CSV of the figures a chart draws: the download's columns (``figures.export``) when its
    table lists figures, else the table as shown (e.g. the changes between editions). With
    ``link``, every row also carries the link to the view, the licence and the data's date (the
    same as the chart image's footer), in ``CHART_CSV_EXTRA`` after the other columns."""
    from figures import export

    if chart.table is None:
        return b""
    rows = chart.table.rows
    if S.FIGURE_ID in rows.columns and S.PUBLISHER in rows.columns:
        shown = rows[export.columns(rows)].copy()
    else:
        shown = display_rows(rows, list(chart.table.columns))
        shown.columns = [chart.table.header(c) for c in shown.columns]
    if link is not None:
        for column, value in zip(CHART_CSV_EXTRA, (link, licence, data_as_of), strict=True):
            shown[column] = value
    if S.FIGURE_ID in shown.columns and link is None:
        return export.csv_bytes(shown)
    return export.table_bytes(shown)


def page(name: str) -> ModuleType:
    if name not in NAMES:
        raise KeyError(f"no page module figures.pages.{name} (pages: {', '.join(NAMES)})")
    return importlib.import_module(f"figures.pages.{name}")


def draws_charts(name: str) -> bool:
    """Whether page ``name`` can draw a chart (a page says ``DRAWS_CHARTS = False`` if not)."""
    return bool(getattr(page(name), "DRAWS_CHARTS", True))


def params_of(df: pd.DataFrame, name: str) -> tuple[Param, ...]:
    """The declared parameters of page ``name`` on ``df`` (cacheable: hashable arguments)."""
    return page(name).params(df)


def build_view(df: pd.DataFrame, name: str, state_items: tuple, key: tuple = ()) -> View:
    """``build(df, state)`` of page ``name``, the state given as sorted (name, value) pairs.

    ``key``: the page's ``cache_key()`` when it reads a file of its own (a cache key only)."""
    return page(name).build(df, dict(state_items))


def cache_key(name: str) -> tuple:
    """The version of any file page ``name`` reads besides the figures (``()`` if none)."""
    fn = getattr(page(name), "cache_key", None)
    return fn() if fn else ()


def state_items(state: Mapping[str, object]) -> tuple:
    return tuple(sorted(state.items()))
