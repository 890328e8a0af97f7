"""Article check: each numeric claim of the February 2020 article beside what the sources say."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from figures import charts, claims, views
from figures import schema as S
from figures.pages import Chart, Fold, Link, Note, Param, Section, Table, TextTable, View

SLUG = "article-check"
TITLE = "Article check"
KEY = "art_claim"
SLOT = "claim"  # the claim's detail, right under its choice
TABLE_COLUMNS = (
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
)
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
SUMMARY_CAPTION = "The article's numbers and what the sources say"
CLAIMS_ERROR = (
    "The article's claims could not be checked against these figures: the claims file "
    "does not fit them. Each line names the file, the line, the column and the problem."
)


def cache_key() -> tuple:
    """The claims file's version (``$FIGURES_CLAIMS`` or data/claims.csv): an edited or another
    claims file is re-read."""
    path = claims.default_path()
    try:
        st_ = path.stat()
        return (str(path), st_.st_mtime_ns, st_.st_size)
    except OSError:
        return (str(path), 0, -1)


def _verdicts(df: pd.DataFrame) -> list[claims.Verdict]:
    """Every claim's verdict, once per frame and claims file version (each claim's view and
    the snapshot's claim pages share them; an edited claims file is read again)."""
    return views.memo(
        "claim_verdicts", df, lambda: claims.evaluate_all(claims.load_claims(df), df), cache_key()
    )


def _order(verdicts: list[claims.Verdict]) -> list[str]:
    """Claims that cite figures first, so the default view has something to compare."""
    ids = [v.claim.claim_id for v in verdicts if v.comparisons]
    return ids + [v.claim.claim_id for v in verdicts if v.claim.claim_id not in ids]


def params(df: pd.DataFrame) -> tuple[Param, ...]:
    try:
        verdicts = _verdicts(df)
    except claims.ClaimsError:
        return ()
    ids = _order(verdicts)
    # The reader chooses a claim by its text; the link carries its id (?art_claim=<id>).
    return (
        Param(
            KEY,
            "Claim to look at",
            choices=tuple(ids),
            default=ids[0] if ids else None,
            labels={v.claim.claim_id: v.claim.claim for v in verdicts},
            section=SLOT,
        ),
    )


def figures_of(v: claims.Verdict, df: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
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


def _detail(v: claims.Verdict, df: pd.DataFrame) -> Section:
    c = v.claim
    said = c.words + (f" — naming as its source {c.cited_source}" if c.cited_source else "")
    lead = [
        Note(said, heading="As the article puts it:", small=False),
        Note(v.explanation, heading="Why:", small=False),
    ]
    if v.latest_text:
        lead.append(Note(v.latest_text, heading="As it stands in the latest edition:", small=False))
    rows, labels, roles = figures_of(v, df)
    if rows.empty:
        return Section(c.claim, badge=(v.badge, v.color), lead=tuple(lead), slot=SLOT, minor=True)
    lo, hi = claims.claimed_bounds(c)
    label = f"'{c.words}'"
    chart = Chart(
        charts.claim_chart(label, lo, hi, rows, labels, roles),
        charts.claim_alt(label, lo, hi, rows, labels, roles),
        f"article-check-{c.claim_id}",
        table=Table(rows, TABLE_COLUMNS),
        key=f"article_chart_{c.claim_id}",
    )
    links = tuple(
        Link(
            claims.figure_label(row),
            row[S.SOURCE_URL],
            f"{charts.format_figure(row)} {S.value_label(S.MEASURE, row[S.MEASURE])} — "
            + claims.comparison_text(c, row, cmp),
        )
        for row, cmp in v.comparisons
    )
    return Section(
        c.claim,
        badge=(v.badge, v.color),
        lead=tuple(lead),
        charts=(chart,),
        links_heading="Each cited figure against the claim",
        links=links,
        figures=rows,
        slot=SLOT,
        minor=True,
    )


def build(df: pd.DataFrame, state: Mapping[str, object]) -> View:
    head = {"slug": SLUG, "title": TITLE, "intro": INTRO}
    try:
        verdicts = _verdicts(df)
    except claims.ClaimsError as err:
        return View(
            **head, message=CLAIMS_ERROR, problems=tuple(str(p) for p in err.problems[:100])
        )
    if not verdicts:
        return View(**head, message="The claims file has no claims.")
    by_id = {v.claim.claim_id: v for v in verdicts}
    chosen = state.get(KEY)
    if chosen not in by_id:
        chosen = _order(verdicts)[0]
    summary = TextTable(
        caption=SUMMARY_CAPTION,
        header=("Claim (paraphrased)", "As the article puts it", "Verdict"),
        rows=tuple((v.claim.claim, v.claim.words, v.badge) for v in verdicts),
    )
    return View(
        **head,
        text_tables=(summary,),
        folds=(Fold("How the verdicts are computed", claims.RULES_MARKDOWN),),
        sections=(_detail(by_id[str(chosen)], df),),
    )
