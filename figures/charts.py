"""Pure chart builders: DataFrame + explicit options -> plotly ``go.Figure`` (and alt text).

Nothing here draws on screen; the UI passes the returned figure to ``st.plotly_chart``.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go

from figures import schema as S

#: Okabe-Ito colour-blind-safe palette, in its order, with the three colours too light for a mark
#: on white darkened to at least 3:1 contrast (WCAG 2.1, non-text contrast; tests/test_colours.py):
#: orange #E69F00 -> #C28600, sky blue #56B4E9 -> #1D99E0, yellow #F0E442 -> #9E940D. The same
#: list is the theme's chartCategoricalColors in .streamlit/config.toml.
PALETTE = ("#0072B2", "#C28600", "#009E73", "#CC79A7", "#1D99E0", "#D55E00", "#9E940D", "#000000")
FONT = "Source Sans Pro, Arial, sans-serif"

#: Characters per line that fit the narrowest chart (a 390 px phone leaves a ~358 px chart): the
#: builders do not know the reader's width, so every line of text is wrapped to fit a phone and
#: the same figure then also fits a desktop. Title lines are 16 px, other text 11-12 px.
TITLE_CHARS = 38
TEXT_CHARS = 52
TITLE_LINE_PX = 21
TEXT_LINE_PX = 15


def fmt_int(n) -> str:
    return f"{int(n):,}"


def format_figure(row) -> str:
    """A figure as a person reads it: 'more than 32,000', '66,000–69,000', '2,461 (2,400–2,500)'."""
    value, low, high = row[S.VALUE], row[S.LOW], row[S.HIGH]
    words = S.QUALIFIER_LABELS.get(row[S.QUALIFIER], "")
    if pd.isna(value):
        text = f"{fmt_int(low)}–{fmt_int(high)}"
    else:
        text = fmt_int(value)
        if pd.notna(low) and pd.notna(high):
            text += f" (range {fmt_int(low)}–{fmt_int(high)})"
    return f"{words} {text}".strip()


def fmt_date(ts) -> str:
    return "" if pd.isna(ts) else pd.Timestamp(ts).strftime("%-d %b %Y")


def period_text(row) -> str:
    return f"{fmt_date(row[S.PERIOD_START])} – {fmt_date(row[S.PERIOD_END])}"


def source_kind_text(row) -> str:
    """How strong the citation is, as a reader reads it: "publisher's document",
    "copy of the publisher's document (ReliefWeb)", "as reported by Reuters",
    "reference compilation (fr.wikinews.org)". Files without the column fall back to the status."""
    kind = row.get(S.SOURCE_KIND) if hasattr(row, "get") else None
    if not isinstance(kind, str) or not kind:
        return S.value_label(S.STATUS, row[S.STATUS])
    by = row.get(S.REPORTED_BY)
    by = by.strip() if isinstance(by, str) else ""
    if kind == "news_report":
        return f"as reported by {by}" if by else "news report"
    if kind == "faithful_copy":
        return (
            f"copy of the publisher's document ({by})" if by else "copy of the publisher's document"
        )
    if kind == "reference_compilation":
        host = by or urlsplit(str(row[S.SOURCE_URL])).netloc.removeprefix("www.")
        return f"reference compilation ({host})" if host else "reference compilation"
    return S.value_label(S.SOURCE_KIND, kind)


def source_line(rows: pd.DataFrame, limit: int = 4, width: int = TEXT_CHARS) -> str:
    """'Sources: A (2019); B (2021)' for the bottom of a chart image, wrapped to ``width``."""
    pairs = dict.fromkeys(zip(rows[S.PUBLISHER].tolist(), rows[S.PUBLISHED].tolist(), strict=True))
    seen = list(dict.fromkeys(f"{p} ({pd.Timestamp(d).year})" for p, d in pairs))
    more = len(seen) - limit
    items = seen[:limit] + ([f"and {more} more"] if more > 0 else [])
    return wrap(_escape("Sources: " + "; ".join(items)), width)


def _whiskers(plus, minus, color: str, thickness: float = 1.5, width: int = 6) -> dict:
    """Plotly error-bar settings drawing each source's own range (asymmetric, in data units)."""
    return {
        "type": "data",
        "symmetric": False,
        "array": plus,
        "arrayminus": minus,
        "color": color,
        "thickness": thickness,
        "width": width,
    }


def wrap(text: str, width: int = TEXT_CHARS) -> str:
    """Plotly text wrapped to ``width`` characters a line with ``<br>`` (existing breaks kept).

    Tags (``<b>``, ``<sup>``) and entities count as characters; a tag still open at a break is
    closed before it and reopened after it, so only the text inside it keeps its style."""
    import textwrap

    out = []
    for part in str(text).split("<br>"):
        lines = textwrap.wrap(part, width, break_long_words=False, break_on_hyphens=False) or [""]
        still_open = None
        for line in lines:
            if still_open:
                line = f"<{still_open}>{line}"
            opened = re.findall(r"<(b|i|sup|sub)>", line)
            closed = re.findall(r"</(?:b|i|sup|sub)>", line)
            still_open = opened[-1] if len(opened) > len(closed) else None
            out.append(line + (f"</{still_open}>" if still_open else ""))
    return "<br>".join(out)


def _lines(text: str) -> int:
    return str(text).count("<br>") + 1


#: The ``name`` of the annotation holding a chart's source line (``with_footer`` extends it).
SOURCES_NAME = "sources"


def _base_layout(fig: go.Figure, title: str, source: str, height: int) -> go.Figure:
    fig.update_layout(
        title={
            "text": wrap(title, TITLE_CHARS),
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "font": {"size": 16},
        },
        font={"family": FONT, "size": 13, "color": "#1A1A1A"},
        height=height,
        margin={"l": 10, "r": 20, "t": 60, "b": 80},
        plot_bgcolor="white",
        paper_bgcolor="white",
        colorway=list(PALETTE),
        hoverlabel={"align": "left"},
        annotations=[
            {
                "name": SOURCES_NAME,
                "text": wrap(source, TEXT_CHARS),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.02,
                "yshift": -50,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 11, "color": "#555"},
                "align": "left",
            }
        ],
    )
    return fig


def _hover(row) -> str:
    geo = S.value_label(S.GEOGRAPHY, row[S.GEOGRAPHY])
    method = S.value_label(S.METHOD, row[S.METHOD])
    parts = [
        f"<b>{S.value_label(S.CATEGORY, row[S.CATEGORY])}</b>: {format_figure(row)} "
        f"{S.value_label(S.MEASURE, row[S.MEASURE])}",
        f"Source: {row[S.PUBLISHER]}",
        f"Citation: {source_kind_text(row)}",
        f"Period: {period_text(row)}",
        f"As of: {fmt_date(row[S.PUBLISHED])}",
        f"Where: {geo}; {method}",
    ]
    return "<br>".join(_escape(p) for p in parts)


def _escape(text: str) -> str:
    """Plotly renders a small HTML subset in hover text; data must not inject tags."""
    # Only our own <b>/<br> markup survives; anything from the data is escaped.
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("&lt;b&gt;", "<b>")
        .replace("&lt;/b&gt;", "</b>")
    )


ROW_LABEL_FONT = {"size": 12, "color": "#1A1A1A"}
AXIS_CHARS = 44


def _row_labels(fig: go.Figure, ys: list, texts: list[str], shift_px: float) -> None:
    """Each row's label above its mark, from the plot's left edge (not as a tick label beside
    it, which would take the plot's width on a phone). Texts are wrapped to fit a phone."""
    for y, text in zip(ys, texts, strict=True):
        fig.add_annotation(
            text=wrap(text, TEXT_CHARS),
            xref="paper",
            x=0,
            xanchor="left",
            y=y,
            yanchor="bottom",
            yshift=shift_px,
            showarrow=False,
            align="left",
            font=ROW_LABEL_FONT,
        )


def _axis_px(title: str, ticks_px: int = 30) -> int:
    """Room below the plot for the axis' tick labels and its (wrapped) title."""
    return ticks_px + 19 * _lines(title) + 12


def month_span(row) -> str:
    """'Oct 2001–Aug 2021': the period a figure covers, as a mark's label shows it."""
    return _month_span(row)


def overview_bar(rows: pd.DataFrame, log: bool = False) -> go.Figure:
    """Horizontal bars, one per category, with each source's range drawn as a whisker.

    A figure given only as a range (no single number) is drawn as a hatched bar to the range's
    low end with a whisker to its high end, labelled with the range: never an invented midpoint.
    Each bar's label, above it, names the category, the figure, the source and the period it
    covers, so bars of different periods are never read as alike.
    """
    rows = rows.reset_index(drop=True)
    labels = [S.value_label(S.CATEGORY, c) for c in rows[S.CATEGORY]]
    fig = go.Figure()
    point = rows[S.VALUE].notna()
    length = rows[S.VALUE].where(point, rows[S.LOW])
    for is_point in (True, False):
        sub = rows[point] if is_point else rows[~point]
        if sub.empty:
            continue
        fig.add_trace(
            go.Bar(
                name="Stated figure" if is_point else "Range only: bar to the low end",
                x=[int(length[i]) for i in sub.index],
                y=[labels[i] for i in sub.index],
                orientation="h",
                marker={
                    "color": [PALETTE[i % len(PALETTE)] for i in sub.index],
                    "pattern": {"shape": "" if is_point else "/"},
                },
                # The number is in the label above the bar; kept here for the data, not drawn.
                text=[
                    "" if pd.notna(r[S.LOW]) and pd.notna(r[S.HIGH]) else format_figure(r)
                    for _, r in sub.iterrows()
                ],
                textposition="none",
                hovertext=[_hover(r) for _, r in sub.iterrows()],
                hoverinfo="text",
                customdata=list(sub[S.FIGURE_ID]),
                width=0.45,
            )
        )
    ranged = rows[rows[S.LOW].notna() & rows[S.HIGH].notna()]
    if not ranged.empty:
        fig.add_trace(
            go.Scatter(
                name="Source's range (low–high)",
                x=[int(r[S.HIGH]) for _, r in ranged.iterrows()],
                y=[labels[i] for i in ranged.index],
                mode="markers",
                text=[format_figure(r) for _, r in ranged.iterrows()],
                cliponaxis=False,
                marker={"color": "#333", "size": 1, "opacity": 0},
                error_x=_whiskers(
                    [0] * len(ranged),
                    [int(r[S.HIGH] - r[S.LOW]) for _, r in ranged.iterrows()],
                    "#333",
                    thickness=2,
                    width=8,
                ),
                hovertext=[_hover(r) for _, r in ranged.iterrows()],
                hoverinfo="text",
                customdata=list(ranged[S.FIGURE_ID]),
            )
        )
    texts = [
        f"<b>{_escape(lab)}: {_escape(format_figure(r))}</b><br>"
        + _escape(f"{_short_publisher(r[S.PUBLISHER])}, {month_span(r)}")
        for lab, (_, r) in zip(labels, rows.iterrows(), strict=True)
    ]
    # Each label sits in the gap above its bar (bars take 0.45 of a row): rows grow with the
    # longest label, and the top row gets room for its own label below the legend.
    lines = [_lines(wrap(t, TEXT_CHARS)) for t in texts] or [1]
    row_px = max(92, math.ceil((max(lines) * TEXT_LINE_PX + 6) / 0.55))
    shift_px = row_px * 0.45 / 2 + 2
    top_rows = max(0.7, (shift_px + lines[0] * TEXT_LINE_PX + 4) / row_px)
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=labels[::-1],
        title=None,
        showticklabels=False,
        range=[-0.5, len(labels) - 1 + top_rows],
    )
    top = max(int(v) for v in rows[S.HIGH].fillna(0).tolist() + length.tolist()) if len(rows) else 1
    axis_title = wrap(
        "People killed, as each source states it, each over its own period ("
        + ("log" if log else "linear")
        + " scale)",
        AXIS_CHARS,
    )
    xaxis = {
        "type": "log" if log else "linear",
        "title": axis_title,
        "gridcolor": "#E5E5E5",
        "tickformat": ",",
        "automargin": True,
    }
    if not log:
        xaxis["range"] = [0, top * 1.04]
    fig.update_xaxes(**xaxis)
    fig.update_layout(bargap=0.5)
    _row_labels(fig, labels, texts, shift_px=shift_px)
    row_notes = [a.to_plotly_json() for a in fig.layout.annotations]
    fig.layout.annotations = ()
    fig = _frame(
        fig,
        "People killed in the war in Afghanistan, by group",
        source_line(rows),
        plot_px=math.ceil(row_px * (max(len(rows), 1) - 0.5 + top_rows)),
        axis_bottom_px=_axis_px(axis_title),
        subtitle="Each bar is one source's total over the period on its label. "
        "Sources and periods differ: never add the bars up.",
    )
    fig.layout.annotations = list(fig.layout.annotations) + row_notes
    return fig


def overview_alt(rows: pd.DataFrame, log: bool = False) -> str:
    """Alt text stating the chart's main numbers."""
    parts = [
        f"{S.value_label(S.CATEGORY, r[S.CATEGORY])}: {format_figure(r)} "
        f"({r[S.PUBLISHER]}, {period_text(r)})"
        for _, r in rows.iterrows()
    ]
    scale = "logarithmic" if log else "linear"
    return (
        f"Horizontal bar chart on a {scale} scale of people killed by category, each bar from "
        "a different source and not to be added up. " + "; ".join(parts) + "."
    )


# --- How estimates changed (issue #4, page 4) -------------------------------------------------

#: Line dash and marker of the n-th series, so series differ by more than colour.
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")


def short_edition(row) -> str:
    """'Sept 2013' from 'Sept 2013'; 'Jun 2011' from 'Jun 2011 (Lutz paper, 6 Jun 2011)'."""
    edition = row[S.EDITION]
    if pd.isna(edition) or not str(edition).strip():
        return fmt_date(row[S.PUBLISHED])
    return str(edition).split(" (")[0].strip()


def series_name(chain: pd.DataFrame) -> str:
    """'Afghanistan, killed': the geography and measure a chain of editions covers."""
    last = chain.iloc[-1]
    return (
        f"{S.value_label(S.GEOGRAPHY, last[S.GEOGRAPHY])}, "
        f"{S.value_label(S.MEASURE, last[S.MEASURE])}"
    )


def _edition_hover(row, name: str) -> str:
    parts = [
        f"<b>{S.value_label(S.CATEGORY, row[S.CATEGORY])}</b> ({name}): {format_figure(row)}",
        f"Edition: {row[S.EDITION] if pd.notna(row[S.EDITION]) else '—'}",
        f"Source: {row[S.PUBLISHER]}",
        f"Citation: {source_kind_text(row)}",
        f"Covers: {period_text(row)}",
        f"Published: {fmt_date(row[S.PUBLISHED])}",
        f"Status: {S.value_label(S.STATUS, row[S.STATUS])}",
    ]
    return "<br>".join(_escape(p) for p in parts)


def source_span(rows: pd.DataFrame) -> str:
    """'Source: Costs of War (…) (2012–2021)': each publisher once, with its years."""
    parts = []
    for publisher, group in rows.groupby(S.PUBLISHER, sort=False):
        years = sorted({pd.Timestamp(p).year for p in group[S.PUBLISHED]})
        span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        parts.append(f"{publisher} ({span})")
    return ("Source: " if len(parts) == 1 else "Sources: ") + "; ".join(parts)


def edition_chart(chains: list[pd.DataFrame], category: str) -> go.Figure:
    """Each chain of editions in its own panel, value against the end of the period covered.

    One panel per series (a series is one scope: where the deaths took place, what was
    counted), sharing the time axis, so series of different scope never share a value axis.
    Points sit at each edition's period end (the date its estimate runs to), not its
    publication date. A stated range around a value is an error bar; a range with no single
    figure is a vertical bar from low to high, never a made-up midpoint, and the line is not
    drawn through it. Every point is labelled with its number and edition.
    """
    from plotly.subplots import make_subplots

    chains = [c.reset_index(drop=True) for c in chains]
    n = max(len(chains), 1)
    names = [series_name(c) for c in chains]
    fig = make_subplots(
        rows=n,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12 / n if n > 1 else 0.0,
        subplot_titles=names if n > 1 else None,
    )
    for i, chain in enumerate(chains):
        row_no = i + 1
        name = names[i]
        colour = PALETTE[i % len(PALETTE)]
        point = chain[S.VALUE].notna()
        pts = chain[point]
        if not pts.empty:
            has_range = pts[S.LOW].notna() & pts[S.HIGH].notna()
            plus = [
                int(r[S.HIGH] - r[S.VALUE]) if ok else 0
                for ok, (_, r) in zip(has_range, pts.iterrows(), strict=True)
            ]
            minus = [
                int(r[S.VALUE] - r[S.LOW]) if ok else 0
                for ok, (_, r) in zip(has_range, pts.iterrows(), strict=True)
            ]
            fig.add_trace(
                go.Scatter(
                    name=name,
                    x=list(pts[S.PERIOD_END]),
                    y=[int(v) for v in pts[S.VALUE]],
                    mode="lines+markers+text",
                    line={"color": colour, "dash": DASHES[i % len(DASHES)], "width": 2},
                    marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 9, "color": colour},
                    text=[f"{format_figure(r)}<br>{short_edition(r)}" for _, r in pts.iterrows()],
                    # Alternate above and below so labels of nearby editions do not collide.
                    textposition=[
                        "top center" if k % 2 == 0 else "bottom center" for k in range(len(pts))
                    ],
                    cliponaxis=False,
                    hovertext=[_edition_hover(r, name) for _, r in pts.iterrows()],
                    hoverinfo="text",
                    customdata=list(pts[S.FIGURE_ID]),
                    error_y=_whiskers(plus, minus, colour) | {"visible": bool(has_range.any())},
                ),
                row=row_no,
                col=1,
            )
        for _, r in chain[~point].iterrows():
            label = f"{format_figure(r)}<br>{short_edition(r)}"
            h = _edition_hover(r, name)
            fig.add_trace(
                go.Scatter(
                    name=f"{name}: range only (no single figure stated)",
                    x=[r[S.PERIOD_END], r[S.PERIOD_END]],
                    y=[int(r[S.LOW]), int(r[S.HIGH])],
                    mode="lines+markers+text",
                    line={"color": colour, "width": 6},
                    marker={"symbol": "line-ew", "size": 16, "line": {"width": 3, "color": colour}},
                    text=["", label],
                    textposition="top center",
                    cliponaxis=False,
                    hovertext=[h, h],
                    hoverinfo="text",
                    customdata=[r[S.FIGURE_ID], r[S.FIGURE_ID]],
                ),
                row=row_no,
                col=1,
            )
        top = max(
            int(v) for v in chain[S.HIGH].fillna(0).tolist() + chain[S.VALUE].fillna(0).tolist()
        )
        measure = S.value_label(S.MEASURE, chain[S.MEASURE].iloc[-1])
        fig.update_yaxes(
            title=f"People {measure}, war so far",
            range=[0, max(top, 1) * 1.3],
            gridcolor="#E5E5E5",
            tickformat=",",
            automargin=True,
            row=row_no,
            col=1,
        )
    rows = pd.concat(chains, ignore_index=True) if chains else pd.DataFrame()
    if not rows.empty:
        # Room for the labels of the first and last editions, even on a phone.
        span = rows[S.PERIOD_END].max() - rows[S.PERIOD_END].min()
        pad = max(pd.Timedelta(days=200), span * 0.18)
        fig.update_xaxes(range=[rows[S.PERIOD_END].min() - pad, rows[S.PERIOD_END].max() + pad])
    fig.update_xaxes(gridcolor="#E5E5E5", type="date", automargin=True)
    axis_title = wrap("End of the period each edition covers (its 'as of' date)", AXIS_CHARS)
    fig.update_xaxes(title=axis_title, row=n, col=1)
    fig.update_layout(showlegend=False)
    label = S.value_label(S.CATEGORY, category)
    title = f"{label}: Costs of War estimates, edition by edition"
    source = source_span(rows) if not rows.empty else "Sources: none"
    # _frame sets the source line as the annotation; the panel titles are kept beside it.
    panel_titles = [a.to_plotly_json() for a in fig.layout.annotations]
    fig.layout.annotations = ()
    fig = _frame(
        fig,
        title,
        _escape(source),
        plot_px=330 * n,
        legend_entries=0,
        axis_bottom_px=_axis_px(axis_title),
    )
    fig.layout.annotations = panel_titles + list(fig.layout.annotations)  # the source line last
    return fig


def edition_alt(chains: list[pd.DataFrame], category: str) -> str:
    """Alt text stating every edition's number."""
    label = S.value_label(S.CATEGORY, category)
    measures = sorted({m for chain in chains for m in chain[S.MEASURE]})
    what = S.value_label(S.MEASURE, measures[0]) if len(measures) == 1 else "killed or injured"
    series = []
    for chain in chains:
        items = [f"{format_figure(r)} ({short_edition(r)})" for _, r in chain.iterrows()]
        series.append(f"{series_name(chain)}: " + ", then ".join(items))
    return (
        f"Line chart of Costs of War estimates of {label} {what}, by edition, each placed at the "
        "end of the period it covers. "
        + "; ".join(series)
        + ". Each edition re-estimates the whole war, so the difference between two editions "
        "is not the number of deaths between them."
    )


def format_change(change, pct) -> str:
    """'+112 (+3.7%)', '−9 (−0.3%)', 'unchanged'."""
    if pd.isna(change):
        return "change not known"
    change = int(change)
    if change == 0:
        return "unchanged"
    sign = "+" if change > 0 else "−"
    text = f"{sign}{abs(change):,}"
    if pd.notna(pct):
        text += f" ({sign}{abs(float(pct)):.1f}%)"
    return text


def _stage_label(row) -> str:
    from figures import views  # local: views imports nothing from charts

    return f"{str(row[views.STAGE]).capitalize()}<br>{fmt_date(row[S.PUBLISHED])}"


def revision_chart(changes: pd.DataFrame, year: int) -> go.Figure:
    """One bar per published value of one year, first published to latest revision.

    ``changes`` comes from ``views.revision_changes``. Bars start at zero; each is labelled with
    its number and its difference from the first-published value.
    """
    from figures import views

    rows = changes.reset_index(drop=True)
    xs = [_stage_label(r) for _, r in rows.iterrows()]
    text = []
    for i, (_, r) in enumerate(rows.iterrows()):
        diff = "first published" if i == 0 else format_change(r[views.CHANGE], r[views.CHANGE_PCT])
        text.append(f"{format_figure(r)}<br>{diff}")
    hover = []
    for _, r in rows.iterrows():
        parts = [
            f"<b>{year}</b>: {format_figure(r)} {S.value_label(S.MEASURE, r[S.MEASURE])}",
            f"Stage: {r[views.STAGE]}",
            f"Change from first published: {format_change(r[views.CHANGE], r[views.CHANGE_PCT])}",
            f"Edition: {r[S.EDITION] if pd.notna(r[S.EDITION]) else '—'}",
            f"Source: {r[S.PUBLISHER]}",
            f"Citation: {source_kind_text(r)}",
            f"Published: {fmt_date(r[S.PUBLISHED])}",
            f"Status: {S.value_label(S.STATUS, r[S.STATUS])}",
        ]
        hover.append("<br>".join(_escape(p) for p in parts))
    colours = [PALETTE[0]] + [PALETTE[1]] * (len(rows) - 1)
    patterns = [""] + ["/"] * (len(rows) - 1)
    fig = go.Figure(
        go.Bar(
            name="Published value",
            x=xs,
            y=[None if pd.isna(v) else int(v) for v in rows[S.VALUE]],
            marker={"color": colours, "pattern": {"shape": patterns}},
            text=text,
            textposition="outside",
            textfont={"size": 11},
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text",
            customdata=list(rows[S.FIGURE_ID]),
        )
    )
    measure = S.value_label(S.MEASURE, rows[S.MEASURE].iloc[0]) if len(rows) else ""
    fig.update_xaxes(
        title="Stage (date published)",
        categoryorder="array",
        categoryarray=xs,
        automargin=True,
        tickfont={"size": 11},
    )
    fig.update_yaxes(
        title=f"Civilians {measure} in {year}",
        automargin=True,
        gridcolor="#E5E5E5",
        range=[0, max([int(v) for v in rows[S.VALUE].dropna()] + [1]) * 1.2],
        tickformat=",",
    )
    fig.update_layout(showlegend=False, bargap=0.45)
    title = f"UNAMA's figure for civilians {measure} in {year}, as first published and revised"
    return _frame(
        fig,
        title,
        source_line(rows),
        plot_px=330,
        legend_entries=0,
        axis_bottom_px=_axis_px("Stage", ticks_px=48),
    )


def revision_alt(changes: pd.DataFrame, year: int) -> str:
    """Alt text stating each published value and its change from the first."""
    from figures import views

    if changes.empty:
        return f"No UNAMA figure for {year}."
    measure = S.value_label(S.MEASURE, changes[S.MEASURE].iloc[0])
    parts = []
    for i, (_, r) in enumerate(changes.iterrows()):
        item = f"{r[views.STAGE]} {format_figure(r)} ({fmt_date(r[S.PUBLISHED])})"
        if i > 0:
            item += f", {format_change(r[views.CHANGE], r[views.CHANGE_PCT])}"
        parts.append(item)
    return (
        f"Bar chart of UNAMA's figure for civilians {measure} in {year}, one bar per published "
        "value: " + "; ".join(parts) + "."
    )


# --- By country (issue #4, page 5) ------------------------------------------------------------


def short_source(row) -> str:
    """'House of Commons Library, 2021': the publisher without its note, and the year covered."""
    name = str(row[S.PUBLISHER]).split(" (")[0].strip()
    return f"{name}, {pd.Timestamp(row[S.PERIOD_END]).year}"


def _country_hover(row) -> str:
    rule = row[S.COUNTING_RULE] if pd.notna(row[S.COUNTING_RULE]) else "—"
    parts = [
        f"<b>{row[S.NATIONALITY]}</b>: {format_figure(row)} killed",
        f"Source: {row[S.PUBLISHER]}",
        f"Citation: {source_kind_text(row)}",
        f"Document: {row[S.SOURCE_TITLE]}",
        f"Counting rule: {rule}",
        f"Period: {period_text(row)}",
        f"As of: {fmt_date(row[S.PUBLISHED])}",
        f"Where: {S.value_label(S.GEOGRAPHY, row[S.GEOGRAPHY])}; "
        f"{S.value_label(S.STATUS, row[S.STATUS])}",
    ]
    return "<br>".join(_escape(p) for p in parts)


def country_bar(
    rows: pd.DataFrame, log: bool = False, subtitle: str = "", one_list: bool = False
) -> go.Figure:
    """One horizontal bar per country, in the order given (largest first), each labelled with
    its number and source.

    Bars chosen per country (``one_list`` False): national governments' own counts are solid;
    figures from compilations or the press are hatched, with their own legend entry, so the
    difference does not rest on colour alone. Bars of one source list are all alike.
    """
    from figures import views

    rows = rows.reset_index(drop=True)
    names = list(rows[S.NATIONALITY])
    fig = go.Figure()
    if one_list:
        national = pd.Series(True, index=rows.index)
        groups = ((True, "Figures from one source list", PALETTE[0], ""),)
    else:
        national = views.is_national(rows) if not rows.empty else pd.Series(dtype=bool)
        groups = (
            (True, "National government's own count", PALETTE[0], ""),
            (False, "Compilation or press count (no national count chosen)", PALETTE[1], "/"),
        )
    for is_nat, legend, colour, pattern in groups:
        sub = rows[national == is_nat] if not rows.empty else rows
        if sub.empty:
            continue
        text = []
        for _, r in sub.iterrows():
            computed = " (computed)" if r[S.STATUS] == "DERIVED" else ""
            text.append(f"{format_figure(r)} — {short_source(r)}{computed}")
        fig.add_trace(
            go.Bar(
                name=legend,
                x=[int(v) for v in sub[S.VALUE]],
                y=list(sub[S.NATIONALITY]),
                orientation="h",
                marker={"color": colour, "pattern": {"shape": pattern}},
                text=text,
                textposition="none",
                hovertext=[_country_hover(r) for _, r in sub.iterrows()],
                hoverinfo="text",
                customdata=list(sub[S.FIGURE_ID]),
            )
        )
    labels = []
    for _, r in rows.iterrows():
        computed = " (computed)" if r[S.STATUS] == "DERIVED" else ""
        labels.append(
            wrap(
                f"<b>{_escape(r[S.NATIONALITY])}</b>: "
                + _escape(f"{format_figure(r)} — {short_source(r)}{computed}"),
                TEXT_CHARS,
            )
        )
    row_px = 26 + 14 * max((_lines(t) for t in labels), default=1)
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=names[::-1],
        title=None,
        showticklabels=False,
        range=[-0.6, len(names) - 0.4 + 0.5 * bool(names)],
    )
    axis_title = wrap(
        "Military deaths (as each source states it; scale: " + ("log" if log else "linear") + ")",
        AXIS_CHARS,
    )
    fig.update_xaxes(
        automargin=True,
        type="log" if log else "linear",
        title=axis_title,
        gridcolor="#E5E5E5",
        tickformat=",",
    )
    fig.update_layout(barmode="overlay", bargap=0.55)
    notes = [
        {
            "text": text,
            "xref": "paper",
            "x": 0,
            "xanchor": "left",
            "y": name,
            "yanchor": "bottom",
            "yshift": row_px * 0.45 / 2 + 1,
            "showarrow": False,
            "align": "left",
            "font": {"size": 11, "color": "#1A1A1A"},
        }
        for name, text in zip(names, labels, strict=True)
    ]
    publishers = rows[S.PUBLISHER].nunique()
    if views.single_source(rows):
        main = rows[S.PUBLISHER].mode().iloc[0]
        source = f"Source: {main} ({pd.Timestamp(rows[S.PUBLISHED].iloc[0]).year})"
    elif publishers == 1:
        source = source_span(rows)
    else:
        source = f"Sources: {publishers} publishers, each named on its bar"
    fig = _frame(
        fig,
        "Coalition military deaths in the war in Afghanistan, by country",
        _escape(source),
        plot_px=int(row_px * (max(len(rows), 1) + 0.5)),
        legend_entries=None if not one_list else 0,
        axis_bottom_px=_axis_px(axis_title),
        subtitle=_escape(subtitle) if subtitle else "",
    )
    fig.layout.annotations = list(fig.layout.annotations) + notes
    return fig


def country_alt(rows: pd.DataFrame, log: bool = False, subtitle: str = "", top: int = 12) -> str:
    """Alt text naming the countries, their numbers and sources (the largest ``top`` in full)."""
    if rows.empty:
        return "No per-country figures to show."
    scale = "logarithmic" if log else "linear"
    parts = [
        f"{r[S.NATIONALITY]}: {format_figure(r)} ({short_source(r)})"
        for _, r in rows.head(top).iterrows()
    ]
    rest = rows.iloc[top:]
    text = (
        f"Horizontal bar chart on a {scale} scale of coalition military deaths for "
        f"{len(rows)} countries, largest first"
        + (f" ({subtitle})" if subtitle else "")
        + ". Each bar names its source; bars are not added up. "
        + "; ".join(parts)
    )
    if not rest.empty:
        lo, hi = fmt_int(rest[S.VALUE].min()), fmt_int(rest[S.VALUE].max())
        text += f"; and {len(rest)} more countries with {lo} to {hi} deaths each"
    return text + "."


# --- Compare sources (issue #4, page 2) -------------------------------------------------------

#: Marker of each method, so the method is never carried by colour alone.
METHOD_SYMBOLS = {"documented": "circle", "estimate": "diamond", "official_statement": "square"}
#: Column ``figures.compare.compare_rows`` adds (True for a replaced value).
_SUPERSEDED = "superseded"


def _cut(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _short_publisher(publisher) -> str:
    text = str(publisher)
    return text.split(" (")[0].strip() if " (" in text else text.strip()


def _is_superseded(row) -> bool:
    return bool(row.get(_SUPERSEDED, False))


#: Short names for the three-line tick labels of the comparison chart (full names in the legend,
#: the hover text and the table).
_GEO_SHORT = {
    "afghanistan": "Afghanistan",
    "afghanistan_and_pakistan": "Afghanistan + Pakistan",
    "pakistan": "Pakistan",
    "in_and_around_afghanistan": "in and around Afghanistan",
    "oef_all_locations": "OEF, all locations",
    "oef_other_locations": "OEF, outside Afghanistan",
    "all_post_9_11_war_zones": "all post-9/11 war zones",
}
_METHOD_SHORT = {
    "documented": "documented",
    "estimate": "estimate",
    "official_statement": "official statement",
}


def _month_span(row) -> str:
    start, end = pd.Timestamp(row[S.PERIOD_START]), pd.Timestamp(row[S.PERIOD_END])
    if start.to_period("M") == end.to_period("M"):
        return fmt_date(start) if start == end else f"{start.day}–{fmt_date(end)}"
    return f"{start:%b %Y}–{end:%b %Y}"


def compare_label(row, with_measure: bool = False) -> str:
    """Three-line tick label: figure and publisher; edition or publication date; period,
    geography and method (short names; full ones in the legend, hover text and table)."""
    edition = row.get(S.EDITION)
    if edition is None or pd.isna(edition) or not str(edition).strip():
        edition = f"published {fmt_date(row[S.PUBLISHED])}"
    figure = format_figure(row)
    if with_measure:
        figure += f" {S.value_label(S.MEASURE, row[S.MEASURE])}"
    top = f"{figure} · {_cut(_short_publisher(row[S.PUBLISHER]), 32)}"
    middle = _cut(edition, 40) + (" · superseded" if _is_superseded(row) else "")
    geo = _GEO_SHORT.get(row[S.GEOGRAPHY], S.value_label(S.GEOGRAPHY, row[S.GEOGRAPHY]))
    method = _METHOD_SHORT.get(row[S.METHOD], S.value_label(S.METHOD, row[S.METHOD]))
    bottom = f"{_month_span(row)} · {geo} · {method}"
    return f"<b>{_escape(top)}</b><br>{_escape(middle)}<br>{_escape(bottom)}"


def _compare_hover(row) -> str:
    extra = [f"Published: {fmt_date(row[S.PUBLISHED])}"]
    if S.EDITION in row and pd.notna(row[S.EDITION]):
        extra.append(f"Edition: {row[S.EDITION]}")
    if S.COUNTING_RULE in row and pd.notna(row[S.COUNTING_RULE]):
        extra.append(f"Counting rule: {row[S.COUNTING_RULE]}")
    if _is_superseded(row):
        extra.append("Superseded by a later revision or edition")
    return _hover(row) + "<br>" + "<br>".join(_escape(_cut(e, 120)) for e in extra)


#: Colour of each geography (from the palette).
GEOGRAPHY_COLOURS = {
    "afghanistan": PALETTE[0],
    "afghanistan_and_pakistan": PALETTE[1],
    "pakistan": PALETTE[2],
    "in_and_around_afghanistan": PALETTE[3],
    "oef_all_locations": PALETTE[5],
    "oef_other_locations": PALETTE[4],
    "all_post_9_11_war_zones": PALETTE[7],
}


def _geo_colour(geography: str) -> str:
    return GEOGRAPHY_COLOURS.get(geography, "#555555")


def _legend_lines(fig: go.Figure) -> int:
    """Lines the legend takes, one entry under another, after wrapping each entry's name."""
    lines = 0
    for t in fig.data:
        if t.showlegend is False or not t.name:
            continue
        t.name = wrap(t.name, TEXT_CHARS - 6)
        lines += _lines(t.name)
    return lines


def _frame(
    fig: go.Figure,
    title: str,
    source: str,
    plot_px: int,
    legend_entries: int | None = None,
    per_row: int = 1,
    axis_top_px: int = 0,
    axis_bottom_px: int = 60,
    subtitle: str = "",
) -> go.Figure:
    """``_base_layout`` with the room sized from the parts: title at the top, then the legend,
    then the plot (``plot_px`` high, with ``axis_top_px``/``axis_bottom_px`` for its axes),
    then the source line, however many lines it wraps to.

    Every part is sized for a phone and stacked, never overlaid: the title and the source line
    are wrapped to fit a 358 px chart, and the legend lists one entry under another (its height
    does not depend on the width), so the same figure fits a phone and a desktop. A chart with
    ``legend_entries == 0`` has no legend. ``per_row`` is kept for callers; it is not used.
    """
    del per_row
    title = wrap(title, TITLE_CHARS)
    subtitle = wrap(subtitle, TEXT_CHARS) if subtitle else ""
    source = wrap(source, TEXT_CHARS)
    legend_lines = _legend_lines(fig) if legend_entries != 0 else 0
    title_px = (
        16 + TITLE_LINE_PX * _lines(title) + (TEXT_LINE_PX * _lines(subtitle) + 6) * bool(subtitle)
    )
    legend_px = (TEXT_LINE_PX + 4) * legend_lines + (10 if legend_lines else 0)
    source_px = TEXT_LINE_PX * _lines(source) + 14
    top = title_px + legend_px + axis_top_px
    bottom = axis_bottom_px + source_px
    total = top + plot_px + bottom
    fig = _base_layout(fig, title, source, height=total)
    fig.update_layout(
        margin={"t": top, "b": bottom},
        title={
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 26},
            "subtitle": {"text": subtitle, "font": {"size": 12, "color": "#333"}},
        },
        showlegend=bool(legend_lines),
        # One entry a row (each takes the full width), so the legend's height is the same on a
        # phone and a desktop.
        legend={
            "orientation": "h",
            "entrywidth": 1,
            "entrywidthmode": "fraction",
            "xref": "container",
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - title_px / total,
            "yanchor": "top",
            "font": {"size": 11},
            "tracegroupgap": 0,
            "itemsizing": "constant",
        },
    )
    source_note(fig).update(y=0, yshift=-axis_bottom_px, yanchor="top")
    fig.update_xaxes(title_font={"size": 12}, automargin=True)
    fig.update_yaxes(title_font={"size": 12})
    return fig


def _measure_words(rows: pd.DataFrame) -> str:
    measures = [m for m in S.MEASURE_LABELS if m in set(rows[S.MEASURE])]
    if len(measures) == 1:
        return S.value_label(S.MEASURE, measures[0])
    return "killed or injured"


#: Areas wider than Afghanistan, or beside it: their figures are drawn in a panel of their own,
#: on their own scale, so a total for every post-9/11 war zone never squashes Afghanistan's.
WIDER_SCOPES = ("afghanistan_and_pakistan", "pakistan", "all_post_9_11_war_zones")


#: A Compare chart draws at most this many marks (each with its label, about 1.7 kB of spec):
#: the shipped data needs at most 117; a file of 100,000 figures would otherwise ship a spec of
#: several megabytes and a chart tens of thousands of pixels high. The title still counts every
#: figure, a subtitle says where the marks stop, and the Table tab lists every figure.
MAX_COMPARE_MARKS = 300


def compare_chart(rows: pd.DataFrame, category: str, log: bool = False) -> go.Figure:
    """Every figure for one category as its own mark, one row each, never stacked or summed.

    ``rows`` come from ``figures.compare.compare_rows`` (display order, top first). Each row's
    label, above its mark, names the figure, publisher, edition, period, geography and method
    (the y axis keeps them as tick text, not drawn, so the plot keeps the chart's width on a
    phone). Marker symbol = method (circle documented, diamond estimate, square official
    statement; open when superseded), colour = geography, both also in the legend and the
    label. A stated range is an error bar; a range with no single figure is a hatched floating
    bar from low to high, never a made-up midpoint. Figures of a wider area (``WIDER_SCOPES``)
    are in a second panel with its own axis.
    """
    from plotly.subplots import make_subplots

    rows = rows.reset_index(drop=True)
    every = rows  # the title counts every figure; the marks stop at MAX_COMPARE_MARKS
    capped = ""
    if len(rows) > MAX_COMPARE_MARKS:
        rows = rows.iloc[:MAX_COMPARE_MARKS]
        capped = (
            f"Marks for the first {MAX_COMPARE_MARKS:,} of {len(every):,} figures, in the "
            "table's order; the Table tab lists every one."
        )
    with_measure = rows[S.MEASURE].nunique() > 1
    # Rows as dicts: much faster than iterrows on Arrow-backed strings (a chart may have 150).
    records = rows.to_dict("records")
    labels = [compare_label(r, with_measure) for r in records]
    texts = [format_figure(r) for r in records]
    hovers = [_compare_hover(r) for r in records]
    sup = (
        rows[_SUPERSEDED].astype(bool)
        if _SUPERSEDED in rows.columns
        else pd.Series(False, index=rows.index)
    )
    wide = rows[S.GEOGRAPHY].isin(WIDER_SCOPES)
    panels = [list(p) for p in (rows.index[~wide], rows.index[wide]) if len(p)] or [[]]
    two = len(panels) == 2
    measure = _measure_words(rows)
    scale = "log" if log else "linear"
    axis_title = wrap(f"People {measure}, as each source states it ({scale} scale)", AXIS_CHARS)
    axis_px = 26 + 19 * _lines(axis_title) + 4
    head_px = 40 if two else 0
    wrapped = [wrap(lab, TEXT_CHARS) for lab in labels]
    row_px = 30 + 14 * max((_lines(w) for w in wrapped), default=1)
    heights = [row_px * (len(p) + 0.6) for p in panels]
    gap = head_px + axis_px + 16
    plot_px = int(sum(heights) + gap * (len(panels) - 1))
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        row_heights=heights,
        vertical_spacing=gap / plot_px if two else 0.0,
    )
    geo_order = {g: i for i, g in enumerate(S.GEOGRAPHY_LABELS)}
    method_order = {m: i for i, m in enumerate(S.METHOD_LABELS)}
    notes = []
    range_legend = True
    for k, idx in enumerate(panels):
        row_no = k + 1
        sub = rows.loc[idx]
        point = sub[S.VALUE].notna()
        pts = sub[point].assign(_sup=sup[idx][point])
        groups = sorted(
            pts.groupby([S.GEOGRAPHY, S.METHOD, "_sup"], sort=False),
            key=lambda t: (geo_order.get(t[0][0], 99), method_order.get(t[0][1], 99), t[0][2]),
        )
        for (geo, method, is_sup), g in groups:
            has_range = g[S.LOW].notna() & g[S.HIGH].notna()
            plus = [int(v) for v in (g[S.HIGH] - g[S.VALUE]).where(has_range, 0).fillna(0)]
            minus = [int(v) for v in (g[S.VALUE] - g[S.LOW]).where(has_range, 0).fillna(0)]
            pos = list(g.index)
            symbol = METHOD_SYMBOLS.get(method, "circle") + ("-open" if is_sup else "")
            name = f"{S.value_label(S.GEOGRAPHY, geo)} · {S.value_label(S.METHOD, method)}"
            if is_sup:
                name += " · superseded"
            colour = _geo_colour(geo)
            fig.add_trace(
                go.Scatter(
                    name=name,
                    x=[int(v) for v in g[S.VALUE]],
                    y=list(g[S.FIGURE_ID]),
                    mode="markers",
                    marker={
                        "symbol": symbol,
                        "size": 12,
                        "color": colour,
                        "line": {
                            "width": 2 if is_sup else 1,
                            "color": colour if is_sup else "#333",
                        },
                    },
                    # The number is in the row's label; kept here for the data, not drawn.
                    text=[texts[i] for i in pos],
                    cliponaxis=False,
                    hovertext=[hovers[i] for i in pos],
                    hoverinfo="text",
                    customdata=list(g[S.FIGURE_ID]),
                    error_x=_whiskers(plus, minus, "#333", width=5)
                    | {"visible": bool(has_range.any())},
                ),
                row=row_no,
                col=1,
            )
        ranges = sub[~point]
        if not ranges.empty:
            fig.add_trace(
                go.Bar(
                    name="Range only (no single figure stated)",
                    showlegend=range_legend,
                    legendgroup="range-only",
                    x=[int(v) for v in ranges[S.HIGH] - ranges[S.LOW]],
                    base=[int(v) for v in ranges[S.LOW]],
                    y=list(ranges[S.FIGURE_ID]),
                    orientation="h",
                    width=0.4,
                    marker={
                        "color": [_geo_colour(g) for g in ranges[S.GEOGRAPHY]],
                        "pattern": {"shape": "/"},
                        "line": {"color": "#333", "width": 1},
                    },
                    text=[texts[i] for i in ranges.index],
                    textposition="none",
                    hovertext=[hovers[i] for i in ranges.index],
                    hoverinfo="text",
                    customdata=list(ranges[S.FIGURE_ID]),
                ),
                row=row_no,
                col=1,
            )
            range_legend = False
        highs = pd.concat([sub[S.VALUE], sub[S.HIGH]]).dropna()
        lows = pd.concat([sub[S.VALUE], sub[S.LOW]]).dropna()
        top_value = float(highs.max()) if not highs.empty else 1.0
        if log:
            import math

            positive = lows[lows > 0]
            lo = float(positive.min()) if not positive.empty else 1.0
            x_range = [math.log10(lo) - 0.3, math.log10(max(top_value, 1.0)) + 0.3]
        else:
            x_range = [0, top_value * 1.06 or 1]
        fig.update_xaxes(
            type="log" if log else "linear",
            range=x_range,
            title=axis_title,
            dtick=1 if log else None,
            gridcolor="#E5E5E5",
            tickformat=",",
            side="top",
            automargin=k == 0,
            title_standoff=6,
            row=row_no,
            col=1,
        )
        ids = list(sub[S.FIGURE_ID])
        fig.update_yaxes(
            type="category",
            categoryorder="array",
            categoryarray=ids[::-1],
            tickmode="array",
            tickvals=ids,
            ticktext=[labels[i] for i in idx],
            showticklabels=False,
            title=None,
            range=[-0.6, len(ids) - 0.4 + 0.6 * bool(ids)],
            row=row_no,
            col=1,
        )
        yref = "y" if row_no == 1 else f"y{row_no}"
        for i in idx:
            notes.append(
                {
                    "text": wrapped[i],
                    "xref": "paper",
                    "x": 0,
                    "xanchor": "left",
                    "yref": yref,
                    "y": rows.at[i, S.FIGURE_ID],
                    "yanchor": "bottom",
                    "yshift": 9,
                    "showarrow": False,
                    "align": "left",
                    "font": {"size": 11, "color": "#1A1A1A"},
                }
            )
        if two:
            head = (
                "<b>Afghanistan</b>"
                if k == 0
                else "<b>Wider or other areas</b>, on a scale of their own"
            )
            notes.append(
                {
                    "text": wrap(head, TEXT_CHARS),
                    "xref": "paper",
                    "x": 0,
                    "xanchor": "left",
                    "yref": f"{yref} domain",
                    "y": 1,
                    "yanchor": "bottom",
                    "yshift": axis_px + 6,
                    "showarrow": False,
                    "align": "left",
                    "font": {"size": 13, "color": "#1A1A1A"},
                }
            )
    publishers = every[S.PUBLISHER].map(_short_publisher).nunique()
    title = (
        f"{S.value_label(S.CATEGORY, category)}, {measure}: {len(every):,} "
        f"figure{'s' if len(every) != 1 else ''} from {publishers} "
        f"publisher{'s' if publishers != 1 else ''}, never added up"
    )
    fig.update_layout(barmode="overlay")
    fig = _frame(
        fig,
        _escape(title),
        source_line(every),
        plot_px=plot_px,
        axis_top_px=head_px + axis_px,
        axis_bottom_px=10,
        subtitle=_escape(capped),
    )
    fig.layout.annotations = list(fig.layout.annotations) + notes
    return fig


def compare_alt(rows: pd.DataFrame, category: str, log: bool = False, limit: int = 20) -> str:
    """Alt text: what the chart shows, its smallest and largest figure, then the figures."""
    if rows.empty:
        return "No figures to show."
    scale = "logarithmic" if log else "linear"
    measure = _measure_words(rows)
    with_measure = rows[S.MEASURE].nunique() > 1
    parts = []
    for r in rows.head(limit).to_dict("records"):
        fig_text = format_figure(r) + (
            f" {S.value_label(S.MEASURE, r[S.MEASURE])}" if with_measure else ""
        )
        parts.append(
            f"{fig_text} ({_short_publisher(r[S.PUBLISHER])}, {period_text(r)}, "
            f"{S.value_label(S.GEOGRAPHY, r[S.GEOGRAPHY])}, {S.value_label(S.METHOD, r[S.METHOD])}"
            + (", superseded" if _is_superseded(r) else "")
            + ")"
        )
    best = rows[S.VALUE].fillna(rows[S.HIGH])
    hi, lo = rows.loc[best.idxmax()], rows.loc[rows[S.VALUE].fillna(rows[S.LOW]).idxmin()]
    text = (
        f"Dot chart on a {scale} scale of {len(rows)} figures for "
        f"{S.value_label(S.CATEGORY, category)} {measure}, one mark per figure from each "
        "publisher and edition, not to be added up. "
        f"Largest: {format_figure(hi)} ({_short_publisher(hi[S.PUBLISHER])}, "
        f"{S.value_label(S.GEOGRAPHY, hi[S.GEOGRAPHY])}); smallest: {format_figure(lo)} "
        f"({_short_publisher(lo[S.PUBLISHER])}, {S.value_label(S.GEOGRAPHY, lo[S.GEOGRAPHY])}). "
        "Figures: " + "; ".join(parts)
    )
    more = len(rows) - limit
    if more > 0:
        text += f"; and {more} more (see the Table tab)"
    return text + "."


# --- Over time (issue #4, page 3) -------------------------------------------------------------

#: Columns ``figures.views.yearly_rows`` adds.
_YEAR = "year"
_PARTIAL = "partial_year"
#: Marker and dash of the n-th per-year series, so series differ by more than colour.
TREND_SYMBOLS = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "cross",
    "star",
    "triangle-down",
    "hexagon",
    "pentagon",
    "x",
)
TREND_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
#: Line colours: the palette (every colour at least 3:1 on white, so a thin line shows).
TREND_COLOURS = PALETTE


def _day_month(ts) -> str:
    return pd.Timestamp(ts).strftime("%-d %b")


def year_label(row, sep: str = " ") -> str:
    """'2019', or for part of a year '2021 (1 Jan–30 Jun only)' (``sep="<br>"`` for an axis)."""
    year = int(row[_YEAR])
    if not bool(row[_PARTIAL]):
        return str(year)
    return f"{year}{sep}({_day_month(row[S.PERIOD_START])}–{_day_month(row[S.PERIOD_END])} only)"


def _yearly_hover(row, name: str) -> str:
    parts = [
        f"<b>{year_label(row)}</b>: {format_figure(row)} "
        f"{S.value_label(S.MEASURE, row[S.MEASURE])}",
        f"Series: {name}",
        f"Source: {row[S.PUBLISHER]}",
        f"Citation: {source_kind_text(row)}",
        f"Period: {period_text(row)}",
        f"Published: {fmt_date(row[S.PUBLISHED])}",
    ]
    if S.EDITION in row.index and pd.notna(row[S.EDITION]):
        parts.append(f"Edition: {_cut(row[S.EDITION], 100)}")
    if bool(row[_PARTIAL]):
        parts.append("Part of the year only: not comparable with whole years")
    return "<br>".join(_escape(p) for p in parts)


def _bar_heights(rows: pd.DataFrame) -> tuple[list[int], list[int]]:
    """Bar lengths and bases: the value from 0, or for a range with no value, low to high."""
    heights, bases = [], []
    for _, r in rows.iterrows():
        if pd.isna(r[S.VALUE]):
            heights.append(int(r[S.HIGH] - r[S.LOW]))
            bases.append(int(r[S.LOW]))
        else:
            heights.append(int(r[S.VALUE]))
            bases.append(0)
    return heights, bases


def unama_yearly_chart(
    killed: pd.DataFrame, injured: pd.DataFrame, first_published: bool = False
) -> go.Figure:
    """UNAMA's civilians killed and injured per year as grouped bars, side by side, never stacked.

    ``killed`` and ``injured`` come from ``figures.views.yearly_series`` (one row per year).
    The x axis is categorical, so a part-year figure is its own labelled category
    ('2021 (1 Jan–30 Jun only)'), drawn faded and hatched, after a dotted separator, with a
    note above it: never shown as a full year.
    """
    killed = killed.reset_index(drop=True)
    injured = injured.reset_index(drop=True)
    both = pd.concat([killed, injured], ignore_index=True)
    order = both.drop_duplicates(_YEAR).sort_values(_YEAR) if not both.empty else both
    categories = [year_label(r, "<br>") for _, r in order.iterrows()]
    fig = go.Figure()
    series = (
        ("Killed", killed, PALETTE[5], ""),
        ("Injured", injured, PALETTE[0], "/"),
    )
    for name, rows, colour, pattern in series:
        if rows.empty:
            continue
        heights, bases = _bar_heights(rows)
        partial = rows[_PARTIAL].astype(bool).tolist()
        range_only = rows[S.VALUE].isna().tolist()
        fig.add_trace(
            go.Bar(
                name=name,
                x=[year_label(r, "<br>") for _, r in rows.iterrows()],
                y=heights,
                base=bases if any(range_only) else None,
                marker={
                    "color": colour,
                    "opacity": [0.55 if p else 1.0 for p in partial],
                    "pattern": {
                        "shape": [
                            "." if p else ("x" if ro else pattern)
                            for p, ro in zip(partial, range_only, strict=True)
                        ],
                    },
                    "line": {"color": "#333", "width": 1},
                },
                text=[format_figure(r) for _, r in rows.iterrows()],
                textposition="outside",
                textfont={"size": 10},
                cliponaxis=False,
                hovertext=[
                    _yearly_hover(r, f"UNAMA, civilians {name.lower()}") for _, r in rows.iterrows()
                ],
                hoverinfo="text",
                customdata=list(rows[S.FIGURE_ID]),
            )
        )
    partial_cats = [year_label(r, "<br>") for _, r in order.iterrows() if bool(r[_PARTIAL])]
    for cat in partial_cats:
        fig.add_vline(
            x=categories.index(cat) - 0.5, line={"color": "#555", "dash": "dot", "width": 1}
        )
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=categories,
        tickangle=0,
        title=wrap("Year (UNAMA's systematic counts start in 2009)", AXIS_CHARS),
        automargin=True,
    )
    fig.update_yaxes(
        title="Civilians (documented by UNAMA; a minimum)",
        gridcolor="#E5E5E5",
        tickformat=",",
        rangemode="tozero",
        automargin=True,
    )
    version = "first-published values" if first_published else "latest revision of each year"
    title = f"Civilians killed and injured in Afghanistan per year, UNAMA ({version})"
    fig.update_layout(barmode="group")
    fig = _frame(
        fig,
        title,
        source_line(both),
        plot_px=360,
        legend_entries=len(fig.data),
        per_row=4,
        axis_top_px=24,
        axis_bottom_px=_axis_px("Year<br>2009", ticks_px=48 if partial_cats else 30),
    )
    # _base_layout replaces the annotations; put the part-year notes back after it.
    for cat in partial_cats:
        fig.add_annotation(
            x=cat,
            y=1.0,
            yref="paper",
            yanchor="bottom",
            text="Part of a year only",
            showarrow=False,
            font={"size": 11, "color": "#333"},
        )
    return fig


def _series_text(rows: pd.DataFrame) -> str:
    return ", ".join(f"{year_label(r)}: {format_figure(r)}" for _, r in rows.iterrows())


def unama_yearly_alt(
    killed: pd.DataFrame, injured: pd.DataFrame, first_published: bool = False
) -> str:
    """Alt text: the years shown, every value, and the highest full year of each measure."""
    if killed.empty and injured.empty:
        return "No UNAMA yearly figures in the years chosen."
    version = "first-published values" if first_published else "latest revision of each year"
    both = pd.concat([killed, injured])
    text = (
        "Grouped bar chart of civilians killed and civilians injured in Afghanistan per year, "
        f"documented by UNAMA ({version}), {int(both[_YEAR].min())}–{int(both[_YEAR].max())}; "
        "killed and injured are separate bars, not added up."
    )
    for name, rows in (("Killed", killed), ("Injured", injured)):
        if rows.empty:
            continue
        text += f" {name}: {_series_text(rows)}."
        full = rows[~rows[_PARTIAL].astype(bool) & rows[S.VALUE].notna()]
        if not full.empty:
            top = full.loc[full[S.VALUE].astype(int).idxmax()]
            text += (
                f" Highest full year for {name.lower()}: {int(top[_YEAR])} ({format_figure(top)})."
            )
    partial = both[both[_PARTIAL].astype(bool)]
    if not partial.empty:
        labels = sorted({year_label(r) for _, r in partial.iterrows()})
        text += f" {', '.join(labels)}: part of a year only, not a full year."
    return text


def yearly_lines(
    series: list[tuple[str, pd.DataFrame]], category: str, measure: str = "killed"
) -> go.Figure:
    """Per-year figures, one line per publisher and counting rule, never merged.

    ``series`` is ``figures.views.yearly_series_all`` output (optionally year-filtered). Each
    series has its own colour, marker and dash. Lines join whole years only: they break at
    missing years and at part-year figures, which are open markers (legend: 'Open marker:
    part of a year only').
    """
    fig = go.Figure()
    all_rows = []
    for i, (name, rows) in enumerate(series):
        if rows.empty:
            continue
        rows = rows.reset_index(drop=True)
        all_rows.append(rows)
        colour = TREND_COLOURS[i % len(TREND_COLOURS)]
        symbol = TREND_SYMBOLS[i % len(TREND_SYMBOLS)]
        dash = TREND_DASHES[i % len(TREND_DASHES)]
        full = rows[~rows[_PARTIAL].astype(bool) & rows[S.VALUE].notna()]
        by_year = {int(r[_YEAR]): r for _, r in full.iterrows()}
        years = list(range(int(rows[_YEAR].min()), int(rows[_YEAR].max()) + 1))
        xs = [y for y in years]
        ys = [int(by_year[y][S.VALUE]) if y in by_year else None for y in years]
        hover = [_yearly_hover(by_year[y], name) if y in by_year else "" for y in years]
        ids = [by_year[y][S.FIGURE_ID] if y in by_year else None for y in years]
        fig.add_trace(
            go.Scatter(
                name=_escape(name),
                legendgroup=f"s{i}",
                x=xs,
                y=ys,
                mode="lines+markers",
                connectgaps=False,
                line={"color": colour, "dash": dash, "width": 2},
                marker={"symbol": symbol, "size": 9, "color": colour},
                hovertext=hover,
                hoverinfo="text",
                customdata=ids,
            )
        )
        part = rows[rows[_PARTIAL].astype(bool) & rows[S.VALUE].notna()]
        if not part.empty:
            fig.add_trace(
                go.Scatter(
                    name=_escape(f"{name} (part of a year)"),
                    legendgroup=f"s{i}",
                    showlegend=False,
                    x=[int(v) for v in part[_YEAR]],
                    y=[int(v) for v in part[S.VALUE]],
                    mode="markers",
                    marker={
                        "symbol": symbol + "-open",
                        "size": 11,
                        "color": colour,
                        "line": {"width": 2, "color": colour},
                    },
                    hovertext=[_yearly_hover(r, name) for _, r in part.iterrows()],
                    hoverinfo="text",
                    customdata=list(part[S.FIGURE_ID]),
                )
            )
        ranges = rows[rows[S.VALUE].isna()]
        for _, r in ranges.iterrows():
            fig.add_trace(
                go.Scatter(
                    name=_escape(f"{name} (range only)"),
                    legendgroup=f"s{i}",
                    showlegend=False,
                    x=[int(r[_YEAR]), int(r[_YEAR])],
                    y=[int(r[S.LOW]), int(r[S.HIGH])],
                    mode="lines",
                    line={"color": colour, "width": 6},
                    hovertext=[_yearly_hover(r, name)] * 2,
                    hoverinfo="text",
                    customdata=[r[S.FIGURE_ID]] * 2,
                )
            )
    rows_all = pd.concat(all_rows, ignore_index=True) if all_rows else pd.DataFrame()
    if not rows_all.empty and rows_all[_PARTIAL].astype(bool).any():
        fig.add_trace(
            go.Scatter(
                name="Open marker: part of a year only",
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "circle-open", "size": 11, "color": "#555"},
                hoverinfo="skip",
            )
        )
    fig.update_xaxes(title="Year", dtick=1, gridcolor="#F0F0F0", tickformat="d")
    fig.update_yaxes(
        title=f"People {S.value_label(S.MEASURE, measure)}",
        gridcolor="#E5E5E5",
        tickformat=",",
        rangemode="tozero",
        automargin=True,
    )
    title = (
        f"{S.value_label(S.CATEGORY, category)} {S.value_label(S.MEASURE, measure)} per year, "
        "one line per source and counting rule"
    )
    source = source_line(rows_all) if not rows_all.empty else "Sources: none in the years chosen"
    fig.update_layout(hovermode="closest")
    entries = sum(1 for t in fig.data if t.showlegend is not False)
    return _frame(
        fig,
        title,
        source,
        plot_px=380,
        legend_entries=entries,
        axis_bottom_px=_axis_px("Year", ticks_px=44),
    )


def yearly_lines_alt(
    series: list[tuple[str, pd.DataFrame]], category: str, measure: str = "killed"
) -> str:
    """Alt text: per series, its years, highest year and every value."""
    shown = [(n, r) for n, r in series if not r.empty]
    what = f"{S.value_label(S.CATEGORY, category)} {S.value_label(S.MEASURE, measure)}"
    if not shown:
        return f"No per-year figures for {what} in the years chosen."
    parts = []
    for name, rows in shown:
        vals = rows[rows[S.VALUE].notna()]
        first, last = int(rows[_YEAR].min()), int(rows[_YEAR].max())
        text = f"{name}, {first}" + (f"–{last}" if last != first else "")
        full = vals[~vals[_PARTIAL].astype(bool)]
        if len(full) > 1:
            top = full.loc[full[S.VALUE].astype(int).idxmax()]
            text += f", highest {format_figure(top)} in {int(top[_YEAR])}"
        parts.append(text + ": " + _series_text(rows))
    return (
        f"Line chart of {what} per year, {len(shown)} series, one per source and counting "
        "rule, never merged; part-year figures are open markers and are not joined to the "
        "line. " + ". ".join(parts) + "."
    )


# --- Article check: one claim of the article beside the source figures -------------------------


def claim_chart(
    claim_label: str,
    claimed_low: int,
    claimed_high: int | None,
    rows: pd.DataFrame,
    labels: list[str],
    roles: list[str],
) -> go.Figure:
    """The range an article's words allow, drawn as a hatched bar and a band, beside the source
    figures, one row each (never added up).

    ``labels`` names each figure's row; ``roles`` says what each figure is to the claim (e.g.
    "Edition current at the article's date"): each role gets its own marker symbol and legend
    entry, so colour is never the only carrier. A source's range is drawn as an error bar; a
    figure given only as a range as a hatched floating bar. ``claimed_high`` None means no limit.
    """
    rows = rows.reset_index(drop=True)
    points: list[int] = [claimed_low] + ([claimed_high] if claimed_high is not None else [])
    for _, r in rows.iterrows():
        points += [int(r[c]) for c in (S.VALUE, S.LOW, S.HIGH) if pd.notna(r[c])]
    x_min, x_max = min(points), max(points)
    pad = max((x_max - x_min) * 0.15, x_max * 0.02, 1)
    x_lo, x_hi = max(x_min - pad, 0), x_max + pad * (2 if claimed_high is None else 1)
    bar_end = claimed_high if claimed_high is not None else x_hi
    article_y = f"The article: {claim_label}"
    ys = [article_y] + list(labels)

    fig = go.Figure()
    fig.add_vrect(
        x0=claimed_low, x1=bar_end, fillcolor=PALETTE[4], opacity=0.15, layer="below", line_width=0
    )
    words = (
        f"{fmt_int(claimed_low)}–{fmt_int(claimed_high)}"
        if claimed_high is not None and claimed_high != claimed_low
        else fmt_int(claimed_low) + (" or more →" if claimed_high is None else "")
    )
    fig.add_trace(
        go.Bar(
            name="What the article's words allow",
            x=[max(bar_end - claimed_low, (x_hi - x_lo) * 0.004)],
            base=[claimed_low],
            y=[article_y],
            orientation="h",
            marker={"color": PALETTE[4], "pattern": {"shape": "/"}, "line": {"color": "#333"}},
            text=[words],
            textposition="none",
            hovertext=[_escape(f"The article: {claim_label} ({words})")],
            hoverinfo="text",
            width=0.5,
        )
    )
    order = list(dict.fromkeys(roles))
    for i, role in enumerate(order):
        idx = [k for k, r in enumerate(roles) if r == role]
        sub = rows.loc[idx]
        colour = PALETTE[i % len(PALETTE)]
        point = sub[S.VALUE].notna()
        if point.any():
            pts = sub[point]
            has_range = pts[S.LOW].notna() & pts[S.HIGH].notna()
            fig.add_trace(
                go.Scatter(
                    name=role,
                    x=[int(v) for v in pts[S.VALUE]],
                    y=[labels[k] for k in pts.index],
                    mode="markers",
                    marker={
                        "symbol": SYMBOLS[i % len(SYMBOLS)],
                        "size": 12,
                        "color": colour,
                        "line": {"color": "#333", "width": 1},
                    },
                    text=[format_figure(r) for _, r in pts.iterrows()],
                    cliponaxis=False,
                    hovertext=[_hover(r) for _, r in pts.iterrows()],
                    hoverinfo="text",
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "array": [
                            int(r[S.HIGH] - r[S.VALUE]) if ok else 0
                            for ok, (_, r) in zip(has_range, pts.iterrows(), strict=True)
                        ],
                        "arrayminus": [
                            int(r[S.VALUE] - r[S.LOW]) if ok else 0
                            for ok, (_, r) in zip(has_range, pts.iterrows(), strict=True)
                        ],
                        "color": "#333",
                        "thickness": 1.5,
                        "width": 6,
                    },
                    customdata=list(pts[S.FIGURE_ID]),
                )
            )
        if (~point).any():
            rng = sub[~point]
            fig.add_trace(
                go.Bar(
                    name=f"{role} (range only)",
                    x=[int(r[S.HIGH] - r[S.LOW]) for _, r in rng.iterrows()],
                    base=[int(v) for v in rng[S.LOW]],
                    y=[labels[k] for k in rng.index],
                    orientation="h",
                    marker={"color": colour, "pattern": {"shape": "x"}, "line": {"color": "#333"}},
                    text=[format_figure(r) for _, r in rng.iterrows()],
                    textposition="none",
                    hovertext=[_hover(r) for _, r in rng.iterrows()],
                    hoverinfo="text",
                    width=0.4,
                    customdata=list(rng[S.FIGURE_ID]),
                )
            )
    texts = [wrap(f"<b>{_escape(article_y)}</b>: " + _escape(words), TEXT_CHARS)] + [
        wrap(
            f"<b>{_escape(label)}</b>: " + _escape(f"{format_figure(r)}, {month_span(r)}"),
            TEXT_CHARS,
        )
        for label, (_, r) in zip(labels, rows.iterrows(), strict=True)
    ]
    row_px = 34 + 14 * max(_lines(t) for t in texts)
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=ys[::-1],
        title=None,
        showticklabels=False,
        range=[-0.6, len(ys) - 0.4 + 0.5],
    )
    axis_title = wrap("Number as stated (each row its own source; never added up)", AXIS_CHARS)
    fig.update_xaxes(
        range=[x_lo, x_hi],
        title=axis_title,
        gridcolor="#E5E5E5",
        tickformat=",",
        automargin=True,
    )
    notes = [
        {
            "text": text,
            "xref": "paper",
            "x": 0,
            "xanchor": "left",
            "y": y,
            "yanchor": "bottom",
            "yshift": 11,
            "showarrow": False,
            "align": "left",
            "font": {"size": 11, "color": "#1A1A1A"},
        }
        for y, text in zip(ys, texts, strict=True)
    ]
    fig.update_layout(barmode="overlay")
    fig = _frame(
        fig,
        f"The article's {claim_label} beside the sources",
        source_line(rows),
        plot_px=int(row_px * (len(ys) + 0.5)),
        axis_bottom_px=_axis_px(axis_title),
    )
    # The row labels first, the source line last.
    fig.layout.annotations = notes + list(fig.layout.annotations)
    return fig


def claim_alt(
    claim_label: str,
    claimed_low: int,
    claimed_high: int | None,
    rows: pd.DataFrame,
    labels: list[str],
    roles: list[str],
) -> str:
    """Alt text: the range the claim allows, then every source figure with its role."""
    allowed = (
        f"{fmt_int(claimed_low)} or more"
        if claimed_high is None
        else (
            fmt_int(claimed_low)
            if claimed_high == claimed_low
            else f"{fmt_int(claimed_low)} to {fmt_int(claimed_high)}"
        )
    )
    parts = [
        f"{label}, {role.lower()}: {format_figure(r)} ({period_text(r)})"
        for label, role, (_, r) in zip(labels, roles, rows.iterrows(), strict=True)
    ]
    return (
        f"Dot chart: the article's {claim_label}, which allows {allowed}, drawn as a band, beside "
        f"{len(parts)} source figure{'s' if len(parts) != 1 else ''}, each on its own row and "
        "not added up. " + "; ".join(parts) + "."
    )


#: Plotly's plain formatting tags (no attributes) that chart text may use; every other tag,
#: including ``<a href>`` and ``<span style>``, is shown as text.
SAFE_TAGS = ("b", "i", "em", "sup", "sub", "br", "extra")


def inert_text(text: str) -> str:
    """Plotly text in which only ``SAFE_TAGS`` without attributes remain markup."""
    import re

    safe = "|".join(SAFE_TAGS)
    return re.sub(rf"<(?!/?(?:{safe})\s*/?>)", "&lt;", text, flags=re.IGNORECASE)


def inert_figure(fig: go.Figure) -> go.Figure:
    """The figure with every string passed through ``inert_text``: a last line of defence so that
    data text that a builder forgot to ``_escape`` can never become a link, a style or a tag.
    Returns ``fig`` itself when nothing needed changing."""
    changed = False

    def walk(obj):
        nonlocal changed
        if isinstance(obj, str):
            out = inert_text(obj) if "<" in obj else obj
            changed = changed or out != obj
            return out
        if isinstance(obj, dict):
            return {k: walk(v) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [walk(v) for v in obj]
        if getattr(obj, "dtype", None) is not None and obj.dtype.kind in "OU":
            return [walk(v) for v in obj.tolist()]
        return obj

    spec = walk(fig.to_plotly_json())
    return go.Figure(spec) if changed else fig


def unama_years_chart(df: pd.DataFrame, first_published: bool, years: tuple[int, int]):
    """The Over time page's UNAMA chart straight from the figures (see ``views.unama_years``)."""
    from figures import views

    killed, injured = (
        views.unama_years(df, m, first_published, years) for m in ("killed", "injured")
    )
    return unama_yearly_chart(killed, injured, first_published=first_published)


def yearly_lines_in(df: pd.DataFrame, category: str, measure: str, years: tuple[int, int]):
    """The Over time page's per-year lines straight from the figures."""
    from figures import views

    return yearly_lines(views.yearly_series_in(df, category, measure, years), category, measure)


# --- the footer of a shared chart -----------------------------------------------------------


def wrap_url(url: str, width: int = TEXT_CHARS) -> list[str]:
    """A link cut into lines of at most ``width`` characters, before a ``?`` or ``&`` where it
    can be (so each line is a readable part: the page, then one setting a line), else anywhere.
    Joined again without spaces, the lines give the link back."""
    parts = re.split(r"(?=[?&])", str(url))
    lines: list[str] = []
    for part in parts:
        while len(part) > width:  # a part longer than a line: cut it where the line ends
            if lines and len(lines[-1]) < width:
                room = width - len(lines[-1])
                lines[-1] += part[:room]
                part = part[room:]
                continue
            lines.append(part[:width])
            part = part[width:]
        if lines and len(lines[-1]) + len(part) <= width:
            lines[-1] += part
        elif part:
            lines.append(part)
    return lines


def source_note(fig: go.Figure):
    """The annotation with the chart's source line (None if it has none)."""
    return next((a for a in fig.layout.annotations if a.name == SOURCES_NAME), None)


def footer_lines(link: str | None, data_date: str, licence: str) -> list[str]:
    """The lines a shared chart carries under its sources (as Our World in Data's charts do):
    the licence and the data's date, then the link that reopens the view."""
    lines = [f"Licence: {licence}." + (f" Data as of {data_date}." if data_date else "")]
    if link:
        lines += wrap_url(link)
    return lines


def with_footer(fig: go.Figure, link: str | None, data_date: str, licence: str) -> go.Figure:
    """A copy of a ``_frame`` chart whose source line goes on with ``footer_lines``: the image
    a reader downloads (Plotly's PNG/SVG) then names the sources, the licence, the data's date
    and the link to the view. The chart grows by the new lines; the plot keeps its size and the
    legend its place."""
    out = go.Figure(fig)
    source = source_note(out)
    if source is None:
        return out
    lines = footer_lines(link, data_date, licence)
    extra = TEXT_LINE_PX * len(lines)
    plain = lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    text = "<br>".join(plain(line) for line in lines)  # no markup at all: not even <b>
    source.update(text=f"{source.text}<br>{text}" if source.text else text)
    old = out.layout.height or 450
    new = old + extra
    bottom = out.layout.margin.b if out.layout.margin.b is not None else 80
    out.update_layout(height=new, margin={"b": bottom + extra})
    legend_y = out.layout.legend.y
    if out.layout.legend.yref == "container" and legend_y is not None:
        # Keep the legend the same distance below the top of the (now taller) chart.
        out.update_layout(legend={"y": 1 - (1 - legend_y) * old / new})
    return out
