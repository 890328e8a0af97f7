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


def source_line(rows: pd.DataFrame, limit: int = 4) -> str:
    """'Sources: A (2019); B (2021)' for the bottom of a chart image."""
    seen: list[str] = []
    for _, r in rows.iterrows():
        item = f"{r[S.PUBLISHER]} ({pd.Timestamp(r[S.PUBLISHED]).year})"
        if item not in seen:
            seen.append(item)
    more = len(seen) - limit
    text = "; ".join(seen[:limit]) + (f"; and {more} more" if more > 0 else "")
    return "Sources: " + text


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
    """Horizontal bars, one per category, with each source's range drawn as an error bar.

    A figure given only as a range is drawn as a floating bar from low to high, never as a
    made-up midpoint.
    """
    rows = rows.reset_index(drop=True)
    labels = [S.value_label(S.CATEGORY, c) for c in rows[S.CATEGORY]]
    fig = go.Figure()
    point = rows[S.VALUE].notna()
    for is_point in (True, False):
        sub = rows[point] if is_point else rows[~point]
        if sub.empty:
            continue
        ys = [labels[i] for i in sub.index]
        colours = [PALETTE[i % len(PALETTE)] for i in sub.index]
        text = [format_figure(r) for _, r in sub.iterrows()]
        hover = [_hover(r) for _, r in sub.iterrows()]
        if is_point:
            has_range = sub[S.LOW].notna() & sub[S.HIGH].notna()
            err_plus = [
                int(r[S.HIGH] - r[S.VALUE]) if ok else 0
                for ok, (_, r) in zip(has_range, sub.iterrows(), strict=True)
            ]
            err_minus = [
                int(r[S.VALUE] - r[S.LOW]) if ok else 0
                for ok, (_, r) in zip(has_range, sub.iterrows(), strict=True)
            ]
            fig.add_trace(
                go.Bar(
                    name="Stated figure",
                    x=[int(v) for v in sub[S.VALUE]],
                    y=ys,
                    orientation="h",
                    marker={"color": colours},
                    text=text,
                    textposition="outside",
                    cliponaxis=False,
                    hovertext=hover,
                    hoverinfo="text",
                    customdata=list(sub[S.FIGURE_ID]),
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "array": err_plus,
                        "arrayminus": err_minus,
                        "color": "#333",
                        "thickness": 1.5,
                        "width": 6,
                    },
                )
            )
        else:
            fig.add_trace(
                go.Bar(
                    name="Range only (no single figure stated)",
                    x=[int(r[S.HIGH] - r[S.LOW]) for _, r in sub.iterrows()],
                    base=[int(v) for v in sub[S.LOW]],
                    y=ys,
                    orientation="h",
                    marker={"color": colours, "pattern": {"shape": "/"}},
                    text=text,
                    textposition="outside",
                    cliponaxis=False,
                    hovertext=hover,
                    hoverinfo="text",
                    customdata=list(sub[S.FIGURE_ID]),
                )
            )
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], title=None)
    fig.update_xaxes(
        type="log" if log else "linear",
        title="People killed (as each source states it; scale: "
        + ("log" if log else "linear")
        + ")",
        gridcolor="#E5E5E5",
        rangemode="tozero",
        tickformat=",",
    )
    fig.update_layout(showlegend=bool((~point).any()), legend={"orientation": "h", "y": -0.25})
    title = "People killed in the war in Afghanistan, by category and source"
    return _base_layout(fig, title, source_line(rows), height=140 + 60 * len(rows))


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
