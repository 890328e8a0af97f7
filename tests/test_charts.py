"""Chart builders return figures whose data and layout say what the reader should see."""

from __future__ import annotations

import pandas as pd

from figures import charts, data, views
from figures import schema as S
from tests.conftest import VALID


def rows():
    return views.overview_rows(data.load_figures(VALID))


def test_overview_bar_has_one_bar_per_category_with_stated_values():
    fig = charts.overview_bar(rows())
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == 1
    values = dict(zip(bars[0].y, bars[0].x, strict=True))
    assert values == {
        "US military": 2401,
        "Afghan civilians": 38480,
        "Afghan security forces": 58596,
        "Opposition fighters": 42100,
    }
    assert bars[0].orientation == "h"
    assert list(bars[0].text) == ["2,401", "38,480", "58,596", "42,100"]


def test_overview_bar_draws_source_range_as_whisker_only_where_given():
    df = data.load_figures(VALID)
    r = views.overview_rows(df)
    r.loc[0, [S.LOW, S.HIGH]] = [2300, 2500]
    fig = charts.overview_bar(r)
    whiskers = [t for t in fig.data if t.type == "scatter"]
    assert len(whiskers) == 1
    (w,) = whiskers
    assert list(w.y) == ["US military"]
    assert (w.x[0], w.error_x.arrayminus[0], w.error_x.array[0]) == (2500, 200, 0)


def test_range_only_figure_is_hatched_bar_to_low_with_whisker_not_a_midpoint():
    df = data.load_figures(VALID)
    r = df[df[S.FIGURE_ID] == "cow-2013-09-civilians"]
    fig = charts.overview_bar(r)
    bar, whisker = fig.data
    assert bar.x[0] == 18044 and bar.marker.pattern.shape == "/"
    assert whisker.x[0] == 20332 and whisker.text[0] == "18,044–20,332"
    assert (whisker.error_x.arrayminus[0], whisker.error_x.array[0]) == (20332 - 18044, 0)
    assert "Range only" in bar.name


def test_log_toggle_sets_axis_type():
    assert charts.overview_bar(rows(), log=True).layout.xaxis.type == "log"
    assert charts.overview_bar(rows(), log=False).layout.xaxis.type == "linear"


def test_title_and_source_line_are_inside_the_image():
    fig = charts.overview_bar(rows())
    assert "killed" in fig.layout.title.text.replace("<br>", " ")
    notes = [a.text for a in fig.layout.annotations]
    assert any(n.startswith("Sources: Costs of War") for n in notes)


def test_hover_names_source_period_and_as_of_date():
    fig = charts.overview_bar(rows())
    hover = fig.data[0].hovertext[0]
    assert "Source: Costs of War" in hover
    assert "Period: 1 Oct 2001 – 31 Oct 2018" in hover
    assert "As of: 1 Nov 2018" in hover


def test_hover_escapes_html_from_the_data():
    r = rows()
    r.loc[0, S.PUBLISHER] = "<img src=x onerror=alert(1)>"
    hover = charts.overview_bar(r).data[0].hovertext[0]
    assert "<img" not in hover and "&lt;img" in hover


def test_alt_text_states_the_numbers():
    alt = charts.overview_alt(rows())
    for n in ("2,401", "38,480", "58,596", "42,100"):
        assert n in alt
    assert "not to be added up" in alt


def test_format_figure_uses_the_source_qualifier():
    row = pd.Series({S.VALUE: 32000, S.LOW: pd.NA, S.HIGH: pd.NA, S.QUALIFIER: "more_than"})
    assert charts.format_figure(row) == "more than 32,000"
    row = pd.Series({S.VALUE: pd.NA, S.LOW: 66000, S.HIGH: 69000, S.QUALIFIER: "exact"})
    assert charts.format_figure(row) == "66,000–69,000"
