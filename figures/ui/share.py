"""Share this view: the link that reopens the current page as it is, and how to cite it.

``app.py`` calls ``begin()`` before the page runs and ``render(page)`` after it, so the box sees the
query parameters the page's widgets have just written and the publishers it listed through
``common.sources`` (``common.record_sources``). Hidden in embed mode (``?embed=true``): an embedded
chart has no sidebar to spare.
"""

from __future__ import annotations

import datetime

import streamlit as st

from figures import cite
from figures.ui import common


def begin() -> None:
    """Forget the previous run's sources: each run lists only what the current page shows."""
    st.session_state[common.SHOWN_SOURCES_KEY] = []


def _params() -> list[tuple[str, str]]:
    """The current query string as (key, value) pairs; repeated keys stay repeated."""
    qp = st.query_params
    return [(key, value) for key in qp for value in qp.get_all(key)]


def render(page) -> None:
    """The share box at the end of the sidebar, for ``page`` (the ``st.Page`` that just ran)."""
    if st.context.is_embedded:
        return
    base = st.context.url  # the page URL without its query string; None outside a browser
    link = cite.view_link(base, page.url_path, _params())
    shown = list(st.session_state.get(common.SHOWN_SOURCES_KEY, []))
    today = datetime.date.today()
    with st.sidebar:
        st.markdown("**Share this view**")
        st.code(link, language=None, wrap_lines=True)
        if base is None:
            st.caption("Add this to the address of the app to reopen this view.")
        else:
            st.caption("Opens this page with the same settings.")
        with st.expander("Cite this view"):
            st.caption("Plain text")
            st.code(
                cite.view_citation(link, today, page.title, shown),
                language=None,
                wrap_lines=True,
            )
            st.caption("BibTeX")
            st.code(cite.view_bibtex(link, today, page.title, shown), language=None)
