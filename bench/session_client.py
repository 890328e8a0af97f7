"""A protocol-level Streamlit client: real sessions over the server's WebSocket, no browser.

Each :class:`Session` connects to ``/_stcore/stream``, asks for a rerun with a ``BackMsg`` (the
page's URL path or ``page_script_hash`` and its query string, as the browser does), and reads
``ForwardMsg`` s until ``script_finished``. :func:`run_sessions` drives many sessions at once,
bounded in count and in time, and stops by itself. Only loopback servers are accepted.

Uses the ``websockets`` package, which Streamlit itself depends on (its server is Starlette +
uvicorn; Tornado is no longer installed), so no new dependency is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

MAX_SESSIONS = 500  # hard bound on concurrent sessions
MAX_SECONDS = 3600  # hard bound on any run
RERUN_TIMEOUT = 120.0  # one rerun that takes longer than this counts as an error


@dataclass(frozen=True)
class Target:
    """One thing a session asks the server to run: a page (URL path) and a query string."""

    page: str = ""  # url path of the page, "" for the default page
    query: str = ""  # query string without "?", e.g. "log=true"

    @property
    def label(self) -> str:
        return (self.page or "(default)") + (f"?{self.query}" if self.query else "")


@dataclass
class Rerun:
    target: Target
    seconds: float
    ok: bool
    error: str | None = None
    messages: int = 0
    bytes: int = 0
    charts: int = 0
    largest: int = 0  # bytes of the largest single message
    largest_chart: int = 0  # bytes of the largest Plotly figure spec


@dataclass
class Stats:
    """What a batch of sessions did."""

    reruns: list[Rerun] = field(default_factory=list)
    sessions: int = 0
    sessions_finished: int = 0  # sessions that got at least one script_finished
    connect_errors: list[str] = field(default_factory=list)
    first_round_at: float | None = None  # time.monotonic() when every session had run once
    started_at: float | None = None  # time.monotonic() when the sessions started

    @property
    def errors(self) -> list[str]:
        return self.connect_errors + [
            f"{r.target.label}: {r.error}" for r in self.reruns if r.error
        ]

    @property
    def latencies(self) -> list[float]:
        return [r.seconds for r in self.reruns if r.ok]


def check_loopback(url: str) -> None:
    """Refuse any server that is not on this machine's loopback interface."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ValueError(f"only loopback servers (127.0.0.1, localhost, ::1) are allowed, got {url}")


def stream_url(url: str) -> str:
    check_loopback(url)
    parts = urlsplit(url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"


def rerun_msg(target: Target, page_script_hash: str = "") -> bytes:
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = target.query
    cs.page_script_hash = page_script_hash
    cs.page_name = target.page
    return msg.SerializeToString()


class Session:
    """One browser tab's worth of protocol: a WebSocket session with the Streamlit runtime."""

    def __init__(self, url: str):
        self.url = stream_url(url)
        self.origin = url.rstrip("/")
        self.ws = None
        self.pages: dict[str, str] = {}  # url path -> page_script_hash, learnt from the server
        self.finished = 0

    async def connect(self, timeout: float = 30.0) -> None:
        self.ws = await connect(
            self.url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=timeout,
            ping_interval=None,
            close_timeout=2,
        )

    async def rerun(self, target: Target, timeout: float = RERUN_TIMEOUT) -> Rerun:
        """Ask for a rerun of ``target`` and read until the script finishes."""
        assert self.ws is not None, "connect() first"
        t0 = time.perf_counter()
        messages = size = charts = largest = largest_chart = 0
        error: str | None = None
        await self.ws.send(rerun_msg(target, self.pages.get(target.page, "")))
        try:
            async with asyncio.timeout(timeout):
                while True:
                    raw = await self.ws.recv()
                    messages += 1
                    size += len(raw)
                    largest = max(largest, len(raw))
                    fm = ForwardMsg()
                    fm.ParseFromString(raw)
                    kind = fm.WhichOneof("type")
                    if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                        el = fm.delta.new_element
                        which = el.WhichOneof("type")
                        if which == "exception":
                            error = error or f"exception: {el.exception.message[:200]}"
                        elif which == "alert" and el.alert.format == Alert.ERROR:
                            error = error or f"error box: {el.alert.body[:200]}"
                        elif which == "plotly_chart":
                            charts += 1
                            largest_chart = max(largest_chart, len(el.plotly_chart.spec))
                    elif kind == "navigation":
                        for p in fm.navigation.app_pages:
                            self.pages[p.url_pathname] = p.page_script_hash
                    elif kind == "new_session":
                        for p in fm.new_session.app_pages:
                            self.pages.setdefault(p.url_pathname, p.page_script_hash)
                    elif kind == "page_not_found":
                        error = error or f"page not found: {fm.page_not_found.page_name}"
                    elif kind == "session_event" and fm.session_event.HasField(
                        "script_compilation_exception"
                    ):
                        error = error or "script compilation error"
                    elif kind == "script_finished":
                        status = fm.script_finished
                        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                            continue  # superseded by a newer rerun; keep reading
                        if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                            error = error or "compile error"
                        break
        except TimeoutError:
            error = f"no script_finished within {timeout:.0f} s"
        except Exception as exc:  # connection closed, bad frame, ...
            error = f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - t0
        if error is None:
            self.finished += 1
        return Rerun(
            target, seconds, error is None, error, messages, size, charts, largest, largest_chart
        )

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):  # closing a broken socket is best effort
                await self.ws.close()
            self.ws = None


async def run_sessions(
    url: str,
    n: int,
    targets: Sequence[Target],
    *,
    reruns: int | None = None,
    seconds: float | None = None,
    think: float = 0.0,
    ramp: float = 0.0,
    hold: Callable[[], object] | None = None,
) -> Stats:
    """Open ``n`` sessions at once; each reruns ``targets`` in turn (each session starting at a
    different one) until it has done ``reruns`` reruns or ``seconds`` have passed.

    ``think`` seconds pass between a session's reruns; sessions open over ``ramp`` seconds.
    ``hold`` (if given) is called once every session has finished its work and while all of
    them are still connected (e.g. to read the server's memory); its result is discarded.
    Bounded: at most MAX_SESSIONS sessions and MAX_SECONDS seconds; stops by itself.
    """
    check_loopback(url)
    if not 1 <= n <= MAX_SESSIONS:
        raise ValueError(f"sessions must be between 1 and {MAX_SESSIONS}, got {n}")
    if reruns is None and seconds is None:
        raise ValueError("give reruns or seconds (or both): a run must be bounded")
    if not targets:
        raise ValueError("no targets")
    stats = Stats(sessions=n, started_at=time.monotonic())
    limit = min(seconds if seconds is not None else MAX_SECONDS, MAX_SECONDS)
    deadline = time.monotonic() + limit
    done = asyncio.Event()  # every session has finished its work
    released = asyncio.Event()  # hold() has run; sessions may close
    working = n
    first_runs = 0

    async def one(i: int) -> None:
        nonlocal working, first_runs
        if ramp:
            await asyncio.sleep(ramp * i / n)
        s = Session(url)
        try:
            try:
                await s.connect()
            except Exception as exc:
                stats.connect_errors.append(f"session {i}: connect: {type(exc).__name__}: {exc}")
                return
            cycle = itertools.islice(itertools.cycle(targets), i % len(targets), None)
            count = 0
            # Every session that connected runs at least once, however late it got in.
            while count == 0 or (
                (reruns is None or count < reruns) and time.monotonic() < deadline
            ):
                r = await s.rerun(next(cycle))
                stats.reruns.append(r)
                count += 1
                if count == 1:
                    first_runs += 1
                    if first_runs == n:
                        stats.first_round_at = time.monotonic()
                if r.error and s.ws is not None and s.ws.state.name != "OPEN":
                    break
                if think:
                    await asyncio.sleep(think)
            if s.finished:
                stats.sessions_finished += 1
        finally:
            working -= 1
            if working == 0:
                done.set()
            await released.wait()
            await s.close()

    tasks = [asyncio.create_task(one(i)) for i in range(n)]

    async def holder() -> None:
        await done.wait()
        try:
            if hold is not None:
                hold()
        finally:
            released.set()

    hold_task = asyncio.create_task(holder())
    try:
        async with asyncio.timeout(limit + RERUN_TIMEOUT + 60):
            await asyncio.gather(*tasks, hold_task)
    except TimeoutError:
        stats.connect_errors.append("run did not stop in time; cancelled")
        for t in [*tasks, hold_task]:
            t.cancel()
    return stats


async def discover_pages(url: str) -> list[str]:
    """URL paths of the app's pages, as the server announces them ("" when it has none)."""
    s = Session(url)
    await s.connect()
    try:
        r = await s.rerun(Target())
        if r.error:
            raise RuntimeError(f"first run failed: {r.error}")
        return list(s.pages) or [""]
    finally:
        await s.close()
