"""Benchmarks (not tests): time to first chart, rerun time, concurrent sessions, data scale, export.

``python -m bench`` runs everything once and writes ``docs/benchmarks.md``; ``python -m bench
--help`` lists the single benchmarks and the soak mode. Shared helpers live here: a Streamlit
server started the same way for every app, statistics, and a description of the machine.
"""

from __future__ import annotations

import math
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
APP = ROOT / "app.py"
BARE_APP = BENCH / "bare_app.py"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
#: Chromium flags, as in tests/conftest.py.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class StreamlitServer:
    """A cold ``streamlit run SCRIPT`` on the loopback interface, with the settings of the tests.

    Every app is served with the same command-line flags and the same working directory (so the
    same ``.streamlit/config.toml``); only the script differs.
    """

    def __init__(self, script: Path = APP, env: dict[str, str] | None = None, timeout=60.0):
        self.script = Path(script)
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        exe = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
        # This app is served as it is deployed (`python -m figures.ui.serve`: warmed before it
        # listens); any other script with `streamlit run`. The options are the same.
        if self.script.resolve() == APP.resolve():
            start = [sys.executable, "-m", "figures.ui.serve"]
        else:
            start = [exe, "run", str(self.script)]
        # The server's log goes to a file, never to an unread pipe (a full pipe blocks the
        # server); tracebacks in it are kept in bench/results/server-errors.log.
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            prefix="streamlit-bench-", suffix=".log", delete=False
        )
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [
                *start,
                "--server.port",
                str(self.port),
                "--server.address",
                LOOPBACK,
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = Path(self.log.name).read_text(errors="replace")[-3000:]
                self.stop()
                raise RuntimeError(f"streamlit exited early:\n{err}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        self.ready_s = time.perf_counter() - self.started
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"streamlit did not become healthy within {timeout:.0f} s")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def rss_mb(self) -> float:
        """Resident memory of the server process (VmRSS), in MB."""
        return rss_mb(self.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if not self.log.closed:
            self.log.close()
            text = Path(self.log.name).read_text(errors="replace")
            Path(self.log.name).unlink(missing_ok=True)
            if "Traceback" in text:
                out = BENCH / "results"
                out.mkdir(exist_ok=True)
                with (out / "server-errors.log").open("a", encoding="utf-8") as f:
                    f.write(f"==== {self.script.name} on port {self.port}\n{text}\n")

    def __enter__(self) -> StreamlitServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def rss_mb(pid: int) -> float:
    """VmRSS of a process from /proc/PID/status, in MB (1 MB = 2**20 bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def median(xs) -> float:
    xs = list(xs)
    return statistics.median(xs) if xs else math.nan


def percentile(xs, q: float) -> float:
    """The q-th percentile (0-100), linear interpolation between closest ranks."""
    xs = sorted(xs)
    if not xs:
        return math.nan
    k = (len(xs) - 1) * q / 100
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def _version(module: str) -> str:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:
        return "?"


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    chromium = "absent"
    if CHROMIUM.exists():
        try:
            chromium = subprocess.run(
                [str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            chromium = "present (version unknown)"
    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "Memory": mem,
        "OS": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "Python": platform.python_version(),
        "Packages": ", ".join(
            f"{m} {_version(m)}" for m in ("streamlit", "plotly", "pandas", "pyarrow")
        ),
        "Browser": chromium,
    }
