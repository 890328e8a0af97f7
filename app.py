"""Afghanistan war casualty figures: every number with its source.

Run with `make run` (`python -m figures.ui.serve`: warms the process, then `streamlit run app.py`).
This file reads as a table of contents: page config, the cached data load, and the navigation;
each page lives in figures/ui/.
"""

from __future__ import annotations

import logging

import streamlit as st

from figures import views
from figures.data import FiguresError
from figures.ui import common, share

st.set_page_config(
    page_title="Afghanistan war casualty figures, with sources",
    page_icon="📊",
    layout="wide",
)

common.style()

try:
    common.load_figures()  # validated once here; pages read the same cached frame
except FiguresError as err:
    common.show_data_error(err)
    st.stop()


def page(module: str, title: str, path: str, **kw) -> st.Page:
    """A page whose script is figures/ui/<module>.py (it renders when run as __main__)."""
    return st.Page(f"figures/ui/{module}.py", title=title, url_path=path, **kw)


#: The default page is served at "/", but Streamlit still reserves its url path, and an address
#: with it shows Streamlit's "page not found" pop-up: a name nobody types, so "/overview" can get
#: the readable "not found" page below like any other unknown address.
DEFAULT_PATH = "_overview"
PAGES = [
    page("overview", "Overview", DEFAULT_PATH, default=True),
    page("compare", "Compare sources", "compare"),
    page("trends", "Over time", "over-time"),
    page("editions", "How estimates changed", "editions"),
    page("countries", "By country", "by-country"),
    page("article", "Article check", "article-check"),
    page("data", "Data & sources", "data"),
    page("about", "About", "about"),
]


def not_found() -> None:
    """A readable page for an address no page has, with links to every page."""
    st.title("Page not found")
    st.markdown("No page of this dashboard has this address. Its pages are:")
    for p in PAGES:
        st.page_link(p)


# An address no page has gets a hidden page of its own that says so (instead of Streamlit's
# pop-up over the default page).
missing = views.unknown_page(
    st.context.url,
    [p.url_path for p in PAGES] + [DEFAULT_PATH],
    st.get_option("server.baseUrlPath"),
)
hidden = []
if missing and views.not_found_path(missing):
    hidden = [st.Page(not_found, title="Page not found", url_path=missing, visibility="hidden")]
# Embedded (``?embed=true``): the chart and its footer only, so no navigation either.
current = st.navigation(PAGES + hidden, position="hidden" if common.embedded() else "sidebar")
if hidden and current is hidden[0]:
    current.run()
    st.stop()
share.begin()
try:
    current.run()
except Exception:  # a reader never sees a traceback; the server log keeps the details
    logging.getLogger("figures.app").exception("page %r failed", current.url_path)
    st.error(
        "This view could not be drawn with the current data. The other pages may still work; "
        "if this persists, please report it with the link of this page."
    )
share.render(current)  # sidebar, after the navigation: link to this view + citation
