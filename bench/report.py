"""Turn a bench run into the summary table and docs/benchmarks.md."""

from __future__ import annotations

import math

NAN = float("nan")


def _f(x, fmt: str = "{:.0f}", unit: str = "") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return fmt.format(x) + unit


def _ok(flag) -> str:
    return "–" if flag is None else ("yes" if flag else "**no**")


def metrics(run: dict) -> list[dict]:
    """The headline numbers: key, label, value (number), text, target text, met (bool|None)."""
    R = run.get("results", {})
    out: list[dict] = []

    def add(key, label, value, text, target="", met=None):
        out.append(
            {"key": key, "label": label, "value": value, "text": text, "target": target, "met": met}
        )

    s = R.get("setup")
    if s and "after_median_s" in s:
        add(
            "setup_before",
            "Clone to installed, empty caches, before (pip, no lock)",
            s["before_median_s"],
            _f(s["before_median_s"], "{:.1f}", " s"),
        )
        add(
            "setup_after",
            "Clone to installed, empty caches (uv sync --frozen)",
            s["after_median_s"],
            _f(s["after_median_s"], "{:.1f}", " s"),
            "<= 25 s",
            s["ok"],
        )
        for suite in ("check", "test"):
            if suite in s:
                add(
                    f"suite_{suite}",
                    f"`make {suite}` on the fresh clone",
                    s[suite]["seconds"],
                    _f(s[suite]["seconds"], "{:.0f}", " s")
                    + ("" if s[suite]["ok"] else " (FAILED)"),
                )
    elif s:
        add("setup_after", "Clone to installed", NAN, s.get("failed", "?"))
    t = R.get("ttfc")
    if t and "ratio_median" in t:
        add(
            "ttfc_app",
            "Time to first chart, this app (median)",
            t["app_median_s"],
            _f(t["app_median_s"], "{:.2f}", " s"),
        )
        add(
            "ttfc_bare",
            "Time to first chart, bare Streamlit app (median)",
            t["bare_median_s"],
            _f(t["bare_median_s"], "{:.2f}", " s"),
        )
        add(
            "ttfc_ratio",
            "Time to first chart, cold server, app / bare (median of pairwise ratios)",
            t["ratio_median"],
            _f(t["ratio_median"], "{:.2f}"),
            "<= 1.15",
            t["ratio_median"] <= t["target_ratio"],
        )
        if "warm_ratio_median" in t:
            add(
                "ttfc_warm",
                "Time to first chart, warm server, new visitor: this app / bare app (medians)",
                t["app_warm_median_s"],
                f"{t['app_warm_median_s']:.2f} s / {t['bare_warm_median_s']:.2f} s",
            )
            add(
                "ttfc_warm_ratio",
                "Time to first chart, warm server, new visitor, app / bare (median of pairs)",
                t["warm_ratio_median"],
                _f(t["warm_ratio_median"], "{:.2f}"),
                "<= 1.1",
                t["warm_ratio_median"] <= t["target_warm_ratio"],
            )
            add(
                "server_ready",
                "Server start to healthy: this app (warmed first) / bare app (medians)",
                t["app_ready_median_s"],
                f"{t['app_ready_median_s']:.2f} s / {t['bare_ready_median_s']:.2f} s",
            )
    elif t:
        add("ttfc_ratio", "Time to first chart", NAN, t.get("skipped") or t.get("failed", "?"))
    r = R.get("rerun")
    if r and "rows" in r:
        w = r["worst"] or {}
        med_t = r.get("target_median_ms", 30.0)
        p95_t = r.get("target_p95_ms", 60.0)
        add(
            "rerun_median",
            "Rerun, all pages and interactions, warm (median)",
            r["all_median_ms"],
            _f(r["all_median_ms"], unit=" ms"),
            f"<= {med_t:.0f} ms",
            r["all_median_ms"] <= med_t,
        )
        add(
            "rerun_p95",
            "Rerun, all pages and interactions, warm (p95)",
            r["all_p95_ms"],
            _f(r["all_p95_ms"], unit=" ms"),
            f"<= {p95_t:.0f} ms",
            r["all_p95_ms"] <= p95_t,
        )
        add(
            "rerun_worst",
            f"Rerun, slowest row median ({w.get('page')}: {w.get('what')})",
            w.get("median_ms", NAN),
            _f(w.get("median_ms"), unit=" ms"),
        )
        if "first_median_ms" in r:
            add(
                "rerun_first",
                "Rerun into a state not drawn before (cache miss): median / max",
                r["first_median_ms"],
                f"{_f(r['first_median_ms'], unit=' ms')} / {_f(r['first_max_ms'], unit=' ms')}",
            )
        add(
            "rerun_errors",
            "Rerun, pages or interactions that raised",
            len(r["errors"]),
            str(len(r["errors"])),
            "0",
            not r["errors"],
        )
    elif r:
        add("rerun_median", "Rerun", NAN, r.get("failed", "?"))
    tp = R.get("throughput")
    if tp and "levels" in tp:
        for lv in tp["levels"]:
            n = lv["sessions"]
            a, b = lv["app"], lv["bare"]
            add(
                f"throughput_{n}_ratio",
                f"{n} sessions: reruns/s, this app / bare app (median of pairwise ratios)",
                lv["ratio"],
                f"{lv['ratio']:.2f} ({a['per_s']:.1f} / {b['per_s']:.1f})",
                f">= {tp['target_ratio']}",
                lv["ratio"] >= tp["target_ratio"],
            )
            add(
                f"throughput_{n}_latency",
                f"{n} sessions: p50 / p95, this app vs bare app",
                a["p50_ms"],
                f"{_f(a['p50_ms'], unit=' ms')} / {_f(a['p95_ms'], unit=' ms')} vs "
                f"{_f(b['p50_ms'], unit=' ms')} / {_f(b['p95_ms'], unit=' ms')}",
            )
            add(
                f"throughput_{n}_errors",
                f"{n} sessions: errors, this app / bare app",
                a["errors"],
                f"{a['errors']} / {b['errors']}",
                "0",
                a["errors"] == 0 and b["errors"] == 0,
            )
    elif tp:
        add("throughput_20_ratio", "Throughput", NAN, tp.get("failed", "?"))
    s = R.get("sessions")
    if s and "levels" in s:
        for lv in s["levels"]:
            n = lv["sessions"]
            add(
                f"sessions_{n}_p50",
                f"{n} concurrent sessions: rerun latency p50 / p95",
                lv["p50_ms"],
                f"{_f(lv['p50_ms'], unit=' ms')} / {_f(lv['p95_ms'], unit=' ms')}",
            )
            add(
                f"sessions_{n}_errors",
                f"{n} concurrent sessions: errors",
                lv["errors"],
                str(lv["errors"]),
                "0",
                lv["errors"] == 0,
            )
            add(
                f"sessions_{n}_mb",
                f"{n} concurrent sessions: RSS per extra session",
                lv["mb_per_session"],
                _f(lv["mb_per_session"], "{:.2f}", " MB"),
                "<= 5 MB",
                lv["mb_per_session"] <= 5,
            )
    elif s:
        add("sessions_10_p50", "Concurrent sessions", NAN, s.get("failed", "?"))
    k = R.get("soak")
    if k and "verdict" in k:
        add(
            "soak",
            f"Soak, {k['sessions']} sessions for {k['seconds']:.0f} s",
            k["errors"],
            ("PASS" if k["ok"] else "FAIL")
            + f", {k['errors']} errors, RSS "
            + _f(k["rss_growth_mb"], "{:+.0f}", " MB"),
            "0 errors, bounded RSS",
            k["ok"],
        )
    c = R.get("scale")
    if c and "loads" in c:
        for row in c["loads"]:
            n = row["rows"]
            tgt, met = ("<= 3 s", row["seconds"] <= 3) if n == 1_000_000 else ("", None)
            add(
                f"load_{n}",
                f"Load + validate {n:,} rows",
                row["seconds"],
                _f(row["seconds"], "{:.2f}", " s") + f" (+{_f(row['load_mb'])} MB peak)",
                tgt,
                met,
            )
        pages_run = (c.get("payload") or {}).get("pages") or []
        if pages_run:
            slow = max(pages_run, key=lambda x: x["seconds"])
            add(
                "page_first_run",
                f"Slowest page's first run on {c['payload']['rows']:,} rows ({slow['page']})",
                slow["seconds"],
                _f(slow["seconds"], "{:.1f}", " s"),
                "<= 2 s",
                slow["seconds"] <= 2 and not any(x["error"] for x in pages_run),
            )
        add(
            "payload",
            "Largest chart payload on the largest data",
            c["largest_chart_bytes"],
            f"{c['largest_chart_bytes'] / 1e6:.3f} MB",
            "<= 1 MB",
            c["payload_ok"],
        )
    elif c:
        add("load_1000000", "Data scale", NAN, c.get("failed", "?"))
    e = R.get("export")
    if e and e.get("pending"):
        add(
            "export", "Static export", NAN, "pending: `python -m figures export` does not exist yet"
        )
    elif e and "median_s" in e:
        add(
            "export",
            "Static export `python -m figures export`",
            e["median_s"],
            _f(e["median_s"], "{:.1f}", " s"),
            "<= 10 s",
            e["ok"],
        )
    elif e:
        add("export", "Static export", NAN, e.get("failed", "?"))
    n = R.get("snapshot")
    if n and "ttfc" in n:
        add(
            "snapshot_ttfc_disk",
            "Snapshot: time to first chart, opened from disk (median)",
            n["ttfc"]["disk_median_s"],
            _f(n["ttfc"]["disk_median_s"], "{:.2f}", " s"),
        )
        add(
            "snapshot_ttfc_server",
            "Snapshot: time to first chart, local static server (median)",
            n["ttfc"]["server_median_s"],
            _f(n["ttfc"]["server_median_s"], "{:.2f}", " s"),
        )
        t = n["transfer"][-1]
        add(
            "snapshot_bytes",
            "Snapshot: bytes for a first / a second page (gzip if compressed)",
            t["first"]["transfer_bytes"],
            f"{_kb(t['first']['transfer_bytes'])} / {_kb(t['second']['transfer_bytes'])} "
            f"({_kb(t['first']['gzip_bytes'])} / {_kb(t['second']['gzip_bytes'])})",
        )
    elif n:
        add("snapshot_ttfc_disk", "Snapshot", NAN, n.get("skipped") or n.get("failed", "?"))
    x = R.get("proxy")
    if x and "throughput" in x:
        f, t = x["first_visit"], x["throughput"]
        if "nginx" in f:
            mb = f["nginx"]["total"] / 1e6
            add(
                "first_visit_mb",
                "First visit through nginx (deploy/nginx.conf): bytes to first chart",
                mb,
                f"{mb:.2f} MB (straight from Streamlit {f['direct']['total'] / 1e6:.2f} MB)",
                f"<= {f['target_mb']:.0f} MB",
                bool(f["ok"]),
            )
        add(
            "proxy_ratio",
            f"nginx, 2 replicas / 1 replica: reruns/s at {t['sessions']} sessions (median of "
            "pairs)",
            t["ratio_median"],
            f"{t['ratio_median']:.2f} ({t['replicas_2']['throughput_per_s']:.1f} / "
            f"{t['replicas_1']['throughput_per_s']:.1f})",
        )
        add(
            "proxy_errors",
            "nginx, errors with 1 / 2 replicas",
            t["replicas_1"]["errors"] + t["replicas_2"]["errors"],
            f"{t['replicas_1']['errors']} / {t['replicas_2']['errors']}",
            "0",
            t["replicas_1"]["errors"] == 0 and t["replicas_2"]["errors"] == 0,
        )
    elif x:
        add("first_visit_mb", "nginx in front", NAN, x.get("skipped") or x.get("failed", "?"))
    return out


def _kb(n) -> str:
    return "–" if n is None else f"{n / 1000:,.1f} kB"


def baseline_summary(run: dict) -> dict:
    return {
        "date": run.get("date"),
        "load": run.get("load_start"),
        "metrics": {m["key"]: {"value": m["value"], "text": m["text"]} for m in metrics(run)},
    }


def summary_text(run: dict, baseline: dict | None) -> str:
    rows = metrics(run)
    before = (baseline or {}).get("metrics", {})
    w = max((len(m["label"]) for m in rows), default=10)
    lines = [f"{'metric':<{w}}  {'result':<34} {'target':<22} {'met':<4} before"]
    for m in rows:
        b = before.get(m["key"], {}).get("text", "")
        met = "-" if m["met"] is None else ("yes" if m["met"] else "NO")
        lines.append(f"{m['label']:<{w}}  {m['text']:<34} {m['target']:<22} {met:<4} {b}")
    return "\n".join(lines)


# What the optimisation pass changed; kept here so that every rewrite of the doc keeps it.
OPTIMISATIONS = """\
Made in this pass (before = `bench/baseline.json`, after = this run; both on the same shared
machine, so compare orders of magnitude, not the last digit):

- **Post-run garbage collection, every rerun of every session** (`figures/ui/common.py`).
  Streamlit runs a full `gc.collect()` after each script run (`runner.postScriptGC`). With
  pandas, pyarrow and plotly imported the process holds ~140,000 long-lived objects, and each
  collection took 50-60 ms of CPU while holding the GIL: more than the whole script of most
  pages, paid by the bare app too, and serialising concurrent sessions. `common.py` now calls
  `gc.freeze()` once after its imports; a post-run collection then takes about 3 ms (measured
  with a profiler inside the server: 20 reruns, 0.065 s of `gc.collect` in total) and still
  frees everything a run leaves behind. On the Data & sources page a rerun went from ~50-80 ms
  of server CPU to ~17 ms.
- **Validation of large files** (`figures/data.py`, small targeted edits, results identical on
  the shipped data, the test fixtures and 100 k synthetic rows):
  - the `supersedes` checks passed every figure id to pandas' `isin`/`map`, which on
    Arrow-backed strings box every value into a Python object: now one hash lookup
    (`pyarrow.compute.index_in`);
  - revision-loop detection walks each chain once (it walked every chain from every start);
  - whole numbers are cast by Arrow instead of `pd.to_numeric` (15x faster), and the typed
    frame reuses the dates and numbers parsed during validation instead of parsing them again;
  - the URL rule spells out Python's `\\s` so the regex runs in Arrow's RE2 rather than
    row by row in Python's `re`;
  - the header is read from the first megabyte instead of copying the whole text into a
    `StringIO`; the emptiness test no longer copies the text (`isspace` instead of `strip`);
  - one pass over the encoded file (`bytes.translate`) tells whether any control character
    exists; only then are the 14 per-column control-character checks run;
  - the messages for range and date problems are only built when there is a problem;
  - the string columns coming out of Arrow are no longer round-tripped through Python objects.

  Load + validate went from 21.8 s to about 5 s for 1 M rows and from 7.1 s to about 0.5 s
  for 100 k rows (see the table above for this run).

Issue #15 (fast under a crowd), profiled with py-spy and cProfile inside the script thread of
warm AppTest reruns. With the views already cached per (page, state, data version), a warm rerun
spent its time drawing: the same display tables, Markdown source lists and Plotly specs were
derived again from the same cached objects on every rerun of every session.

- **Derived once per cached View** (`figures/ui/common.py` `memo`, one line of `render.py`):
  the rows as a reader sees them (`pages.display_rows`, a Python loop over rows), the sources
  as Markdown, the publishers shown and the chart's JSON-ready spec (`charts.inert_figure`
  plus the deep copy `st.plotly_chart` makes with `fig.to_dict()`) are computed once for each
  frame or figure of a cached View and dropped with it (weak references). Warm reruns went from
  81 ms to about 20 ms median.
- **One shared frame per data version** (`common.load_figures`): `st.cache_data` unpickles a
  fresh copy of the frame on every call, twice per rerun (about 2 ms on the shipped file, over a
  second at 100,000 rows). A `st.cache_resource` over it hands every session the same read-only
  frame, as `cached` already did for its results. The data files are hashed again only when
  their status (inode, size, mtime, ctime) changes.
- **CSV export with Arrow's kernels** (`figures/export.py`): same bytes (checked on the shipped
  data, the fixtures, formula and quoting edge cases and 100,000 synthetic rows), 3-5 times
  faster; the Data & sources page builds its selection's CSV on every rerun.
  `views.filter_values` returns the frame itself when no filter is set, so the page's table is
  derived once.
- **Data scale**: the Compare chart stops at 300 marks (`charts.MAX_COMPARE_MARKS`; the shipped
  data needs at most 117) with a subtitle saying so, the title still counting every figure:
  4.1 MB of spec at 100,000 rows before. `charts.source_line` and
  `views.country_source_lists` no longer loop over rows or groups in Python (the By country
  page took minutes at 100,000 rows: one group per document). The placeholder-quote check runs
  in Arrow's RE2 (Python's `\\s` and `\\b` spelled out; same matches on the edge cases) instead
  of Python's `re` row by row (0.5 s -> 0.04 s per million rows).
"""

CAUSES = {
    "ttfc_ratio": "Measured over the protocol on a cold server, this app's first run takes "
    "about 1.0-1.3 s before its chart message leaves the server, the bare app's 0.06-0.2 s. "
    "Profiled inside the server, that first run is: importing pandas (~0.5 s) and the rest of "
    "the app's modules (~0.3 s), the page building its selections, table and chart (~0.4 s), "
    "loading and validating the data (~0.1 s), and the emoji favicon of `st.set_page_config` "
    "(~0.1 s: Streamlit imports its emoji table to check it). The browser then also fetches the "
    "extra front-end code for the table, tabs and widgets that the bare page does not use. "
    "None of this is repeated on later visits; a pre-started, warmed server would hide it, but "
    "Streamlit has no start-up hook short of a first session.",
    "rerun_median": "What is left of a warm rerun is Streamlit's own work per element (widgets, "
    "the Arrow encoding of each table, the JSON of each chart) and, since #13, the actions under "
    "every chart (an HTML block, a CSV download button and a popover per chart).",
    "rerun_p95": "The slowest reruns are the Data & sources page (the Arrow encoding of its "
    "table of up to 1,000 rows) and the Compare page's log toggle; the selection's CSV and the "
    "full export are no longer made on a rerun (deferred downloads: made when a reader asks).",
    "rerun_worst": "See the rerun cause above; the slowest rows are listed in section 2.",
    "sessions": "Reruns are CPU-bound Python holding the GIL, so concurrent sessions queue: "
    "latency grows with the number of sessions times the per-rerun CPU of the pages (section "
    "2). Errors at 100 sessions were reruns that waited longer than the client's 120 s limit "
    "or pages that raised while being edited by other helpers.",
    "payload": "The largest payload is a chart; the Data & sources table is paged by 1,000 rows "
    "(`figures/pages/data.py`), so it no longer ships every row.",
    "page_first_run": "Each page's first run on 100,000 rows computes its view from the whole "
    "frame with pandas (per-page costs in section 4). By country's source lists are now made "
    "once per frame in whole-frame operations (its build: 121 s -> 1 s at 100,000 rows, "
    "profiled with cProfile: 5,747 per-document groups each sorted and ranked on their own, "
    "three times a run); the kind of source is worded once per document, not per row.",
    "load_1000000": "What remains is pandas/Arrow work on 1 M rows x 20 text columns in one "
    "thread: the CSV parse itself (~1 s), about 20 vectorised string checks (~1.5 s), date "
    "parsing (~0.5 s), duplicate-id and supersedes lookups (~0.7 s) and the typed frame "
    "(~0.5 s). Meeting 3 s needs the checks done in Arrow on the parsed table (no pandas "
    "round trip) or in parallel.",
    "export": "Since #14 the export writes one page per canonical view (about 70 on the shipped "
    "data, each with its CSV and JSON, twice with `--version`) instead of 11; about 80 % of "
    "the time is the page modules' `build()` calls, one per view.",
    "soak": "Profiled with tracemalloc snapshots inside the server between soak rounds of 60-100 "
    "sessions: the Python heap stays flat (98.9, 99.4, 99.8 MB traced; +0.4 MB a round, pandas' "
    "copy-on-write weak references to the shared frame, which pandas prunes when their list "
    "doubles), Arrow's memory pool holds 0.7 MB (3.3 MB at most), and MALLOC_ARENA_MAX=2 "
    "changes nothing. The RSS reading after each half is a high-water mark: the memory of the "
    "runs in flight (100 sessions queued, each run's messages and frames) is freed but kept by "
    "the allocator for reuse, so a half with more runs in flight at once reads higher. Across "
    "three rounds on one server RSS read 257, 257 and 275 MB: it stops growing.",
}


def _table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def _proxy_section(x: dict | None) -> list[str]:
    parts = ["## 4b. nginx in front: 1 vs 2 replicas, and a first visit", ""]
    if not x or "throughput" not in x:
        return [*parts, f"Not measured: {(x or {}).get('skipped') or (x or {}).get('failed')}", ""]
    t, f = x["throughput"], x["first_visit"]
    parts += [
        "`bench/proxy.py`: two replicas started as deployed (`python -m figures.ui.serve`), nginx "
        "with `deploy/nginx.conf` (rendered by `deploy/nginx.py` for loopback ports) in front "
        "of one of them and in front of both; the same load through each, alternating: "
        f"{t['sessions']} sessions at once, {t['reruns_per_session']} reruns each through the "
        "pages. On 2 cores the replicas share the CPU, so a second replica cannot double the "
        "throughput here; what it shows is that sessions are spread and none fails.",
        "",
        _table(
            ["Replicas", "Reruns/s", "p50 (ms)", "p95 (ms)", "Errors"],
            [
                [
                    n,
                    f"{r['throughput_per_s']:.1f}",
                    f"{r['p50_ms']:.0f}",
                    f"{r['p95_ms']:.0f}",
                    str(r["errors"]),
                ]
                for n, r in (("1", t["replicas_1"]), ("2", t["replicas_2"]))
            ],
        ),
        "",
        f"Ratio 2 / 1 (median of pairs): {t['ratio_median']:.2f}.",
        "",
    ]
    if "nginx" in f:
        parts += [
            "Bytes to first chart for a new visitor (headless Chromium, empty cache: every HTTP "
            "response's bytes on the wire, headers included, plus the WebSocket frames received "
            "until the first chart is drawn), straight from a replica and through nginx "
            "(brotli, or gzip, for the front-end's files):",
            "",
            _table(
                ["Served", "Total (MB)", "HTTP (MB)", "of which /static/ (MB)", "WebSocket (kB)"],
                [
                    [
                        k,
                        f"{f[k]['total'] / 1e6:.2f}",
                        f"{f[k]['http'] / 1e6:.2f}",
                        f"{f[k]['static'] / 1e6:.2f}",
                        f"{f[k]['ws'] / 1e3:.0f}",
                    ]
                    for k in ("direct", "nginx")
                ],
            ),
            "",
            "Largest files through nginx: "
            + ", ".join(f"{name} {n / 1e6:.2f} MB" for name, n in f["nginx"]["largest"][:5])
            + ".",
            "",
        ]
    return parts


def _ttfc_table(t: dict) -> str:
    warm = "warm_ratios" in t
    header = ["Run", "Cold: this app (s)", "Cold: bare app (s)", "Cold ratio"]
    header += ["Warm: this app (s)", "Warm: bare app (s)", "Warm ratio"] if warm else []
    rows = []
    for i in range(len(t["ratios"])):
        row = [str(i + 1), f"{t['app_s'][i]:.2f}", f"{t['bare_s'][i]:.2f}", f"{t['ratios'][i]:.2f}"]
        if warm:
            row += [
                f"{t['app_warm_s'][i]:.2f}",
                f"{t['bare_warm_s'][i]:.2f}",
                f"{t['warm_ratios'][i]:.2f}",
            ]
        rows.append(row)
    last = ["median", f"{t['app_median_s']:.2f}", f"{t['bare_median_s']:.2f}"]
    last += [f"{t['ratio_median']:.2f}"]
    if warm:
        last += [
            f"{t['app_warm_median_s']:.2f}",
            f"{t['bare_warm_median_s']:.2f}",
            f"{t['warm_ratio_median']:.2f}",
        ]
    return _table(header, [*rows, last])


def _pass_baseline() -> dict:
    """Numbers measured at the start of the work on issue #15 (``bench/baseline-15.json``)."""
    import json
    from pathlib import Path

    path = Path(__file__).with_name("baseline-15.json")
    return json.loads(path.read_text()) if path.exists() else {}


def markdown(run: dict, baseline: dict | None) -> str:
    R = run.get("results", {})
    rows = metrics(run)
    before = (baseline or {}).get("metrics", {})
    before15 = _pass_baseline().get("metrics", {})
    parts = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (`python -m bench`), which reruns everything and rewrites this "
        "file; `python -m bench soak --sessions 100 --seconds 60` is the load/soak mode. These "
        "are benchmarks, not tests: no test asserts a timing.",
        "",
        f"Run: {run.get('date')}, {run.get('elapsed_s', 0) / 60:.1f} minutes"
        + (" (partial: some results come from earlier runs)" if run.get("partial") else "")
        + (" (quick mode)" if run.get("quick") else "")
        + ".",
        "",
        "## Machine",
        "",
        _table(["", ""], [[k, v] for k, v in run.get("machine", {}).items()]),
        "",
        f"Load average (1/5/15 min) at the start: {run.get('load_start')}; at the end: "
        f"{run.get('load_end')}. The machine is shared (other work ran during the measurement), "
        "so single numbers vary by tens of percent between runs; the tables give medians.",
        "",
        "## Summary",
        "",
        _table(
            ["What", "Result", "Target", "Met", "Before #15", "Before the first pass"],
            [
                [
                    m["label"],
                    m["text"],
                    m["target"],
                    _ok(m["met"]),
                    before15.get(m["key"], {}).get("text", ""),
                    before.get(m["key"], {}).get("text", ""),
                ]
                for m in rows
            ],
        ),
        "",
        '"Before #15": `bench/baseline-15.json`, the state of `main` when the work on issue #15 '
        "(fast under a crowd) started, measured on the same shared machine with the same "
        "harness (rerun: warm AppTest; throughput: app and bare alternating in one run); the "
        "soak, 1 M load and by-country numbers are from the run of 25 Nov that this page "
        "showed then.",
        "",
    ]
    if baseline:
        parts += [
            f'"Before" numbers: `bench/baseline.json`, measured {baseline.get("date")} '
            f"(load average {baseline.get('load')}), before the optimisations below. That run "
            "shared the machine with other helpers' test suites, which inflates its absolute "
            "times (ratios less so), and the pages kept changing between the two runs (other "
            "helpers were building them), so per-page differences mix their changes with these "
            "optimisations.",
            "",
        ]

    t = R.get("ttfc")
    parts += ["## 1. Time to first chart", ""]
    if t and "ratio_median" in t:
        parts += [
            "From navigation start to the first `.js-plotly-plot .main-svg` in the page, measured "
            "inside the page (a MutationObserver installed before any script), in headless "
            "Chromium through Playwright with the flags of `tests/conftest.py`. Every run starts a "
            "new server process (same command-line flags and `.streamlit/config.toml` for both "
            "apps) and a fresh browser context; runs alternate app / bare "
            f"({t['pairs']} timed pairs after a warm-up pair). The bare app is "
            "`bench/bare_app.py`, one Plotly bar chart.",
            "",
            "The same server then gets a second new visitor (a fresh context: empty cache, no "
            "cookies): the warm columns. This app is started as deployed, `python -m "
            "figures.ui.serve` (the imports, the data and every page's default view are made "
            "before the server listens); the bare app with `streamlit run`.",
            "",
            _ttfc_table(t),
            "",
            f"Server start to healthy (median), not included above: this app "
            f"{t.get('app_ready_median_s', t['server_ready_median_s']):.2f} s (it warms before "
            f"it listens), bare app {t.get('bare_ready_median_s', float('nan')):.2f} s.",
            "",
        ]
    else:
        parts += [f"Not measured: {(t or {}).get('skipped') or (t or {}).get('failed')}", ""]

    r = R.get("rerun")
    parts += ["## 2. Rerun time", ""]
    if r and "rows" in r:
        parts += [
            "Server-side time of one rerun, with `streamlit.testing.v1.AppTest` on the shipped "
            "data (warm caches), timed with `time.perf_counter` around `run()`. Interactions are "
            "found on each page at run time and alternate between two states; warm means both "
            "states were drawn once before timing, as on a server that has had visitors. The first "
            "drawing of the new state (a cache miss: the page's view is computed) is its own "
            "column, not in the medians. The bare app row is "
            "AppTest's own floor. The live server adds its post-run garbage collection and the "
            "WebSocket round trip; the one-session column of section 3 shows that total.",
            "",
            _table(
                ["Page", "What", "Median (ms)", "p95 (ms)", "Runs", "First drawing (ms)", "Note"],
                [
                    [
                        x["page"],
                        x["what"],
                        _f(x["median_ms"], "{:.1f}"),
                        _f(x["p95_ms"], "{:.1f}"),
                        str(len(x["ms"])),
                        _f(x.get("first_ms"), "{:.0f}"),
                        x.get("error", "")[:120].replace("|", "/"),
                    ]
                    for x in r["rows"]
                ],
            ),
            "",
        ]
    else:
        parts += [f"Not measured: {(r or {}).get('failed')}", ""]

    tp = R.get("throughput")
    parts += ["## 2b. Throughput against the bare app", ""]
    if tp and "levels" in tp:
        parts += [
            "`bench/throughput.py`: this app and `bench/bare_app.py` run side by side as two "
            "servers (same flags, same `.streamlit/config.toml`), each warmed by one session "
            "opening every page. For each load level the two apps are measured in turn, "
            f"alternating app / bare then bare / app ({tp['pairs']} batches each), with the same "
            "protocol client and the same load: N sessions open at once and each does "
            f"{tp['reruns_per_session']} reruns (this app's sessions cycle through every page, "
            "each starting at a different one; the bare app's rerun its one page). Reruns/s = "
            "completed reruns / wall time of the batch; latency is a rerun's round trip "
            "including its wait behind the other sessions. The machine is shared by other "
            "agents (2 cores), which is why the two apps alternate within one run and only "
            "their ratio is the result. Note: the bare app does not call `gc.freeze()`, so its "
            "post-run garbage collection scans every object Streamlit and Plotly loaded; this "
            "app does (see Optimisations), which is part of why it can come near the bare app.",
            "",
            _table(
                [
                    "Sessions",
                    "App reruns/s",
                    "Bare reruns/s",
                    "Ratio (median of pairs)",
                    "Pair ratios",
                    "App p50 / p95 (ms)",
                    "Bare p50 / p95 (ms)",
                    "Errors app / bare",
                ],
                [
                    [
                        str(lv["sessions"]),
                        _f(lv["app"]["per_s"], "{:.1f}"),
                        _f(lv["bare"]["per_s"], "{:.1f}"),
                        _f(lv["ratio"], "{:.2f}"),
                        ", ".join(f"{x:.2f}" for x in lv["ratios"]),
                        f"{_f(lv['app']['p50_ms'])} / {_f(lv['app']['p95_ms'])}",
                        f"{_f(lv['bare']['p50_ms'])} / {_f(lv['bare']['p95_ms'])}",
                        f"{lv['app']['errors']} / {lv['bare']['errors']}",
                    ]
                    for lv in tp["levels"]
                ],
            ),
            "",
        ]
        errs = [e for lv in tp["levels"] for e in lv["app"]["error_samples"]]
        if errs:
            parts += ["Error samples:", "", *[f"- `{e[:200]}`" for e in errs[:5]], ""]
    else:
        parts += [f"Not measured: {(tp or {}).get('failed', 'not run')}", ""]

    s = R.get("sessions")
    parts += ["## 3. Concurrent sessions", ""]
    if s and "levels" in s:
        parts += [
            "`bench/session_client.py` opens real sessions on a live server over its WebSocket "
            "(`/_stcore/stream`), sends the rerun `BackMsg` a browser sends (page URL path, query "
            "string) and reads `ForwardMsg`s until `script_finished`; an exception element, an "
            "error box, a missing page or a timeout counts as an error. Loopback only, bounded in "
            "sessions and time. Each level runs on a fresh server: one warm session visits every "
            "page and stays connected (RSS with 1 session), then N sessions start at once, each "
            "doing 3 reruns through the pages; RSS is read while all N + 1 are connected. "
            "Latency includes queueing: all N sessions ask at the same moment on 2 cores.",
            "",
            _table(
                [
                    "Sessions",
                    "Reruns",
                    "p50 (ms)",
                    "p95 (ms)",
                    "Max (ms)",
                    "Reruns/s",
                    "Errors",
                    "RSS 1 session (MB)",
                    "RSS N+1 (MB)",
                    "MB per extra session",
                ],
                [
                    [
                        str(v["sessions"]),
                        str(v["reruns"]),
                        _f(v["p50_ms"]),
                        _f(v["p95_ms"]),
                        _f(v["max_ms"]),
                        _f(v["throughput_per_s"], "{:.1f}"),
                        str(v["errors"]),
                        _f(v["rss_1_mb"]),
                        _f(v["rss_n_mb"]),
                        _f(v["mb_per_session"], "{:.2f}"),
                    ]
                    for v in s["levels"]
                ],
            ),
            "",
            "One session alone, median round trip per page over the protocol (5 rounds):",
            "",
            _table(["Page", "ms"], [[k, _f(v)] for k, v in s["single_session_ms"].items()]),
            "",
        ]
        errs = [e for v in s["levels"] for e in v["error_samples"]]
        if errs:
            parts += ["Error samples:", "", *[f"- `{e[:200]}`" for e in errs[:5]], ""]
    else:
        parts += [f"Not measured: {(s or {}).get('failed')}", ""]
    k = R.get("soak")
    if k and "verdict" in k:
        parts += [
            "Soak (`python -m bench soak`): the sessions stay connected for two halves of the "
            "time, each pausing 1 s between its reruns; the server's RSS is read after each half "
            "with every session idle. More sessions than the server can serve at that pace, so "
            "each rerun queues (the latencies) and every session is still served:",
            "",
            f"    {k['verdict']}",
            "",
        ]

    c = R.get("scale")
    parts += ["## 4. Data scale", ""]
    if c and "loads" in c:
        parts += [
            "Synthetic files from `bench/synth.py`: valid rows modelled on the shipped data, with "
            "their own ids, dates and values, about a fifth superseding an earlier edition. "
            "`figures.data.load_figures` (read + validate + type) in a fresh subprocess each time; "
            "memory is the peak RSS (VmHWM) above the peak after imports.",
            "",
            _table(
                [
                    "Rows",
                    "File (MB)",
                    "Load + validate (s)",
                    "Peak memory (MB)",
                    "Overview `fig.to_json()` (bytes)",
                ],
                [
                    [
                        f"{x['rows']:,}",
                        _f(x["file_mb"], "{:.1f}"),
                        _f(x["seconds"], "{:.2f}"),
                        _f(x["load_mb"]),
                        _f(x["overview_json_bytes"], "{:,.0f}"),
                    ]
                    for x in c["loads"]
                ],
            ),
            "",
        ]
        p = c.get("payload") or {}
        if p:
            parts += [
                f"What a browser receives from a live server reading the {p['rows']:,}-row file "
                "(one session, each page's first run):",
                "",
                _table(
                    [
                        "Page",
                        "Run (s)",
                        "Page total (bytes)",
                        "Largest message (bytes)",
                        "Charts",
                        "Largest chart spec (bytes)",
                        "Error",
                    ],
                    [
                        [
                            x["page"],
                            _f(x["seconds"], "{:.1f}"),
                            f"{x['page_bytes']:,}",
                            f"{x['largest_message_bytes']:,}",
                            str(x["charts"]),
                            f"{x['largest_chart_bytes']:,}",
                            (x["error"] or "")[:100],
                        ]
                        for x in p["pages"]
                    ],
                ),
                "",
                f"Server RSS after those page runs: {_f(p.get('server_rss_mb'))} MB.",
                "",
            ]
    else:
        parts += [f"Not measured: {(c or {}).get('failed')}", ""]

    s = R.get("setup")
    parts += ["## 0. Set-up: clone to installed", ""]
    if s and "after_median_s" in s:
        parts += [
            f"`git clone` then `make .venv/.installed-test` with empty pip and uv caches, "
            f"alternating the last commit without a lock ({s['before_rev']}, pip) and this tree "
            f"({s['after_rev']}, uv with uv.lock), {len(s['after_s'])} runs each: before "
            + ", ".join(f"{x:.1f}" for x in s["before_s"])
            + " s (median "
            + f"{s['before_median_s']:.1f} s); after "
            + ", ".join(f"{x:.1f}" for x in s["after_s"])
            + f" s (median {s['after_median_s']:.1f} s). Target: at most 25 s.",
            "",
        ]
        for suite, what in (("check", "the fast layer"), ("test", "the full suite, CI=true")):
            if suite in s:
                x = s[suite]
                parts.append(
                    f"- `make {suite}` ({what}) on that clone: {x['seconds']:.0f} s"
                    + ("" if x["ok"] else " — FAILED")
                    + (f" (`{x['last_line'][0][:120]}`)" if x.get("last_line") else "")
                )
        parts.append("")
    else:
        parts += [f"Not measured: {(s or {}).get('failed', 'not run')}", ""]

    parts += _proxy_section(R.get("proxy"))

    e = R.get("export")
    parts += ["## 5. Static export", ""]
    if e and e.get("pending"):
        parts += ["Pending: `python -m figures export OUTDIR` does not exist yet.", ""]
    elif e and "median_s" in e:
        parts += [
            f"`python -m figures export OUTDIR`, whole command as a person runs it "
            f"({len(e['runs_s'])} runs): median {e['median_s']:.1f} s; "
            f"{e['files']} files, {e['bytes'] / 2**20:.1f} MB written.",
            "",
        ]
        if e.get("errors"):
            parts += [f"Errors: `{e['errors'][0][:300]}`", ""]
    else:
        parts += [f"Not measured: {(e or {}).get('failed')}", ""]

    parts += [snapshot_markdown(R.get("snapshot"), run), ""]

    parts += ["## Optimisations", "", OPTIMISATIONS]
    unmet = [m for m in rows if m["met"] is False]
    parts += ["## Remaining gaps", ""]
    if not unmet:
        parts += ["Every target with a number was met in this run.", ""]
    for m in unmet:
        base = m["key"].split("_")[0] if m["key"].startswith("sessions") else m["key"]
        cause = CAUSES.get(m["key"]) or CAUSES.get(base, "")
        parts.append(f"- **{m['label']}**: {m['text']} (target {m['target']}). {cause}")
    c = R.get("scale") or {}
    for x in (c.get("payload") or {}).get("pages", []):
        if x.get("error"):
            parts.append(
                f"- **Page `{x['page']}` on the {c['payload']['rows']:,}-row synthetic file** "
                "raised an exception (the traceback is in the server log kept at "
                "`bench/results/server-errors.log`). The file is valid: `figures.data` accepts "
                "it."
            )
        elif x["seconds"] > 10:
            parts.append(
                f"- **Page `{x['page']}` on the {c['payload']['rows']:,}-row synthetic file** took "
                f"{x['seconds']:.0f} s for one run: its work grows faster than the data."
            )
    parts.append("")
    return "\n".join(parts)


SNAPSHOT_HEADING = "## 6. Static snapshot: speed and size"


def snapshot_markdown(n: dict | None, run: dict) -> str:
    """The snapshot section (``python -m bench snapshot``), with the machine it ran on."""
    parts = [SNAPSHOT_HEADING, ""]
    if not n or "export" not in n:
        parts += [f"Not measured: {(n or {}).get('failed', 'not run')}"]
        return "\n".join(parts)
    m = n.get("machine") or run.get("machine") or {}
    e = n["export"]
    parts += [
        f"Measured by `python -m bench snapshot` on {n.get('date') or run.get('date')}, "
        f"{n.get('minutes', 0):.1f} minutes, on: {m.get('CPU', '?')}, {m.get('Memory', '?')}, "
        f"{m.get('OS', '?')}, Python {m.get('Python', '?')}, {m.get('Browser', '?')}; load "
        f"average {n.get('load_start', '?')} at the start, {n.get('load_end', '?')} at the end "
        "(a shared machine: compare orders of magnitude). The shipped data, exported as the "
        "Pages workflow does it (`python -m figures export OUTDIR --base-url URL`).",
        "",
        f"**Export**, the whole command in a fresh process ({len(e['runs_s'])} runs): "
        + ", ".join(f"{x:.1f}" for x in e["runs_s"])
        + f" s, median {e['median_s']:.1f} s; {len(n['sizes'])} files, "
        f"{n['total_bytes']:,} bytes ({n['total_gzip']:,} gzip -9).",
        "",
    ]
    t = n.get("ttfc")
    if t:
        parts += [
            f"**Time to first chart** of `{t['page']}`, from navigation start to the first "
            "`.js-plotly-plot .main-svg` (recorded in the page, as in section 1), each run in a "
            "fresh browser context (empty cache), opened from disk (`file://`) and from Python's "
            "`http.server` on the loopback, alternating, after one untimed run:",
            "",
            _table(
                ["Run", "From disk (s)", "From a local static server (s)"],
                [
                    [str(i + 1), f"{a:.2f}", f"{b:.2f}"]
                    for i, (a, b) in enumerate(zip(t["disk_s"], t["server_s"], strict=True))
                ]
                + [["median", f"{t['disk_median_s']:.2f}", f"{t['server_median_s']:.2f}"]],
            ),
            "",
        ]
    else:
        parts += [f"Time to first chart not measured: {n.get('skipped')}", ""]
    if n.get("transfer"):
        parts += [
            f"**Bytes transferred** opening `{n['first']}` and then `{n['second']}` in one "
            "browser context (HTTP cache on), from the pages' Resource Timing (`transferSize`: "
            "headers and body as received; 0 from the browser's cache). `http.server` does not "
            "compress; the gzip column is what the same files weigh from a host that gzips "
            "(GitHub Pages and CDNs do).",
            "",
            _table(
                [
                    "Server",
                    "Page",
                    "Requests",
                    "Transferred (bytes)",
                    "Gzip if compressed",
                    "Time to first chart (s)",
                    "How the files came",
                ],
                [
                    [
                        x["server"],
                        f"{which}: `{x[which]['page']}`",
                        str(x[which]["requests"]),
                        f"{x[which]['transfer_bytes']:,}",
                        f"{x[which]['gzip_bytes']:,}",
                        f"{x[which]['ttfc_s']:.2f}",
                        "; ".join(f"{f['file']} {f['how']}" for f in x[which]["files"]).replace(
                            "|", "/"
                        ),
                    ]
                    for x in n["transfer"]
                    for which in ("first", "second")
                ],
            ),
            "",
        ]
    parts += [
        "**Sizes** of the snapshot's files (what a host stores; the gzip -9 size is what it "
        "sends when it compresses):",
        "",
        _table(
            ["File", "Bytes", "Gzip -9"],
            [[f"`{r['file']}`", f"{r['bytes']:,}", f"{r['gzip']:,}"] for r in n["sizes"]]
            + [["total", f"{n['total_bytes']:,}", f"{n['total_gzip']:,}"]],
        ),
    ]
    return "\n".join(parts)


def with_section(doc: str, section: str) -> str:
    """``doc`` with its snapshot section replaced by ``section`` (added before "Optimisations"
    when it has none)."""
    body = section.rstrip("\n") + "\n\n"
    if SNAPSHOT_HEADING in doc:
        start = doc.index(SNAPSHOT_HEADING)
        nxt = doc.find("\n## ", start + len(SNAPSHOT_HEADING))
        return doc[:start] + body + (doc[nxt + 1 :] if nxt >= 0 else "")
    at = doc.find("\n## Optimisations")
    if at < 0:
        return doc.rstrip("\n") + "\n\n" + body
    return doc[: at + 1] + body + doc[at + 1 :]
