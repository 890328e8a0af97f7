"""The static snapshot as a reader gets it: export time, time to first chart, bytes, gzip sizes.

- **Export:** wall time of ``python -m figures export OUTDIR --base-url URL`` on the shipped data,
  the whole command as the Pages workflow runs it (a fresh process each time).
- **Time to first chart** of the first page, opened from disk (``file://``) and from a local
  static server (Python's ``http.server`` in a thread), alternating, each run in a fresh browser
  context (empty cache): navigation start to the first ``.js-plotly-plot .main-svg``, recorded in
  the page by the observer of ``bench/ttfc.py``. Headless Chromium through Playwright with the
  flags of tests/conftest.py.
- **Bytes transferred** for a first page and then a second page in the same browser context
  (HTTP cache on), from the page's own Resource Timing (``transferSize``: 0 for a file served from
  the browser's cache, the headers only for a revalidated one). Two servers: ``http.server`` as it
  is (``Last-Modified`` only; the browser revalidates) and the same with the
  ``Cache-Control: max-age=600`` that GitHub Pages sends. ``http.server`` does not compress, so the
  gzip -9 size of every file is given too: what a compressing host sends.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import CHROMIUM, CHROMIUM_ARGS, LOOPBACK, ROOT, machine, median
from bench.ttfc import _OBSERVER, SELECTOR

BASE_URL = "https://owner.github.io/repo/"
#: The first page a reader opens (the home page's chart); the second is the next page in the menu.
FIRST = "overview.html"
_HREF = re.compile(r'href="([a-z0-9-]+\.html)"')

# Resource Timing of the page: the document itself and everything it loaded.
_ENTRIES = """() => [
  ...performance.getEntriesByType('navigation'),
  ...performance.getEntriesByType('resource'),
].map(e => ({
  url: e.name,
  transfer: e.transferSize,
  encoded: e.encodedBodySize,
  decoded: e.decodedBodySize,
  status: e.responseStatus,
}))"""


def export(outdir: Path, timeout: float = 600.0) -> float:
    """Run the export as the workflow does; the wall time in seconds."""
    env = {k: v for k, v in os.environ.items() if k != "FIGURES_DATA"}  # the shipped data
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "figures", "export", str(outdir), "--base-url", BASE_URL],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"export failed: {(proc.stderr or proc.stdout).strip()[-500:]}")
    return seconds


def sizes(outdir: Path) -> list[dict]:
    """Every file of the snapshot: its size and its gzip -9 size, largest first."""
    rows = []
    for p in sorted(outdir.rglob("*")):
        if p.is_file():
            raw = p.read_bytes()
            rows.append(
                {
                    "file": p.relative_to(outdir).as_posix(),
                    "bytes": len(raw),
                    "gzip": len(gzip.compress(raw, compresslevel=9, mtime=0)),
                }
            )
    return sorted(rows, key=lambda r: -r["bytes"])


def second_page(outdir: Path, first: str = FIRST) -> str:
    """The page after ``first`` in the snapshot's menu (as the index lists it)."""
    menu = list(dict.fromkeys(_HREF.findall((outdir / "index.html").read_text("utf-8"))))
    pages = [p for p in menu if p not in ("index.html", first)]
    if not pages:
        raise RuntimeError("the snapshot's index links to no second page")
    return pages[0]


class StaticServer:
    """``python -m http.server`` in a thread, on the loopback, optionally with a Cache-Control."""

    def __init__(self, root: Path, cache_control: str | None = None):
        class Handler(http.server.SimpleHTTPRequestHandler):
            def end_headers(self):
                if cache_control:
                    self.send_header("Cache-Control", cache_control)
                super().end_headers()

            def log_message(self, *args):  # quiet
                pass

        handler = functools.partial(Handler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer((LOOPBACK, 0), handler)
        self.url = f"http://{LOOPBACK}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)

    def __enter__(self) -> StaticServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _open(page, url: str, timeout_ms: int = 60_000) -> float:
    """Open ``url`` and wait for its first chart; seconds from navigation start (in the page)."""
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(SELECTOR, timeout=timeout_ms, state="attached")
    outside = time.perf_counter() - t0
    inside = page.evaluate("() => window.__firstChart")
    return inside / 1000 if inside is not None else outside


def ttfc_once(browser, url: str) -> float:
    """Time to first chart of ``url`` in a fresh context (empty cache)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.add_init_script(_OBSERVER)
        return _open(page, url)
    finally:
        ctx.close()


def _summary(entries: list[dict], base: str, gz: dict[str, int]) -> dict:
    """What one page load fetched: totals, and each file as it came (network, cache, 304)."""
    files = []
    for e in entries:
        rel = e["url"][len(base) :].split("?")[0].split("#")[0] if e["url"].startswith(base) else ""
        if e.get("status") and e["status"] >= 400:
            how = f"not found ({e['status']})" if e["status"] == 404 else f"error {e['status']}"
        elif e["transfer"] == 0 and e["decoded"] > 0:
            how = "browser cache"
        elif e["encoded"] == 0 and e["transfer"] > 0:
            how = "revalidated (304)"
        else:
            how = "network"
        files.append({"file": rel or e["url"], "transfer": e["transfer"], "how": how})
    return {
        "transfer_bytes": sum(e["transfer"] for e in entries),
        "body_bytes": sum(e["decoded"] for e in entries),
        # If the host compressed: the gzip size of every file that crossed the network.
        "gzip_bytes": sum(gz.get(f["file"], 0) for f in files if f["how"] == "network"),
        "requests": len(entries),
        "files": files,
    }


def transfer(browser, server: StaticServer, first: str, second: str, gz: dict) -> dict:
    """A first and then a second page in one context (cache on): what each transferred."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.add_init_script(_OBSERVER)
        out = {}
        for name, file in (("first", first), ("second", second)):
            seconds = _open(page, f"{server.url}/{file}")
            page.wait_for_load_state("load")
            out[name] = {"page": file, "ttfc_s": seconds}
            out[name].update(_summary(page.evaluate(_ENTRIES), server.url + "/", gz))
        return out
    finally:
        ctx.close()


SERVERS = (
    ("http.server, no cache headers", None),
    ("http.server + Cache-Control: max-age=600 (as GitHub Pages)", "max-age=600"),
)


def run(repeats: int = 3, pairs: int = 5, log=print) -> dict:
    """``repeats`` exports, ``pairs`` alternating disk/server first-chart runs, one transfer run
    per server."""
    started = time.perf_counter()
    res: dict = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_start": _load_avg(),
        "base_url": BASE_URL,
    }
    with tempfile.TemporaryDirectory(prefix="figures-snapshot-") as tmp:
        times = []
        for i in range(repeats):
            out = Path(tmp) / f"site{i}"
            times.append(export(out))
            log(f"  export {i + 1}: {times[-1]:.1f} s")
        res["export"] = {"runs_s": times, "median_s": median(times)}
        site = out
        table = sizes(site)
        gz = {r["file"]: r["gzip"] for r in table}
        res["sizes"] = table
        res["total_bytes"] = sum(r["bytes"] for r in table)
        res["total_gzip"] = sum(r["gzip"] for r in table)
        first, second = FIRST, second_page(site)
        res["first"], res["second"] = first, second
        if not CHROMIUM.exists():
            res["skipped"] = f"Chromium not found at {CHROMIUM}"
            res["ok"] = None
            return res
        from playwright.sync_api import sync_playwright

        disk, served = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                with StaticServer(site) as srv:
                    ttfc_once(browser, (site / first).as_uri())  # warm-up, untimed
                    for i in range(pairs):
                        order = ("disk", "server") if i % 2 == 0 else ("server", "disk")
                        got = {}
                        for where in order:
                            url = (
                                (site / first).as_uri() if where == "disk" else f"{srv.url}/{first}"
                            )
                            got[where] = ttfc_once(browser, url)
                        disk.append(got["disk"])
                        served.append(got["server"])
                        log(
                            f"  ttfc pair {i + 1}: disk {got['disk']:.2f} s, "
                            f"server {got['server']:.2f} s"
                        )
                res["ttfc"] = {
                    "page": first,
                    "disk_s": disk,
                    "server_s": served,
                    "disk_median_s": median(disk),
                    "server_median_s": median(served),
                }
                res["transfer"] = []
                for label, cache in SERVERS:
                    with StaticServer(site, cache) as srv:
                        t = transfer(browser, srv, first, second, gz)
                    t["server"] = label
                    res["transfer"].append(t)
                    log(
                        f"  {label}: first page {t['first']['transfer_bytes']:,} B, "
                        f"second {t['second']['transfer_bytes']:,} B"
                    )
            finally:
                browser.close()
    res["load_end"] = _load_avg()
    res["minutes"] = (time.perf_counter() - started) / 60
    res["ok"] = None  # no target: these numbers describe the snapshot
    return res


def _load_avg() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"
