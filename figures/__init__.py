"""Casualty figures of the 2001-2021 war in Afghanistan, each with its source.

``import figures`` works without Streamlit; only ``figures.ui`` imports it.
"""

__version__ = "0.1.0"
