"""Static export: wall time of ``python -m figures export OUTDIR``, as a person runs it."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import ROOT, median

TARGET_S = 10.0


def available() -> bool:
    """Whether ``python -m figures`` has an ``export`` command yet."""
    proc = subprocess.run(
        [sys.executable, "-m", "figures", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return "export" in (proc.stdout + proc.stderr)


def run(repeats: int = 3, timeout: float = 300.0, log=print) -> dict:
    if not available():
        return {"pending": True, "ok": None}
    times, files, size, errors = [], 0, 0, []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="figures-export-") as tmp:
            out = Path(tmp) / "site"
            t0 = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "figures", "export", str(out)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
            seconds = time.perf_counter() - t0
            if proc.returncode != 0:
                errors.append((proc.stderr or proc.stdout).strip()[-300:])
                break
            times.append(seconds)
            written = [p for p in out.rglob("*") if p.is_file()]
            files, size = len(written), sum(p.stat().st_size for p in written)
    res = {
        "pending": False,
        "runs_s": times,
        "median_s": median(times),
        "files": files,
        "bytes": size,
        "errors": errors,
        "target_s": TARGET_S,
        "ok": bool(times) and not errors and median(times) <= TARGET_S,
    }
    if times:
        log(f"  export: {res['median_s']:.1f} s, {files} files, {size / 2**20:.1f} MB")
    else:
        log(f"  export failed: {errors}")
    return res
