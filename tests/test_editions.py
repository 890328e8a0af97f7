"""How estimates changed: edition chains, UNAMA revisions and their charts.

The shipped editions and revisions, their charts and the page are pinned in
tests/test_dataset.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from figures import charts, data, views
from figures import schema as S
from tests.conftest import FIGURES


@pytest.fixture(scope="module")
def df():
    return data.load_figures(FIGURES)


def linked(df, category):
    return [c for c in views.edition_chains(df, views.COSTS_OF_WAR, category) if len(c) > 1]


# --- selection ---------------------------------------------------------------------------------


def _chain(values):
    return pd.DataFrame(
        {
            S.FIGURE_ID: [f"f{i}" for i in range(len(values))],
            S.VALUE: pd.array(values, dtype="Int64"),
        }
    )


def test_revision_changes_gives_difference_and_percent_from_first_published():
    out = views.revision_changes(_chain([200, 210, 190]))
    assert list(out[views.STAGE]) == ["first published", "interim revision", "latest revision"]
    assert list(out[views.CHANGE]) == [0, 10, -10]
    assert list(out[views.CHANGE_PCT]) == [0.0, 5.0, -5.0]


def test_revision_changes_has_no_percent_from_zero_or_missing_first_value():
    out = views.revision_changes(_chain([0, 5]))
    assert list(out[views.CHANGE]) == [0, 5]
    assert out[views.CHANGE_PCT].isna().all()
    out = views.revision_changes(_chain([None, 5]))
    assert out[views.CHANGE].isna().all() and out[views.CHANGE_PCT].isna().all()


def test_revision_changes_of_empty_chain_is_empty():
    out = views.revision_changes(_chain([]))
    assert out.empty and {views.STAGE, views.CHANGE, views.CHANGE_PCT} <= set(out.columns)


def test_format_change_signs_and_rounds():
    assert charts.format_change(112, 3.7075) == "+112 (+3.7%)"
    assert charts.format_change(-9, -0.2524) == "−9 (−0.3%)"
    assert charts.format_change(0, 0.0) == "unchanged"
    assert charts.format_change(pd.NA, pd.NA) == "change not known"
    assert charts.format_change(5, pd.NA) == "+5"


# --- chart builders ----------------------------------------------------------------------------


def test_edition_chart_lines_differ_by_dash_and_marker_not_only_colour(df):
    fig = charts.edition_chart(linked(df, "all_direct_deaths"), "all_direct_deaths")
    lines = [t for t in fig.data if "range only" not in t.name]
    assert len(lines) >= 2
    assert len({t.line.dash for t in lines}) == len(lines)
    assert len({t.marker.symbol for t in lines}) == len(lines)
