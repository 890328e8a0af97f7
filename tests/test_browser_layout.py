"""Real browser: every chart page at a phone's and a desktop's width, measured, not eyeballed.

For each page at 390×844 and 1440×900 the test reads the boxes the browser drew
(``getBoundingClientRect``) and checks that no chart text is cut off at the chart's edges, that
the title, subtitle, legend, axis titles and sources line never overlap one another or the plot
area, that row labels never overlap each other or those parts, that the plot area keeps most of the chart's
width, and that the page never scrolls sideways. The server reads tests/fixtures/figures.csv.
"""

from __future__ import annotations

import pytest

from figures import data
from tests.conftest import ROOT, Server, chromium_or_skip

pytestmark = pytest.mark.browser

#: (path, number of charts drawn on it)
PAGES = [
    ("/", 1),
    ("/compare", 1),
    ("/over-time", 3),
    ("/editions", 2),
    ("/by-country", 1),
    ("/article-check", 1),
    ("/data", 0),
    ("/about", 0),
]
SIZES = [(390, 844), (1440, 900)]
#: The plot area keeps at least this share of the chart's width.
MIN_PLOT_SHARE = 0.6

MEASURE = r"""() => {
  const box = (e, o) => {
    const r = e.getBoundingClientRect();
    return {left: r.left - o.left, top: r.top - o.top, right: r.right - o.left,
            bottom: r.bottom - o.top, width: r.width, height: r.height};
  };
  const text = e => (e.textContent || '').slice(0, 60);
  const out = {scrollWidth: document.documentElement.scrollWidth,
               clientWidth: document.documentElement.clientWidth,
               bodyScrollWidth: document.body.scrollWidth, charts: []};
  for (const p of document.querySelectorAll('.js-plotly-plot')) {
    const svg = p.querySelector('.main-svg');
    const o = svg.getBoundingClientRect();
    const parts = [];
    const add = (kind, sel) => {
      for (const e of p.querySelectorAll(sel)) {
        const b = box(e, o);
        if (b.width > 0 && b.height > 0) parts.push({kind, text: text(e), ...b});
      }
    };
    add('title', '.gtitle');
    add('subtitle', '.gtitle-subtitle');
    add('legend', '.infolayer .legend');
    add('axis title', '.xtitle, .ytitle');
    add('plot', '.nsewdrag');
    for (const a of p.querySelectorAll('.infolayer .annotation')) {
      const b = box(a, o);
      if (!b.width) continue;
      const t = text(a);
      parts.push({kind: /^Sources?:/.test(t) ? 'sources' : 'label', text: t, ...b});
    }
    const texts = [];
    for (const t of p.querySelectorAll('text')) {
      const b = box(t, o);
      if (b.width > 0 && t.textContent.trim()) texts.push({text: text(t), ...b});
    }
    out.charts.push({width: o.width, height: o.height, parts, texts});
  }
  return out;
}"""


def overlap(a: dict, b: dict, slack: float = 1.0) -> bool:
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack
    )


def describe(part: dict) -> str:
    return (
        f"{part['kind']} {part['text']!r} at x {part['left']:.0f}–{part['right']:.0f}, "
        f"y {part['top']:.0f}–{part['bottom']:.0f}"
    )


def layout_problems(measured: dict) -> list[str]:
    """Every clipped, overlapping or squeezed part, as a sentence; empty when all is well."""
    problems = []
    if measured["scrollWidth"] > measured["clientWidth"]:
        problems.append(
            f"page scrolls sideways: {measured['scrollWidth']} px wide in a "
            f"{measured['clientWidth']} px window"
        )
    for n, chart in enumerate(measured["charts"]):
        w, h = chart["width"], chart["height"]
        for t in chart["texts"]:
            if t["left"] < -1 or t["right"] > w + 1 or t["top"] < -1 or t["bottom"] > h + 1:
                problems.append(
                    f"chart {n}: text {t['text']!r} is cut off (x {t['left']:.0f}–"
                    f"{t['right']:.0f}, y {t['top']:.0f}–{t['bottom']:.0f} in {w:.0f}×{h:.0f})"
                )
        parts = chart["parts"]
        plots = [p for p in parts if p["kind"] == "plot"]
        assert plots, f"chart {n} has no plot area"
        for p in plots:
            if p["width"] < MIN_PLOT_SHARE * w:
                problems.append(
                    f"chart {n}: plot area {p['width']:.0f} px of a {w:.0f} px chart "
                    f"(< {MIN_PLOT_SHARE:.0%})"
                )
        frame = [p for p in parts if p["kind"] in ("title", "subtitle", "legend", "sources")]
        for i, a in enumerate(frame):
            for b in frame[i + 1 :] + plots + [p for p in parts if p["kind"] == "axis title"]:
                if a is not b and overlap(a, b):
                    problems.append(f"chart {n}: {describe(a)} overlaps {describe(b)}")
        sources = [p for p in parts if p["kind"] == "sources"]
        if not sources:
            problems.append(f"chart {n}: no sources line")
        for s in sources:
            if s["top"] < max(p["bottom"] for p in plots) - 1:
                problems.append(f"chart {n}: {describe(s)} is not below the plot")
        labels = [p for p in parts if p["kind"] == "label"]
        for i, a in enumerate(labels):
            for b in labels[i + 1 :] + frame:
                if overlap(a, b):
                    problems.append(f"chart {n}: {describe(a)} overlaps {describe(b)}")
    return problems


def open_page(browser, server, path: str, charts: int, width: int, height: int):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + path, wait_until="domcontentloaded")
    if charts:
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
            f".filter(p => p.querySelector('.main-svg') && p._fullLayout).length >= {charts}",
            timeout=60_000,
        )
    else:
        page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_timeout(800)  # let Plotly finish resizing to the column's width
    return ctx, page, errors


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(("path", "charts"), PAGES, ids=[p for p, _ in PAGES])
def test_no_chart_text_is_clipped_or_overlapped(browser, server, path, charts, width, height):
    check_page(browser, server, path, charts, width, height)


def check_page(browser, server, path: str, charts: int, width: int, height: int) -> None:
    ctx, page, errors = open_page(browser, server, path, charts, width, height)
    try:
        measured = page.evaluate(MEASURE)
        assert len(measured["charts"]) >= charts
        assert layout_problems(measured) == []
        assert errors == []
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def shipped_server():
    """A server on the shipped data: its labels are longer than the fixture's."""
    chromium_or_skip()
    srv = Server(env={data.ENV_VAR: str(ROOT / "data" / "casualties.csv")})
    yield srv
    srv.stop()


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(
    ("path", "charts"), [p for p in PAGES if p[1]], ids=[p for p, n in PAGES if n]
)
def test_no_chart_text_is_clipped_or_overlapped_on_the_shipped_data(
    browser, shipped_server, path, charts, width, height
):
    check_page(browser, shipped_server, path, charts, width, height)


def test_the_checks_catch_a_clipped_title_and_an_overlapping_legend():
    """The measuring itself: a made-up chart with the faults the checks must find."""
    box = {"left": 0, "top": 0, "right": 10, "bottom": 10, "width": 10, "height": 10}

    def part(kind, **kw):
        return {"kind": kind, "text": kind, **(box | kw)}

    measured = {
        "scrollWidth": 420,
        "clientWidth": 390,
        "charts": [
            {
                "width": 358,
                "height": 500,
                "texts": [{"text": "long title", **(box | {"right": 500})}],
                "parts": [
                    part("title", right=500),
                    part("legend", top=5, bottom=40, right=300),
                    part("plot", top=50, bottom=400, left=200, right=260, width=60),
                    part("sources", top=380, bottom=420, right=300),
                ],
            }
        ],
    }
    found = "\n".join(layout_problems(measured))
    assert "scrolls sideways" in found
    assert "'long title' is cut off" in found
    assert "title 'title'" in found and "overlaps legend" in found
    assert "plot area 60 px" in found
    assert "not below the plot" in found
