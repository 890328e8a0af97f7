"""The full provenance of one figure, for the Data & sources page. Pure: no Streamlit.

Data text reaches Markdown only through ``figures.text`` (escaped; only http(s) URLs become links).
"""

from __future__ import annotations

import pandas as pd

from figures import about, text, views
from figures import schema as S
from figures.charts import fmt_date, format_figure, period_text, source_kind_text

#: Columns of the revision table, as (key, heading).
REVISION_COLUMNS = (
    ("position", "Position"),
    (S.FIGURE_ID, S.label(S.FIGURE_ID)),
    ("figure", "Figure"),
    (S.EDITION, S.label(S.EDITION)),
    (S.PUBLISHED, S.label(S.PUBLISHED)),
    (S.STATUS, S.label(S.STATUS)),
    (S.PUBLISHER, S.label(S.PUBLISHER)),
    (S.SOURCE_KIND, S.label(S.SOURCE_KIND)),
)


def _present(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def headline(row: pd.Series) -> str:
    """'Afghan civilians: 38,480 killed' (plain text)."""
    cat = S.value_label(S.CATEGORY, row[S.CATEGORY])
    measure = S.value_label(S.MEASURE, row[S.MEASURE])
    return f"{cat}: {format_figure(row)} {measure}"


def figure_markdown(row: pd.Series) -> str:
    """Everything recorded about one figure: source, scope, excerpt, caveat, status explained."""
    esc = text.md_escape
    geo = S.value_label(S.GEOGRAPHY, row[S.GEOGRAPHY])
    if _present(row[S.NATIONALITY]):
        geo += f"; forces of {row[S.NATIONALITY]}"
    lines = [
        f"#### {esc(headline(row))}",
        f"**Figure id:** {esc(row[S.FIGURE_ID])}",
        "",
        "- **Source:** "
        + text.md_link(f"{row[S.PUBLISHER]}, {row[S.SOURCE_TITLE]}", row[S.SOURCE_URL])
        + " "
        + esc(f"(published {fmt_date(row[S.PUBLISHED])})"),
        f"- **Kind of source:** {esc(source_kind_text(row))}",
        f"- **Address:** {esc(row[S.SOURCE_URL])}",
        f"- **Covers:** {esc(period_text(row))}; {esc(geo)}",
        f"- **How it was counted:** {esc(S.value_label(S.METHOD, row[S.METHOD]))}",
    ]
    qualifier = S.QUALIFIER_LABELS.get(row[S.QUALIFIER], "")
    if qualifier:
        lines.append(f"- **Qualifier:** {esc(f'{qualifier} ({row[S.QUALIFIER]})')}")
    for col, label in (
        (S.PUBLISHER_URL, "Publisher's own address"),
        (S.ARCHIVE_URL, "Archived copy"),
    ):
        if col in row.index and text.safe_url(row[col]):
            lines.append(f"- **{label}:** {text.md_link(row[col], row[col])}")
    for col in (S.LOCATOR, S.EDITION, S.COUNTING_RULE, S.DOSSIER_REF):
        if col in row.index and _present(row[col]):
            lines.append(f"- **{S.label(col)}:** {esc(row[col])}")
    excerpt_note = (
        "the computation behind it" if row[S.STATUS] == "DERIVED" else "as printed in the source"
    )
    lines += [
        "",
        f"**Excerpt** ({excerpt_note}):",
        "",
        f"> {esc(row[S.EXCERPT])}",
        "",
        "**Caveat:** "
        + (esc(row[S.CAVEAT]) if _present(row[S.CAVEAT]) else "none recorded for this figure."),
        "",
        f"**Status: {esc(row[S.STATUS])}.** {esc(about.status_explanation(row[S.STATUS]))}",
    ]
    return "\n".join(lines)


def figure_record(row: pd.Series) -> list[tuple[str, str]]:
    """Everything recorded about one figure as (field, plain text) pairs, in reading order: the
    same content as ``figure_markdown``, for renderers that draw a table (the page spec)."""
    geo = S.value_label(S.GEOGRAPHY, row[S.GEOGRAPHY])
    if _present(row[S.NATIONALITY]):
        geo += f"; forces of {row[S.NATIONALITY]}"
    out = [
        ("Figure", headline(row)),
        ("Figure id", str(row[S.FIGURE_ID])),
        ("Source", f"{row[S.PUBLISHER]}, {row[S.SOURCE_TITLE]}"),
        ("Published", fmt_date(row[S.PUBLISHED])),
        ("Kind of source", source_kind_text(row)),
        ("Address", str(row[S.SOURCE_URL])),
        ("Covers", f"{period_text(row)}; {geo}"),
        ("How it was counted", S.value_label(S.METHOD, row[S.METHOD])),
    ]
    qualifier = S.QUALIFIER_LABELS.get(row[S.QUALIFIER], "")
    if qualifier:
        out.append(("Qualifier", f"{qualifier} ({row[S.QUALIFIER]})"))
    for col, label in (
        (S.PUBLISHER_URL, "Publisher's own address"),
        (S.ARCHIVE_URL, "Archived copy"),
    ):
        if col in row.index and text.safe_url(row[col]):
            out.append((label, str(row[col])))
    for col in (S.LOCATOR, S.EDITION, S.COUNTING_RULE, S.DOSSIER_REF):
        if col in row.index and _present(row[col]):
            out.append((S.label(col), str(row[col])))
    excerpt_note = (
        "the computation behind it" if row[S.STATUS] == "DERIVED" else "as printed in the source"
    )
    out += [
        (f"Excerpt ({excerpt_note})", str(row[S.EXCERPT])),
        ("Caveat", str(row[S.CAVEAT]) if _present(row[S.CAVEAT]) else "none recorded"),
        ("Status", f"{row[S.STATUS]}: {about.status_explanation(row[S.STATUS])}"),
    ]
    return out


def revisions(df: pd.DataFrame, figure_id: str) -> pd.DataFrame:
    """The figure's revision history, oldest first: earlier values, the figure, later values.

    Columns are the keys of ``REVISION_COLUMNS``; ``position`` says 'earlier value',
    'this figure' or 'later value'. Empty when the id is not in the data.
    """
    chain = views.revision_chain(df, figure_id)
    if chain.empty:
        return pd.DataFrame(columns=[k for k, _ in REVISION_COLUMNS])
    later = views.later_revisions(df, figure_id)
    rows = pd.concat([chain, later], ignore_index=True)
    position = ["earlier value"] * (len(chain) - 1) + ["this figure"] + ["later value"] * len(later)
    out = pd.DataFrame(
        {
            "position": position,
            S.FIGURE_ID: rows[S.FIGURE_ID].astype(str),
            "figure": [
                f"{format_figure(r)} {S.value_label(S.MEASURE, r[S.MEASURE])}"
                for _, r in rows.iterrows()
            ],
            S.EDITION: rows[S.EDITION].fillna("").astype(str),
            S.PUBLISHED: [fmt_date(d) for d in rows[S.PUBLISHED]],
            S.STATUS: rows[S.STATUS].astype(str),
            S.PUBLISHER: rows[S.PUBLISHER].astype(str),
            S.SOURCE_KIND: [source_kind_text(r) for _, r in rows.iterrows()],
        }
    )
    return out


def revisions_summary(history: pd.DataFrame) -> str:
    """One sentence on where the figure sits in its series (plain text)."""
    earlier = int((history["position"] == "earlier value").sum())
    later = int((history["position"] == "later value").sum())
    if not earlier and not later:
        return "No other edition or revision of this figure is in the data."
    parts = []
    if earlier:
        parts.append(f"replaces {earlier} earlier value{'s' if earlier != 1 else ''}")
    if later:
        parts.append(
            f"is replaced by {later} later value{'s' if later != 1 else ''}; charts show "
            "the latest revision by default"
        )
    else:
        parts.append("is the latest revision, which charts show by default")
    return "This figure " + " and ".join(parts) + "."
