"""Time to first chart: page open to the first Plotly chart drawn, this app vs a bare app.

Each run starts a cold server (a new ``streamlit run`` process, waited on until healthy), opens the
page in a fresh context of headless Chromium (Playwright, Debian's ``/usr/bin/chromium``, the
flags of tests/conftest.py) and records, in the page itself, the time from navigation start to
the moment ``.js-plotly-plot .main-svg`` first exists (a MutationObserver installed before any
page script runs). A second visitor (a new context: empty cache) then opens the same, now warm,
server. Runs alternate app / bare; the ratio of each pair is reported, cold and warm. This app is
started as it is deployed (``python -m figures.ui.serve``: warmed before it listens), so its
start to healthy is reported beside the bare app's.
"""

from __future__ import annotations

import time

from bench import APP, BARE_APP, CHROMIUM, CHROMIUM_ARGS, StreamlitServer, median

SELECTOR = ".js-plotly-plot .main-svg"
TARGET_RATIO = 1.15
#: New visitor on a warm server: at most 1.1 times the bare app's.
TARGET_WARM_RATIO = 1.1

# Records performance.now() (ms since navigation start) when the first chart's SVG appears.
_OBSERVER = """
(() => {
  const sel = __SELECTOR__;
  const mark = () => {
    if (window.__firstChart === undefined && document.querySelector(sel)) {
      window.__firstChart = performance.now();
      return true;
    }
    return false;
  };
  const start = () => {
    if (mark()) return;
    const obs = new MutationObserver(() => { if (mark()) obs.disconnect(); });
    obs.observe(document, {childList: true, subtree: true});
  };
  if (document.documentElement) start();
  else document.addEventListener('readystatechange', start, {once: true});
})();
""".replace("__SELECTOR__", repr(SELECTOR))


def _visit(browser, url: str, timeout_ms: int) -> float:
    """One new visitor (a fresh browser context: empty cache, no cookies) until the first chart."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.add_init_script(_OBSERVER)
        t0 = time.perf_counter()
        page.goto(url + "/", wait_until="commit")
        page.wait_for_selector(SELECTOR, timeout=timeout_ms, state="attached")
        outside = time.perf_counter() - t0
        inside = page.evaluate("() => window.__firstChart")
        return (inside / 1000) if inside is not None else outside
    finally:
        ctx.close()


def _one(browser, script, timeout_ms: int = 60_000) -> dict:
    """A cold server: its first visitor, then a new visitor on the now warm server."""
    with StreamlitServer(script) as srv:
        cold = _visit(browser, srv.url, timeout_ms)
        warm = _visit(browser, srv.url, timeout_ms)
        return {"seconds": cold, "warm_s": warm, "server_ready_s": srv.ready_s}


def run(pairs: int = 6, warmup: int = 1, log=print) -> dict:
    """``pairs`` timed runs of each app, alternating; ``warmup`` untimed pairs first."""
    if not CHROMIUM.exists():
        return {"skipped": f"Chromium not found at {CHROMIUM}"}
    from playwright.sync_api import sync_playwright

    app, bare, ratios, warm_ratios = [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            for i in range(warmup + pairs):
                order = (APP, BARE_APP) if i % 2 == 0 else (BARE_APP, APP)
                res = {s: _one(browser, s) for s in order}
                a, b = res[APP], res[BARE_APP]
                tag = "warm-up" if i < warmup else f"pair {i - warmup + 1}"
                log(
                    f"  ttfc {tag}: cold server app {a['seconds']:.2f} s, bare "
                    f"{b['seconds']:.2f} s; warm server, new visitor app {a['warm_s']:.2f} s, "
                    f"bare {b['warm_s']:.2f} s; start to healthy app {a['server_ready_s']:.2f} s, "
                    f"bare {b['server_ready_s']:.2f} s"
                )
                if i >= warmup:
                    app.append(a)
                    bare.append(b)
                    ratios.append(a["seconds"] / b["seconds"])
                    warm_ratios.append(a["warm_s"] / b["warm_s"])
        finally:
            browser.close()
    return {
        "pairs": pairs,
        "app_s": [r["seconds"] for r in app],
        "bare_s": [r["seconds"] for r in bare],
        "ratios": ratios,
        "app_median_s": median(r["seconds"] for r in app),
        "bare_median_s": median(r["seconds"] for r in bare),
        "ratio_median": median(ratios),
        "server_ready_median_s": median(r["server_ready_s"] for r in app + bare),
        "app_ready_median_s": median(r["server_ready_s"] for r in app),
        "bare_ready_median_s": median(r["server_ready_s"] for r in bare),
        "target_ratio": TARGET_RATIO,
        "app_warm_s": [r["warm_s"] for r in app],
        "bare_warm_s": [r["warm_s"] for r in bare],
        "warm_ratios": warm_ratios,
        "app_warm_median_s": median(r["warm_s"] for r in app),
        "bare_warm_median_s": median(r["warm_s"] for r in bare),
        "warm_ratio_median": median(warm_ratios),
        "target_warm_ratio": TARGET_WARM_RATIO,
        "ok": median(ratios) <= TARGET_RATIO and median(warm_ratios) <= TARGET_WARM_RATIO,
    }
