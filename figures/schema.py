"""The one declaration of every column of ``data/casualties.csv``.

Everything else is derived from ``COLUMNS``: the dtypes used to read the CSV, the tests' pandera
schema, chart labels, the export header and ``data/datapackage.json``. A column is named here and
nowhere else; other modules refer to it through the constants at the bottom of this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["slug", "enum", "int", "date", "text", "url"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    label: str
    description: str
    required: bool = True  # must be present in the header
    nullable: bool = False  # may be empty in a row
    allowed: tuple[str, ...] = ()
    unit: str = ""
    max_length: int | None = None
    labels: dict[str, str] = field(default_factory=dict)  # human labels for enum values


CATEGORY_LABELS: dict[str, str] = {
    "coalition_military": "Coalition military (all nations)",
    "us_military": "US military",
    "allied_military": "Allied military (non-US)",
    "civilians": "Afghan civilians",
    "afghan_security_forces": "Afghan security forces",
    "opposition_fighters": "Opposition fighters",
    "us_contractors": "US contractors",
    "journalists": "Journalists and media workers",
    "humanitarian_workers": "Humanitarian and NGO workers",
    "all_direct_deaths": "All direct war deaths (all parties)",
    "all_conflict_deaths": "All conflict deaths (UCDP / ACLED, all parties)",
    "us_government_civilians": "US government civilian employees",
}

#: The five categories the public debate cites, in the order the overview shows them.
MAIN_CATEGORIES: tuple[str, ...] = (
    "coalition_military",
    "us_military",
    "civilians",
    "afghan_security_forces",
    "opposition_fighters",
)

MEASURE_LABELS = {
    "killed": "killed",
    "injured": "injured",
    "killed_and_injured": "killed and injured",
}

QUALIFIER_LABELS = {
    "exact": "",
    "at_least": "at least",
    "more_than": "more than",
    "about": "about",
    "nearly": "nearly",
    "up_to": "up to",
}

GEOGRAPHY_LABELS = {
    "afghanistan": "Afghanistan",
    "afghanistan_and_pakistan": "Afghanistan and Pakistan",
    "pakistan": "Pakistan",
    "in_and_around_afghanistan": "In and around Afghanistan",
    "oef_all_locations": "Operation Enduring Freedom, all locations",
    "oef_other_locations": "Operation Enduring Freedom, locations outside Afghanistan",
    "all_post_9_11_war_zones": "All post-9/11 war zones",
}

METHOD_LABELS = {
    "documented": "documented count (a minimum)",
    "estimate": "estimate",
    "official_statement": "official statement",
}

STATUS_LABELS = {
    "PRIMARY": "primary source",
    "SECONDARY": "reported by a secondary source",
    "DERIVED": "computed from other figures",
}

COLUMNS: tuple[Column, ...] = (
    Column(
        "figure_id",
        "slug",
        "Figure id",
        "Stable unique id of the figure, e.g. cow-2018-11-afghan-security-forces-killed.",
        max_length=80,
    ),
    Column(
        "category",
        "enum",
        "Category",
        "Who was counted.",
        allowed=tuple(CATEGORY_LABELS),
        labels=CATEGORY_LABELS,
    ),
    Column(
        "measure",
        "enum",
        "Measure",
        "What was counted: killed, injured, or both together (UNAMA's 'civilian casualties').",
        allowed=tuple(MEASURE_LABELS),
        labels=MEASURE_LABELS,
    ),
    Column(
        "value",
        "int",
        "Value",
        "The number the source states (its best estimate), digits only. Empty only when the "
        "source gives a range and no single number.",
        nullable=True,
        unit="people",
    ),
    Column(
        "low",
        "int",
        "Low",
        "Low end of the source's range; empty if none.",
        nullable=True,
        unit="people",
    ),
    Column(
        "high",
        "int",
        "High",
        "High end of the source's range; empty if none.",
        nullable=True,
        unit="people",
    ),
    Column(
        "qualifier",
        "enum",
        "Qualifier",
        "How the source qualifies the number ('more than 32,000' is more_than).",
        allowed=tuple(QUALIFIER_LABELS),
        labels=QUALIFIER_LABELS,
    ),
    Column("period_start", "date", "Period start", "First day the figure covers (ISO date)."),
    Column("period_end", "date", "Period end", "Last day the figure covers (ISO date)."),
    Column(
        "geography",
        "enum",
        "Geography",
        "Where the deaths counted took place.",
        allowed=tuple(GEOGRAPHY_LABELS),
        labels=GEOGRAPHY_LABELS,
    ),
    Column(
        "nationality",
        "text",
        "Nationality",
        "The force's country, for per-country military figures; else empty.",
        nullable=True,
        max_length=80,
    ),
    Column(
        "method",
        "enum",
        "Method",
        "documented: a case-by-case count (a minimum); estimate: a modelled estimate; "
        "official_statement: a total announced by an official.",
        allowed=tuple(METHOD_LABELS),
        labels=METHOD_LABELS,
    ),
    Column("publisher", "text", "Publisher", "Who produced the figure.", max_length=300),
    Column("source_title", "text", "Source", "Title of the document.", max_length=500),
    Column(
        "source_url",
        "url",
        "Source URL",
        "Where the number can be read (http or https).",
        max_length=2000,
    ),
    Column("published", "date", "Published", "Publication date of the document (ISO date)."),
    Column(
        "excerpt",
        "text",
        "Excerpt",
        "A short quote showing the number as printed (at most 300 characters).",
        max_length=300,
    ),
    Column(
        "caveat",
        "text",
        "Caveat",
        "What a reader must know about this figure.",
        nullable=True,
        max_length=1000,
    ),
    Column(
        "status",
        "enum",
        "Status",
        "PRIMARY: seen on the publisher's document; SECONDARY: reported by another outlet; "
        "DERIVED: computed from other figures.",
        allowed=tuple(STATUS_LABELS),
        labels=STATUS_LABELS,
    ),
    Column(
        "supersedes",
        "slug",
        "Supersedes",
        "figure_id of the earlier value that this revision or later edition replaces.",
        nullable=True,
        max_length=80,
    ),
    Column(
        "edition",
        "text",
        "Edition",
        "The edition or vintage of the source, e.g. 'Nov 2019'.",
        required=False,
        nullable=True,
        max_length=200,
    ),
    Column(
        "counting_rule",
        "text",
        "Counting rule",
        "The counting rule or scope of the source, e.g. 'DoD-ALL' or 'UNAMA revised series'.",
        required=False,
        nullable=True,
        max_length=200,
    ),
    Column(
        "dossier_ref",
        "text",
        "Dossier reference",
        "Where the figure is recorded in the project's source dossier.",
        required=False,
        nullable=True,
        max_length=200,
    ),
)

BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
REQUIRED: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)
ALL: tuple[str, ...] = tuple(c.name for c in COLUMNS)
INT_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind == "int")
DATE_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.kind == "date")
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# Column-name constants: code refers to columns through these, never through string literals.
FIGURE_ID = "figure_id"
CATEGORY = "category"
MEASURE = "measure"
VALUE = "value"
LOW = "low"
HIGH = "high"
QUALIFIER = "qualifier"
PERIOD_START = "period_start"
PERIOD_END = "period_end"
GEOGRAPHY = "geography"
NATIONALITY = "nationality"
METHOD = "method"
PUBLISHER = "publisher"
SOURCE_TITLE = "source_title"
SOURCE_URL = "source_url"
PUBLISHED = "published"
EXCERPT = "excerpt"
CAVEAT = "caveat"
STATUS = "status"
SUPERSEDES = "supersedes"
EDITION = "edition"
COUNTING_RULE = "counting_rule"
DOSSIER_REF = "dossier_ref"


def label(column: str) -> str:
    """Human label of a column."""
    return BY_NAME[column].label


def value_label(column: str, value: str) -> str:
    """Human label of an enum value (the value itself when it has none)."""
    return BY_NAME[column].labels.get(value, value)


def pandas_dtypes() -> dict[str, str]:
    """The dtypes of the validated DataFrame, by column."""
    out = {}
    for c in COLUMNS:
        if c.kind == "int":
            out[c.name] = "Int64"
        elif c.kind == "date":
            out[c.name] = "datetime64[s]"
        else:
            out[c.name] = "string"
    return out


_FRICTIONLESS_TYPES = {
    "slug": "string",
    "enum": "string",
    "int": "integer",
    "date": "date",
    "text": "string",
    "url": "string",
}


def table_schema() -> dict:
    """Frictionless Table Schema for the CSV, derived from ``COLUMNS``."""
    fields = []
    for c in COLUMNS:
        f: dict = {
            "name": c.name,
            "title": c.label,
            "type": _FRICTIONLESS_TYPES[c.kind],
            "description": c.description,
        }
        constraints: dict = {}
        if not c.nullable:
            constraints["required"] = True
        if c.allowed:
            constraints["enum"] = list(c.allowed)
        if c.kind == "int":
            constraints["minimum"] = 0
        if c.kind == "slug":
            constraints["pattern"] = SLUG_PATTERN[1:-1]
        if c.kind == "url":
            f["format"] = "uri"
        if c.max_length:
            constraints["maxLength"] = c.max_length
        if c.name == FIGURE_ID:
            constraints["unique"] = True
        if constraints:
            f["constraints"] = constraints
        if c.unit:
            f["unit"] = c.unit
        fields.append(f)
    return {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": [FIGURE_ID],
        "foreignKeys": [
            {"fields": [SUPERSEDES], "reference": {"resource": "", "fields": [FIGURE_ID]}}
        ],
    }
