"""Shared Streamlit helpers: the cached loader, the error page, chart + sources blocks."""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from figures import charts, data, text, views
from figures import schema as S
from figures.ui import html

# Streamlit runs a full garbage collection after every script run (runner.postScriptGC). With
# pandas, pyarrow and plotly loaded that scans ~140,000 long-lived objects, 50-60 ms of CPU
# holding the GIL on every rerun of every session (docs/benchmarks.md). Freeze what exists once
# these modules are imported, so each collection looks only at what runs allocate since.
gc.freeze()


@st.cache_data(show_spinner="Loading figures…", max_entries=8)
def _load(path: str, mtime_ns: int, size: int, digest: str = "") -> pd.DataFrame:
    # The arguments are the cache key: an edited, corrupted or restored file is re-read, even
    # when the edit keeps its size and mtime (``digest``, see ``_digest``).
    return data.load_figures(path)


#: Files up to this size are keyed on a hash of their content (a few ms at most); larger ones on
#: their status change time and inode, which every write updates even when mtime is restored.
HASH_LIMIT = 32 * 1024 * 1024


#: Digests already computed, by file and by everything ``os.stat`` says about it.
_DIGESTS: dict[tuple, str] = {}


def _digest(path: Path, stat) -> str:
    """A key that changes whenever the file's content does, even at the same size and mtime.

    Every rerun asks (twice: app.py and the page); the file is read and hashed again only when
    its status changes. Any write changes the status change time (``st_ctime_ns``), which no
    program can set back, so an unchanged status means unchanged content."""
    seen = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    known = _DIGESTS.get(seen)
    if known is not None:
        return known
    if stat.st_size <= HASH_LIMIT:
        try:
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        except OSError:
            return "unreadable"
    else:
        digest = f"{stat.st_ctime_ns}:{stat.st_ino}"
    if len(_DIGESTS) > 64:  # old versions of the files: forget them
        _DIGESTS.clear()
    _DIGESTS[seen] = digest
    return digest


def _data_key() -> tuple[str, int, int, str]:
    """The figures file and, beside it, its sources file: any change to either is a new key."""
    path = data.default_path()
    keys = []
    for p in data.data_files(path):
        try:
            st_ = p.stat()
            keys.append((st_.st_mtime_ns, st_.st_size, _digest(p, st_)))
        except OSError:
            keys.append((0, -1, ""))
    return (str(path), keys[0][0], keys[0][1], "|".join(k[2] for k in keys) + f"#{len(keys)}")


@st.cache_resource(max_entries=2, show_spinner=False)
def _shared(path: str, mtime_ns: int, size: int, digest: str = "") -> pd.DataFrame:
    # ``_load`` (st.cache_data) hands out a fresh unpickled copy on every call: ~2 ms for the
    # shipped file twice per rerun, and a second or more per rerun at 100,000 rows. One frame per
    # file version is shared instead, read-only like every result of ``cached``.
    df = _load(path, mtime_ns, size, digest)
    df.attrs["version"] = (path, mtime_ns, size, digest)  # read by ``cached``
    return df


def load_figures() -> pd.DataFrame:
    """The validated figures; raises data.FiguresError (shown by ``show_data_error``).

    The frame is shared by every session (one per version of the data files): read it, never
    change it in place (derive a new frame instead, as every function of ``figures`` does)."""
    return _shared(*_data_key())


@st.cache_resource(max_entries=32, show_spinner=False)
def _cached_call(module: str, name: str, version: tuple, args: tuple, _df: pd.DataFrame):
    import importlib

    return getattr(importlib.import_module(module), name)(_df, *args)


def cached(fn, df: pd.DataFrame, *args):
    """``fn(df, *args)`` computed once per version of the data file and arguments.

    For the pure selection and chart functions of ``figures`` that pages call on every rerun:
    the data frame is the one ``load_figures`` returned for the current file version, so the
    file's key stands in for hashing the frame. Arguments must be hashable values. The result is
    shared by every session, not copied (no pickling on each rerun, no memory churn): callers must
    treat it as read-only, as the pure builders of ``figures`` do.
    """
    version = df.attrs.get("version") or _data_key()
    return _cached_call(fn.__module__, fn.__qualname__, version, args, df)


# --- work done once per object of a cached View ------------------------------------------------

#: ``views.memo``: what the renderer derives from a cached View's shared, read-only frames and
#: figures is derived once and forgotten when the View leaves the cache of ``cached``.
memo = views.memo


def display_rows(rows: pd.DataFrame, columns) -> pd.DataFrame:
    """``pages.display_rows`` once per frame and columns (see ``memo``); read-only."""
    from figures import pages

    columns = tuple(columns)
    return memo("display_rows", rows, lambda: pages.display_rows(rows, list(columns)), columns)


class _Spec(go.Figure):
    """A figure that hands Streamlit its dict as computed once, instead of a deep copy per call.

    ``st.plotly_chart`` turns a figure into JSON with ``fig.to_dict()`` (a deep copy of every
    trace and the layout) on every rerun; the figures drawn here come from cached Views and never
    change, so their dict is made once (``_chart_spec``) and only encoded on each rerun.
    """

    _frozen: dict

    def to_dict(self) -> dict:
        return self._frozen


def _chart_spec(fig: go.Figure) -> go.Figure:
    safe = charts.inert_figure(fig)  # no tag from the data survives, even if a builder forgot
    frozen = safe.to_dict()
    for trace in frozen.get("data", []):
        trace.pop("uid", None)  # Plotly's JSON writer would pop it from the shared dict
    # Not built through Plotly's validators: ``st.plotly_chart`` only calls ``to_dict()``, and
    # validating a figure again while other sessions build theirs in other threads raised
    # "Invalid property ... 'pattern'" under 100 concurrent sessions (Plotly's validators are
    # not thread-safe).
    spec = _Spec.__new__(_Spec)
    spec._frozen = frozen
    return spec


def show_data_error(err: data.FiguresError) -> None:
    """A readable error page instead of a traceback."""
    st.error("The figures could not be loaded, so no chart is shown.", icon="⚠️")
    what = "The data file breaks the published CSV contract."
    if isinstance(err, data.FiguresFileError):
        what = "The data file is missing, too large, or not a UTF-8 text file."
    st.markdown(
        f"{what} Each line below names the file, the "
        "line, the column, what is wrong and what was found. Fix the file (or point "
        f"`{data.ENV_VAR}` at a valid one) and reload the page."
    )
    st.code("\n".join(str(p) for p in err.problems[:200]), language=None, wrap_lines=True)
    if len(err.problems) > 200:
        st.caption(f"… and {len(err.problems) - 200} more problems.")


def param_notice(params: dict[str, str], valid: dict[str, object]) -> None:
    """Tell the reader, briefly, that unknown or malformed URL parameters were ignored."""
    bad = views.bad_params(params, valid)
    if bad:
        names = ", ".join(text.md_escape(b) for b in bad)
        st.info(f"Some link settings were not understood, so defaults are shown: {names}.")


def chart(fig: go.Figure, alt: str, key: str, filename: str) -> None:
    """Draw a Plotly figure with alt text; the toolbar's PNG keeps title and source line."""
    fig = memo("chart", fig, lambda: _chart_spec(fig))
    st.plotly_chart(
        fig,
        key=key,
        alt=alt,
        theme=None,
        config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        },
    )


def table(rows: pd.DataFrame, columns: list[str]) -> None:
    """The rows behind a chart as an accessible table, sources as links, and beside the
    publisher how strong each citation is ("as reported by Reuters", "copy of …")."""
    # Enum values as their labels (never a slug on screen), the kind of source in words.
    shown = display_rows(rows, columns)
    columns = list(shown.columns)
    config = {c: st.column_config.Column(S.label(c)) for c in columns}
    if S.SOURCE_URL in columns:
        config[S.SOURCE_URL] = st.column_config.LinkColumn(S.label(S.SOURCE_URL))
    config[S.SOURCE_KIND] = st.column_config.TextColumn(S.label(S.SOURCE_KIND))
    for c in columns:
        if S.BY_NAME.get(c) and S.BY_NAME[c].kind == "date":
            config[c] = st.column_config.DateColumn(S.label(c), format="YYYY-MM-DD")
        if S.BY_NAME.get(c) and S.BY_NAME[c].kind == "int":
            config[c] = st.column_config.NumberColumn(S.label(c), format="localized")
    st.dataframe(shown, hide_index=True, column_config=config, width="stretch", placeholder="")


#: At most this many figures' sources are listed under a chart: a file of 100,000 figures can
#: put thousands in one chart (listing 4,600 took a second and half a megabyte); every figure's
#: source stays in the chart's table and CSV and on the Data & sources page.
SOURCES_LIST_MAX = 500


def sources(rows: pd.DataFrame, heading: str = "Sources and caveats") -> None:
    st.markdown(f"**{heading}**")
    listed = rows.iloc[:SOURCES_LIST_MAX]
    st.markdown(memo("sources", rows, lambda: text.sources_markdown(listed)))
    if len(rows) > len(listed):
        st.caption(
            f"The sources of the first {len(listed):,} of {len(rows):,} figures. Every figure's "
            "source is in the chart's CSV and on the Data & sources page."
        )
    record_sources(rows)


#: Session-state key of the publishers the current page shows (read by the share box).
SHOWN_SOURCES_KEY = "share_shown_sources"


def record_sources(rows: pd.DataFrame) -> None:
    """Remember the publishers this page shows, for the sidebar's "Share this view" citation.

    ``sources()`` calls it; a page that lists its sources another way may call it directly.
    """
    shown = st.session_state.setdefault(SHOWN_SOURCES_KEY, [])
    publishers = memo(
        "publishers", rows, lambda: tuple(dict.fromkeys(str(p) for p in rows[S.PUBLISHER].dropna()))
    )
    for publisher in publishers:
        if publisher not in shown:
            shown.append(publisher)


def style() -> None:
    """The app's few style rules (a visible focus ring on every control): figures/ui/templates."""
    st.html(Path(__file__).with_name("templates") / "app.css")


def _plotly_chunk() -> str | None:
    """The file name of Streamlit's Plotly chart component in its front-end (None if this
    Streamlit has none by that name: the preload is then skipped)."""
    found = sorted((Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
    return f"./{found[0].name}" if len(found) == 1 else None


_PLOTLY_CHUNK = _plotly_chunk()


def preload_charts() -> None:
    """On a page with charts, before anything else: load the chart component now (see
    templates/preload_charts.html.j2)."""
    if _PLOTLY_CHUNK is None:
        return
    template = html.TEMPLATES.get_template("preload_charts.html.j2")
    st.html(template.render(chunk=_PLOTLY_CHUNK), unsafe_allow_javascript=True)


def embedded() -> bool:
    """``?embed=true``: the page is shown inside another site's iframe (charts only)."""
    return bool(st.context.is_embedded) or st.query_params.get("embed", "").lower() == "true"


def query_snapshot() -> dict[str, str]:
    """The URL parameters as the reader sent them, for ``param_notice``.

    Call it before creating any widget: a widget bound to the URL silently drops a value it
    cannot use, so reading ``st.query_params`` afterwards would hide the malformed value from
    the notice. Repeated parameters (a range slider writes ``?years=2005&years=2015``) are
    joined with commas: ``{"years": "2005,2015"}``.
    """
    return {k: ",".join(st.query_params.get_all(k)) for k in st.query_params}


def url_selectbox(label: str, options: list[str], key: str, format_func=str, **kw) -> str:
    """A selectbox whose value lives in the URL as the option itself (an id), not its label.

    ``bind="query-params"`` writes the formatted label into the address; for options that are
    ids with long, data-dependent labels (which change when a figure is revised) the id makes a
    stable, short link. The first option is the default and is left out of the URL.
    """
    default = options[0]
    if key not in st.session_state or st.session_state[key] not in options:
        wanted = st.query_params.get(key)
        st.session_state[key] = wanted if wanted in options else default
    value = st.selectbox(label, options, key=key, format_func=format_func, **kw)
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = value
    return value


def url_range_slider(
    label: str, bounds: tuple[int, int], default: tuple[int, int], key: str, correct, **kw
) -> tuple[int, int]:
    """A range slider whose value lives in the URL as ``?key=FROM&key=TO`` (left out at the
    default). ``correct(raw)`` turns the URL's 'FROM,TO' into the range to show (reversed years
    swapped, years outside ``bounds`` moved to its ends); Streamlit's own binding would take a
    reversed range as it is."""
    if key not in st.session_state:
        raw = ",".join(st.query_params.get_all(key))
        st.session_state[key] = correct(raw) if raw else default
    value = st.slider(label, min_value=bounds[0], max_value=bounds[1], key=key, **kw)
    value = (int(value[0]), int(value[1]))
    if value == tuple(default):
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != [str(value[0]), str(value[1])]:
        st.query_params[key] = [str(value[0]), str(value[1])]
    return value


def url_multiselect(label: str, options: list[str], key: str, format_func=str, **kw) -> list[str]:
    """A multiselect whose values live in the URL as the options themselves (ids, repeated:
    ``?key=a&key=b``), while the reader sees their labels (``format_func``); Streamlit's own
    binding would write the labels. Values in the URL that are not options are dropped (the
    page's notice names the parameter)."""
    if key not in st.session_state:
        wanted = [v for v in st.query_params.get_all(key) if v in options]
        st.session_state[key] = list(dict.fromkeys(wanted))
    else:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    value = st.multiselect(label, options, key=key, format_func=format_func, **kw)
    if not value:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != list(value):
        st.query_params[key] = list(value)
    return value
