"""nginx in front of 1 and of 2 replicas (deploy/nginx.conf), and first-visit bytes through it.

Throughput: two replicas (A, B) start once and are warmed (one session visits every page on
each). Two nginx instances run the shipped configuration (deploy/nginx.py renders it for loopback
ports): one in front of A alone, one in front of A and B. Each round runs the same load through
each of them, in alternating order: N sessions at once (bench/session_client.py, the client of
bench/sessions.py; no cookie, so nginx spreads the WebSockets by request id), each rerunning the
pages in turn R times. Reported per configuration: reruns per second, p50 and p95 of the rerun
latency, errors, and how nginx split the sessions (its access log); and the ratio 2 / 1.

Bytes to first chart: headless Chromium opens ``/`` in a fresh context (empty cache) and waits for
the first Plotly chart; counted until then are the bytes on the wire of every HTTP response
(Chrome's ``encodedDataLength``: headers plus the body as sent, compressed or not) and the
payload of the WebSocket frames received. Once straight from replica A, once through nginx, in
alternating order, ``pairs`` times.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections import Counter

from bench import APP, CHROMIUM, CHROMIUM_ARGS, StreamlitServer, median, percentile
from bench.session_client import discover_pages, run_sessions
from bench.sessions import _sequential, targets_for
from deploy.nginx import NGINX, LocalNginx

SESSIONS = 20
RERUNS = 5
ROUNDS = 2
PAIRS = 2
SELECTOR = ".js-plotly-plot .main-svg"
#: The issue's target for the bytes a first visit downloads through the recommended deployment.
TARGET_FIRST_VISIT_MB = 3.0


def _addr(srv: StreamlitServer) -> str:
    return srv.url.removeprefix("http://")


def _load(front: LocalNginx, targets, sessions: int, reruns: int) -> dict:
    before = len(front.access())
    t0 = time.perf_counter()
    stats = asyncio.run(run_sessions(front.url, sessions, targets, reruns=reruns))
    wall = time.perf_counter() - t0
    time.sleep(0.5)  # nginx logs a WebSocket when it closes
    streams = [e for e in front.access()[before:] if e["uri"] == "/_stcore/stream"]
    lat = stats.latencies
    return {
        "sessions": sessions,
        "reruns": len(stats.reruns),
        "wall_s": wall,
        "throughput_per_s": len(stats.reruns) / wall if wall else float("nan"),
        "p50_ms": percentile(lat, 50) * 1000,
        "p95_ms": percentile(lat, 95) * 1000,
        "errors": len(stats.errors),
        "error_samples": stats.errors[:5],
        "split": dict(Counter(e["upstream"] for e in streams)),
    }


def throughput(
    a: StreamlitServer,
    b: StreamlitServer,
    targets,
    sessions: int = SESSIONS,
    reruns: int = RERUNS,
    rounds: int = ROUNDS,
    log=print,
) -> dict:
    runs: dict[str, list[dict]] = {"1": [], "2": []}
    with LocalNginx([_addr(a)]) as one, LocalNginx([_addr(a), _addr(b)]) as two:
        fronts = {"1": one, "2": two}
        for i in range(rounds):
            for key in ("1", "2") if i % 2 == 0 else ("2", "1"):
                res = _load(fronts[key], targets, sessions, reruns)
                runs[key].append(res)
                log(
                    f"  round {i + 1}, {key} replica(s): {res['throughput_per_s']:.2f} reruns/s, "
                    f"p50 {res['p50_ms']:.0f} ms, p95 {res['p95_ms']:.0f} ms, "
                    f"errors {res['errors']}, sessions per replica {sorted(res['split'].values())}"
                )
    out = {}
    for key, rs in runs.items():
        out[key] = {
            "throughput_per_s": median(r["throughput_per_s"] for r in rs),
            "p50_ms": median(r["p50_ms"] for r in rs),
            "p95_ms": median(r["p95_ms"] for r in rs),
            "errors": sum(r["errors"] for r in rs),
            "runs": rs,
        }
    ratios = [
        r2["throughput_per_s"] / r1["throughput_per_s"]
        for r1, r2 in zip(runs["1"], runs["2"], strict=True)
    ]
    return {
        "sessions": sessions,
        "reruns_per_session": reruns,
        "rounds": rounds,
        "replicas_1": out["1"],
        "replicas_2": out["2"],
        "ratios": ratios,
        "ratio_median": median(ratios),
    }


def _first_visit(browser, url: str, timeout_ms: int = 60_000) -> dict:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        seen = {"http": 0, "static": 0, "requests": 0, "ws": 0, "compressed": 0}
        urls: dict[str, str] = {}
        sizes: dict[str, int] = {}

        def sent(e):
            urls[e["requestId"]] = e["request"]["url"]

        def received(e):
            headers = {k.lower() for k in e["response"].get("headers") or {}}
            seen["compressed"] += "content-encoding" in headers

        def finished(e):
            n = int(e["encodedDataLength"])
            sizes[urls.get(e["requestId"], "?")] = n
            seen["http"] += n
            seen["requests"] += 1
            if "/static/" in urls.get(e["requestId"], ""):
                seen["static"] += n

        def frame(e):
            r = e["response"]
            data = r["payloadData"]
            seen["ws"] += len(base64.b64decode(data)) if r.get("opcode") == 2 else len(data)

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.responseReceived", received)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.webSocketFrameReceived", frame)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        t0 = time.perf_counter()
        page.goto(url + "/", wait_until="commit")
        page.wait_for_selector(SELECTOR, timeout=timeout_ms, state="attached")
        seconds = time.perf_counter() - t0
        snapshot = dict(seen)
        largest = sorted(sizes.items(), key=lambda kv: -kv[1])[:8]
        return {
            **snapshot,
            "total": snapshot["http"] + snapshot["ws"],
            "seconds": seconds,
            "largest": [(u.rsplit("/", 1)[-1], n) for u, n in largest],
        }
    finally:
        ctx.close()


def first_visit(a: StreamlitServer, b: StreamlitServer, pairs: int = PAIRS, log=print) -> dict:
    if not CHROMIUM.exists():
        return {"skipped": f"Chromium not found at {CHROMIUM}"}
    from playwright.sync_api import sync_playwright

    runs: dict[str, list[dict]] = {"direct": [], "nginx": []}
    with LocalNginx([_addr(a), _addr(b)]) as front, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        urls = {"direct": a.url, "nginx": front.url}
        try:
            for i in range(pairs):
                for key in ("direct", "nginx") if i % 2 == 0 else ("nginx", "direct"):
                    res = _first_visit(browser, urls[key])
                    runs[key].append(res)
                    log(
                        f"  first visit {key}: {res['total'] / 1e6:.2f} MB "
                        f"(HTTP {res['http'] / 1e6:.2f} MB in {res['requests']} responses, "
                        f"{res['compressed']} compressed, /static/ {res['static'] / 1e6:.2f} MB; "
                        f"WebSocket {res['ws'] / 1e3:.0f} kB), {res['seconds']:.2f} s"
                    )
        finally:
            browser.close()
    out = {}
    for key, rs in runs.items():
        out[key] = {
            k: median(r[k] for r in rs)
            for k in ("total", "http", "static", "ws", "requests", "compressed")
        }
        out[key]["seconds"] = median(r["seconds"] for r in rs)
        out[key]["largest"] = rs[-1]["largest"]
        out[key]["runs"] = rs
    out["ratio"] = out["nginx"]["total"] / out["direct"]["total"]
    out["target_mb"] = TARGET_FIRST_VISIT_MB
    out["ok"] = out["nginx"]["total"] / 1e6 <= TARGET_FIRST_VISIT_MB
    return out


def run(
    sessions: int = SESSIONS,
    reruns: int = RERUNS,
    rounds: int = ROUNDS,
    pairs: int = PAIRS,
    log=print,
) -> dict:
    if not NGINX.exists():
        return {"skipped": f"nginx not found at {NGINX} (apt-get install nginx)"}
    with StreamlitServer(APP) as a, StreamlitServer(APP) as b:
        pages = asyncio.run(discover_pages(a.url))
        targets = targets_for(pages)
        for srv in (a, b):
            asyncio.run(_sequential(srv.url, targets, 1))  # every page once: warm caches
        res = {
            "pages": pages,
            "throughput": throughput(a, b, targets, sessions, reruns, rounds, log),
            "first_visit": first_visit(a, b, pairs, log),
        }
    t, f = res["throughput"], res["first_visit"]
    log(
        f"  2 replicas / 1 replica behind nginx: {t['ratio_median']:.2f}x reruns/s; "
        f"errors {t['replicas_1']['errors']} / {t['replicas_2']['errors']}"
    )
    if "skipped" not in f:
        log(
            f"  first visit through nginx {f['nginx']['total'] / 1e6:.2f} MB vs direct "
            f"{f['direct']['total'] / 1e6:.2f} MB ({f['ratio']:.2f}x); largest through nginx: "
            + ", ".join(f"{name} {n / 1e6:.2f} MB" for name, n in f["nginx"]["largest"][:4])
        )
    res["ok"] = (
        t["replicas_1"]["errors"] == 0
        and t["replicas_2"]["errors"] == 0
        and bool(f.get("ok", True))
    )
    return res
