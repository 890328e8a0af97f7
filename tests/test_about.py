"""About page: the definitions, sourcing, citation, licence and error-reporting text."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from figures import about
from figures import schema as S
from figures.ui.html import copy_texts
from figures.ui.render import data_page_url
from tests.conftest import ROOT

APP = str(ROOT / "app.py")

DEFINED_TERMS = [
    "Documented count and estimate",
    "Direct deaths and all deaths",
    "Operation Enduring Freedom in all locations, and Afghanistan only",
    "Hostile and non-hostile deaths",
    "Killed and casualties",
    "Editions and revisions",
    "Statuses",
]


def test_every_published_status_is_explained():
    assert set(about.STATUS_EXPLANATIONS) == set(S.BY_NAME[S.STATUS].allowed)
    for status in S.BY_NAME[S.STATUS].allowed:
        assert f"**{status}**: {about.STATUS_EXPLANATIONS[status]}" in about.DEFINITIONS
    assert "UNCONFIRMED" not in about.STATUS_EXPLANATIONS
    assert "never published" in about.DEFINITIONS


def test_about_text_defines_each_term():
    for term in DEFINED_TERMS:
        assert f"**{term}.**" in about.DEFINITIONS, term


def test_about_text_states_licences_and_how_to_report_an_error():
    assert "MIT" in about.LICENCE
    assert "CC BY 4.0" in about.LICENCE
    for needed in ("`figure_id`", "source", "correct value", "link"):
        assert needed in about.REPORTING


def test_about_text_is_plain_markdown():
    text = about.markdown()
    assert "$" not in text  # Streamlit would typeset $...$ as maths
    assert "<" not in text  # no HTML
    assert not re.search(r"\{[A-Z]+\}", text)  # every placeholder filled


@pytest.mark.parametrize(
    ("page_url", "expected"),
    [
        ("https://figures.example.org/about", "https://figures.example.org/data"),
        ("https://example.org/app/about", "https://example.org/app/data"),
        ("https://example.org/app/", "https://example.org/app/data"),
        ("https://example.org/", "https://example.org/data"),
        ("/about", None),
        (None, None),
    ],
)
def test_data_page_url_from_the_about_page_url(page_url, expected):
    assert data_page_url(page_url) == expected


@pytest.fixture
def about_page():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("figures/ui/about.py").run()
    assert not at.exception
    return at


def test_about_page_renders_the_definitions(about_page):
    at = about_page
    assert at.title[0].value == "About"
    text = "\n".join(m.value for m in at.main.markdown)
    for term in DEFINED_TERMS:
        assert term in text, term
    for heading in ("How the figures were sourced", "How to cite", "Licence", "Reporting an error"):
        assert f"### {heading}" in text, heading
    assert re.search(r"The dataset holds [\d,]+ figures from [\d,]+ publishers", text)
    assert not at.error
    assert not at.info


def test_about_page_shows_the_dataset_citation(about_page):
    code = copy_texts(h.proto.body for h in about_page.main.get("html"))
    assert any("CC BY 4.0" in c and "/data" in c for c in code)


def test_about_page_notes_an_unknown_parameter():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["bogus"] = "1"
    at.run()
    at.switch_page("figures/ui/about.py").run()
    assert any("not understood" in i.value for i in at.info)
