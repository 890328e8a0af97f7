"""The Frictionless Data Package descriptor of the dataset, generated from figures/schema.py.

The dataset's version is the data's date (``figures.about.DATA_DATE``, the day the data last
changed) as an ISO date; ``CITATION.cff`` at the repository root repeats the title, licence,
version, keywords and description, and tests/test_citation_cff.py keeps the two in agreement.
"""

from __future__ import annotations

import datetime
import json
import re

import pandas as pd

from figures import about
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


def _resource(name: str, path: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "path": path,
        "description": description,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


#: Subject words for catalogues (datapackage ``keywords``, CITATION.cff ``keywords``).
KEYWORDS: tuple[str, ...] = (
    "Afghanistan",
    "war in Afghanistan (2001-2021)",
    "casualties",
    "civilian casualties",
    "military casualties",
    "conflict data",
    "sources",
    "provenance",
)

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2}) ([A-Za-z]+) (\d{4})\s*$")


def parse_day_month_year(text: str) -> datetime.date:
    """'26 November 2026' -> date(2026, 11, 26); English month names, whatever the locale."""
    m = _DAY_MONTH_YEAR.match(text)
    month = m[2].lower() if m else ""
    if not m or month not in _MONTHS:
        raise ValueError(
            f"a date must be written like '26 November 2026' (day, English month, year) "
            f"(got {text!r})"
        )
    try:
        return datetime.date(int(m[3]), _MONTHS.index(month) + 1, int(m[1]))
    except ValueError as exc:
        raise ValueError(f"no such day: {text!r} ({exc})") from None


#: The day the data last changed (the About page's "The data's date"), and so its version.
DATA_DATE: datetime.date = parse_day_month_year(about.DATA_DATE)
VERSION = DATA_DATE.isoformat()

FIGURES_DESCRIPTION = "One row per figure, naming its source document by source_id."
SOURCES_DESCRIPTION = "One row per source document: publisher, title, date, kind of source, URLs."
FLAT_DESCRIPTION = (
    "One self-contained row per figure, joined with its source document: the first contract's "
    "columns first, in their order, then the newer ones."
)


def descriptor(df: pd.DataFrame | None = None, layout: str = "normalised") -> dict:
    """The datapackage.json content; with the data, it lists every publisher as a source.

    ``layout="normalised"`` describes ``data/``: casualties.csv (figures) and sources.csv (their
    documents) joined by a foreign key. ``layout="flat"`` describes the one-file download.
    """
    sources = []
    if df is not None:
        seen = {}
        for _, r in df.sort_values(S.PUBLISHER).iterrows():
            seen.setdefault(str(r[S.PUBLISHER]), str(r[S.SOURCE_URL]))
        sources = [{"title": t, "path": p} for t, p in seen.items()]
    if layout == "flat":
        resources = [_resource("casualties", "casualties.csv", S.table_schema(), FLAT_DESCRIPTION)]
    elif layout == "normalised":
        resources = [
            _resource(
                "casualties",
                "casualties.csv",
                S.table_schema(
                    S.FIGURE_FILE_COLUMNS,
                    foreign_keys=(
                        (S.SUPERSEDES, "", S.FIGURE_ID),
                        (S.SOURCE_ID, "sources", S.SOURCE_ID),
                    ),
                ),
                FIGURES_DESCRIPTION,
            ),
            _resource(
                "sources",
                "sources.csv",
                S.table_schema(S.SOURCE_COLUMNS, primary_key=S.SOURCE_ID, foreign_keys=()),
                SOURCES_DESCRIPTION,
            ),
        ]
    else:
        raise ValueError(f"layout must be 'normalised' or 'flat' (got {layout!r})")
    return {
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": VERSION,
        "keywords": list(KEYWORDS),
        "licenses": [LICENSE],
        "sources": sources,
        "resources": resources,
    }


def dumps(df: pd.DataFrame | None = None, layout: str = "normalised") -> str:
    return json.dumps(descriptor(df, layout), indent=2, ensure_ascii=False) + "\n"
