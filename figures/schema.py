"""The one declaration of every column of ``data/casualties.csv``.

Everything else is derived from ``COLUMNS``: the dtypes used to read the CSV, the tests' pandera
schema, chart labels, the export header and ``data/datapackage.json``. A column is named here and
nowhere else; other modules refer to it through the constants at the bottom of this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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
    # Costs of War's indirect deaths (disease, displacement, loss of livelihoods): a category of its
    # own, never added to direct deaths; the total is kept only as the publisher prints it.
    "indirect_deaths": "Indirect war deaths (all parties)",
    "direct_and_indirect_deaths": "Direct and indirect war deaths, as printed (all parties)",
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

#: How strong a citation is (CITATIONS.md tiers), strongest first. The order is the ranking used
#: wherever one figure must be chosen among several for the same slot.
SOURCE_KIND_LABELS = {
    "publisher_document": "publisher's document",
    "faithful_copy": "faithful copy of the publisher's document",
    "news_report": "news report",
    "reference_compilation": "reference compilation",
}
SOURCE_KIND_RANK: dict[str, int] = {k: i for i, k in enumerate(SOURCE_KIND_LABELS)}
#: Status a figure may carry for each kind of source (DERIVED is allowed with any kind).
STATUS_FOR_KIND = {
    "publisher_document": "PRIMARY",
    "faithful_copy": "PRIMARY",
    "news_report": "SECONDARY",
    "reference_compilation": "SECONDARY",
}

#: Hosts a news desk rejects (CITATIONS.md tier 5): blogs, forums, scrapers and document farms,
#: wiki mirrors, content farms and partisan re-posts. A URL on one of these (or a subdomain) is
#: refused by the validator; a figure whose only source is here is not published.
REJECTED_HOSTS: tuple[str, ...] = (
    "5dok.org",
    "911caper.com",
    "audioburst.com",
    "blogspot.com",
    "careersdocbox.com",
    "headlineusa.com",
    "israelbehindthenews.com",
    "ksaplayers.com",
    "moam.info",
    "newsbreak.com",
    "ricksblog.biz",
    "usmessageboard.com",
    "wikimili.com",
    "wordpress.com",
)

#: Excerpts that stand in for a quote instead of being one ("[no quote: table cell ...]").
PLACEHOLDER_PATTERN = r"^\s*\[[^\]]*\]\s*$|^\s*\[no quote\b"

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
        "PRIMARY: read in the publisher's document or a faithful copy of it; SECONDARY: read in "
        "a news report or a reference compilation; DERIVED: computed from other figures.",
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
    # Columns added with data/sources.csv. Optional in a flat file, so that files written against
    # the first contract still load; the shipped download always has them.
    Column(
        "source_id",
        "slug",
        "Source id",
        "Id of the source document in data/sources.csv.",
        required=False,
        nullable=True,
        max_length=100,
    ),
    Column(
        "locator",
        "text",
        "Locator",
        "Where in the document the number stands: page, table, paragraph.",
        required=False,
        nullable=True,
        max_length=200,
    ),
    Column(
        "source_kind",
        "enum",
        "Kind of source",
        "How strong the citation is: publisher_document (the publisher's own document), "
        "faithful_copy (a whole copy of it), news_report (an outlet reporting the publisher's "
        "figure), reference_compilation (an encyclopedia; only where nothing better exists).",
        required=False,
        nullable=True,
        allowed=tuple(SOURCE_KIND_LABELS),
        labels=SOURCE_KIND_LABELS,
    ),
    Column(
        "publisher_url",
        "url",
        "Publisher's URL",
        "The publisher's own address of the document, when known (http or https).",
        required=False,
        nullable=True,
        max_length=2000,
    ),
    Column(
        "archive_url",
        "url",
        "Archive URL",
        "An archived copy of the page, when known (http or https).",
        required=False,
        nullable=True,
        max_length=2000,
    ),
    Column(
        "reported_by",
        "text",
        "Reported by",
        "For a news report, the outlet; for a faithful copy, who hosts the copy.",
        required=False,
        nullable=True,
        max_length=300,
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
SOURCE_ID = "source_id"
LOCATOR = "locator"
SOURCE_KIND = "source_kind"
PUBLISHER_URL = "publisher_url"
ARCHIVE_URL = "archive_url"
REPORTED_BY = "reported_by"

# ---- data/sources.csv: one row per source document -------------------------------------------
#: Its columns, and the flat (joined) column each one becomes: declared once, here.
SOURCE_COLUMNS: tuple[Column, ...] = (
    Column("source_id", "slug", "Source id", "Stable unique id of the document.", max_length=100),
    Column("publisher", "text", "Publisher", "Who produced the figures.", max_length=300),
    Column("title", "text", "Title", "Title of the document.", max_length=500),
    Column("published", "date", "Published", "Publication date of the document (ISO date)."),
    Column(
        "kind",
        "enum",
        "Kind of source",
        BY_NAME[SOURCE_KIND].description,
        allowed=tuple(SOURCE_KIND_LABELS),
        labels=SOURCE_KIND_LABELS,
    ),
    Column(
        "url",
        "url",
        "URL",
        "Where the figures were read: the document, its copy or the news report.",
        max_length=2000,
    ),
    replace(BY_NAME[PUBLISHER_URL], required=True),
    replace(BY_NAME[ARCHIVE_URL], required=True),
    Column(
        "reported_by",
        "text",
        "Reported by",
        "Required for a news report (the outlet) and a faithful copy (who hosts it).",
        nullable=True,
        max_length=300,
    ),
)
SOURCE_TO_FLAT: dict[str, str] = {
    "source_id": SOURCE_ID,
    "publisher": PUBLISHER,
    "title": SOURCE_TITLE,
    "published": PUBLISHED,
    "kind": SOURCE_KIND,
    "url": SOURCE_URL,
    "publisher_url": PUBLISHER_URL,
    "archive_url": ARCHIVE_URL,
    "reported_by": REPORTED_BY,
}
SOURCE_KIND_COLUMN = "kind"
SOURCE_REPORTED_BY = "reported_by"

#: data/casualties.csv: the flat columns less those of the document, which it names by source_id.
#: source_id and locator are required there.
_DOCUMENT_FLAT = set(SOURCE_TO_FLAT.values()) - {SOURCE_ID}


def _figure_file_columns() -> tuple[Column, ...]:
    kept = [c for c in COLUMNS if c.name not in _DOCUMENT_FLAT | {SOURCE_ID, LOCATOR}]
    at = [c.name for c in kept].index(METHOD) + 1  # where the document's columns stood
    ref = [replace(BY_NAME[n], required=True, nullable=False) for n in (SOURCE_ID, LOCATOR)]
    return tuple(kept[:at] + ref + kept[at:])


FIGURE_FILE_COLUMNS: tuple[Column, ...] = _figure_file_columns()


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


def table_schema(
    columns: tuple[Column, ...] = COLUMNS,
    primary_key: str = FIGURE_ID,
    foreign_keys: tuple[tuple[str, str, str], ...] = ((SUPERSEDES, "", FIGURE_ID),),
) -> dict:
    """Frictionless Table Schema of one table, derived from its columns.

    ``foreign_keys``: (field, resource, field there); resource "" is the table itself.
    """
    fields = []
    for c in columns:
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
        if c.name == primary_key:
            constraints["unique"] = True
        if constraints:
            f["constraints"] = constraints
        if c.unit:
            f["unit"] = c.unit
        fields.append(f)
    return {
        "fields": fields,
        "missingValues": [""],
        "primaryKey": [primary_key],
        "foreignKeys": [
            {"fields": [field], "reference": {"resource": resource, "fields": [target]}}
            for field, resource, target in foreign_keys
        ],
    }


_TYPE_WORDS = {
    "slug": "slug (a-z, 0-9, -)",
    "enum": "one of the allowed values",
    "int": "whole number >= 0, digits only",
    "date": "date YYYY-MM-DD",
    "url": "http(s) URL",
}


def markdown_table(columns: tuple[Column, ...]) -> str:
    """The README's table of a file's columns (tests check the README holds it as written)."""
    out = [
        "| column | required | type | meaning | allowed values |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in columns:
        need = "optional column" if not c.required else "may be empty" if c.nullable else "yes"
        kind = _TYPE_WORDS.get(c.kind) or f"text, at most {c.max_length} characters"
        values = ", ".join(
            f"`{v}` ({c.labels[v]})" if c.labels.get(v) and c.labels[v] != v else f"`{v}`"
            for v in c.allowed
        )
        out.append(f"| `{c.name}` | {need} | {kind} | {c.description} | {values} |")
    return "\n".join(out)
