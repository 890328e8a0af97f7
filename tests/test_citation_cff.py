"""CITATION.cff at the repository root: valid Citation File Format 1.2.0 for a dataset, and in
agreement with data/datapackage.json (title, licence, version, keywords, description) and with the
citation text of figures/cite.py (author, title, licence). Also the datapackage's version: the
data's date as the About page states it.
"""

from __future__ import annotations

import datetime
import json

import pytest
import yaml

from figures import about, cite, datapackage
from tests.conftest import ROOT

CFF = ROOT / "CITATION.cff"
#: Keys the Citation File Format 1.2.0 requires.
REQUIRED = ("cff-version", "message", "title", "authors")
#: Keys the format defines that this file may use (a typo such as 'licence' would be ignored).
KNOWN = {
    "cff-version",
    "message",
    "type",
    "title",
    "authors",
    "version",
    "date-released",
    "license",
    "keywords",
    "abstract",
    "repository-code",
    "url",
    "doi",
    "identifiers",
    "references",
    "preferred-citation",
    "contact",
}


@pytest.fixture(scope="module")
def cff() -> dict:
    return yaml.safe_load(CFF.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def package() -> dict:
    return json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))


def _words(text: str) -> str:
    return " ".join(str(text).split())


def test_citation_cff_is_a_dataset_in_cff_1_2_0(cff):
    missing = [k for k in REQUIRED if k not in cff]
    assert not missing, f"CITATION.cff lacks {missing}"
    unknown = sorted(set(cff) - KNOWN)
    assert not unknown, (
        f"CITATION.cff has keys Citation File Format 1.2.0 does not define: {unknown}"
    )
    assert cff["cff-version"] == "1.2.0"  # a string: an unquoted 1.2 would be a number
    assert cff["type"] == "dataset"
    assert isinstance(cff["message"], str) and cff["message"].strip()
    assert isinstance(cff["date-released"], datetime.date), "date-released: YYYY-MM-DD, unquoted"
    assert isinstance(cff["version"], str), "version: quoted, so YAML keeps it a string"
    for author in cff["authors"]:
        assert author.get("name") or author.get("family-names"), author
    if "repository-code" in cff:
        assert str(cff["repository-code"]).startswith("https://")


def test_title_abstract_and_keywords_are_the_datapackages(cff, package):
    assert cff["title"] == package["title"] == datapackage.TITLE
    assert _words(cff["abstract"]) == package["description"] == datapackage.DESCRIPTION
    assert cff["keywords"] == package["keywords"] == list(datapackage.KEYWORDS)


def test_licence_is_the_datapackages_spdx_identifier(cff, package):
    assert [lic["name"] for lic in package["licenses"]] == [cff["license"]]
    assert cff["license"] == datapackage.LICENSE["name"] == "CC-BY-4.0"


def test_version_and_release_date_are_the_datas_date(cff, package):
    date = datapackage.DATA_DATE
    assert cff["date-released"] == date
    assert cff["version"] == package["version"] == datapackage.VERSION == date.isoformat()


def test_author_is_the_one_the_citations_name(cff):
    assert cff["authors"] == [{"name": cite.AUTHOR}]


def test_the_apps_citation_names_the_same_dataset_author_and_licence(cff):
    text = cite.dataset_citation("https://figures.example.org/", datetime.date(2026, 12, 1))
    assert text.startswith(f"{cff['authors'][0]['name']}. {cff['title']} [data set]")
    assert f"Licence: {cite.LICENCE}." in text
    assert cite.LICENCE.replace(" ", "-") == cff["license"]  # "CC BY 4.0" is CC-BY-4.0
    bib = cite.dataset_bibtex("https://figures.example.org/", datetime.date(2026, 12, 1))
    assert cite.bibtex_escape(cff["title"]) in bib


# --- the datapackage's version: the data's date ------------------------------------------------


def test_the_datas_date_on_the_about_page_is_the_version():
    assert datapackage.parse_day_month_year(about.DATA_DATE) == datapackage.DATA_DATE
    assert f"The data was last changed on {about.DATA_DATE}." in about.REPORTING
    assert datapackage.descriptor()["version"] == datapackage.DATA_DATE.isoformat()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26 November 2026", datetime.date(2026, 11, 26)),
        ("1 january 2002", datetime.date(2002, 1, 1)),
        (" 9 May 2021 ", datetime.date(2021, 5, 9)),
    ],
)
def test_parse_day_month_year(text, expected):
    assert datapackage.parse_day_month_year(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-11-26", "like '26 November 2026'"),
        ("26 Novembre 2026", "like '26 November 2026'"),
        ("26 Nov 2026", "like '26 November 2026'"),
        ("31 February 2026", "no such day: '31 February 2026'"),
    ],
)
def test_parse_day_month_year_names_what_it_got(text, message):
    with pytest.raises(ValueError, match=message) as err:
        datapackage.parse_day_month_year(text)
    assert repr(text) in str(err.value)


def test_the_apps_citation_names_the_cff_version(cff):
    text = cite.dataset_citation("https://figures.example.org/", datetime.date(2026, 12, 1))
    assert f"version {cff['version']}" in text
