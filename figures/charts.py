"""Pure chart builders: DataFrame + explicit options -> plotly ``go.Figure`` (and alt text).

Nothing here draws on screen; the UI passes the returned figure to ``st.plotly_chart``.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from figures import schema as S

#: Okabe-Ito colour-blind-safe palette (same as .streamlit/config.toml).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
FONT = "Source Sans Pro, Arial, sans-serif"


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


def source_line(rows: pd.DataFrame, limit: int = 4, width: int = 110) -> str:
    """'Sources: A (2019); B (2021)' for the bottom of a chart image, wrapped to ``width``."""
    seen: list[str] = []
    for _, r in rows.iterrows():
        item = f"{r[S.PUBLISHER]} ({pd.Timestamp(r[S.PUBLISHED]).year})"
        if item not in seen:
            seen.append(item)
    more = len(seen) - limit
    items = seen[:limit] + ([f"and {more} more"] if more > 0 else [])
    lines, cur = [], "Sources: "
    for i, item in enumerate(items):
        piece = item + ("; " if i < len(items) - 1 else "")
        if len(cur) + len(piece) > width and cur.strip():
            lines.append(cur.rstrip())
            cur = ""
        cur += piece
    lines.append(cur.rstrip())
    return "<br>".join(_escape(line) for line in lines)


def _base_layout(fig: go.Figure, title: str, source: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        font={"family": FONT, "size": 13, "color": "#1A1A1A"},
        height=height,
        margin={"l": 10, "r": 30, "t": 60, "b": 80},
        plot_bgcolor="white",
        paper_bgcolor="white",
        colorway=list(PALETTE),
        hoverlabel={"align": "left"},
        annotations=[
            {
                "text": source,
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


def overview_bar(rows: pd.DataFrame, log: bool = False) -> go.Figure:
    """Horizontal bars, one per category, with each source's range drawn as a whisker.

    A figure given only as a range (no single number) is drawn as a hatched bar to the range's
    low end with a whisker to its high end, labelled with the range: never an invented midpoint.
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
                # Ranged figures carry their label at the whisker's end instead.
                text=[
                    "" if pd.notna(r[S.LOW]) and pd.notna(r[S.HIGH]) else format_figure(r)
                    for _, r in sub.iterrows()
                ],
                textposition="outside",
                cliponaxis=False,
                hovertext=[_hover(r) for _, r in sub.iterrows()],
                hoverinfo="text",
                customdata=list(sub[S.FIGURE_ID]),
            )
        )
    ranged = rows[rows[S.LOW].notna() & rows[S.HIGH].notna()]
    if not ranged.empty:
        fig.add_trace(
            go.Scatter(
                name="Source's range (low–high)",
                x=[int(r[S.HIGH]) for _, r in ranged.iterrows()],
                y=[labels[i] for i in ranged.index],
                mode="markers+text",
                text=[format_figure(r) for _, r in ranged.iterrows()],
                textposition="middle right",
                cliponaxis=False,
                marker={"color": "#333", "size": 1, "opacity": 0},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [0] * len(ranged),
                    "arrayminus": [int(r[S.HIGH] - r[S.LOW]) for _, r in ranged.iterrows()],
                    "color": "#333",
                    "thickness": 2,
                    "width": 8,
                },
                hovertext=[_hover(r) for _, r in ranged.iterrows()],
                hoverinfo="text",
                customdata=list(ranged[S.FIGURE_ID]),
            )
        )
    fig.update_yaxes(
        categoryorder="array", categoryarray=labels[::-1], title=None, automargin=True
    )
    top = max(int(v) for v in rows[S.HIGH].fillna(0).tolist() + length.tolist()) if len(rows) else 1
    xaxis = {
        "type": "log" if log else "linear",
        "title": "People killed, as each source states it (" + ("log" if log else "linear")
        + " scale)",
        "gridcolor": "#E5E5E5",
        "tickformat": ",",
        "automargin": True,
    }
    if not log:
        xaxis["range"] = [0, top * 1.25]
    fig.update_xaxes(**xaxis)
    fig.update_layout(
        showlegend=True,
        legend={"orientation": "h", "y": -0.18, "yanchor": "top", "x": 0},
        bargap=0.35,
    )
    title = "People killed in the war in Afghanistan, by category and source"
    fig = _base_layout(fig, title, source_line(rows), height=220 + 60 * len(rows))
    fig.update_layout(margin={"l": 10, "r": 30, "t": 60, "b": 130})
    fig.layout.annotations[0].update(y=-0.18, yshift=-40)
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
