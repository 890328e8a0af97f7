"""The reference for time to first chart: a bare Streamlit app with one Plotly bar chart."""

import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Bar(x=[3, 1, 2], y=["a", "b", "c"], orientation="h")), theme=None)
