"""The Streamlit renderer: widgets from a page's declared parameters, bound to the URL, and its
View drawn with ``st.*``. No page logic here: the page module (``figures/pages/``) decides."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from figures import pages, text
from figures import schema as S
from figures.pages import RANGE, TOGGLE, Param, Section, View
from figures.ui import common

#: Session-state key of the figure ids the current page shows (tests compare it with the snapshot).
SHOWN_FIGURES_KEY = "shown_figure_ids"
#: More sources than this scroll in a box this high (pixels).
SOURCES_SCROLL_AFTER = 8
SOURCES_HEIGHT = 480


def _widget(p: Param, state: dict[str, object]) -> object:
    if p.kind == TOGGLE:
        return st.toggle(p.label, key=p.name, bind="query-params", help=p.help)
    if p.kind == RANGE:
        return st.slider(
            p.label,
            min_value=p.bounds[0],
            max_value=p.bounds[1],
            value=p.default,
            key=p.name,
            bind="query-params",
            help=p.help,
        )
    options = list(p.options(state))
    if not options:
        return None
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


def _charts(charts, prefix: str) -> None:
    for i, c in enumerate(charts):
        key = c.key or f"{prefix}_chart_{i}"
        if c.table is None:
            common.chart(c.figure, c.alt, key, c.name)
            continue
        chart_tab, table_tab = st.tabs(["Chart", "Table"])
        with chart_tab:
            common.chart(c.figure, c.alt, key, c.name)
        with table_tab:
            table(c.table)


def section_body(s: Section, prefix: str) -> None:
    """A section below its heading."""
    if s.message:
        # Page-authored text (its only variables are validated choices), as the old pages had it.
        (st.warning if s.warn else st.info)(s.message)
        return
    if s.badge:
        st.badge(s.badge[0], color=s.badge[1])
    for n in s.lead:
        _note(n)
    _charts(s.charts, prefix)
    for c in s.captions:
        st.caption(text.md_escape(c))
    for n in s.remarks:
        _note(n)
    if s.links:
        if s.links_heading:
            st.markdown(f"**{text.md_escape(s.links_heading)}**")
        st.markdown(
            "\n".join(
                f"- {text.md_link(k.label, k.url)}: {text.md_escape(k.text)}" for k in s.links
            )
        )
    _sources(s.figures, s.sources_heading, s.scroll_sources)
    for t in s.more:
        with st.expander(text.md_escape(t.caption)):
            if t.note:
                st.markdown(text.md_escape(t.note))
            table(pages.Table(t.rows, t.columns, labels=t.labels, formats=t.formats))


def draw(view: View) -> None:
    """Draw a computed View (its sections: ``render`` places them around their widgets)."""
    if view.message:
        st.warning(view.message, icon="⚠️")
        if view.problems:
            st.code("\n".join(view.problems), language=None, wrap_lines=True)
        return
    if view.notes:
        if view.notes_heading:
            st.markdown(f"**{text.md_escape(view.notes_heading)}**")
        st.markdown("\n".join(f"- {text.md_escape(n)}" for n in view.notes))
    for c in view.captions:
        st.caption(text.md_escape(c))
    _charts(view.charts, view.slug)
    for t in view.tables:
        table(t)
    for t in view.text_tables:
        text_table(t)
    for f in view.folds:
        with st.expander(f.label):
            st.markdown(f.markdown)  # written in the code, never data
    for d in view.downloads:
        st.download_button(d.label, d.data, file_name=d.filename, mime=d.mime)
    for n in view.remarks:
        _note(n)
    _sources(view.figures, view.sources_heading, lead=view.sources_lead)


def render(name: str, df: pd.DataFrame) -> None:
    """The page ``name`` of ``figures/pages``: title and intro, its widgets, its view.

    Widgets of a section (``Param.section``) come right under that section's heading: the
    renderer keeps an empty slot before each, and fills the slots once the view is computed.
    """
    query = common.query_snapshot()  # before the widgets, which drop values they cannot use
    params = common.cached(pages.params_of, df, name)
    header = st.container()  # filled once the view is computed, above the widgets
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
    with header:
        st.title(view.title)
        if view.subtitle:
            st.caption(text.md_escape(view.subtitle))
        if view.intro:
            st.markdown(text.md_escape(view.intro))
    first = next(iter(slots.values()), body)
    with first if slots else body:
        draw(view)
    target = first if slots else body
    if view.message:
        st.session_state[SHOWN_FIGURES_KEY] = view.figure_ids
        return
    for i, s in enumerate(view.sections):
        slot = s.slot or s.heading
        if slot in slots:
            if not s.slot:  # the heading above the widgets
                with slots[slot]:
                    st.header(s.heading)
            target = slots[slot + "\0body"]
        with target:
            if s.slot or slot not in slots:
                (st.subheader if s.minor else st.header)(text.md_escape(s.heading))
            section_body(s, f"{view.slug}_{i}")
    st.session_state[SHOWN_FIGURES_KEY] = view.figure_ids
