"""Serve the dashboard: warm the process, then hand it to Streamlit.

    python -m figures.ui.serve [any option of `streamlit run`, e.g. --server.port 8501]

A cold ``streamlit run app.py`` does its one-time work while the first visitor waits: importing
pandas, the pages and their templates, reading and validating the data, building the first views
and loading Plotly's validators. On the reference machine that was 3.1 s of a 3.4 s first run
(a warm server answers in 0.35 s), and made the first visitor's time to first chart 2.4 times a
bare Streamlit app's. Here the same work is done before Streamlit's server starts listening, in
the same process and into the app's own caches, so the health check (``/_stcore/health``) answers
only once the server can serve a visitor at warm speed: nginx, Docker's HEALTHCHECK and the tests
wait for it. Measured over the protocol: the first visitor's run 3.4 s before, 0.5 s after.

``FIGURES_WARM=imports`` stops after the imports and the data. Warming never stops the server: a
problem (bad data, say) is logged and the app shows its own error page to the visitor as before.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"
#: ``FIGURES_WARM=imports``: warm the imports and the data only, so every page's first run
#: computes its view (as the data-scale benchmark measures it).
WARM_ENV = "FIGURES_WARM"
log = logging.getLogger("figures.ui.serve")


def warm(build: bool = True) -> dict[str, float]:
    """Import what the pages use, load the data and (``build``) compute each page's parameters
    and default view into the app's own caches (``common.cached``: what the first visitor of
    each page would compute), and draw their charts' specs once (Plotly's validators); seconds
    per step (the pages' keys are their names). Raises nothing."""
    steps: dict[str, float] = {}
    t = time.perf_counter()
    try:
        import pandas  # noqa: F401  (the largest import: about 1.4 s cold)
        import plotly.io

        from figures import charts, cite, pages
        from figures.ui import common, render, share  # noqa: F401  (and their templates)

        steps["imports"] = time.perf_counter() - t
        t = time.perf_counter()
        df = common.load_figures()  # the app's cache: the same frame its sessions read
        steps["load"] = time.perf_counter() - t
    except Exception:  # the app shows the problem to the visitor; the log keeps the details
        log.exception("warm-up: could not load the figures")
        return steps
    if not build:
        return steps
    date = render._data_date(df)
    for name in pages.NAMES:
        t = time.perf_counter()
        try:
            params = common.cached(pages.params_of, df, name)
            state = pages.state_items(pages.default_state(params))
            view = common.cached(pages.build_view, df, name, state, pages.cache_key(name))
            for c in view.all_charts:
                fig = charts.with_footer(c.figure, "/", date, cite.LICENCE)
                plotly.io.to_json(common._chart_spec(fig), validate=False)  # as st.plotly_chart
        except Exception:
            log.exception("warm-up: page %s", name)
        steps[name] = time.perf_counter() - t
    return steps


#: glibc's mallopt() parameter for the number of malloc arenas.
_M_ARENA_MAX = -8
#: Arenas for the whole process (glibc's default: 8 per core, one taken by each new thread).
ARENAS = 2


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas; whether it was applied (glibc only, and not when the operator
    set ``MALLOC_ARENA_MAX``).

    glibc gives threads that allocate at once their own arenas, and memory freed in one arena
    is not reused by another; Streamlit runs every session's script in a thread of its own. Over
    a minute of 100 sessions the server's RSS grew by 13 to 44 MB, with no object left behind
    (a leak would keep growing; this stops at the number of arenas); with two arenas it stayed
    flat (-6 MB), at the same throughput. Done before any thread starts."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc: nothing to cap
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(_M_ARENA_MAX, arenas))


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    capped = limit_malloc_arenas()
    t = time.perf_counter()
    # Cached functions called before Streamlit's runtime exists use its in-memory cache (as the
    # runtime does): nothing to warn about.
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    steps = warm(build=os.environ.get(WARM_ENV, "all") != "imports")
    log.info(
        "warmed in %.2f s (%s)%s; starting Streamlit",
        time.perf_counter() - t,
        ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()),
        f"; malloc arenas capped at {ARENAS}" if capped else "",
    )
    from streamlit.web import cli

    cli.main(["run", str(APP), *args], prog_name="streamlit")


if __name__ == "__main__":
    main()
