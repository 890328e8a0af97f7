"""Afghanistan war casualty figures: every number with its source.

Run with `make run` (or `streamlit run app.py`). This file reads as a table of contents:
page config, the cached data load, and the navigation; each page lives in figures/ui/.
"""

from __future__ import annotations

import streamlit as st

from figures.data import FiguresError
from figures.ui import common, overview

st.set_page_config(
    page_title="Afghanistan war casualty figures, with sources",
    page_icon="📊",
    layout="wide",
)

try:
    figures = common.load_figures()
except FiguresError as err:
    common.show_data_error(err)
    st.stop()

pages = [
    st.Page(lambda: overview.render(figures), title="Overview", url_path="overview", default=True),
]
st.navigation(pages).run()
