"""About page (placeholder until built)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from figures.ui import common


def render(df: pd.DataFrame) -> None:
    st.title("About")
    st.info("This page is being built.")


if __name__ == "__main__":
    render(common.load_figures())
