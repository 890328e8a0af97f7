"""The renderer derives what it draws from a cached View once, and forgets it with the View."""

from __future__ import annotations

import gc

import pandas as pd
from streamlit.testing.v1 import AppTest

from figures import charts, data, pages, views
from figures.ui import common
from tests.conftest import VALID


def test_memo_computes_once_per_live_object_and_forgets_it_when_it_dies():
    calls = []

    def make():
        calls.append(1)
        return len(calls)

    frame = pd.DataFrame({"a": [1]})
    assert common.memo("test", frame, make) == 1
    assert common.memo("test", frame, make) == 1  # the same object: not computed again
    other = pd.DataFrame({"a": [1]})  # equal content, another object: its own entry
    assert common.memo("test", other, make) == 2
    assert common.memo("test", frame, make, "x") == 3  # extra key parts count
    entries = sum(1 for k in views._MEMO if k[0] == "test")
    del frame, other
    gc.collect()
    assert sum(1 for k in views._MEMO if k[0] == "test") == entries - 3


def test_display_rows_are_the_pages_rows_and_reused_for_the_same_frame():
    rows = views.overview_rows(data.load_figures(VALID))
    columns = (str(rows.columns[0]), str(rows.columns[1]))
    shown = common.display_rows(rows, columns)
    pd.testing.assert_frame_equal(shown, pages.display_rows(rows, list(columns)))
    assert common.display_rows(rows, columns) is shown


def test_chart_spec_is_the_inert_figure_as_a_dict():
    fig = charts.overview_bar(views.overview_rows(data.load_figures(VALID)))
    spec = common._chart_spec(fig)
    assert spec.to_dict() == charts.inert_figure(fig).to_dict()
    assert all("uid" not in t for t in spec.to_dict()["data"])


def test_a_long_sources_list_stops_at_its_limit_and_says_where_the_rest_are():
    script = (
        "import pandas as pd\n"
        "from figures import data\n"
        "from figures.ui import common\n"
        f"df = data.load_figures({str(VALID)!r})\n"
        "rows = pd.concat([df] * (common.SOURCES_LIST_MAX // len(df) + 2), ignore_index=True)\n"
        "common.sources(rows)\n"
        "common.sources(df, 'Short')\n"
    )
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception
    items = [m.value for m in at.markdown if m.value.startswith("- ")]
    long_list, short_list = items
    assert long_list.count("\n- ") + 1 == common.SOURCES_LIST_MAX
    assert short_list.count("\n- ") + 1 == len(data.load_figures(VALID))
    (caption,) = [c.value for c in at.caption]
    assert caption.startswith(f"The sources of the first {common.SOURCES_LIST_MAX:,} of ")
    assert "Data & sources" in caption
