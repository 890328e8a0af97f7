"""Selection logic: defaults, revisions, and the refusal to add up different scopes.

The defaults the shipped data gives are pinned in tests/test_dataset.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from figures import data, views
from figures import schema as S
from tests.conftest import VALID


@pytest.fixture
def df():
    return data.load_figures(VALID)


def test_current_drops_superseded_editions(df):
    ids = set(views.current(df)[S.FIGURE_ID])
    assert "cow-2013-09-civilians" not in ids
    assert "cow-2018-11-civilians" in ids


def test_revision_chain_oldest_first(df):
    chain = views.revision_chain(df, "cow-2018-11-civilians")
    assert list(chain[S.FIGURE_ID]) == ["cow-2013-09-civilians", "cow-2018-11-civilians"]


def test_overview_default_prefers_whole_war_totals(df):
    rows = views.overview_rows(df).set_index(S.CATEGORY)
    # UNAMA's count starts in 2009, so it is not the default for the whole war.
    assert rows.loc["civilians", S.FIGURE_ID] == "cow-2018-11-civilians"


def test_overview_choice_is_honoured_and_unknown_choice_falls_back(df):
    rows = views.overview_rows(df, {"civilians": "no-such-id"}).set_index(S.CATEGORY)
    assert rows.loc["civilians", S.FIGURE_ID] == "cow-2018-11-civilians"


def test_total_adds_figures_of_one_scope(df):
    same = df[df[S.FIGURE_ID].isin(["cow-2018-11-us-military", "cow-2018-11-allied-military"])]
    assert views.total(same) == 2401 + 1141


@pytest.mark.parametrize("column", [S.GEOGRAPHY, S.METHOD, S.MEASURE])
def test_total_refuses_to_combine_different_scopes(df, column):
    two = df[
        df[S.FIGURE_ID].isin(["cow-2018-11-us-military", "cow-2018-11-allied-military"])
    ].copy()
    other = {S.GEOGRAPHY: "afghanistan_and_pakistan", S.METHOD: "documented", S.MEASURE: "injured"}
    two.iloc[1, two.columns.get_loc(column)] = other[column]
    with pytest.raises(views.ScopeError, match=column):
        views.total(two)
    with pytest.raises(views.ScopeError):
        views.stack_groups(two, S.CATEGORY)


def test_total_refuses_a_range_only_figure(df):
    with pytest.raises(views.ScopeError, match="range"):
        views.total(df[df[S.CATEGORY] == "civilians"].iloc[[0]].assign(**{S.VALUE: None}))


def test_bad_params_names_unknown_and_invalid_values():
    valid = {"log": {"true", "false"}, "year": str.isdigit}
    params = {"log": "maybe", "year": "20x", "zzz": "1", "embed": "true"}
    assert views.bad_params(params, valid) == ["log", "year", "zzz"]
    assert views.bad_params({"log": "true", "year": "2010"}, valid) == []


@pytest.mark.parametrize("dtype", ["str", "object"])
def test_isin_agrees_with_pandas_on_strings_missing_values_and_empty_sets(dtype):
    s = pd.Series(["a", "b", None, "c", "a"], dtype=dtype)
    for values in (["a", "c"], {"b"}, pd.Series(["c", "zz"]), [], {"a": 1}):
        expected = s.isin(list(values)).to_numpy()
        assert views.isin(s, values).tolist() == expected.tolist(), values
    assert views.isin(s.iloc[0:0], ["a"]).tolist() == []
