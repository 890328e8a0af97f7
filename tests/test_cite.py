"""Golden tests of the citation text: plain and BibTeX, for the dataset and for one view."""

from __future__ import annotations

import datetime
import re

from figures import cite, datapackage

DAY = datetime.date(2026, 3, 5)
V = datapackage.VERSION  # the data's version (CITATION.cff, datapackage.json)
URL = "https://figures.example.org/"
VIEW_URL = "https://figures.example.org/compare?cmp_category=civilians&cmp_measure=killed"


def test_dataset_citation_golden():
    assert cite.dataset_citation(URL, DAY) == (
        "Afghanistan war casualty figures project. Casualty figures of the 2001–2021 war in "
        f"Afghanistan, with sources [data set], version {V}. Licence: CC BY 4.0. "
        "https://figures.example.org/ (accessed 5 March 2026)."
    )


def test_dataset_bibtex_golden():
    assert cite.dataset_bibtex(URL, DAY) == (
        "@misc{afghanistan_casualty_figures_2026,\n"
        "  author       = {{Afghanistan war casualty figures project}},\n"
        "  title        = {{Casualty figures of the 2001--2021 war in Afghanistan, with sources}},\n"
        f"  howpublished = {{Data set, version {V}}},\n"
        "  note         = {Licence: CC BY 4.0},\n"
        "  url          = {https://figures.example.org/},\n"
        "  urldate      = {2026-03-05},\n"
        "}"
    )


def test_view_citation_golden_names_page_sources_and_link():
    sources = ["UNAMA", "Costs of War (Watson Institute, Brown University)", "UNAMA"]
    assert cite.view_citation(VIEW_URL, DAY, "Compare sources", sources) == (
        'Afghanistan war casualty figures project. "Compare sources". In: Casualty figures of '
        f"the 2001–2021 war in Afghanistan, with sources [data set], version {V}. Figures "
        "from: UNAMA; Costs of War (Watson Institute, Brown University). Licence: CC BY 4.0. "
        "https://figures.example.org/compare?cmp_category=civilians&cmp_measure=killed "
        "(accessed 5 March 2026)."
    )


def test_view_bibtex_golden():
    assert cite.view_bibtex(VIEW_URL, DAY, "Compare sources", ["UNAMA"]) == (
        "@misc{afghanistan_casualty_figures_compare_sources_2026,\n"
        "  author  = {{Afghanistan war casualty figures project}},\n"
        "  title   = {{Casualty figures of the 2001--2021 war in Afghanistan, with sources: "
        "Compare sources}},\n"
        f"  note    = {{Data set, version {V}. Figures from: UNAMA. Licence: CC BY 4.0}},\n"
        "  url     = {https://figures.example.org/compare?cmp_category=civilians&cmp_measure=killed},\n"
        "  urldate = {2026-03-05},\n"
        "}"
    )


def test_view_citation_without_sources_omits_the_sources_sentence():
    text = cite.view_citation(URL, DAY, "About", [])
    assert "Figures from" not in text
    assert text.startswith('Afghanistan war casualty figures project. "About". In: ')


def test_view_citation_without_title_is_the_dataset_citation():
    assert cite.view_citation(URL, DAY, "  ", ["UNAMA"]) == cite.dataset_citation(URL, DAY)
    assert cite.view_bibtex(URL, DAY, "", ["UNAMA"]) == cite.dataset_bibtex(URL, DAY)


def test_view_citation_lists_at_most_ten_sources_then_a_count():
    sources = [f"Publisher {i}" for i in range(13)]
    text = cite.view_citation(URL, DAY, "Data", sources)
    assert "Publisher 9; and 3 more." in text
    assert "Publisher 10" not in text


def test_bibtex_escapes_tex_specials_in_sources_and_title():
    bib = cite.view_bibtex(URL, DAY, "50% of {cases} & more_", ["A & B #1", "C\\D ~x^"])
    note = re.search(r"note\s+= \{(.*)\},\n", bib)[1]
    assert note == (
        rf"Data set, version {V}. Figures from: A \& B \#1; C\textbackslash{{}}D "
        r"\textasciitilde{}x\textasciicircum{}. Licence: CC BY 4.0"
    )
    assert r"50\% of \{cases\} \& more\_" in bib
    assert bib.count("{") - bib.count(r"\{") == bib.count("}") - bib.count(r"\}")


def test_urls_with_braces_spaces_or_quotes_cannot_break_the_citation():
    url = 'https://h.example/x?q=a b}"\n<script>'
    bib = cite.dataset_bibtex(url, DAY)
    assert "url          = {https://h.example/x?q=a%20b%7D%22%0A%3Cscript%3E}," in bib
    assert "<script>" not in cite.view_citation(url, DAY, "Overview", [])


def test_view_link_adds_the_query_string_to_the_page_url():
    params = [("cmp_category", "civilians"), ("cmp_year", "2019"), ("cmp_year", "2020")]
    assert (
        cite.view_link("https://h.example/compare", "compare", params)
        == "https://h.example/compare?cmp_category=civilians&cmp_year=2019&cmp_year=2020"
    )
    assert cite.view_link("https://h.example", "", [("log", "true")]) == (
        "https://h.example/?log=true"
    )
    assert cite.view_link("https://h.example/over-time", "over-time", []) == (
        "https://h.example/over-time"
    )


def test_view_link_without_a_browser_url_is_relative():
    assert cite.view_link(None, "over-time", [("a", "1 2"), ("b", "<x>")]) == (
        "/over-time?a=1+2&b=%3Cx%3E"
    )
    assert cite.view_link(None, "", []) == "/"
