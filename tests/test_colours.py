"""Chart colours: every palette colour stands out from the white background (WCAG 2.x, >= 3:1).

tests/test_packaging.py checks that .streamlit/config.toml uses the same palette."""

from __future__ import annotations

import re

import pytest

from figures import charts

#: WCAG 2.1 SC 1.4.11 (non-text contrast): graphical objects need 3:1 against their background.
MIN_CONTRAST = 3.0
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def luminance(colour: str) -> float:
    """WCAG relative luminance of an sRGB colour '#RRGGBB'."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", charts.PALETTE)
def test_every_palette_colour_has_3_to_1_contrast_on_white(colour):
    assert re.fullmatch(r"#[0-9A-F]{6}", colour), colour
    assert contrast(colour, "#FFFFFF") >= MIN_CONTRAST, (
        colour,
        round(contrast(colour, "#FFFFFF"), 2),
    )


def test_palette_keeps_the_okabe_ito_order_and_hues():
    """Same order and the same colour families as Okabe-Ito: only too-light ones are darkened."""
    assert len(charts.PALETTE) == len(OKABE_ITO)
    for ours, theirs in zip(charts.PALETTE, OKABE_ITO, strict=True):
        if contrast(theirs, "#FFFFFF") >= MIN_CONTRAST:
            assert ours == theirs
        else:
            assert luminance(ours) < luminance(theirs)


def test_every_colour_a_chart_uses_for_marks_is_from_the_palette():
    used = set(charts.TREND_COLOURS) | set(charts.GEOGRAPHY_COLOURS.values())
    assert used <= set(charts.PALETTE)


def test_over_time_series_differ_in_colour_and_in_marker():
    from figures import data, views
    from tests.conftest import FIGURES

    df = data.load_figures(FIGURES)
    series = views.yearly_series_in(df, "us_military", "killed", (2001, 2021))
    fig = charts.yearly_lines(series, "us_military")
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    assert len(lines) >= 2
    assert len({t.line.color for t in lines}) == len(lines)
    assert len({t.marker.symbol for t in lines}) == len(lines)
    assert len({t.line.dash for t in lines}) == min(len(lines), len(charts.TREND_DASHES))
