"""Chart text is wrapped to fit a phone (figures/charts.py ``wrap``); the browser measures the
result in tests/test_browser_layout.py."""

from __future__ import annotations

import re

from figures import charts, data, views
from tests.conftest import FIGURES


def visible(line: str) -> str:
    return re.sub(r"</?\w+>", "", line)


def test_wrap_breaks_at_the_width_and_keeps_existing_breaks():
    text = charts.wrap("plain only text that is long enough to wrap<br>next", 15)
    assert text.split("<br>") == ["plain only text", "that is long", "enough to wrap", "next"]


def test_wrap_styles_only_what_was_styled():
    text = charts.wrap("<b>United Kingdom</b>: 457 — House of Commons Library, 2021", 40)
    assert text == "<b>United Kingdom</b>: 457 — House of<br>Commons Library, 2021"
    text = charts.wrap("<b>a bold line that wraps</b> plain", 10)
    assert text.split("<br>") == ["<b>a bold</b>", "<b>line that</b>", "<b>wraps</b>", "plain"]


def test_overview_text_fits_a_phone_width():
    df = data.load_figures(FIGURES)
    fig = charts.overview_bar(views.overview_rows(df))
    for line in fig.layout.title.text.split("<br>"):
        assert len(visible(line)) <= charts.TITLE_CHARS
    for note in fig.layout.annotations:
        for line in note.text.split("<br>"):
            assert len(visible(line)) <= charts.TEXT_CHARS, line
    # Every bar's label names its period.
    labels = [a.text for a in fig.layout.annotations[1:]]
    assert labels and all(re.search(r"\b(19|20)\d\d–\w+ (19|20)\d\d", t) for t in labels)
