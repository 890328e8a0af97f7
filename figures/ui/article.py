"""Article check: each numeric claim of the February 2020 article beside what the sources say."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from figures import charts, claims, text
from figures import schema as S
from figures.ui import common

KEY = "art_claim"

TABLE_COLUMNS = [
    S.FIGURE_ID,
    S.CATEGORY,
    S.MEASURE,
    S.VALUE,
    S.LOW,
    S.HIGH,
    S.QUALIFIER,
    S.PERIOD_START,
    S.PERIOD_END,
    S.GEOGRAPHY,
    S.PUBLISHER,
    S.PUBLISHED,
    S.SOURCE_URL,
]

ROLE_AT_DATE = "Edition current at the article's date"
ROLE_OLDER = "Older edition"
ROLE_LATER = "Later edition"
ROLE_OTHER = "Other cited figure"

INTRO = (
    "The project started from an opinion article of February 2020 about the US–Taliban talks. "
    "This page sets each number in it beside what the sources in this dataset say, and computes "
    'a verdict from the number, the words around it ("nearly", "more than") and the source '
    "figures. It checks the numbers only: it does not endorse or dispute the article's views. "
    "The article is dated 21 February 2020, the earliest date its text allows."
)


@st.cache_data(show_spinner=False, max_entries=4)
def _verdicts(df: pd.DataFrame, path: str, mtime_ns: int, size: int) -> list[claims.Verdict]:
    # mtime and size are part of the cache key: an edited claims file is re-read.
    return claims.evaluate_all(claims.load_claims(df, path), df)


def _load(df: pd.DataFrame) -> list[claims.Verdict]:
    path = claims.DEFAULT_PATH
    try:
        st_ = Path(path).stat()
        key = (st_.st_mtime_ns, st_.st_size)
    except OSError:
        key = (0, -1)
    return _verdicts(df, str(path), *key)


def _figures_of(v: claims.Verdict, df: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The figures drawn beside a claim: the reference's editions, then the other cited figures."""
    rows, roles = [], []
    shown: set[str] = set()
    if v.chain is not None:
        # The reference's editions: the one current at the article's date, the one before it,
        # an older one the claim matches, and every later one. Earlier editions would only
        # stretch the scale; the "How estimates changed" page has them all.
        ids = list(v.chain[S.FIGURE_ID])
        at = ids.index(v.at_date[S.FIGURE_ID])
        keep = set(ids[max(at - 1, 0) :])
        if v.matched is not None:
            keep.add(v.matched[S.FIGURE_ID])
        for _, r in v.chain.iterrows():
            if r[S.FIGURE_ID] not in keep:
                continue
            if r[S.FIGURE_ID] == v.at_date[S.FIGURE_ID]:
                role = ROLE_AT_DATE
            elif ids.index(r[S.FIGURE_ID]) < at:
                role = ROLE_OLDER
            else:
                role = ROLE_LATER
            rows.append(r)
            roles.append(role)
            shown.add(r[S.FIGURE_ID])
    for r, _ in v.comparisons:
        if r[S.FIGURE_ID] not in shown:
            rows.append(r)
            roles.append(ROLE_OTHER)
            shown.add(r[S.FIGURE_ID])
    frame = pd.DataFrame(rows).reset_index(drop=True) if rows else df.iloc[0:0]
    labels = []
    for _, r in frame.iterrows():
        label = claims.short_label(r)
        if claims.relation(v.claim, r) == "part":
            label += f" ({S.value_label(S.MEASURE, r[S.MEASURE])} only)"
        labels.append(label)
    # Two rows with the same label would share a chart row: make each one unique.
    seen: dict[str, int] = {}
    for i, lab in enumerate(labels):
        seen[lab] = seen.get(lab, 0) + 1
        if seen[lab] > 1:
            labels[i] = f"{lab} [{frame.loc[i, S.FIGURE_ID]}]"
    return frame, labels, roles


def _summary(verdicts: list[claims.Verdict]) -> None:
    table = pd.DataFrame(
        {
            "Claim (paraphrased)": [v.claim.claim for v in verdicts],
            "As the article puts it": [v.claim.words for v in verdicts],
            "Verdict": [v.badge for v in verdicts],
            "Id (for the choice below)": [v.claim.claim_id for v in verdicts],
        }
    )
    config = {
        "Claim (paraphrased)": st.column_config.TextColumn(width="large"),
        "Verdict": st.column_config.TextColumn(width="medium"),
    }
    # Tall enough to show every claim without scrolling (35 px a row plus the header).
    st.dataframe(
        table, hide_index=True, width="stretch", height=38 + 35 * len(table), column_config=config
    )


def _detail(v: claims.Verdict, df: pd.DataFrame) -> None:
    c = v.claim
    st.subheader(c.claim)
    st.badge(v.badge, color=v.color)
    said = f"**As the article puts it:** {text.md_escape(c.words)}"
    if c.cited_source:
        said += f" — naming as its source {text.md_escape(c.cited_source)}"
    st.markdown(said)
    st.markdown(f"**Why:** {text.md_escape(v.explanation)}")
    if v.latest_text:
        st.markdown(f"**As it stands in the latest edition:** {text.md_escape(v.latest_text)}")

    rows, labels, roles = _figures_of(v, df)
    if rows.empty:
        return
    lo, hi = claims.claimed_bounds(c)
    label = f"'{c.words}'"
    fig = charts.claim_chart(label, lo, hi, rows, labels, roles)
    alt = charts.claim_alt(label, lo, hi, rows, labels, roles)
    chart_tab, table_tab = st.tabs(["Chart", "Table"])
    with chart_tab:
        common.chart(fig, alt, f"article_chart_{c.claim_id}", f"article-check-{c.claim_id}")
    with table_tab:
        common.table(rows, TABLE_COLUMNS)

    st.markdown("**Each cited figure against the claim**")
    items = []
    for row, cmp in v.comparisons:
        link = text.md_link(claims.figure_label(row), row[S.SOURCE_URL])
        figure = text.md_escape(
            f"{charts.format_figure(row)} {S.value_label(S.MEASURE, row[S.MEASURE])}"
        )
        items.append(f"- {link}: {figure} — {text.md_escape(claims.comparison_text(c, row, cmp))}")
    st.markdown("\n".join(items))
    common.sources(rows)


def render(df: pd.DataFrame) -> None:
    st.title("Article check")
    params = common.query_snapshot()  # before the widget drops a value it does not know
    st.markdown(INTRO)
    try:
        verdicts = _load(df)
    except claims.ClaimsError as err:
        st.warning(
            "The article's claims could not be checked against these figures: the claims file "
            "does not fit them. Each line names the file, the line, the column and the problem.",
            icon="⚠️",
        )
        st.code("\n".join(str(p) for p in err.problems[:100]), language=None, wrap_lines=True)
        return

    by_id = {v.claim.claim_id: v for v in verdicts}
    _summary(verdicts)
    with st.expander("How the verdicts are computed"):
        st.markdown(claims.RULES_MARKDOWN)
    # The ids themselves are the options: a bound widget writes its option's label to the URL,
    # so a format_func would put the label, not the id, in shared links. Claims that cite figures
    # come first, so the default view has something to compare.
    ids = [v.claim.claim_id for v in verdicts if v.comparisons]
    ids += [cid for cid in by_id if cid not in ids]
    chosen = st.selectbox("Claim to look at (by id)", ids, key=KEY, bind="query-params")
    common.param_notice(params, {KEY: set(by_id)})
    _detail(by_id[chosen], df)


if __name__ == "__main__":
    render(common.load_figures())
