"""The Frictionless Data Package descriptor of the dataset, generated from figures/schema.py."""

from __future__ import annotations

import json

import pandas as pd

from figures import schema as S

TITLE = "Casualty figures of the 2001–2021 war in Afghanistan, with sources"
NAME = "afghanistan-war-casualty-figures"
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
DESCRIPTION = (
    "One row per casualty figure as a source states it (coalition, US, civilian, Afghan security "
    "forces, opposition fighters and more), each with the publisher, document, URL, publication "
    "date, a short excerpt showing the number, its range, period, geography, counting method and "
    "caveats. Figures of different scope (geography, method, measure, period, edition) must not "
    "be added up. The figures are facts reported by their publishers; the compilation is "
    "licensed CC BY 4.0."
)


def descriptor(df: pd.DataFrame | None = None) -> dict:
    """The datapackage.json content; with the data, it lists every publisher as a source."""
    sources = []
    if df is not None:
        seen = {}
        for _, r in df.sort_values(S.PUBLISHER).iterrows():
            seen.setdefault(str(r[S.PUBLISHER]), str(r[S.SOURCE_URL]))
        sources = [{"title": t, "path": p} for t, p in seen.items()]
    return {
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "licenses": [LICENSE],
        "sources": sources,
        "resources": [
            {
                "name": "casualties",
                "path": "casualties.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": S.table_schema(),
            }
        ],
    }


def dumps(df: pd.DataFrame | None = None) -> str:
    return json.dumps(descriptor(df), indent=2, ensure_ascii=False) + "\n"
