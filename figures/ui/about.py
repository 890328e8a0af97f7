"""About: definitions, how the figures were sourced, how to cite, licence, reporting an error."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import streamlit as st

from figures import about, cite
from figures import schema as S
from figures.ui import common

DATA_PAGE = "data"  # url_path of the Data & sources page in app.py


def data_page_url(page_url: str | None) -> str | None:
    """The Data & sources page's address, from the address of this page (None if unknown)."""
    if not page_url:
        return None
    parts = urlsplit(page_url)
    head = parts.path.rstrip("/").rsplit("/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, f"{head}/{DATA_PAGE}", "", ""))


def render(df: pd.DataFrame) -> None:
    st.title("About")
    common.param_notice(dict(st.query_params), {})
    st.markdown(about.INTRO)
    st.markdown(
        f"The dataset holds {len(df):,} figures from {df[S.PUBLISHER].nunique():,} publishers "
        f"and {df[S.SOURCE_URL].nunique():,} source documents."
    )
    st.markdown(about.DEFINITIONS)
    st.markdown(about.SOURCING)
    st.markdown(about.CITING)
    url = cite.view_link(data_page_url(st.context.url), DATA_PAGE, [])
    st.code(cite.dataset_citation(url, datetime.date.today()), language=None, wrap_lines=True)
    st.markdown(about.LICENCE)
    st.markdown(about.REPORTING)


if __name__ == "__main__":
    render(common.load_figures())
