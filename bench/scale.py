"""Data scale: load + validate time and peak memory at 10 k, 100 k and 1 M rows, and chart payloads.

Synthetic CSVs (``bench/synth.py``) are written to a temporary folder. Each load runs in a fresh
subprocess (``python -m bench.scale load PATH``) so that its peak resident memory (VmHWM) is
its own; the memory reported is that peak minus the peak after the imports. The chart payload
is what the server sends a browser: a live server reads the ``PAYLOAD_ROWS`` file
(``FIGURES_DATA``) and the protocol client opens every page, recording the largest Plotly figure
spec (the JSON that ``st.plotly_chart`` ships) and the bytes of the whole page. The overview
builder's ``fig.to_json()`` is also measured directly on each file.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import APP, ROOT, StreamlitServer, median
from figures.ui import serve

SIZES = (10_000, 100_000, 1_000_000)
TARGET_LOAD_S = 3.0  # for 1 M rows
TARGET_PAYLOAD_BYTES = 1_000_000
#: Rows of the file the live server reads for the payload check. Pages that draw or list every
#: row take minutes per run at 1 M rows (and would exceed the server's 50 MB message limit), so
#: the live check uses 100 k rows; the overview builder is also measured directly at 1 M.
PAYLOAD_ROWS = 100_000


def _hwm_kb() -> int:
    """Peak resident memory of this process (VmHWM, kB). Unlike ru_maxrss it is not inherited
    from the parent across fork + exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def _child_load(path: str) -> None:
    from figures import charts, data, views

    base = _hwm_kb()
    t0 = time.perf_counter()
    df = data.load_figures(path)
    seconds = time.perf_counter() - t0
    peak = _hwm_kb()
    t1 = time.perf_counter()
    fig = charts.overview_bar(views.overview_rows(df))
    overview_s = time.perf_counter() - t1
    print(
        json.dumps(
            {
                "rows": len(df),
                "seconds": seconds,
                "peak_rss_mb": peak / 1024,
                "import_rss_mb": base / 1024,
                "load_mb": (peak - base) / 1024,
                "overview_json_bytes": len(fig.to_json()),
                "overview_build_s": overview_s,
            }
        )
    )


def _load(path: Path, timeout: float) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.scale", "load", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


async def _payloads(url: str, timeout: float) -> list[dict]:
    from bench.session_client import Session, Target

    # The first session opens the default page (its first run) and learns the pages from it.
    first = Session(url)
    await first.connect()
    try:
        opened = await first.rerun(Target(), timeout=timeout)
        pages = list(first.pages) or [""]
    finally:
        await first.close()
    out = []
    for page in pages:
        if page == pages[0]:
            r = opened
        else:
            s = Session(url)
            await s.connect()
            try:
                r = await s.rerun(Target(page), timeout=timeout)
            finally:
                await s.close()
        out.append(
            {
                "page": page or "(default)",
                "seconds": r.seconds,
                "page_bytes": r.bytes,
                "largest_message_bytes": r.largest,
                "charts": r.charts,
                "largest_chart_bytes": r.largest_chart,
                "error": r.error,
            }
        )
    return out


def run(sizes=SIZES, repeats: int = 3, page_timeout: float = 120.0, log=print) -> dict:
    from bench import synth

    loads = []
    payload: dict = {}
    with tempfile.TemporaryDirectory(prefix="figures-bench-") as tmp:
        for n in sizes:
            path = Path(tmp) / f"figures-{n}.csv"
            t0 = time.perf_counter()
            synth.write(n, path)
            gen_s = time.perf_counter() - t0
            runs = []
            for _ in range(repeats if n < 1_000_000 else 1):
                try:
                    runs.append(_load(path, timeout=600))
                except (RuntimeError, subprocess.TimeoutExpired) as exc:
                    runs.append({"error": str(exc)[:300]})
                    break
            ok_runs = [r for r in runs if "error" not in r]
            row = {
                "rows": n,
                "file_mb": path.stat().st_size / 2**20,
                "generate_s": gen_s,
                "seconds": median(r["seconds"] for r in ok_runs),
                "load_mb": max((r["load_mb"] for r in ok_runs), default=float("nan")),
                "peak_rss_mb": max((r["peak_rss_mb"] for r in ok_runs), default=float("nan")),
                "overview_json_bytes": max(
                    (r["overview_json_bytes"] for r in ok_runs), default=float("nan")
                ),
                "errors": [r["error"] for r in runs if "error" in r],
            }
            loads.append(row)
            log(
                f"  scale {n:,} rows: load {row['seconds']:.2f} s, +{row['load_mb']:.0f} MB, "
                f"overview chart {row['overview_json_bytes']:,} bytes"
            )
            if n == min(PAYLOAD_ROWS, max(sizes)):
                # Warmed with the imports and the data only: each page's first run computes
                # its view here (a server started normally has the default views cached).
                env = {"FIGURES_DATA": str(path), serve.WARM_ENV: "imports"}
                with StreamlitServer(APP, env=env) as srv:
                    pages = asyncio.run(_payloads(srv.url, page_timeout))
                    payload = {"rows": n, "pages": pages, "server_rss_mb": srv.rss_mb()}
                for p in pages:
                    log(
                        f"  payload {p['page']}: {p['seconds']:.1f} s, page {p['page_bytes']:,} B,"
                        f" largest chart {p['largest_chart_bytes']:,} B"
                        + (f" ERROR {p['error']}" if p["error"] else "")
                    )
    big = next((r for r in loads if r["rows"] == 1_000_000), loads[-1])
    largest_chart = max(
        [p["largest_chart_bytes"] for p in payload.get("pages", [])]
        + [
            r["overview_json_bytes"]
            for r in loads
            if r["overview_json_bytes"] == r["overview_json_bytes"]
        ],
        default=0,
    )
    return {
        "loads": loads,
        "payload": payload,
        "largest_chart_bytes": largest_chart,
        "target_load_s": TARGET_LOAD_S,
        "target_payload_bytes": TARGET_PAYLOAD_BYTES,
        "load_ok": big["seconds"] <= TARGET_LOAD_S and not big["errors"],
        "payload_ok": largest_chart <= TARGET_PAYLOAD_BYTES
        and not any(p["error"] for p in payload.get("pages", [])),
    }


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "load":
        _child_load(sys.argv[2])
    else:
        sys.exit("usage: python -m bench.scale load PATH")
