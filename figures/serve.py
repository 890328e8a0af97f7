"""Serve the dashboard: warm the process, then hand it to Streamlit.

    python -m figures.serve [any option of `streamlit run`, e.g. --server.port 8501]

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

import logging
import os
import sys
import time
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
#: ``FIGURES_WARM=imports``: warm the imports and the data only, so every page's first run
#: computes its view (as the data-scale benchmark measures it).
WARM_ENV = "FIGURES_WARM"
log = logging.getLogger("figures.serve")


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


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    t = time.perf_counter()
    # Cached functions called before Streamlit's runtime exists use its in-memory cache (as the
    # runtime does): nothing to warn about.
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    steps = warm(build=os.environ.get(WARM_ENV, "all") != "imports")
    log.info(
        "warmed in %.2f s (%s); starting Streamlit",
        time.perf_counter() - t,
        ", ".join(f"{k} {v:.2f} s" for k, v in steps.items()),
    )
    from streamlit.web import cli

    cli.main(["run", str(APP), *args], prog_name="streamlit")


if __name__ == "__main__":
    main()
