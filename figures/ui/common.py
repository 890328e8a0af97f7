"""Shared Streamlit helpers: the cached loader, the error page, chart + sources blocks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from figures import data, text, views
from figures import schema as S


@st.cache_data(show_spinner="Loading figures…", max_entries=8)
def _load(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    # mtime and size are part of the cache key: an edited, corrupted or restored file is re-read.
    return data.load_figures(path)


def load_figures() -> pd.DataFrame:
    """The validated figures; raises data.FiguresError (shown by ``show_data_error``)."""
    path = data.default_path()
    try:
        st_ = Path(path).stat()
        key = (st_.st_mtime_ns, st_.st_size)
    except OSError:
        key = (0, -1)
    return _load(str(path), *key)


def show_data_error(err: data.FiguresError) -> None:
    """A readable error page instead of a traceback."""
    st.error("The figures could not be loaded, so no chart is shown.", icon="⚠️")
    st.markdown(
        "The data file breaks the published CSV contract. Each line below names the file, the "
        "line, the column, what is wrong and what was found. Fix the file (or point "
        f"`{data.ENV_VAR}` at a valid one) and reload the page."
    )
    st.code("\n".join(str(p) for p in err.problems[:200]), language=None, wrap_lines=True)
    if len(err.problems) > 200:
        st.caption(f"… and {len(err.problems) - 200} more problems.")


def param_notice(params: dict[str, str], valid: dict[str, object]) -> None:
    """Tell the reader, briefly, that unknown or malformed URL parameters were ignored."""
    bad = views.bad_params(params, valid)
    if bad:
        names = ", ".join(text.md_escape(b) for b in bad)
        st.info(f"Some link settings were not understood, so defaults are shown: {names}.")


def chart(fig: go.Figure, alt: str, key: str, filename: str) -> None:
    """Draw a Plotly figure with alt text; the toolbar's PNG keeps title and source line."""
    st.plotly_chart(
        fig,
        key=key,
        alt=alt,
        theme=None,
        config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        },
    )


def table(rows: pd.DataFrame, columns: list[str]) -> None:
    """The rows behind a chart as an accessible table, sources as links."""
    shown = rows[columns].copy()
    config = {c: st.column_config.Column(S.label(c)) for c in columns}
    if S.SOURCE_URL in columns:
        config[S.SOURCE_URL] = st.column_config.LinkColumn(S.label(S.SOURCE_URL))
    for c in columns:
        if S.BY_NAME.get(c) and S.BY_NAME[c].kind == "date":
            config[c] = st.column_config.DateColumn(S.label(c), format="YYYY-MM-DD")
        if S.BY_NAME.get(c) and S.BY_NAME[c].kind == "int":
            config[c] = st.column_config.NumberColumn(S.label(c), format="localized")
    st.dataframe(shown, hide_index=True, column_config=config, width="stretch")


def sources(rows: pd.DataFrame, heading: str = "Sources and caveats") -> None:
    st.markdown(f"**{heading}**")
    st.markdown(text.sources_markdown(rows))
