"""schema.org JSON-LD of the snapshot (figures/jsonld.py): pure builders, checked on the fixture.

The blocks as written into the exported pages are checked in tests/test_site.py."""

from __future__ import annotations

import datetime
import json

import pytest

from figures import cite, claims, data, jsonld
from figures import schema as S
from tests.conftest import FIGURES

DAY = datetime.date(2026, 3, 5)


@pytest.fixture(scope="module")
def frozen():
    return data.load_figures(FIGURES)


def test_script_json_is_inert_in_html_and_still_the_same_json():
    doc = {"name": "</script><script>alert(1)</script><!-- & é"}
    text = jsonld.script_json(doc)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == doc


@pytest.mark.parametrize(
    ("badge", "words"),
    [
        ("✔ Holds", "Holds"),
        ("▲ Overstates by 3%", "Overstates by 3%"),
        ("? Cannot be checked", "Cannot be checked"),
        ("Holds", "Holds"),
    ],
)
def test_verdict_words_drop_the_symbol(badge, words):
    assert jsonld.verdict_words(badge) == words


def test_dataset_has_the_fields_search_engines_read(frozen):
    ds = jsonld.dataset(
        frozen,
        url="https://x.example/",
        csv_url="https://x.example/casualties.csv",
        datapackage_url="https://x.example/datapackage.json",
        version="2025-12-20",
        released=DAY,
    )
    for key in ("name", "description", "license", "creator", "temporalCoverage"):
        assert ds[key], key
    assert ds["spatialCoverage"]["name"] == "Afghanistan"
    assert ds["dateModified"] == cite.data_date(frozen[S.PUBLISHED]).isoformat()
    assert len(ds["isBasedOn"]) == frozen[S.SOURCE_ID].nunique()
    assert "version 2025-12-20" in ds["citation"]
    json.loads(jsonld.script_json(ds))


def test_claim_review_of_each_checked_claim(frozen):
    for v in claims.evaluate_all(claims.load_claims(frozen), frozen):
        rows = frozen[frozen[S.FIGURE_ID].isin([r[S.FIGURE_ID] for r, _ in v.comparisons])]
        r = jsonld.claim_review(v, rows, url="https://x.example/c.html", released=DAY)
        assert r["@type"] == "ClaimReview" and r["itemReviewed"]["@type"] == "Claim"
        assert r["itemReviewed"]["appearance"] == jsonld.ARTICLE
        assert r["reviewRating"]["alternateName"] in v.badge
        assert [q["identifier"] for q in r.get("citation", [])] == list(rows[S.FIGURE_ID])
