"""The Streamlit renderer: widgets from a page's declared parameters, bound to the URL, and its
View drawn with ``st.*``. No page logic here: the page module (``figures/pages/``) decides."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import streamlit as st

from figures import charts, cite, pages, text
from figures import schema as S
from figures.pages import (
    MULTI,
    RANGE,
    TEXT,
    TOGGLE,
    Chart,
    DatasetCitation,
    Markdown,
    Param,
    Section,
    View,
)
from figures.ui import common, html

#: Session-state key of the figure ids the current page shows (tests compare it with the snapshot).
SHOWN_FIGURES_KEY = "shown_figure_ids"
#: Session-state key of the current page and its state (the share box links the snapshot's page).
VIEW_STATE_KEY = "current_view_state"
#: More sources than this scroll in a box this high (pixels).
SOURCES_SCROLL_AFTER = 8
SOURCES_HEIGHT = 480
#: The chart actions and the embed snippet (autoescape on: data reaches them escaped or as JSON).
_TEMPLATES = html.TEMPLATES


@dataclass(frozen=True)
class Place:
    """Where a view is drawn: the link that reopens it, and whether it is embedded (``?embed=
    true``: the charts with their footers only)."""

    link: str
    embedded: bool = False
    data_date: str = ""  # 'Data as of …' in the chart's footer: the newest source's date


def embed_link(link: str) -> str:
    """The view's link with ``embed=true`` (the chart and its footer only)."""
    return link + ("&" if "?" in link else "?") + "embed=true"


def embed_snippet(link: str, title: str, height: int) -> str:
    """The HTML a reader pastes into a page to show this chart (an iframe of the embed view)."""
    template = _TEMPLATES.get_template("embed_snippet.html.j2")
    return template.render(src=embed_link(link), title=title, height=height + 40)


def chart_title(c: Chart) -> str:
    """The chart's title as plain text (for the iframe's title)."""
    raw = c.figure.layout.title.text or c.name
    return " ".join(text.strip_tags(raw.replace("<br>", " ")).split())


def _widget(p: Param, state: dict[str, object]) -> object:
    if p.kind == TOGGLE:
        return st.toggle(p.label, key=p.name, bind="query-params", help=p.help)
    if p.kind == RANGE:
        return common.url_range_slider(
            p.label,
            p.bounds,
            p.default,  # type: ignore[arg-type]
            key=p.name,
            correct=lambda raw: pages.parse_state((p,), {p.name: raw})[0][p.name],
            help=p.help,
        )
    if p.kind == TEXT:
        return st.text_input(
            p.label,
            key=p.name,
            bind="query-params",
            max_chars=p.max_len,
            placeholder=p.placeholder or None,
            help=p.help,
        )
    if p.kind == MULTI:
        return tuple(
            common.url_multiselect(
                p.label,
                list(p.options(state)),
                key=p.name,
                format_func=p.label_of,
                placeholder=p.placeholder or None,
                help=p.help,
            )
        )
    options = list(p.options(state))
    if not options:
        return None
    if p.optional:  # may be left empty; Streamlit binds it (the URL holds the option's label)
        return st.selectbox(
            p.label,
            options,
            index=None,
            key=p.name,
            format_func=p.label_of,
            bind="query-params",
            placeholder=p.placeholder or None,
            help=p.help,
        )
    if p.url_label:  # Streamlit binds it: the URL holds the option's label
        return st.selectbox(
            p.label, options, key=p.name, format_func=p.label_of, bind="query-params", help=p.help
        )
    return common.url_selectbox(p.label, options, key=p.name, format_func=p.label_of, help=p.help)


def widgets(params: tuple[Param, ...]) -> dict[str, object]:
    """One widget per parameter, in order; groups in expanders, rows in columns."""
    state: dict[str, object] = {}
    i = 0
    while i < len(params):
        p = params[i]
        j = i + 1
        if p.group:
            while j < len(params) and params[j].group == p.group:
                j += 1
            with st.expander(p.group):
                for q in params[i:j]:
                    state[q.name] = _widget(q, state)
        elif p.row:
            while j < len(params) and params[j].row == p.row and not params[j].group:
                j += 1
            for col, q in zip(st.columns(j - i), params[i:j], strict=True):
                with col:
                    state[q.name] = _widget(q, state)
        else:
            state[p.name] = _widget(p, state)
        i = j
    return state


def table(t: pages.Table) -> None:
    shown = common.display_rows(t.rows, t.columns)
    config = {}
    for c in shown.columns:
        col = S.BY_NAME.get(c)
        name = t.header(c)
        if c == S.SOURCE_URL:
            config[c] = st.column_config.LinkColumn(name)
        elif c in t.formats:
            config[c] = st.column_config.NumberColumn(name, format=t.formats[c])
        elif col is not None and col.kind == "date":
            config[c] = st.column_config.DateColumn(name, format="YYYY-MM-DD")
        elif col is not None and col.kind == "int":
            config[c] = st.column_config.NumberColumn(name, format="localized")
        elif col is None and pd.api.types.is_numeric_dtype(shown[c]):
            config[c] = st.column_config.NumberColumn(name)
        else:
            config[c] = st.column_config.TextColumn(name)
    if t.caption:
        st.caption(text.md_escape(t.caption))
    st.dataframe(shown, hide_index=True, column_config=config, width="stretch", placeholder="")


def text_table(t: pages.TextTable) -> None:
    st.markdown(f"**{text.md_escape(t.caption)}**")
    frame = pd.DataFrame(list(t.rows), columns=list(t.header))
    if t.wrap:  # every word visible and selectable (e.g. a quote), wrapped to the width
        st.table(frame.set_index(t.header[0]))
        return
    # Tall enough to show every row without scrolling (35 px a row plus the header).
    st.dataframe(
        frame, hide_index=True, width="stretch", height=38 + 35 * len(frame), placeholder=""
    )


def _sources(figures, heading: str, scroll: bool = False, lead: str = "") -> None:
    if figures is None or figures.empty:
        return
    if lead:  # each item led by, e.g., the country its bar shows
        st.markdown(f"**{text.md_escape(heading)}**")
        st.markdown(
            "\n".join(
                f"- **{text.md_escape(r[lead])}**: {text.source_item(r).removeprefix('- ')}"
                for _, r in figures.iterrows()
            )
        )
        common.record_sources(figures)
        return
    # A long list of sources scrolls in a box instead of pushing the page down.
    long = scroll or len(figures) > SOURCES_SCROLL_AFTER
    with st.container(height=SOURCES_HEIGHT if long else "content"):
        common.sources(figures, heading)


def _blocks(blocks, place: Place) -> None:
    for b in blocks:
        if isinstance(b, Markdown):
            st.markdown(b.text)  # written in the code, never data
        elif isinstance(b, DatasetCitation):
            url = cite.view_link(data_page_url(place.link), pages.APP_PATHS["data"], [])
            today = datetime.date.today()
            st.markdown("**Plain text**")
            html.copy_text(
                cite.dataset_citation(url, today), "dataset_cite_text", "Citation in plain text"
            )
            st.markdown("**BibTeX**")
            html.copy_text(cite.dataset_bibtex(url, today), "dataset_cite_bibtex", "BibTeX")


def data_page_url(link: str | None) -> str | None:
    """The Data & sources page's address, from the address of the current page (None when it is
    unknown or relative: the citation then names the page's path)."""
    parts = urlsplit(link or "")
    if not parts.scheme:
        return None
    path = parts.path
    head = path.rstrip("/") if path.endswith("/") else path.rsplit("/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, f"{head}/{pages.APP_PATHS['data']}", "", ""))


def _note(n: pages.Note) -> None:
    words = text.md_escape(n.text)
    if n.heading:
        words = f"**{text.md_escape(n.heading)}** {words}"
    if n.info:
        st.info(words, icon="ℹ️")
    elif n.small:
        st.caption(words)
    else:
        st.markdown(words)


def _actions(c: Chart, key: str, fig, place: Place) -> None:
    """Under a chart: copy link, PNG, SVG (the image carries the footer), the CSV of the figures
    in this chart, and the embed snippet."""
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key=f"{key}_act"):
        st.html(
            _TEMPLATES.get_template("chart_actions.html.j2").render(
                dom_id=f"actions-{key}", chart_key=key, link=place.link, filename=c.name
            ),
            width="content",
            unsafe_allow_javascript=True,
        )
        st.download_button(
            "CSV",
            # made when a reader asks for it, not on every rerun
            lambda: pages.chart_csv(c, place.link, cite.LICENCE, place.data_date),
            file_name=f"{c.name}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
            help="The figures in this chart with their sources, the link to this view, the "
            "licence and the data's date, as CSV",
        )
        with st.popover("Embed", help="HTML to show this chart on another page"):
            st.caption("Paste this into a web page to show the chart with its sources:")
            html.copy_text(
                embed_snippet(place.link, chart_title(c), int(fig.layout.height or 450)),
                f"{key}_embed",
                "HTML to embed this chart",
            )
            st.caption("Link to this view:")
            html.copy_text(place.link, f"{key}_embed_link", "Link to this view")


def _charts(charts_: tuple[Chart, ...], prefix: str, place: Place) -> None:
    for i, c in enumerate(charts_):
        key = c.key or f"{prefix}_chart_{i}"
        # Once per chart, link and date (``memo``): the same footer figure on every rerun, so its
        # spec is not derived again either.
        fig = common.memo(
            "footer",
            c.figure,
            lambda c=c: charts.with_footer(c.figure, place.link, place.data_date, cite.LICENCE),
            place.link,
            place.data_date,
        )
        if place.embedded:
            common.chart(fig, c.alt, key, c.name)
            continue
        if c.table is None:
            common.chart(fig, c.alt, key, c.name)
        else:
            chart_tab, table_tab = st.tabs(["Chart", "Table"])
            with chart_tab:
                common.chart(fig, c.alt, key, c.name)
            with table_tab:
                table(c.table)
        _actions(c, key, fig, place)


def section_body(s: Section, prefix: str, place: Place) -> None:
    """A section below its heading."""
    if s.message:
        # Page-authored text (its only variables are validated choices), as the old pages had it.
        (st.warning if s.warn else st.info)(s.message)
        return
    if s.badge:
        st.badge(s.badge[0], color=s.badge[1])
    for n in s.lead:
        _note(n)
    _blocks(s.blocks, place)
    _charts(s.charts, prefix, place)
    if place.embedded:
        return
    for c in s.captions:
        st.caption(text.md_escape(c))
    for t in s.text_tables:
        text_table(t)
    for t in s.tables:
        table(t)
    for n in s.remarks:
        _note(n)
    if s.links:
        if s.links_heading:
            st.markdown(f"**{text.md_escape(s.links_heading)}**")
        st.markdown(
            "\n".join(
                f"- {text.md_link(k.label, k.url)}"
                + (f": {text.md_escape(k.text)}" if k.text else "")
                for k in s.links
            )
        )
    _sources(s.figures, s.sources_heading, s.scroll_sources)
    for t in s.more:
        with st.expander(text.md_escape(t.caption)):
            if t.note:
                st.markdown(text.md_escape(t.note))
            table(pages.Table(t.rows, t.columns, labels=t.labels, formats=t.formats))


def draw(view: View, place: Place) -> None:
    """Draw a computed View (its sections: ``render`` places them around their widgets)."""
    if place.embedded:
        if view.message:
            st.info(view.message)
        _charts(view.charts, view.slug, place)
        return
    if view.message:
        st.warning(view.message, icon="⚠️")
        if view.problems:
            st.code("\n".join(view.problems), language=None, wrap_lines=True)
        return
    _blocks(view.blocks, place)
    if view.notes:
        if view.notes_heading:
            st.markdown(f"**{text.md_escape(view.notes_heading)}**")
        st.markdown("\n".join(f"- {text.md_escape(n)}" for n in view.notes))
    for c in view.captions:
        st.caption(text.md_escape(c))
    for n in view.lead:
        _note(n)
    _charts(view.charts, view.slug, place)
    for t in view.tables:
        table(t)
    for t in view.text_tables:
        text_table(t)
    for f in view.folds:
        with st.expander(f.label):
            st.markdown(f.markdown)  # written in the code, never data
    if view.downloads:
        with st.container(horizontal=True, gap="small"):
            for i, d in enumerate(view.downloads):
                st.download_button(
                    d.label,
                    d.data,
                    file_name=d.filename,
                    mime=d.mime,
                    key=d.key or f"{view.slug}_download_{i}",
                    on_click="ignore",
                    icon=":material/download:",
                    disabled=not callable(d.data) and not d.data,
                )
    for n in view.remarks:
        _note(n)
    _sources(view.figures, view.sources_heading, lead=view.sources_lead)


def place_of(
    name: str, params: tuple[Param, ...], state: dict[str, object], df: pd.DataFrame
) -> Place:
    """The link that reopens this view (built from its state, so it is right before the widgets
    have written the address), whether the page is embedded, and the data's date as the
    snapshot's footers give it (the newest source document's publication date)."""
    link = cite.view_link(st.context.url, pages.APP_PATHS[name], pages.state_query(params, state))
    data_date = common.memo("data_date", df, lambda: _data_date(df))
    return Place(link=link, embedded=common.embedded(), data_date=data_date)


def _data_date(df: pd.DataFrame) -> str:
    newest = cite.data_date(df[S.PUBLISHED]) if S.PUBLISHED in df else None
    return charts.fmt_date(pd.Timestamp(newest)) if newest else ""


def _correct_ranges(params: tuple[Param, ...], query: dict[str, str]) -> dict[str, str]:
    """Reversed or out-of-range years in the address are said (the slider shows them corrected:
    ``common.url_range_slider``); the rest of the query goes on to ``param_notice``."""
    notices = pages.range_notices(params, query)
    for notice in notices.values():
        st.info(notice, icon="ℹ️")
    return {k: v for k, v in query.items() if k not in notices}


def render_embedded(name: str, df: pd.DataFrame, params: tuple[Param, ...], query) -> None:
    """``?embed=true``: the view's charts with their footers, nothing else (no title, widgets,
    tables or sources: the footer names the sources and links to the full view)."""
    state, _ = pages.parse_state(params, query)
    view = common.cached(
        pages.build_view, df, name, pages.state_items(state), pages.cache_key(name)
    )
    place = replace(place_of(name, params, state, df), embedded=True)
    draw(view, place)
    for i, s in enumerate(view.sections):
        section_body(s, f"{view.slug}_{i}", place)
    st.session_state[SHOWN_FIGURES_KEY] = view.figure_ids


def render(name: str, df: pd.DataFrame) -> None:
    """The page ``name`` of ``figures/pages``: title and intro, its widgets, its view.

    Widgets of a section (``Param.section``) come right under that section's heading: the
    renderer keeps an empty slot before each, and fills the slots once the view is computed.
    """
    if pages.draws_charts(name):
        common.preload_charts()  # the first element: the chart component loads meanwhile
    query = common.query_snapshot()  # before the widgets, which drop values they cannot use
    params = common.cached(pages.params_of, df, name)
    if common.embedded():
        render_embedded(name, df, params, query)
        return
    header = st.container()  # filled once the view is computed, above the widgets
    query = _correct_ranges(params, query)
    top = tuple(p for p in params if not p.section)
    state = widgets(top)
    body = st.container()
    slots: dict[str, object] = {}
    for heading in dict.fromkeys(p.section for p in params if p.section):
        slots[heading] = st.container()  # the section's heading goes here
        state.update(widgets(tuple(p for p in params if p.section == heading)))
        body = st.container()  # and its content after the widgets
        slots[heading + "\0body"] = body
    common.param_notice(query, pages.valid_values(params, state))
    view = common.cached(
        pages.build_view, df, name, pages.state_items(state), pages.cache_key(name)
    )
    place = place_of(name, params, state, df)
    st.session_state[VIEW_STATE_KEY] = (name, pages.state_items(state))
    with header:
        st.title(view.title)
        if view.subtitle:
            st.caption(text.md_escape(view.subtitle))
        if view.intro:
            st.markdown(text.md_escape(view.intro))
    first = next(iter(slots.values()), body)
    with first if slots else body:
        draw(view, place)
    target = first if slots else body
    if view.message:
        st.session_state[SHOWN_FIGURES_KEY] = view.figure_ids
        return
    for i, s in enumerate(view.sections):
        slot = s.slot or s.heading
        if slot in slots:
            if not s.slot:  # the heading above the widgets
                with slots[slot]:
                    (st.subheader if s.minor else st.header)(text.md_escape(s.heading))
            target = slots[slot + "\0body"]
        with target:
            if s.slot or slot not in slots:
                (st.subheader if s.minor else st.header)(text.md_escape(s.heading))
            section_body(s, f"{view.slug}_{i}", place)
    for t in view.tables:  # the share box's citation names the publishers of a table too
        if S.PUBLISHER in t.rows.columns:
            common.record_sources(t.rows)
    st.session_state[SHOWN_FIGURES_KEY] = view.figure_ids
