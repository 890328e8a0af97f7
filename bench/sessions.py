"""Concurrent sessions and the soak mode, through the protocol-level client (no browser).

For each level (10, 50, 100 sessions) a fresh server starts; one session visits every page to
warm the caches and stays connected while the server's resident memory (VmRSS) is read: that
is the one-session baseline. Then N more sessions open at once, each rerunning pages in turn
(each starting at a different page); while all N + 1 are still connected, VmRSS is read again.
RSS per extra session = (RSS with N + 1 sessions - RSS with 1) / N.

Soak (``python -m bench soak --sessions 100 --seconds 60``): N sessions stay connected and rerun
pages in turn, with a pause between a session's reruns, for two halves of the given time. VmRSS
is read after each half, with every session still connected and no rerun in flight; the verdict
needs zero errors, every session served at least once, and bounded memory: the second reading
at most max(25 MB, 10 %) above the first (the first half includes every session's arrival).
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time

from bench import APP, StreamlitServer, median, percentile, rss_mb
from bench.session_client import (
    MAX_SECONDS,
    MAX_SESSIONS,
    RERUN_TIMEOUT,
    Session,
    Stats,
    Target,
    discover_pages,
    run_sessions,
)

LEVELS = (10, 50, 100)
TARGET_ERRORS = 0
TARGET_MB_PER_SESSION = 5.0


def targets_for(pages: list[str]) -> list[Target]:
    """Every page as the default view, plus the overview on a log scale (a shared link)."""
    out = [Target(p) for p in pages]
    out.append(Target(pages[0] if pages else "", "log=true"))
    return out


async def _level(url: str, pid: int, n: int, targets: list[Target], reruns: int) -> dict:
    warm = Session(url)
    await warm.connect()
    try:
        for t in targets:
            r = await warm.rerun(t)
            if r.error:
                raise RuntimeError(f"warm-up {t.label}: {r.error}")
        await asyncio.sleep(0.5)
        rss1 = rss_mb(pid)
        held: dict[str, float] = {}
        t0 = time.perf_counter()
        stats = await run_sessions(
            url, n, targets, reruns=reruns, hold=lambda: held.setdefault("rss", rss_mb(pid))
        )
        wall = time.perf_counter() - t0
    finally:
        await warm.close()
    lat = stats.latencies
    per_page: dict[str, list[float]] = {}
    for r in stats.reruns:
        if r.ok:
            per_page.setdefault(r.target.label, []).append(r.seconds)
    return {
        "sessions": n,
        "reruns": len(stats.reruns),
        "p50_ms": percentile(lat, 50) * 1000,
        "p95_ms": percentile(lat, 95) * 1000,
        "max_ms": max(lat) * 1000 if lat else float("nan"),
        "throughput_per_s": len(stats.reruns) / wall if wall else float("nan"),
        "errors": len(stats.errors),
        "error_samples": stats.errors[:5],
        "sessions_finished": stats.sessions_finished,
        "rss_1_mb": rss1,
        "rss_n_mb": held.get("rss", float("nan")),
        "mb_per_session": (held.get("rss", float("nan")) - rss1) / n,
        "per_page_p50_ms": {k: percentile(v, 50) * 1000 for k, v in per_page.items()},
    }


async def _sequential(url: str, targets: list[Target], rounds: int) -> dict[str, float]:
    """One session alone: median protocol latency of each target (no contention)."""
    s = Session(url)
    await s.connect()
    out: dict[str, list[float]] = {}
    try:
        for _ in range(rounds):
            for t in targets:
                r = await s.rerun(t)
                if r.ok:
                    out.setdefault(t.label, []).append(r.seconds * 1000)
    finally:
        await s.close()
    return {k: median(v) for k, v in out.items()}


def run(levels=LEVELS, reruns: int = 3, log=print) -> dict:
    results = []
    single: dict[str, float] = {}
    pages: list[str] = []
    for n in levels:
        with StreamlitServer(APP) as srv:
            if not pages:
                pages = asyncio.run(discover_pages(srv.url))
            targets = targets_for(pages)
            if not single:
                asyncio.run(_sequential(srv.url, targets, 1))  # warm every page
                single = asyncio.run(_sequential(srv.url, targets, 5))
            res = asyncio.run(_level(srv.url, srv.pid, n, targets, reruns))
            log(
                f"  sessions {n}: p50 {res['p50_ms']:.0f} ms, p95 {res['p95_ms']:.0f} ms, "
                f"errors {res['errors']}, RSS {res['rss_1_mb']:.0f} -> {res['rss_n_mb']:.0f} MB "
                f"({res['mb_per_session']:.2f} MB/session)"
            )
            results.append(res)
    return {
        "levels": results,
        "pages": pages,
        "single_session_ms": single,
        "target_errors": TARGET_ERRORS,
        "target_mb_per_session": TARGET_MB_PER_SESSION,
        "ok": all(
            r["errors"] == 0 and r["mb_per_session"] <= TARGET_MB_PER_SESSION for r in results
        ),
    }


class _RssSampler(threading.Thread):
    def __init__(self, pid: int, every: float = 1.0):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, float]] = []  # (time.monotonic(), RSS MB)
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                self.samples.append((time.monotonic(), rss_mb(self.pid)))
            except (OSError, RuntimeError):
                return
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join(5)


def soak(
    sessions: int = 100,
    seconds: float = 60.0,
    think: float = 1.0,
    url: str | None = None,
    pid: int | None = None,
    ramp: float | None = None,
    log=print,
) -> dict:
    """Run ``sessions`` sessions for ``seconds``; returns the numbers and a verdict.

    Starts its own server unless ``url`` (loopback only) is given; memory is read only when the
    server's ``pid`` is known.
    """
    srv = None
    if url is None:
        srv = StreamlitServer(APP)
        url, pid = srv.url, srv.pid
    try:
        pages = asyncio.run(discover_pages(url))
        targets = targets_for(pages)
        sampler = _RssSampler(pid) if pid else None
        if sampler:
            sampler.start()
        t0 = time.perf_counter()
        ramp = min(5.0, seconds / 4) if ramp is None else ramp
        stats, rss = asyncio.run(_soak(url, sessions, targets, seconds, think, ramp, pid))
        wall = time.perf_counter() - t0
        if sampler:
            sampler.stop()
    finally:
        if srv is not None:
            srv.stop()
    res = verdict(stats, sessions, seconds, wall, rss, sampler.samples if sampler else [])
    log(res["verdict"])
    return res


async def _soak(url, n, targets, seconds, think, ramp, pid) -> tuple[Stats, list[float]]:
    """Two halves of ``seconds``; the server's RSS is read after each, with every session still
    connected and no rerun in flight, so that the two readings compare like with like."""
    if not 1 <= n <= MAX_SESSIONS:
        raise ValueError(f"sessions must be between 1 and {MAX_SESSIONS}, got {n}")
    seconds = min(seconds, MAX_SECONDS)
    stats = Stats(sessions=n, started_at=time.monotonic())
    pool = [Session(url) for _ in range(n)]  # Session refuses anything but loopback
    served: set[int] = set()
    rss: list[float] = []

    async def connect(i: int) -> bool:
        await asyncio.sleep(ramp * i / n)
        try:
            await pool[i].connect()
            return True
        except Exception as exc:
            stats.connect_errors.append(f"session {i}: connect: {type(exc).__name__}: {exc}")
            return False

    async def work(i: int, cycle, until: float) -> None:
        s, count = pool[i], 0
        while count == 0 or time.monotonic() < until:  # at least one rerun per half
            r = await s.rerun(next(cycle))
            stats.reruns.append(r)
            count += 1
            if r.ok:
                served.add(i)
            elif s.ws is None or s.ws.state.name != "OPEN":
                break
            if think:
                await asyncio.sleep(think)

    async def run() -> None:
        up = await asyncio.gather(*(connect(i) for i in range(n)))
        live = [i for i in range(n) if up[i]]
        cycles = {
            i: itertools.islice(itertools.cycle(targets), i % len(targets), None) for i in live
        }
        try:
            for half in (1, 2):
                until = time.monotonic() + seconds / 2
                await asyncio.gather(*(work(i, cycles[i], until) for i in live))
                if half == 1:
                    stats.first_round_at = time.monotonic()
                await asyncio.sleep(1.0)  # let the last runs' messages drain
                rss.append(rss_mb(pid) if pid else float("nan"))
        finally:
            await asyncio.gather(*(s.close() for s in pool))

    try:
        async with asyncio.timeout(seconds + ramp + 2 * RERUN_TIMEOUT + 60):
            await run()
    except TimeoutError:
        stats.connect_errors.append("soak did not stop in time; cancelled")
    stats.sessions_finished = len(served)
    return stats, rss


def verdict(stats, sessions: int, seconds: float, wall: float, rss, samples) -> dict:
    """Zero errors, every session served, and bounded memory: the RSS after the second half is
    at most max(25 MB, 10 %) above the RSS after the first (both read with every session
    connected and idle; the first half includes every session's arrival)."""
    lat = stats.latencies
    mid = rss[0] if len(rss) >= 1 else None
    end = rss[1] if len(rss) >= 2 else None
    growth = end - mid if mid is not None and end is not None and mid == mid else None
    bounded = growth is not None and growth <= max(25.0, 0.10 * mid)
    errors = len(stats.errors)
    all_finished = stats.sessions_finished == sessions
    ok = errors == 0 and all_finished and (bounded or not samples)
    if growth is not None:
        state = "bounded" if bounded else "GROWING"
        mem = f"RSS after 1st half {mid:.0f} MB, after 2nd {end:.0f} MB ({growth:+.0f} MB, {state})"
    else:
        mem = "RSS not read"
    line = (
        f"SOAK {'PASS' if ok else 'FAIL'}: {sessions} sessions for {seconds:.0f} s, "
        f"{len(stats.reruns)} reruns, {errors} errors, "
        f"{stats.sessions_finished}/{sessions} sessions served, "
        f"p50 {percentile(lat, 50) * 1000:.0f} ms, p95 {percentile(lat, 95) * 1000:.0f} ms, {mem}"
    )
    return {
        "sessions": sessions,
        "seconds": seconds,
        "wall_s": wall,
        "reruns": len(stats.reruns),
        "errors": errors,
        "error_samples": stats.errors[:5],
        "sessions_finished": stats.sessions_finished,
        "p50_ms": percentile(lat, 50) * 1000,
        "p95_ms": percentile(lat, 95) * 1000,
        "rss_mid_mb": mid,
        "rss_end_mb": end,
        "rss_growth_mb": growth,
        "rss_max_mb": max((s[1] for s in samples), default=None),
        "first_half_s": (stats.first_round_at - stats.started_at) if stats.first_round_at else None,
        "ok": ok,
        "verdict": line,
    }
