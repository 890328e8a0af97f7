"""Pure selection logic: which rows a view shows. No Streamlit, no drawing."""

from __future__ import annotations

import pandas as pd

from figures import schema as S

#: Columns whose values must agree before figures may be summed or stacked into one bar.
SCOPE_COLUMNS = (S.GEOGRAPHY, S.METHOD, S.MEASURE)


class ScopeError(ValueError):
    """Figures of different scope were about to be added up or stacked."""


def superseded_ids(df: pd.DataFrame) -> set[str]:
    """Ids that a later revision or edition replaces."""
    return set(df[S.SUPERSEDES].dropna())


def current(df: pd.DataFrame) -> pd.DataFrame:
    """The latest revision of every series: rows no other row supersedes."""
    return df[~df[S.FIGURE_ID].isin(superseded_ids(df))]


def revision_chain(df: pd.DataFrame, figure_id: str) -> pd.DataFrame:
    """The figure and every earlier value it replaces, oldest first."""
    by_id = df.set_index(S.FIGURE_ID, drop=False)
    chain, cur, seen = [], figure_id, set()
    while isinstance(cur, str) and cur in by_id.index and cur not in seen:
        seen.add(cur)
        row = by_id.loc[cur]
        chain.append(row)
        cur = row[S.SUPERSEDES] if pd.notna(row[S.SUPERSEDES]) else None
    return pd.DataFrame(chain[::-1]).reset_index(drop=True)


def check_same_scope(df: pd.DataFrame) -> None:
    """Raise ScopeError unless every row has one geography, one method and one measure."""
    problems = []
    for col in SCOPE_COLUMNS:
        values = sorted(df[col].dropna().unique())
        if len(values) > 1:
            problems.append(f"{col}: {', '.join(values)}")
    if problems:
        raise ScopeError(
            "figures of different scope cannot be added up or stacked ("
            + "; ".join(problems)
            + "); show them side by side instead"
        )


def total(df: pd.DataFrame) -> int:
    """Sum of ``value`` over figures of one scope. Raises ScopeError across scopes."""
    check_same_scope(df)
    if df[S.VALUE].isna().any():
        raise ScopeError("a figure given only as a range cannot be added to others")
    return int(df[S.VALUE].sum())


def stack_groups(df: pd.DataFrame, by: str) -> dict[str, pd.DataFrame]:
    """Split figures into the segments of one stacked bar; refuses to mix scopes."""
    check_same_scope(df)
    return {k: g for k, g in df.groupby(by, sort=False)}


#: Geographies an overview bar may show: Afghanistan itself, or the scopes the US and
#: iCasualties counts use for it. Afghanistan-and-Pakistan and all-war-zone totals never are.
OVERVIEW_GEOGRAPHIES = ("afghanistan", "in_and_around_afghanistan", "oef_all_locations")

#: The default source of each overview bar, following the dossier's rule 3 (latest publishable
#: edition of the most complete source). Used when present in the data; otherwise the most
#: complete candidate is chosen by ``overview_candidates``' order.
OVERVIEW_DEFAULTS = {
    "us_military": "mil-dod-2021-us-killed-oef-all-ofs",  # DoD 2,461, OEF all locations + OFS
    "civilians": "cow-2021-04-civilians-killed",  # Costs of War, Apr 2021
    "afghan_security_forces": "cow-2021-04-afghan-security-forces-killed",
    "opposition_fighters": "cow-2021-04-opposition-fighters-killed",
}


def overview_candidates(df: pd.DataFrame, category: str, measure: str = "killed") -> pd.DataFrame:
    """Figures a reader may choose for one overview bar: totals of the war so far.

    Latest revisions of totals that start by the end of 2001 and run to 2010 or later, of one
    category and measure, in Afghanistan (see ``OVERVIEW_GEOGRAPHIES``), not computed, not
    per-country; most complete first (latest period end, then primary sources, then latest
    publication).
    """
    rows = current(df)
    per_country = rows[S.NATIONALITY].notna() & (rows[S.CATEGORY] == "allied_military")
    rows = rows[
        (rows[S.CATEGORY] == category)
        & (rows[S.MEASURE] == measure)
        & (rows[S.STATUS] != "DERIVED")
        & ~per_country
        & rows[S.GEOGRAPHY].isin(OVERVIEW_GEOGRAPHIES)
        & (rows[S.PERIOD_START] <= pd.Timestamp("2001-12-31"))
        & (rows[S.PERIOD_END] >= pd.Timestamp("2010-01-01"))
    ]
    rank = (rows[S.STATUS] == "PRIMARY").astype(int)
    return (
        rows.assign(_primary=rank)
        .sort_values(
            [S.PERIOD_END, "_primary", S.PUBLISHED, S.FIGURE_ID],
            ascending=[False, False, False, True],
        )
        .drop(columns="_primary")
    )


def overview_default(cands: pd.DataFrame, category: str) -> str:
    """The figure_id an overview bar shows when the reader has not chosen one."""
    preferred = OVERVIEW_DEFAULTS.get(category)
    ids = list(cands[S.FIGURE_ID])
    return preferred if preferred in ids else ids[0]


def overview_rows(df: pd.DataFrame, choices: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per main category: the chosen figure, else the most complete current one."""
    choices = choices or {}
    picked = []
    for cat in S.MAIN_CATEGORIES:
        cands = overview_candidates(df, cat)
        if cands.empty:
            continue
        chosen = choices.get(cat)
        if chosen is None or chosen not in set(cands[S.FIGURE_ID]):
            chosen = overview_default(cands, cat)
        picked.append(cands[cands[S.FIGURE_ID] == chosen].iloc[0])
    return pd.DataFrame(picked).reset_index(drop=True)


#: Query parameters Streamlit itself understands; never reported as unknown.
FRAMEWORK_PARAMS = frozenset({"embed", "embed_options"})


def bad_params(params: dict[str, str], valid: dict[str, object]) -> list[str]:
    """Names of URL parameters that are unknown or whose value is not allowed, sorted.

    ``valid`` maps a parameter name to the set of allowed values or to a predicate.
    """
    bad = []
    for key, value in params.items():
        if key in FRAMEWORK_PARAMS:
            continue
        check = valid.get(key)
        if check is None:
            bad.append(key)
        elif callable(check):
            if not check(value):
                bad.append(key)
        elif value not in check:
            bad.append(key)
    return sorted(bad)
