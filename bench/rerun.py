"""Rerun time: server-side script time of one rerun, for every page and its typical interactions.

Runs the app in-process with ``streamlit.testing.v1.AppTest`` on the shipped data (warm caches,
as a server is after its first visitor) and times each ``run()`` with ``time.perf_counter``. The
pages are the ones app.py registers; the interactions are found on each page at run time (change
a select box such as the category, flip a toggle such as the log scale, move a range slider such
as the year range, pick a radio option or a filter), so pages that grow new widgets are measured
without editing this file. Each interaction alternates between two states so that every timed
rerun changes something. ``bench/bare_app.py`` is timed the same way as a floor: AppTest's own
overhead per run.
"""

from __future__ import annotations

import os
import re
import time

from bench import APP, BARE_APP, median, percentile

TARGET_MEDIAN_MS = 30.0
TARGET_P95_MS = 60.0
PREFERRED = ("category", "log", "year", "range", "period", "measure", "source")
MAX_WIDGETS = 6  # interactions timed per page


def pages() -> list[str]:
    """Page modules registered in app.py, in navigation order."""
    return re.findall(r'page\(\s*"(\w+)"', APP.read_text(encoding="utf-8"))


class AppError(RuntimeError):
    """The page raised (as opposed to the harness failing to drive a widget)."""


def _timed(at, runs: int, change=None) -> list[float]:
    out = []
    for i in range(runs):
        if change is not None:
            change(at, i)
        t0 = time.perf_counter()
        at.run()
        out.append((time.perf_counter() - t0) * 1000)
        if at.exception:
            raise AppError(at.exception[0].message)
    return out


def _interactions(at) -> list[tuple[str, object]]:
    """(label, change(at, i)) for the widgets on the current page."""
    found = []

    def add(kind: str, key: str | None, change, label: str) -> None:
        if key:
            found.append((kind, key, change, label))

    for w in at.selectbox:
        opts = list(w.options)
        if len(opts) >= 2:
            add(
                "selectbox",
                w.key,
                lambda at, i, k=w.key: at.selectbox(key=k).select_index(1 if i % 2 == 0 else 0),
                "change option",
            )
    for w in at.radio:
        if len(w.options) >= 2:
            add(
                "radio",
                w.key,
                lambda at, i, k=w.key: at.radio(key=k).set_value(
                    at.radio(key=k).options[1 if i % 2 == 0 else 0]
                ),
                "change option",
            )
    for kind in ("toggle", "checkbox"):
        for w in getattr(at, kind):
            v0 = bool(w.value)
            add(
                kind,
                w.key,
                lambda at, i, k=w.key, kind=kind, v0=v0: getattr(at, kind)(key=k).set_value(
                    (not v0) if i % 2 == 0 else v0
                ),
                "flip",
            )
    for w in at.slider:
        v = w.value
        if isinstance(v, tuple | list) and len(v) == 2 and w.min is not None:
            lo, hi = v
            step = w.step or 1
            moved = (lo + step, hi - step) if hi - lo >= 2 * step else (lo, hi)
            add(
                "slider",
                w.key,
                lambda at, i, k=w.key, a=(lo, hi), b=moved: at.slider(key=k).set_range(
                    *(b if i % 2 == 0 else a)
                ),
                "move range",
            )
        elif w.max is not None:
            add(
                "slider",
                w.key,
                lambda at, i, k=w.key, a=v, b=w.max if v != w.max else w.min: at.slider(
                    key=k
                ).set_value(b if i % 2 == 0 else a),
                "move",
            )
    for w in at.select_slider:
        opts = list(w.options)
        v = w.value
        if isinstance(v, tuple | list) and len(opts) >= 3:
            add(
                "select_slider",
                w.key,
                lambda at, i, k=w.key, a=tuple(v), o=opts: at.select_slider(key=k).set_range(
                    *((o[1], o[-2]) if i % 2 == 0 else a)
                ),
                "move range",
            )
    for w in at.multiselect:
        opts = list(w.options)
        if opts:
            add(
                "multiselect",
                w.key,
                lambda at, i, k=w.key: at.multiselect(key=k).set_value(
                    [at.multiselect(key=k).options[0]] if i % 2 == 0 else []
                ),
                "filter",
            )

    def rank(item) -> tuple[int, int]:
        key = item[1].lower()
        hits = [i for i, word in enumerate(PREFERRED) if word in key]
        return (min(hits) if hits else len(PREFERRED), 0)

    found.sort(key=rank)
    return [(f"{kind} {key}: {label}", change) for kind, key, change, label in found[:MAX_WIDGETS]]


def run(reruns: int = 15, interaction_runs: int = 8, log=print) -> dict:
    from streamlit.testing.v1 import AppTest

    os.environ.pop("FIGURES_DATA", None)  # the shipped data
    rows: list[dict] = []

    at = AppTest.from_file(str(BARE_APP), default_timeout=120).run()
    bare = _timed(at, reruns)
    rows.append({"page": "(bare app)", "what": "rerun", "ms": bare})

    for page in pages():
        at = AppTest.from_file(str(APP), default_timeout=120).run()
        at.switch_page(f"figures/ui/{page}.py").run()
        if at.exception:
            rows.append({"page": page, "what": "rerun", "ms": [], "error": at.exception[0].message})
            continue
        at.run()  # warm: the page's own caches
        try:
            rows.append({"page": page, "what": "rerun", "ms": _timed(at, reruns)})
        except Exception as exc:
            rows.append({"page": page, "what": "rerun", "ms": [], "error": str(exc)[:300]})
            continue
        for label, change in _interactions(at):
            try:
                # Warm: both states drawn once (as on a server that has had visitors); the first
                # drawing of the new state is kept apart as the cost of a state nobody asked
                # for yet (a cache miss).
                change(at, 1)  # put the widget in a known state first
                at.run()
                first = _timed(at, 1, lambda at, _i, change=change: change(at, 0))
                change(at, 1)
                at.run()
                ms = _timed(at, interaction_runs, change)
                rows.append({"page": page, "what": label, "ms": ms, "first_ms": first[0]})
            except AppError as exc:
                rows.append({"page": page, "what": label, "ms": [], "error": str(exc)[:300]})
            except Exception as exc:  # the harness could not drive this widget: not the app's
                note = f"skipped: {type(exc).__name__}: {exc}"[:300]
                rows.append({"page": page, "what": label, "ms": [], "note": note})
        log(f"  rerun {page}: {median(rows[-1]['ms'] or [float('nan')]):.0f} ms (last row)")

    for r in rows:
        r["median_ms"] = median(r["ms"])
        r["p95_ms"] = percentile(r["ms"], 95)
    app_ms = [x for r in rows if r["page"] != "(bare app)" for x in r["ms"]]
    first_ms = [r["first_ms"] for r in rows if "first_ms" in r]
    app_rows = [r for r in rows if r["page"] != "(bare app)"]
    worst = max((r for r in app_rows if r["ms"]), key=lambda r: r["median_ms"], default=None)
    return {
        "rows": rows,
        "all_median_ms": median(app_ms),
        "all_p95_ms": percentile(app_ms, 95),
        "bare_median_ms": median(bare),
        "first_median_ms": median(first_ms),
        "first_max_ms": max(first_ms, default=float("nan")),
        "target_p95_ms": TARGET_P95_MS,
        "worst": worst and {k: worst[k] for k in ("page", "what", "median_ms", "p95_ms")},
        "target_median_ms": TARGET_MEDIAN_MS,
        "errors": [f"{r['page']} {r['what']}: {r['error']}" for r in rows if r.get("error")],
        "ok": median(app_ms) <= TARGET_MEDIAN_MS
        and percentile(app_ms, 95) <= TARGET_P95_MS
        and not any(r.get("error") for r in rows),
    }
