"""Set-up time: a fresh clone to an installed environment, with an empty package cache.

"Before" is the commit that installed with pip (`pip install -e ".[test]"`, no lock); "after" is
this tree (uv, `uv sync --frozen` of uv.lock). Both are cloned into temporary folders and installed
with their own Makefile target, alternating, each with fresh, empty pip and uv caches, so the two
see the same machine and the same network in one run. Optionally also times `make check` and
`make test` on the "after" clone (the suite durations the README quotes).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench import ROOT

#: The last commit that installed without a lock (pip, unpinned).
BEFORE = "4e5d083"
TARGET = ".venv/.installed-test"


def _clone(rev: str, where: Path) -> Path:
    dest = where / f"clone-{rev}"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(dest)], check=True)
    subprocess.run(["git", "-C", str(dest), "checkout", "--quiet", rev], check=True)
    return dest


def _install(tree: Path, caches: Path) -> float:
    env = {
        **os.environ,
        "PIP_CACHE_DIR": str(caches / "pip"),
        "UV_CACHE_DIR": str(caches / "uv"),
        "PIP_NO_CACHE_DIR": "",
    }
    env.pop("VIRTUAL_ENV", None)
    t0 = time.perf_counter()
    r = subprocess.run(["make", TARGET], cwd=tree, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"make {TARGET} failed in {tree}:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    return elapsed


def _timed(cmd: list[str], tree: Path) -> dict:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=tree, env={**os.environ, "CI": "true"}, capture_output=True)
    tail = r.stdout.decode(errors="replace").strip().splitlines()[-1:]
    return {"seconds": time.perf_counter() - t0, "ok": r.returncode == 0, "last_line": tail}


def run(pairs: int = 3, suites: bool = True, log=print) -> dict:
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    before, after = [], []
    last_after: Path | None = None
    with tempfile.TemporaryDirectory(prefix="bench-setup-") as tmp:
        work = Path(tmp)
        for i in range(pairs):
            for label, rev, bucket in (("before", BEFORE, before), ("after", head, after)):
                t0 = time.perf_counter()
                tree = _clone(rev, work / f"{label}-{i}")
                clone_s = time.perf_counter() - t0
                caches = work / f"caches-{label}-{i}"
                seconds = clone_s + _install(tree, caches)
                bucket.append(seconds)
                log(f"  {label} ({rev}, pip)" if label == "before" else f"  {label} ({rev}, uv)")
                log(f"    clone + install, empty caches: {seconds:.1f} s")
                shutil.rmtree(caches, ignore_errors=True)
                if label == "after":
                    last_after = tree
                else:
                    shutil.rmtree(tree, ignore_errors=True)
        res = {
            "before_rev": BEFORE,
            "after_rev": head,
            "before_s": before,
            "after_s": after,
            "before_median_s": statistics.median(before),
            "after_median_s": statistics.median(after),
            "target_s": 25.0,
        }
        res["ok"] = res["after_median_s"] <= res["target_s"]
        if suites and last_after is not None:
            log("  make check (after)")
            res["check"] = _timed(["make", "check"], last_after)
            log(f"    {res['check']['seconds']:.0f} s")
            log("  make test (after, CI=true)")
            res["test"] = _timed(["make", "test"], last_after)
            log(f"    {res['test']['seconds']:.0f} s")
    return res
