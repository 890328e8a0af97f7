"""Throughput: this app against a bare Streamlit app, same client, same load, alternating.

Two servers run side by side for the whole benchmark: this app and ``bench/bare_app.py`` (one
Plotly bar chart), started with the same command-line flags and working directory. Each is
warmed first (one session opens every page). Then, for each load level (10, 20, 50 concurrent
sessions), the two apps are measured in turn, alternating app / bare / bare / app ... so that
whatever else the shared machine is doing falls on both: every batch opens N sessions at once
through the protocol client (``bench/session_client.py``), each doing ``reruns`` reruns, and
records reruns per second (completed reruns / wall time of the batch), latency p50 and p95 (a
rerun's round trip including its wait for the server) and errors. Sessions of this app cycle
through every page (each starting at a different one); sessions of the bare app rerun its one
page. The ratio is this app's reruns per second over the bare app's, the median of the
pairwise ratios of one level.
"""

from __future__ import annotations

import asyncio
import time

from bench import APP, BARE_APP, StreamlitServer, median, percentile
from bench.session_client import Target, discover_pages, run_sessions
from bench.sessions import targets_for

LEVELS = (10, 20, 50)
TARGET_RATIO = 0.7
TARGET_ERRORS = 0


async def _warm(url: str, targets: list[Target]) -> None:
    from bench.session_client import Session

    s = Session(url)
    await s.connect()
    try:
        for t in targets:
            r = await s.rerun(t)
            if r.error:
                raise RuntimeError(f"warm-up {t.label}: {r.error}")
    finally:
        await s.close()


def _batch(url: str, n: int, targets: list[Target], reruns: int) -> dict:
    t0 = time.perf_counter()
    stats = asyncio.run(run_sessions(url, n, targets, reruns=reruns))
    wall = time.perf_counter() - t0
    lat = stats.latencies
    return {
        "reruns": len(stats.reruns),
        "ok_reruns": len(lat),
        "wall_s": wall,
        "per_s": len(lat) / wall if wall else float("nan"),
        "p50_ms": percentile(lat, 50) * 1000,
        "p95_ms": percentile(lat, 95) * 1000,
        "errors": len(stats.errors),
        "error_samples": stats.errors[:3],
    }


def _merge(batches: list[dict]) -> dict:
    return {
        "per_s": median(b["per_s"] for b in batches),
        "p50_ms": median(b["p50_ms"] for b in batches),
        "p95_ms": median(b["p95_ms"] for b in batches),
        "errors": sum(b["errors"] for b in batches),
        "error_samples": [e for b in batches for e in b["error_samples"]][:3],
        "reruns": sum(b["reruns"] for b in batches),
        "batches": batches,
    }


def run(levels=LEVELS, pairs: int = 2, reruns: int = 4, log=print) -> dict:
    """``pairs`` batches of each app per level, alternating; ``reruns`` per session."""
    out = []
    with StreamlitServer(APP) as app_srv, StreamlitServer(BARE_APP) as bare_srv:
        pages = asyncio.run(discover_pages(app_srv.url))
        app_targets = targets_for(pages)
        bare_targets = [Target()]
        asyncio.run(_warm(app_srv.url, app_targets))
        asyncio.run(_warm(bare_srv.url, bare_targets))
        for n in levels:
            app_b, bare_b, ratios = [], [], []
            for i in range(pairs):
                order = ("app", "bare") if i % 2 == 0 else ("bare", "app")
                res = {}
                for which in order:
                    if which == "app":
                        res[which] = _batch(app_srv.url, n, app_targets, reruns)
                    else:
                        res[which] = _batch(bare_srv.url, n, bare_targets, reruns)
                a, b = res["app"], res["bare"]
                app_b.append(a)
                bare_b.append(b)
                ratios.append(a["per_s"] / b["per_s"] if b["per_s"] else float("nan"))
                log(
                    f"  throughput {n} sessions, pair {i + 1}: app {a['per_s']:.1f}/s "
                    f"(p50 {a['p50_ms']:.0f} ms, p95 {a['p95_ms']:.0f} ms, {a['errors']} errors),"
                    f" bare {b['per_s']:.1f}/s (p50 {b['p50_ms']:.0f} ms, p95 {b['p95_ms']:.0f}"
                    f" ms, {b['errors']} errors), ratio {ratios[-1]:.2f}"
                )
            out.append(
                {
                    "sessions": n,
                    "app": _merge(app_b),
                    "bare": _merge(bare_b),
                    "ratios": ratios,
                    "ratio": median(ratios),
                }
            )
    return {
        "levels": out,
        "pages": pages,
        "pairs": pairs,
        "reruns_per_session": reruns,
        "target_ratio": TARGET_RATIO,
        "ok": all(
            lv["ratio"] >= TARGET_RATIO and lv["app"]["errors"] == 0 and lv["bare"]["errors"] == 0
            for lv in out
        ),
    }
