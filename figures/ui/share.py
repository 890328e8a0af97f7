"""Share this view: the link that reopens the current page as it is, and how to cite it.

``app.py`` calls ``begin()`` before the page runs and ``render(page)`` after it, so the box sees the
query parameters the page's widgets have just written and the publishers it listed through
``common.sources`` (``common.record_sources``). Hidden in embed mode (``?embed=true``): an embedded
chart has no sidebar to spare.
"""

from __future__ import annotations

import datetime
import os

import pandas as pd
import streamlit as st

from figures import cite, site, text
from figures.ui import common, html

#: The address where the static snapshot is published (``python -m figures export``, e.g. the
#: GitHub Pages site); when set, the share box also offers the snapshot's page of the view.
SNAPSHOT_ENV = "FIGURES_SNAPSHOT_URL"


def _snapshot_slug(df: pd.DataFrame, name: str, state_items: tuple) -> str | None:
    return site.snapshot_slug(df, name, dict(state_items))


def snapshot_link() -> tuple[str, bool] | None:
    """(the snapshot's address of the current view, whether it is that exact view) when the
    snapshot's address is configured; the snapshot's home page when it has no page for it."""
    base = text.safe_url(os.environ.get(SNAPSHOT_ENV, "").strip())
    current = st.session_state.get("current_view_state")
    if not base or not current:
        return None
    slug = common.cached(_snapshot_slug, common.load_figures(), *current)
    base = base.rstrip("/") + "/"
    return (f"{base}{slug}.html", True) if slug else (base, False)


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
        html.copy_text(link, "share_link", "Link to this view")
        if base is None:
            st.caption("Add this to the address of the app to reopen this view.")
        else:
            st.caption("Opens this page with the same settings.")
        static = snapshot_link()
        if static:
            st.markdown("**Static copy** (never sleeps, citable)")
            html.copy_text(static[0], "share_static", "Link to the static copy")
            st.caption(
                "The same view as a static page, with its own citation, CSV and JSON."
                if static[1]
                else "The snapshot has no page for these exact settings: this is its home page, "
                "which lists every view it has."
            )
        with st.expander("Cite this view"):
            st.caption("Plain text")
            html.copy_text(
                cite.view_citation(link, today, page.title, shown),
                "share_cite_text",
                "Citation in plain text",
            )
            st.caption("BibTeX")
            html.copy_text(
                cite.view_bibtex(link, today, page.title, shown), "share_cite_bibtex", "BibTeX"
            )
