"""How estimates changed page (placeholder until built)."""

from __future__ import annotations

import pandas as pd
import streamlit as st


def render(df: pd.DataFrame) -> None:
    st.title("How estimates changed")
    st.info("This page is being built.")
