"""schema.org JSON-LD of the static snapshot: the ``Dataset`` and one ``ClaimReview`` per claim.

Pure: plain dicts from the figures, written into pages by ``script_json`` (``json.dumps`` with
``<``, ``>`` and ``&`` escaped as ``\\u003c`` etc., so no text from the data can close the
``<script type="application/ld+json">`` element or open a comment). Search engines and
fact-checking tools read these blocks; nothing on the page runs them.

URLs are absolute when the snapshot's address is known (``--base-url``), else relative to the
page that carries the block.
"""

from __future__ import annotations

import datetime
import json

import pandas as pd

from figures import charts, cite, datapackage
from figures import schema as S

CONTEXT = "https://schema.org"
LICENSE_URL = datapackage.LICENSE["path"]
TEMPORAL_COVERAGE = "2001/2021"
SPATIAL_COVERAGE = "Afghanistan"

#: The article whose numbers the Article check reviews (``../shared/seed/``): an opinion piece
#: whose text dates it to 21 February 2020 at the earliest (``figures/pages/article.py``).
ARTICLE = {
    "@type": "OpinionNewsArticle",
    "headline": "The USA Is Determined To Surrender Afghanistan To The Taliban!",
    "datePublished": "2020-02-21",
    "about": "The US–Taliban reduction in violence of February 2020",
}


def creator() -> dict:
    return {"@type": "Organization", "name": cite.AUTHOR}


def script_json(data: dict) -> str:
    """The JSON text of a ``<script type="application/ld+json">`` element: inert in HTML."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _date(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None and v != "" and v != []}


def source_document(row: pd.Series) -> dict:
    """A source document (one row of data/sources.csv, as the flat table carries it)."""
    return _drop_none(
        {
            "@type": "CreativeWork",
            "name": str(row[S.SOURCE_TITLE]),
            "url": str(row[S.SOURCE_URL]),
            "datePublished": _date(row.get(S.PUBLISHED)),
            "publisher": {"@type": "Organization", "name": str(row[S.PUBLISHER])},
            "genre": S.value_label(S.SOURCE_KIND, str(row[S.SOURCE_KIND]))
            if isinstance(row.get(S.SOURCE_KIND), str)
            else None,
        }
    )


def source_documents(df: pd.DataFrame) -> list[dict]:
    """Every source document once, in order of first use."""
    key = S.SOURCE_ID if S.SOURCE_ID in df.columns and df[S.SOURCE_ID].notna().all() else None
    docs = df.drop_duplicates(key or S.SOURCE_URL)
    return [source_document(r) for _, r in docs.iterrows()]


def variables(df: pd.DataFrame) -> list[dict]:
    """What the figures count: one variable per category and measure the data has."""
    pairs = df[[S.CATEGORY, S.MEASURE]].drop_duplicates()
    order = {c: i for i, c in enumerate(S.CATEGORY_LABELS)}
    pairs = pairs.sort_values(
        [S.CATEGORY, S.MEASURE],
        key=lambda s: s.map(order).fillna(len(order)) if s.name == S.CATEGORY else s,
    )
    return [
        {
            "@type": "PropertyValue",
            "name": f"{S.value_label(S.CATEGORY, c)}: {S.value_label(S.MEASURE, m)}",
            "unitText": "people",
        }
        for c, m in pairs.itertuples(index=False)
    ]


def dataset(
    df: pd.DataFrame,
    *,
    url: str,
    csv_url: str,
    datapackage_url: str,
    version: str,
    released: datetime.date,
) -> dict:
    """The schema.org ``Dataset`` of the whole snapshot."""
    newest = cite.data_date(df[S.PUBLISHED])
    return _drop_none(
        {
            "@context": CONTEXT,
            "@type": "Dataset",
            "name": datapackage.TITLE,
            "alternateName": datapackage.NAME,
            "description": datapackage.DESCRIPTION,
            "url": url,
            "version": version,
            "datePublished": released.isoformat(),
            "dateModified": newest.isoformat() if newest else None,
            "license": LICENSE_URL,
            "creator": creator(),
            "publisher": creator(),
            "isAccessibleForFree": True,
            "keywords": ["Afghanistan", "war", "casualties", "2001–2021", "sources"],
            "temporalCoverage": TEMPORAL_COVERAGE,
            "spatialCoverage": {"@type": "Place", "name": SPATIAL_COVERAGE},
            "variableMeasured": variables(df),
            "citation": cite.versioned_citation(url, version, released),
            "distribution": [
                {
                    "@type": "DataDownload",
                    "name": "The figures, one row each, with their sources (CSV)",
                    "contentUrl": csv_url,
                    "encodingFormat": "text/csv",
                },
                {
                    "@type": "DataDownload",
                    "name": "Frictionless data package descriptor (schema, licence, sources)",
                    "contentUrl": datapackage_url,
                    "encodingFormat": "application/json",
                },
            ],
            "isBasedOn": source_documents(df),
        }
    )


def figure_quote(row: pd.Series) -> dict:
    """One figure as a quotation of its source document: what it says, and where."""
    label = (
        f"{S.value_label(S.CATEGORY, row[S.CATEGORY])}: {charts.format_figure(row)} "
        f"{S.value_label(S.MEASURE, row[S.MEASURE])}"
    )
    excerpt = row.get(S.EXCERPT)
    return _drop_none(
        {
            "@type": "Quotation",
            "identifier": str(row[S.FIGURE_ID]),
            "name": label,
            "text": excerpt.strip() if isinstance(excerpt, str) else None,
            "isPartOf": source_document(row),
        }
    )


def verdict_words(badge: str) -> str:
    """The verdict in words, without its symbol ('✔ Holds' -> 'Holds')."""
    head, _, rest = badge.partition(" ")
    return rest if rest and not head.isalnum() else badge


def claim_review(verdict, figures: pd.DataFrame | None, *, url: str, released) -> dict:
    """The schema.org ``ClaimReview`` of one of the article's claims (``claims.Verdict``):
    the claim, the article it appears in, the verdict, and the figures with their sources."""
    c = verdict.claim
    rows = [] if figures is None or figures.empty else [r for _, r in figures.iterrows()]
    words = verdict_words(verdict.badge)
    return _drop_none(
        {
            "@context": CONTEXT,
            "@type": "ClaimReview",
            "url": url,
            "datePublished": released.isoformat(),
            "author": creator(),
            "claimReviewed": f"{c.claim}: “{c.words}”",
            "itemReviewed": {
                "@type": "Claim",
                "datePublished": ARTICLE["datePublished"],
                "appearance": ARTICLE,
                "firstAppearance": ARTICLE,
            },
            "reviewRating": {"@type": "Rating", "alternateName": words, "name": verdict.badge},
            "reviewBody": verdict.explanation,
            "citation": [figure_quote(r) for r in rows],
        }
    )
