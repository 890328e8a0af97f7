"""Provenance of the shipped figures: each quoted excerpt shows its number, as printed."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from figures import data
from figures import schema as S

# Figures whose excerpt gives the number in words ("Fifty-five", "nine", "sju") or as its parts
# ("10 Marines, two Army soldiers, and one Navy corpsman"), or, for one Costs of War range, as
# the report's own rounded text ("between 480,000 and 507,000") beside the exact table cells.
NUMBER_IN_WORDS_OR_PARTS = {
    "cow-2018-11-all-zones-total-killed",
    "mil-radio-2020-02-us-killed",
    "mil-dod-2015-07-us-killed-ofs",
    "mil-icas-coalition-2017",
    "mil-cns-us-2014",
    "mil-icas-uk-2015",
    "mil-dod-us-hostile-2016",
    "mil-icas-romania-2017",
    "mil-icas-georgia-2017",
    "mil-dod-us-2019",
    "mil-dod-us-hostile-2020",
    "mil-dod-us-hostile-casualties-2021-to-aug23",
    "nat-germany-bundeswehr-2008-killed-termez",
    "nat-denmark-2021-killed-nonhostile",
    "mil-centcom-kabul-airport-2021-us-killed",
    "mil-dod-kabul-airport-2021-us-killed",
    "mil-amark-us-dod-civilians-killed-2021",
}


def printed_forms(n: int) -> set[str]:
    """The ways a publisher prints a number: 58596, 58,596, 58.596, 58 596."""
    plain = str(n)
    if n < 1000:
        return {plain}
    grouped = f"{n:,}"
    seps = [",", ".", " ", "\u00a0", "\u202f", "'"]
    return {plain} | {grouped.replace(",", sep) for sep in seps}


def shows(excerpt: str, n: int) -> bool:
    return any(
        re.search(r"(?<![\d.,])" + re.escape(form) + r"(?!\d)", excerpt)
        for form in printed_forms(n)
    )


@pytest.fixture(scope="module")
def shipped():
    return data.load_figures(data.DEFAULT_PATH)


def test_every_quoted_excerpt_shows_its_numbers(shipped):
    missing = []
    for _, r in shipped.iterrows():
        excerpt = r[S.EXCERPT]
        if excerpt.startswith(("[no quote", "computed")):
            continue
        if r[S.FIGURE_ID] in NUMBER_IN_WORDS_OR_PARTS:
            continue
        for col in (S.VALUE, S.LOW, S.HIGH):
            if pd.notna(r[col]) and not shows(excerpt, int(r[col])):
                missing.append(f"{r[S.FIGURE_ID]}: {col} {int(r[col])} not in {excerpt!r}")
    assert missing == []


def test_exceptions_list_has_no_stale_ids(shipped):
    assert set(shipped[S.FIGURE_ID]) >= NUMBER_IN_WORDS_OR_PARTS


def test_derived_figures_say_they_are_computed(shipped):
    derived = shipped[shipped[S.STATUS] == "DERIVED"]
    assert len(derived) > 0
    assert derived[S.EXCERPT].str.startswith("computed").all()


def test_no_figure_without_a_quote_or_a_stated_reason(shipped):
    # Every excerpt is a quote, a computation, or an explicit "[no quote: why]".
    odd = shipped[
        shipped[S.EXCERPT].str.startswith("[") & ~shipped[S.EXCERPT].str.startswith("[no quote: ")
    ]
    assert list(odd[S.FIGURE_ID]) == []


def test_publication_dates_are_plausible(shipped):
    assert shipped[S.PUBLISHED].min() >= pd.Timestamp("2001-10-01")
    assert shipped[S.PUBLISHED].max() <= pd.Timestamp.today()
    assert (shipped[S.PERIOD_START] >= pd.Timestamp("2001-01-01")).all()


def test_printed_forms_cover_publisher_styles():
    assert shows("National Military and Police 58,596", 58596)
    assert shows("2.448 soldados", 2448)
    assert shows("2009 2 412 3 557 5 969", 3557)
    assert not shows("Police 58,596", 5859)
    assert not shows("Police 58,596", 8596)
