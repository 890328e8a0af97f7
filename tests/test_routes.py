"""Addresses and link parameters: unknown pages and year ranges (pure helpers in figures/views.py)."""

from __future__ import annotations

import pytest

from figures import views

KNOWN = ["", "compare", "over-time", "editions", "by-country", "article-check", "data", "about"]


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("http://h/", "", None),
        ("http://h", "", None),
        ("http://h/compare", "", None),
        ("http://h/compare/", "", None),
        ("http://h/compare?cmp_category=x", "", None),
        ("http://h/nope", "", "nope"),
        ("http://h/nope/", "", "nope"),
        ("http://h/overview", "", "overview"),  # the default page lives at '/'
        ("http://h/overview/", "", "overview"),
        ("http://h/Compare", "", "Compare"),
        ("http://h/compare/extra/path", "", "compare/extra/path"),
        ("http://h/app/compare", "app", None),
        ("http://h/app/", "/app/", None),
        ("http://h/app/nope", "app", "nope"),
        (None, "", None),
        ("", "", None),
    ],
)
def test_unknown_page(url, base, expected):
    assert views.unknown_page(url, KNOWN, base) == expected


def test_not_found_path_only_for_names_a_page_can_have():
    assert views.not_found_path("nope") == "nope"
    assert views.not_found_path("overview") == "overview"
    assert views.not_found_path("compare/extra/path") is None
    assert views.not_found_path("x" * 500) is None


BOUNDS = (2001, 2021)


@pytest.mark.parametrize(
    ("values", "expected", "notice"),
    [
        ([], (2001, 2021), None),
        (["2005", "2015"], (2005, 2015), None),
        (["2015", "2005"], (2005, 2015), "reversed (2015 to 2005), so 2005–2015 is shown"),
        (["1990", "2030"], (2001, 2021), "covers 2001–2021 only, so 2001–2021 is shown"),
        (["2030", "1990"], (2001, 2021), "reversed"),
        (["2009", "2009"], (2009, 2009), None),
        (["abc", "2010"], (2001, 2021), "not understood"),
        (["2010"], (2001, 2021), "not understood"),
        (["2010", "2011", "2012"], (2001, 2021), "not understood"),
    ],
)
def test_year_range_is_corrected_and_the_notice_says_so(values, expected, notice):
    years, text = views.year_range(values, BOUNDS)
    assert years == expected
    if notice is None:
        assert text is None
    else:
        assert notice in text
