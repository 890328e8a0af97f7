"""Deep links to a figure's quote (figures/cite.py): text fragments for HTML pages, ``#page=N``
for PDFs; and the citation of a dated version of the snapshot."""

from __future__ import annotations

import datetime
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from figures import cite

DAY = datetime.date(2026, 3, 5)


@pytest.mark.parametrize(
    ("text", "encoded"),
    [
        ("a-b", "a%2Db"),
        ("a&b", "a%26b"),
        ("a,b", "a%2Cb"),
        ("3,500 killed", "3%2C500%20killed"),
        ("US–Taliban", "US%E2%80%93Taliban"),
        ("“nearly”", "%E2%80%9Cnearly%E2%80%9D"),
        ("a#b?c=d", "a%23b%3Fc%3Dd"),
        ("50%", "50%25"),
        ("http://evil.example/", "http%3A%2F%2Fevil%2Eexample%2F"),
        ("a_b~c.d", "a%5Fb%7Ec%2Ed"),
    ],
)
def test_fragment_encoding_escapes_the_directive_syntax_and_non_ascii(text, encoded):
    assert cite.fragment_encode(text) == encoded


def test_a_short_quote_is_the_whole_text_start():
    assert cite.text_fragment("  more than 32,000\n civilians ") == (
        ":~:text=more%20than%2032%2C000%20civilians"
    )


def test_a_long_quote_is_its_first_and_last_words():
    quote = (
        "As of June 6, 2011, that number totaled 6,051, with 4,457 dead in Iraq and 1,594 "
        "dead in Afghanistan (See Table 1)."
    )
    assert cite.text_fragment(quote) == (
        ":~:text=As%20of%20June%206%2C%202011%2C,in%20Afghanistan%20%28See%20Table%201%29%2E"
    )


def test_an_ellipsis_or_an_editorial_insertion_is_never_inside_a_fragment():
    quote = "Table 1. US War Dead in Iraq and Afghanistan … Afghanistan 1594 763"
    directive = cite.text_fragment(quote)
    start, end = directive.removeprefix(":~:text=").split(",")
    assert unquote(start) == "Table 1. US War Dead"
    assert unquote(end) == "Afghanistan 1594 763"
    bracket = cite.text_fragment("Of these, more than 31,000 of the dead are Afghan [civilians].")
    assert "civilians" not in unquote(bracket) and "%5B" not in bracket
    assert cite.text_fragment("") is None and cite.text_fragment(" … ") is None


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_a_fragment_decodes_back_to_words_of_the_quote(quote):
    directive = cite.text_fragment(quote)
    if directive is None:
        return
    assert directive.startswith(":~:text=")
    parts = directive.removeprefix(":~:text=").split(",")
    assert 1 <= len(parts) <= 2
    for part in parts:
        assert not set(part) & set('-&# \n"<>') and part
        assert unquote(part) in " ".join(quote.replace("…", " ").split()) or "[" in quote


def test_quote_link_of_an_html_page_adds_the_text_fragment():
    url = "https://reliefweb.int/report/afghanistan/annual-report"
    assert cite.quote_link(url, "more than 32,000 civilians", "para 3") == (
        url + "#:~:text=more%20than%2032%2C000%20civilians"
    )
    # an existing fragment is kept, an old directive replaced
    assert cite.quote_link(url + "#s2:~:text=old", "new words", None) == (
        url + "#s2:~:text=new%20words"
    )


def test_quote_link_of_a_pdf_opens_the_page_the_locator_names():
    url = "https://example.org/reports/POC-2019.PDF"
    assert cite.quote_link(url, "3,804 civilians", "p. 12, table 3") == url + "#page=12"
    assert cite.quote_link(url, "x", "pages 4-5") == url + "#page=4"
    assert cite.quote_link(url + "#view=fit", "x", "page 7") == url + "#page=7"
    assert cite.quote_link(url, "3,804 civilians", "table 3, row 2") is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x/y", "", None, "data:text/html,"])
def test_quote_link_only_for_http_urls(url):
    assert cite.quote_link(url, "some words", "p. 1") is None


@pytest.mark.parametrize(
    ("locator", "page"),
    [("p. 1, para. 2", 1), ("table p. 14", 14), ("page 3", 3), ("pp. 7-9", 7), ("para 4", None)]
    + [("Table 2", None), ("p. 0", None), ("", None), (None, None), ("step 5", None)],
)
def test_locator_page(locator, page):
    assert cite.locator_page(locator) == page


def test_versioned_citation_names_the_version_its_date_and_the_address():
    url = "https://figures.example.org/v/2025-12-20/compare-civilians.html"
    text = cite.versioned_citation(url, "2025-12-20", DAY, "Compare sources: Civilians", ["UNAMA"])
    assert text == (
        'Afghanistan war casualty figures project (2026). "Compare sources: Civilians". In: '
        "Casualty figures of the 2001–2021 war in Afghanistan, with sources [data set], version "
        "2025-12-20 (5 March 2026). Figures from: UNAMA. Licence: CC BY 4.0. " + url
    )
    assert "accessed" not in text  # the address of a version does not change
    assert cite.versioned_citation(None, "v1", DAY).endswith("Licence: CC BY 4.0.")


def test_versioned_bibtex_has_a_version_field():
    bib = cite.versioned_bibtex("https://x.example/v/2025-12-20/", "2025-12-20", DAY)
    assert bib.startswith("@misc{afghanistan_casualty_figures_2025_12_20,")
    assert "  version = {2025-12-20}," in bib
    assert "  date    = {2026-03-05}," in bib
    assert "  url     = {https://x.example/v/2025-12-20/}," in bib
    assert "url" not in cite.versioned_bibtex(None, "v1", DAY)


@pytest.mark.parametrize("bad", ["", "../x", "a/b", "-x", "a b", "x" * 65, "v1..2"])
def test_a_version_must_be_a_folder_name(bad):
    with pytest.raises(ValueError, match="a version is"):
        cite.check_version(bad)
    assert cite.check_version("2025-12-20") == "2025-12-20"


def test_data_date_is_the_newest_publication():
    assert cite.data_date(["2011-06-06", "2025-12-20", None]) == datetime.date(2025, 12, 20)
    assert cite.data_date([]) is None
