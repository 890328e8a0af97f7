"""``python -m bench``: run every benchmark once, print a table, write docs/benchmarks.md.

python -m bench                      everything (about 10-15 minutes on 2 cores)
python -m bench setup|ttfc|rerun|throughput|proxy|sessions|soak|scale|export|snapshot
                                     one benchmark; prints, writes bench/results/NAME.json
                                     (`snapshot` rewrites only its own section of the doc;
                                     `proxy`: nginx in front of 1 vs 2 replicas, and the bytes
                                     of a first visit through it)
python -m bench soak --sessions 100 --seconds 60
                                     load/soak: N sessions for S seconds, prints a verdict
python -m bench --save-baseline      also keep this run as the "before" numbers
python -m bench --report-only        rewrite docs/benchmarks.md from the last results
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime

from bench import BENCH, ROOT, machine

RESULTS = BENCH / "results"
BASELINE = BENCH / "baseline.json"
DOC = ROOT / "docs" / "benchmarks.md"


def _log(msg: str) -> None:
    print(msg, flush=True)


def _load_avg() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _run_one(name: str, quick: bool) -> dict:
    t0 = time.perf_counter()
    _log(f"== {name}")
    try:
        if name == "ttfc":
            from bench import ttfc

            res = ttfc.run(pairs=2 if quick else 6, warmup=0 if quick else 1, log=_log)
        elif name == "rerun":
            from bench import rerun

            res = rerun.run(reruns=5 if quick else 15, interaction_runs=4 if quick else 8, log=_log)
        elif name == "sessions":
            from bench import sessions

            res = sessions.run(levels=(10,) if quick else sessions.LEVELS, log=_log)
        elif name == "throughput":
            from bench import throughput

            res = throughput.run(
                levels=(10,) if quick else throughput.LEVELS, pairs=1 if quick else 2, log=_log
            )
        elif name == "soak":
            from bench import sessions

            res = sessions.soak(
                sessions=20 if quick else 100, seconds=15 if quick else 60, log=_log
            )
        elif name == "scale":
            from bench import scale

            sizes = (10_000, 100_000) if quick else scale.SIZES
            res = scale.run(sizes=sizes, repeats=1 if quick else 3, log=_log)
        elif name == "setup":
            from bench import setup_time

            res = setup_time.run(pairs=1 if quick else 3, suites=not quick, log=_log)
        elif name == "export":
            from bench import static_export

            res = static_export.run(repeats=1 if quick else 3, log=_log)
        elif name == "proxy":
            from bench import proxy

            res = proxy.run(
                sessions=10 if quick else 20,
                reruns=3 if quick else 5,
                rounds=2,
                pairs=1 if quick else 2,
                log=_log,
            )
        elif name == "snapshot":
            from bench import snapshot

            res = snapshot.run(repeats=1 if quick else 3, pairs=2 if quick else 5, log=_log)
        else:
            raise ValueError(name)
    except Exception as exc:  # one broken benchmark must not lose the others' numbers
        import traceback

        traceback.print_exc()
        res = {"failed": f"{type(exc).__name__}: {exc}"[:500], "ok": False}
    res["elapsed_s"] = time.perf_counter() - t0
    return res


ALL = (
    "setup",
    "ttfc",
    "rerun",
    "throughput",
    "proxy",
    "sessions",
    "soak",
    "scale",
    "export",
    "snapshot",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("what", nargs="?", default="all", choices=("all", *ALL))
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller sizes")
    parser.add_argument("--save-baseline", action="store_true", help="keep as 'before' numbers")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite docs/benchmarks.md from bench/results/latest.json without measuring",
    )
    parser.add_argument("--sessions", type=int, default=100, help="soak: sessions")
    parser.add_argument("--seconds", type=float, default=60.0, help="soak: duration")
    parser.add_argument("--think", type=float, default=1.0, help="soak: pause between reruns")
    parser.add_argument("--url", default=None, help="soak: a running server (loopback only)")
    parser.add_argument("--pid", type=int, default=None, help="soak: its pid, to sample memory")
    args = parser.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    if args.report_only:
        from bench import report

        run = json.loads((RESULTS / "latest.json").read_text())
        baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else None
        print(report.summary_text(run, baseline))
        DOC.write_text(report.markdown(run, baseline), encoding="utf-8")
        _log(f"\nwrote {DOC.relative_to(ROOT)}")
        return 0

    if args.what == "soak":
        from bench import sessions

        res = sessions.soak(
            sessions=args.sessions,
            seconds=args.seconds,
            think=args.think,
            url=args.url,
            pid=args.pid,
            log=_log,
        )
        (RESULTS / "soak.json").write_text(json.dumps(res, indent=1, default=str))
        latest = RESULTS / "latest.json"
        if latest.exists() and args.url is None:  # the soak's own server: part of the report
            run = json.loads(latest.read_text())
            run.setdefault("results", {})["soak"] = res
            run["partial"] = True
            latest.write_text(json.dumps(run, indent=1, default=str))
            if not args.no_doc:
                from bench import report

                baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else None
                DOC.write_text(report.markdown(run, baseline), encoding="utf-8")
        return 0 if res["ok"] else 1

    names = ALL if args.what == "all" else (args.what,)
    started = time.perf_counter()
    run = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_start": _load_avg(),
        "quick": args.quick,
        "results": {},
    }
    for name in names:
        run["results"][name] = _run_one(name, args.quick)
    run["load_end"] = _load_avg()
    run["elapsed_s"] = time.perf_counter() - started

    from bench import report

    previous = {}
    if (RESULTS / "latest.json").exists() and args.what != "all":
        previous = json.loads((RESULTS / "latest.json").read_text())
    if args.what != "all" and previous:
        merged = {**previous, "results": {**previous.get("results", {}), **run["results"]}}
        merged["partial"] = True
        run = merged
    (RESULTS / ("latest.json" if args.what == "all" else f"{args.what}.json")).write_text(
        json.dumps(run, indent=1, default=str)
    )
    if args.what != "all":
        (RESULTS / "latest.json").write_text(json.dumps(run, indent=1, default=str))
    if args.save_baseline:
        BASELINE.write_text(json.dumps(report.baseline_summary(run), indent=1) + "\n")
        _log(f"baseline saved to {BASELINE.relative_to(ROOT)}")
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else None
    print()
    print(report.summary_text(run, baseline))
    if not args.no_doc and args.what == "snapshot" and DOC.exists():
        # Its own section only: the rest of the doc keeps the numbers of its own runs.
        section = report.snapshot_markdown(run["results"]["snapshot"], run)
        DOC.write_text(report.with_section(DOC.read_text("utf-8"), section), encoding="utf-8")
        _log(f"\nwrote the snapshot section of {DOC.relative_to(ROOT)}")
    elif not args.no_doc:
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(report.markdown(run, baseline), encoding="utf-8")
        _log(f"\nwrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
