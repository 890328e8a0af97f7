"""By country: one figure per country by a documented rule, source lists, the chart and page.

The figures each rule chooses in the shipped data are pinned in tests/test_dataset.py.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from figures import charts, data, views
from figures import schema as S
from tests.conftest import FIGURES, ROOT

APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def df():
    return data.load_figures(FIGURES)


# --- selection ---------------------------------------------------------------------------------


def test_is_national_reads_the_counting_rule():
    rows = pd.DataFrame(
        {
            S.COUNTING_RULE: pd.array(
                ["NAT (UK MoD)", "DoD-ALL", "DoD-AFG (likely)", "WIKI", "iCas", None],
                dtype="string",
            )
        }
    )
    assert list(views.is_national(rows)) == [True, True, False, False, False, False]


def test_country_rows_unknown_source_falls_back_to_latest(df):
    assert len(views.country_latest(df)) >= 3
    pd.testing.assert_frame_equal(views.country_rows(df, "nope"), views.country_latest(df))


# --- chart builders ----------------------------------------------------------------------------


def test_country_bar_escapes_html_from_the_data(df):
    rows = views.country_latest(df).copy()
    rows[S.PUBLISHER] = rows[S.PUBLISHER].astype(object)
    rows.loc[0, S.PUBLISHER] = "<img src=x onerror=alert(1)>"
    hover = charts.country_bar(rows).data[0].hovertext[0]
    assert "<img" not in hover and "&lt;img" in hover


# --- the page (AppTest) ------------------------------------------------------------------------


def open_page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page("figures/ui/countries.py").run()
    return at


def spec(at: AppTest) -> dict:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)


def test_countries_log_scale_from_the_url():
    at = open_page({"ctry_log": "true"})
    assert at.toggle(key="ctry_log").value is True
    assert spec(at)["layout"]["xaxis"]["type"] == "log"
