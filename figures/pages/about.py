"""About: definitions, how the figures were sourced, how to cite, licence, who maintains the
data, how to report an error, the data's date and the corrections log. Its text is written in
``figures/about.py`` (trusted Markdown); the counts come from the data."""

from __future__ import annotations

import pandas as pd

from figures import about
from figures import schema as S
from figures.pages import DatasetCitation, Markdown, Param, View

#: This page never draws a chart (the app does not load the chart component for it).
DRAWS_CHARTS = False


SLUG = "about"
TITLE = "About"


def params(df: pd.DataFrame) -> tuple[Param, ...]:
    return ()


def counts(df: pd.DataFrame) -> str:
    """'The dataset holds 430 figures from 120 publishers and 174 source documents.'"""
    return (
        f"The dataset holds {len(df):,} figures from {df[S.PUBLISHER].nunique():,} publishers "
        f"and {df[S.SOURCE_URL].nunique():,} source documents."
    )


def build(df: pd.DataFrame, state: dict) -> View:
    return View(
        slug=SLUG,
        title=TITLE,
        blocks=(
            Markdown(about.INTRO),
            Markdown(counts(df)),
            Markdown(about.DEFINITIONS),
            Markdown(about.SOURCING),
            Markdown(about.CITING),
            DatasetCitation(),
            Markdown(about.LICENCE),
            Markdown(about.REPORTING),
        ),
    )
