"""Pure selection logic: which rows a view shows. No Streamlit, no drawing."""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from figures import schema as S

#: Columns whose values must agree before figures may be summed or stacked into one bar.
SCOPE_COLUMNS = (S.GEOGRAPHY, S.METHOD, S.MEASURE)


class ScopeError(ValueError):
    """Figures of different scope were about to be added up or stacked."""


def superseded_ids(df: pd.DataFrame) -> set[str]:
    """Ids that a later revision or edition replaces."""
    return set(df[S.SUPERSEDES].dropna())


def isin(s: pd.Series, values) -> np.ndarray:
    """``s.isin(values)`` as a bool array, for many values (ids): pandas makes an Arrow scalar of
    each value on Arrow-backed strings (0.1 s for 20,000 ids); Arrow's own ``is_in`` takes 3 ms."""
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = pa.array(list(values) if isinstance(values, (set, frozenset, dict)) else values)
    if len(wanted) == 0 or len(s) == 0:
        return np.zeros(len(s), dtype=bool)
    found = pc.is_in(pa.array(s, from_pandas=True), value_set=wanted.cast(pa.string()))
    return np.asarray(found.fill_null(False), dtype=bool)


def superseded(df: pd.DataFrame) -> np.ndarray:
    """Per row: whether a later revision or edition in ``df`` replaces it."""
    return memo("superseded", df, lambda: isin(df[S.FIGURE_ID], df[S.SUPERSEDES].dropna()))


def current(df: pd.DataFrame) -> pd.DataFrame:
    """The latest revision of every series: rows no other row supersedes."""
    return df[~superseded(df)]


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
    # The other bars run to 2021, so the coalition bar does too: the only coalition total in the
    # data that runs to the war's end ("more than 3,500" to Aug 2021, official statistics as
    # reported by El Litoral). iCasualties' fuller count stops in Dec 2016 and stays a choice.
    "coalition_military": "mil-ellitoral-2021-08-coalition-killed",
    "us_military": "mil-dod-2021-us-killed-oef-all-ofs",  # DoD 2,461, OEF all locations + OFS
    "civilians": "cow-2021-04-civilians-killed",  # Costs of War, Apr 2021
    "afghan_security_forces": "cow-2021-04-afghan-security-forces-killed",
    "opposition_fighters": "cow-2021-04-opposition-fighters-killed",
}


def citation_strength(rows: pd.DataFrame) -> pd.Series:
    """How strong each figure's citation is, higher is stronger: a publisher's document 4, a
    faithful copy 3, a news report 2, a reference compilation 1; a computed figure 0. Files
    without the kind of source fall back on the status (PRIMARY 3, SECONDARY 2)."""
    top = len(S.SOURCE_KIND_RANK)
    by_status = rows[S.STATUS].map({"PRIMARY": 3, "SECONDARY": 2}).fillna(0)
    if S.SOURCE_KIND in rows.columns:
        by_kind = top - rows[S.SOURCE_KIND].map(S.SOURCE_KIND_RANK).astype("Float64")
        strength = by_kind.fillna(by_status).astype(float)
    else:
        strength = by_status.astype(float)
    return strength.where(rows[S.STATUS] != "DERIVED", 0).astype(int)


def overview_candidates_all(df: pd.DataFrame, measure: str = "killed") -> dict[str, pd.DataFrame]:
    """``overview_candidates`` for every main category at once (one pass over the data)."""
    per_country = df[S.NATIONALITY].notna() & (df[S.CATEGORY] == "allied_military")
    rows = df[
        df[S.CATEGORY].isin(S.MAIN_CATEGORIES)
        & (df[S.MEASURE] == measure)
        & (df[S.STATUS] != "DERIVED")
        & ~per_country
        & df[S.GEOGRAPHY].isin(OVERVIEW_GEOGRAPHIES)
        & (df[S.PERIOD_START] <= pd.Timestamp("2001-12-31"))
        & (df[S.PERIOD_END] >= pd.Timestamp("2010-01-01"))
    ]
    latest = (~isin(rows[S.FIGURE_ID], df[S.SUPERSEDES].dropna())).astype(int)
    rank = citation_strength(rows)
    ordered = (
        rows.assign(_latest=latest, _primary=rank)
        .sort_values(
            ["_latest", S.PERIOD_END, "_primary", S.PUBLISHED, S.FIGURE_ID],
            ascending=[False, False, False, False, True],
        )
        .drop(columns=["_latest", "_primary"])
    )
    groups = {str(k): g for k, g in ordered.groupby(S.CATEGORY, sort=False)}
    return {c: groups[c] for c in S.MAIN_CATEGORIES if c in groups}


def overview_candidates(df: pd.DataFrame, category: str, measure: str = "killed") -> pd.DataFrame:
    """Figures a reader may choose for one overview bar: totals of the war so far.

    Totals that start by the end of 2001 and run to 2010 or later, of one category and measure,
    in Afghanistan (see ``OVERVIEW_GEOGRAPHIES``), not computed, not per-country. Latest
    revisions first, most complete first among them (latest period end, then primary sources,
    then latest publication); superseded editions after them, so a reader can still pick one.
    """
    found = overview_candidates_all(df, measure).get(category)
    return found if found is not None else df.iloc[0:0]


#: The year the war ended: default overview bars run to it where the data has such a total.
WAR_END_YEAR = 2021


def overview_default(cands: pd.DataFrame, category: str) -> str:
    """The figure_id an overview bar shows when the reader has not chosen one.

    ``OVERVIEW_DEFAULTS`` when present; otherwise, so that the bars cover the same span, the
    candidate running to ``WAR_END_YEAR`` with the strongest citation (``citation_strength``);
    otherwise the first candidate (the most complete current one)."""
    preferred = OVERVIEW_DEFAULTS.get(category)
    ids = list(cands[S.FIGURE_ID])
    if preferred in ids:
        return preferred
    to_end = cands[cands[S.PERIOD_END].dt.year >= WAR_END_YEAR]
    if not to_end.empty:
        strength = citation_strength(to_end)
        return str(to_end.loc[strength.idxmax(), S.FIGURE_ID])
    return ids[0]


def overview_rows(
    df: pd.DataFrame,
    choices: dict[str, str] | None = None,
    candidates: dict[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """One row per main category: the chosen figure, else the most complete current one.

    ``candidates`` is ``overview_candidates_all(df)`` when the caller already has it.
    """
    choices = choices or {}
    candidates = overview_candidates_all(df) if candidates is None else candidates
    picked = []
    for cat in S.MAIN_CATEGORIES:
        cands = candidates.get(cat)
        if cands is None or cands.empty:
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


#: Columns the data page's search box looks in.
SEARCH_COLUMNS = (S.PUBLISHER, S.SOURCE_TITLE, S.EXCERPT, S.CAVEAT, S.FIGURE_ID)


def search(df: pd.DataFrame, query: str | None) -> pd.DataFrame:
    """Rows whose publisher, title, excerpt, caveat or figure_id contain every word of the query.

    Case-insensitive plain-text matching (no patterns); an empty query keeps every row.
    """
    words = (query or "").casefold().split()
    if not words or df.empty:
        return df
    haystack = df[SEARCH_COLUMNS[0]].astype("string").fillna("")
    for col in SEARCH_COLUMNS[1:]:
        haystack = haystack + "\n" + df[col].astype("string").fillna("")
    haystack = haystack.str.casefold()
    keep = pd.Series(True, index=df.index)
    for word in words:
        keep &= haystack.str.contains(word, regex=False)
    return df[keep.astype(bool)]


def filter_values(df: pd.DataFrame, selected: dict[str, list[str]]) -> pd.DataFrame:
    """Rows whose value in each column is one of the values selected for it.

    ``selected`` maps a column to the values to keep; an empty selection keeps every row (and
    returns ``df`` itself, so that what a renderer derived from it is reused).
    """
    if not any(selected.values()):
        return df
    keep = pd.Series(True, index=df.index)
    for col, values in selected.items():
        if values:
            keep &= df[col].isin(list(values))
    return df[keep]


def later_revisions(df: pd.DataFrame, figure_id: str) -> pd.DataFrame:
    """Every later value that replaces the figure, directly or through another, oldest first."""
    sup = df[S.SUPERSEDES]
    found: list[str] = []
    frontier, seen = [figure_id], {figure_id}
    while frontier:
        nxt = df.loc[sup.isin(frontier), S.FIGURE_ID]
        frontier = [i for i in nxt if i not in seen]
        seen.update(frontier)
        found.extend(frontier)
    order = {fid: n for n, fid in enumerate(found)}
    rows = df[isin(df[S.FIGURE_ID], list(order))]
    return rows.sort_values(S.FIGURE_ID, key=lambda s: s.map(order)).reset_index(drop=True)


# --- How estimates changed (issue #4, page 4) -------------------------------------------------

#: Publisher of the Costs of War editions (matched as a substring of ``publisher``; the longer
#: form keeps out rows such as "UNAMA (quoted by Costs of War)").
COSTS_OF_WAR = "Costs of War (Watson Institute"
#: Publisher of the UNAMA yearly civilian figures (substring of ``publisher``).
UNAMA = "UNAMA"
#: Derived columns added by ``revision_changes``.
STAGE = "stage"
CHANGE = "change"
CHANGE_PCT = "change_pct"


def edition_chains(df: pd.DataFrame, publisher_contains: str, category: str) -> list[pd.DataFrame]:
    """Every edition chain of one publisher and category, each oldest first.

    A chain starts at a current figure (one no later edition replaces) and follows ``supersedes``
    back through earlier editions (``revision_chain``). Figures no chain links to are chains of
    one. Longest chains first; then the most recent; ties by figure_id.
    """
    rows = current(df)
    heads = rows[
        rows[S.PUBLISHER].str.contains(publisher_contains, regex=False).fillna(False)
        & (rows[S.CATEGORY] == category)
    ]
    chains = [revision_chain(df, fid) for fid in heads[S.FIGURE_ID]]
    return sorted(
        chains,
        key=lambda c: (-len(c), -c[S.PERIOD_END].max().value, c[S.FIGURE_ID].iloc[-1]),
    )


def edition_categories(df: pd.DataFrame, publisher_contains: str) -> list[str]:
    """Categories with at least one chain of two or more editions, in the schema's order."""
    out = []
    for cat in S.CATEGORY_LABELS:
        if any(len(c) > 1 for c in edition_chains(df, publisher_contains, cat)):
            out.append(cat)
    return out


def year_rows(
    df: pd.DataFrame, year: int, measure: str, publisher_contains: str = UNAMA
) -> pd.DataFrame:
    """Civilian figures of one publisher for exactly one calendar year and one measure."""
    start, end = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31)
    return df[
        df[S.PUBLISHER].str.contains(publisher_contains, regex=False).fillna(False)
        & (df[S.CATEGORY] == "civilians")
        & (df[S.MEASURE] == measure)
        & (df[S.PERIOD_START] == start)
        & (df[S.PERIOD_END] == end)
    ]


def year_revision_chain(
    df: pd.DataFrame, year: int, measure: str, publisher_contains: str = UNAMA
) -> pd.DataFrame:
    """The publisher's values for one year, first published to latest revision (oldest first).

    Follows ``supersedes`` back from the latest revision. Where several unlinked series exist,
    the longest chain wins, then the most recently published. Empty when there is none.
    """
    rows = year_rows(df, year, measure, publisher_contains)
    heads = rows[~isin(rows[S.FIGURE_ID], df[S.SUPERSEDES].dropna())]
    if heads.empty:
        return rows.iloc[0:0].reset_index(drop=True)
    chains = [revision_chain(df, fid) for fid in heads[S.FIGURE_ID]]
    return max(chains, key=lambda c: (len(c), c[S.PUBLISHED].max(), c[S.FIGURE_ID].iloc[-1]))


def revision_changes(chain: pd.DataFrame) -> pd.DataFrame:
    """The chain with each value's stage and its change from the first-published value.

    Adds ``stage`` ('first published', 'interim revision', 'latest revision'; a chain of one is
    'first published'), ``change`` (value minus the first value; whole number) and ``change_pct``
    (that change in percent of the first value; missing when the first value is missing or 0).
    """
    out = chain.reset_index(drop=True).copy()
    n = len(out)
    out[STAGE] = [
        "first published" if i == 0 else "latest revision" if i == n - 1 else "interim revision"
        for i in range(n)
    ]
    if n == 0:
        out[CHANGE] = pd.Series(dtype="Int64")
        out[CHANGE_PCT] = pd.Series(dtype="Float64")
        return out
    first = out[S.VALUE].iloc[0]
    values = out[S.VALUE].astype("Int64")
    if pd.isna(first):
        out[CHANGE] = pd.array([pd.NA] * n, dtype="Int64")
        out[CHANGE_PCT] = pd.array([pd.NA] * n, dtype="Float64")
        return out
    out[CHANGE] = (values - int(first)).astype("Int64")
    if int(first) == 0:
        out[CHANGE_PCT] = pd.array([pd.NA] * n, dtype="Float64")
    else:
        out[CHANGE_PCT] = (out[CHANGE].astype("Float64") * 100 / int(first)).astype("Float64")
    return out


# --- By country (issue #4, page 5) ------------------------------------------------------------

#: The US, as written in ``nationality``.
US = "United States"
#: A per-country total covers the country's deployment so far: it starts by the end of 2009
#: (some countries' counts start with their deployment, e.g. Georgia's in 2009) and spans more
#: than a year. Excludes per-year rows and partial periods (OFS from 2015, a presidential term).
COUNTRY_TOTAL_STARTS_BY = pd.Timestamp("2009-12-31")
COUNTRY_TOTAL_MIN_DAYS = 366
#: Counting rules that name a subset of a country's deaths (hostile-only, non-hostile-only,
#: "fallen" in combat, one place, one task force); such rows are never a country's total.
PARTIAL_RULE_WORDS = ("hostile", "fallen", "termez", "task force")
#: Counting rules of a national government's own count: ``NAT (...)`` for allies, the US
#: Department of Defense's ``DoD...`` rules for the US ...
NATIONAL_RULE_PREFIXES = ("NAT", "DoD")
#: ... unless the rule itself says its scope is uncertain ("DoD-AFG (likely)").
UNCERTAIN_RULE_WORDS = ("likely", "not stated", "unclear", "presumably")
#: Where a country's total may count deaths: the war in Afghanistan, never only elsewhere
#: (OEF "other locations", Pakistan) nor all post-9/11 war zones.
COUNTRY_GEOGRAPHIES = OVERVIEW_GEOGRAPHIES
#: A source list needs at least this many countries to be offered as one consistent list.
MIN_LIST_COUNTRIES = 3
#: The option of ``country_rows`` that picks one figure per country by ``country_latest``.
LATEST = "latest"


def is_national(rows: pd.DataFrame) -> pd.Series:
    """True where the counting rule is a national government's own count of stated scope."""
    rule = rows[S.COUNTING_RULE].fillna("")
    national = rule.str.startswith(NATIONAL_RULE_PREFIXES)
    for word in UNCERTAIN_RULE_WORDS:
        national &= ~rule.str.lower().str.contains(word, regex=False)
    return national.astype(bool)


def country_candidates(df: pd.DataFrame) -> pd.DataFrame:
    """Per-country coalition military deaths: whole-deployment totals of one country each.

    Rows with ``nationality`` set in category allied_military, or us_military for the United
    States; measure killed; a single stated value; deaths in the war in Afghanistan
    (``COUNTRY_GEOGRAPHIES``); covering the deployment so far (``COUNTRY_TOTAL_STARTS_BY``);
    not a partial counting rule (``PARTIAL_RULE_WORDS``).
    """
    cat = df[S.CATEGORY]
    nat = df[S.NATIONALITY]
    rule = df[S.COUNTING_RULE].fillna("").str.lower()
    partial = pd.Series(False, index=df.index)
    for word in PARTIAL_RULE_WORDS:
        partial |= rule.str.contains(word, regex=False)
    span = (df[S.PERIOD_END] - df[S.PERIOD_START]).dt.days
    keep = (
        nat.notna()
        & ((cat == "allied_military") | ((cat == "us_military") & (nat == US)))
        & (df[S.MEASURE] == "killed")
        & df[S.VALUE].notna()
        & df[S.GEOGRAPHY].isin(COUNTRY_GEOGRAPHIES)
        & (df[S.PERIOD_START] <= COUNTRY_TOTAL_STARTS_BY)
        & (span > COUNTRY_TOTAL_MIN_DAYS)
        & ~partial
    )
    return df[keep.fillna(False).astype(bool)]


def _rank_latest(rows: pd.DataFrame) -> pd.DataFrame:
    """Best first: national count, printed (not computed), exact, latest period end, primary,
    latest publication, then figure_id."""
    return (
        rows.assign(
            _nat=is_national(rows).astype(int),
            _printed=(rows[S.STATUS] != "DERIVED").astype(int),
            _exact=(rows[S.QUALIFIER] == "exact").astype(int),
            _primary=citation_strength(rows),
        )
        .sort_values(
            ["_nat", "_printed", "_exact", S.PERIOD_END, "_primary", S.PUBLISHED, S.FIGURE_ID],
            ascending=[False, False, False, False, False, False, True],
        )
        .drop(columns=["_nat", "_printed", "_exact", "_primary"])
    )


def sort_countries(rows: pd.DataFrame) -> pd.DataFrame:
    """Largest first; ties by country name."""
    return rows.sort_values([S.VALUE, S.NATIONALITY], ascending=[False, True]).reset_index(
        drop=True
    )


def country_latest(df: pd.DataFrame, include_us: bool = False) -> pd.DataFrame:
    """One figure per country, largest first, chosen by a documented rule.

    Among the current (not superseded) whole-deployment totals of ``country_candidates``:
    the national government's own count where there is one (``is_national``), a printed figure
    before a computed one, an exact figure before a rounded one ('about 2,300'); then the latest
    period end, a primary source, the latest publication.
    """
    rows = _rank_latest(country_candidates(current(df)))
    if not include_us:
        rows = rows[rows[S.NATIONALITY] != US]
    return sort_countries(rows.drop_duplicates(S.NATIONALITY, keep="first"))


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _short_publisher(publisher: str) -> str:
    return str(publisher).split(" (")[0].strip()


_MEMO: dict[tuple, tuple[weakref.ref, object]] = {}
_MEMO_LOCK = threading.Lock()


def memo(kind: str, obj: object, make, *extra):
    """``make()``, computed once for as long as ``obj`` lives (and per ``kind`` and ``extra``).

    For what is derived from a shared, read-only object: a table derived from the data frame
    (asked for several times a run, and by every view the app or the snapshot builds of one
    frame), or what the renderer derives from a cached View's frames and figures (the rows as a
    reader sees them, the figure's JSON-ready spec). A weak reference drops the entry when the
    object goes; an object made afresh just gets its own entry, which goes with it.
    """
    key = (kind, id(obj), *extra)
    hit = _MEMO.get(key)
    if hit is not None and hit[0]() is obj:
        return hit[1]
    value = make()
    try:
        ref = weakref.ref(obj, lambda _ref, key=key: _MEMO.pop(key, None))
    except TypeError:  # not weakly referable: nothing to tie the entry to
        return value
    with _MEMO_LOCK:
        _MEMO[key] = (ref, value)
    return value


def country_source_lists(df: pd.DataFrame) -> SourceLists:
    """Per-country lists from one document of one date: {key: (label, rows)}, newest first.

    A list is the ``country_candidates`` rows sharing ``source_title`` and ``published`` that
    name at least ``MIN_LIST_COUNTRIES`` countries (one row per country: primary first, then
    figure_id). Its label names the publisher and the date the list runs to, e.g.
    'Reuters, to 20 May 2012'; its key is a slug of the same.

    Computed once per frame (a page asks for it several times; the frame is read-only) and in
    whole-frame operations, not one group at a time: a file of 100,000 figures has thousands.
    """
    return memo("country_source_lists", df, lambda: _country_source_lists(df))


class SourceLists(Mapping):
    """{key: (label, rows)} of ``country_source_lists``, newest first; a list's rows are taken
    from the ranked frame when asked for (a page shows one list, and a file of 100,000 figures
    has thousands: making every one a frame took a second)."""

    def __init__(self, frame: pd.DataFrame, lists: list[tuple[str, str, np.ndarray]]):
        self._frame = frame
        self._lists = {key: (label, positions) for key, label, positions in lists}
        self._rows: dict[str, pd.DataFrame] = {}

    def labels(self) -> dict[str, str]:
        """{key: label}, newest first, without taking any rows."""
        return {key: label for key, (label, _) in self._lists.items()}

    def __getitem__(self, key: str) -> tuple[str, pd.DataFrame]:
        label, positions = self._lists[key]
        rows = self._rows.get(key)
        if rows is None:  # the same frame each time (read-only, like every cached table)
            rows = self._rows.setdefault(key, self._frame.iloc[positions].reset_index(drop=True))
        return label, rows

    def __iter__(self):
        return iter(self._lists)

    def __len__(self) -> int:
        return len(self._lists)


def _country_source_lists(df: pd.DataFrame) -> SourceLists:
    cands = country_candidates(df)
    keys = [S.SOURCE_TITLE, S.PUBLISHED]
    named = cands.groupby(keys, sort=False, dropna=False)[S.NATIONALITY].transform("nunique")
    cands = cands[(named >= MIN_LIST_COUNTRIES).to_numpy()]
    if cands.empty:
        return SourceLists(cands, [])
    # One row per country in each document: the strongest citation first, then figure_id.
    ranked = cands.assign(_primary=citation_strength(cands)).sort_values(
        ["_primary", S.FIGURE_ID], ascending=[False, True], kind="stable"
    )
    lists = ranked.drop(columns="_primary").drop_duplicates([*keys, S.NATIONALITY], keep="first")
    # Each list's publisher (its most frequent, the first in order among ties, as Series.mode)
    # and the date it runs to.
    counts = lists.groupby([*keys, S.PUBLISHER], sort=False).size().rename("_n").reset_index()
    counts = counts.sort_values(["_n", S.PUBLISHER], ascending=[False, True], kind="stable")
    publisher = counts.drop_duplicates(keys, keep="first").set_index(keys)[S.PUBLISHER]
    end = lists.groupby(keys, sort=False)[S.PERIOD_END].max()
    # Bars largest first, ties by country, so each group comes out already in chart order.
    lists = lists.sort_values([S.VALUE, S.NATIONALITY], ascending=[False, True], kind="stable")
    lists = lists.reset_index(drop=True)
    # Each group's row positions, in order (as iterating the groups would give them).
    codes = lists.groupby(keys, sort=False).ngroup().to_numpy()
    kept = np.flatnonzero(codes >= 0)  # a list without a date or title is no list
    order = kept[np.argsort(codes[kept], kind="stable")]
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    groups = np.split(order, bounds) if len(order) else []
    firsts = lists.iloc[[g[0] for g in groups]]
    where = pd.MultiIndex.from_frame(firsts[keys])
    found = []
    for positions, pub, last in zip(
        groups, publisher.reindex(where), end.reindex(where), strict=True
    ):
        name = _short_publisher(pub)
        name = name if name[:1].isupper() else str(pub)  # a description, not a name
        found.append((last, f"{name}, to {last.day} {last:%b %Y}", positions))
    found.sort(key=lambda t: (t[0], t[1]), reverse=True)
    out: list[tuple[str, str, np.ndarray]] = []
    taken: set[str] = set()
    for _end, label, positions in found:
        key = _slug(label.replace(", to ", " "))
        n = 2
        while key in taken:
            key = f"{_slug(label)}-{n}"
            n += 1
        taken.add(key)
        out.append((key, label, positions))
    return SourceLists(lists, out)


def country_rows(df: pd.DataFrame, source: str = LATEST, include_us: bool = False) -> pd.DataFrame:
    """The bars of the by-country chart: ``country_latest`` or one source list, largest first.

    An unknown ``source`` falls back to the latest figure per country.
    """
    lists = country_source_lists(df)
    if source not in lists:
        return country_latest(df, include_us)
    rows = lists[source][1]
    if not include_us:
        rows = rows[rows[S.NATIONALITY] != US]
    return rows.reset_index(drop=True)


def single_source(rows: pd.DataFrame) -> bool:
    """True when every row comes from one document of one date (so a sum means something)."""
    return (
        not rows.empty
        and rows[S.SOURCE_TITLE].nunique() == 1
        and rows[S.PUBLISHED].nunique() == 1
        and rows[S.PERIOD_END].nunique() == 1
    )


def list_sum(rows: pd.DataFrame) -> int | None:
    """Sum of the bars when they all come from one source list of one date and one scope.

    None otherwise: bars from different sources, dates or scopes are never added up.
    """
    if not single_source(rows):
        return None
    try:
        return total(rows)
    except ScopeError:
        return None


# --- Over time (issue #4, page 3) -------------------------------------------------------------

#: Columns added by ``yearly_rows``: the calendar year a figure covers, and True when it covers
#: only part of that year (UNAMA's January–June 2021 update; DoD's 2011 figure to 29 September;
#: the war's first months, 7 October–31 December 2001).
SERIES_YEAR = "year"
SERIES_PARTIAL = "partial_year"


def first_published_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The first published value of every series: rows that supersede nothing (chain starts)."""
    return df[df[S.SUPERSEDES].isna()]


def yearly_rows(
    df: pd.DataFrame, category: str, measure: str, first_published: bool = False
) -> pd.DataFrame:
    """Figures of one category and measure that cover one calendar year, or part of one.

    A per-year figure lies within one calendar year and starts on 1 January or ends on
    31 December: a whole year, a year to date (UNAMA's January–June 2021) or the war's first
    months (7 October–31 December 2001). Single days and single months are not per-year
    figures. The rows are the latest revisions (``current``) or, with ``first_published``, the
    first published values (rows that supersede nothing). Adds ``SERIES_YEAR`` and
    ``SERIES_PARTIAL``.
    """
    rows = first_published_rows(df) if first_published else current(df)
    start, end = rows[S.PERIOD_START], rows[S.PERIOD_END]
    one_year = start.dt.year == end.dt.year
    from_jan = (start.dt.month == 1) & (start.dt.day == 1)
    to_dec = (end.dt.month == 12) & (end.dt.day == 31)
    keep = (
        (rows[S.CATEGORY] == category)
        & (rows[S.MEASURE] == measure)
        & one_year
        & (from_jan | to_dec)
    )
    rows = rows[keep.fillna(False).astype(bool)]
    return rows.assign(
        **{
            SERIES_YEAR: rows[S.PERIOD_START].dt.year.astype(int),
            SERIES_PARTIAL: ~(
                (rows[S.PERIOD_START].dt.month == 1)
                & (rows[S.PERIOD_START].dt.day == 1)
                & (rows[S.PERIOD_END].dt.month == 12)
                & (rows[S.PERIOD_END].dt.day == 31)
            ),
        }
    )


def one_per_year(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per ``SERIES_YEAR``, oldest year first, picked by a fixed rule.

    Where several figures of one series exist for the same year, the one kept is, in order:
    a whole-year figure before a part-year one; the one covering more of the year; the strongest
    citation (``citation_strength``: the publisher's document first, a computed figure last);
    the latest published; the smallest figure_id.
    """
    if rows.empty:
        return rows.reset_index(drop=True)
    ranked = rows.assign(
        _days=(rows[S.PERIOD_END] - rows[S.PERIOD_START]).dt.days,
        _status=citation_strength(rows),
    ).sort_values(
        [SERIES_YEAR, SERIES_PARTIAL, "_days", "_status", S.PUBLISHED, S.FIGURE_ID],
        ascending=[True, True, False, False, False, True],
    )
    return (
        ranked.drop_duplicates(SERIES_YEAR, keep="first")
        .drop(columns=["_days", "_status"])
        .reset_index(drop=True)
    )


def yearly_series(
    df: pd.DataFrame,
    category: str,
    measure: str,
    *,
    publisher_contains: str | None = None,
    counting_rule: str | None = None,
    geography: str | None = None,
    first_published: bool = False,
) -> pd.DataFrame:
    """One series of per-year figures (``yearly_rows``), one row per year (``one_per_year``).

    The series is picked by a substring of the publisher (case-insensitive), an exact counting
    rule and/or a geography. Raises ScopeError when what is left mixes geographies or methods:
    such figures are different series and are never joined into one line.
    """
    rows = yearly_rows(df, category, measure, first_published=first_published)
    if publisher_contains:
        pub = rows[S.PUBLISHER].str.contains(publisher_contains, case=False, regex=False)
        rows = rows[pub.fillna(False).astype(bool)]
    if counting_rule is not None:
        rows = rows[(rows[S.COUNTING_RULE] == counting_rule).fillna(False).astype(bool)]
    if geography is not None:
        rows = rows[rows[S.GEOGRAPHY] == geography]
    check_same_scope(rows)
    return one_per_year(rows)


def short_publisher(publisher) -> str:
    """The publisher without a trailing note in brackets: 'iCasualties.org (compiled by
    areppim)' -> 'iCasualties.org'."""
    text = str(publisher)
    return text.split(" (")[0].strip() if " (" in text else text.strip()


def yearly_series_all(
    df: pd.DataFrame, category: str, measure: str = "killed", first_published: bool = False
) -> list[tuple[str, pd.DataFrame]]:
    """Every per-year series of a category, each one row per year: [(label, rows)].

    A series is one counting rule (or, where a row has none, one publisher) in one geography
    with one method: iCasualties and DoD, DoD-OEF (all locations) and DCAS (Afghanistan), all
    deaths and hostile deaths only are never merged. The label names the publisher most rows
    give, the counting rule and the geography. Series are ordered by first year, then label.
    """
    rows = yearly_rows(df, category, measure, first_published=first_published)
    if rows.empty:
        return []
    rule = rows[S.COUNTING_RULE].fillna(rows[S.PUBLISHER])
    out = []
    for (rule_name, geo, _method), group in rows.groupby(
        [rule, rows[S.GEOGRAPHY], rows[S.METHOD]], sort=True
    ):
        pubs = group[S.PUBLISHER].map(short_publisher).value_counts()
        top = sorted(p for p in pubs.index if pubs[p] == pubs.max())[0]
        label = f"{top}: {rule_name}; {S.value_label(S.GEOGRAPHY, geo)}"
        out.append((label, one_per_year(group)))
    out.sort(key=lambda t: (int(t[1][SERIES_YEAR].min()), t[0]))
    return out


def filter_years(rows: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """Per-year rows whose ``SERIES_YEAR`` lies in the inclusive range ``years``."""
    lo, hi = years
    return rows[(rows[SERIES_YEAR] >= lo) & (rows[SERIES_YEAR] <= hi)].reset_index(drop=True)


def list_own_totals(df: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The totals a source list states itself: rows of the same document, date and period as
    ``rows`` with no nationality (e.g. Reuters' 'TOTAL 3,007', which includes countries it does
    not name).
    """
    if not single_source(rows):
        return df.iloc[0:0]
    same = (
        (df[S.SOURCE_TITLE] == rows[S.SOURCE_TITLE].iloc[0])
        & (df[S.PUBLISHED] == rows[S.PUBLISHED].iloc[0])
        & (df[S.PERIOD_START] == rows[S.PERIOD_START].min())
        & (df[S.PERIOD_END] == rows[S.PERIOD_END].max())
        & df[S.NATIONALITY].isna()
        & df[S.CATEGORY].isin(["allied_military", "coalition_military"])
        & (df[S.MEASURE] == "killed")
    )
    return df[same.fillna(False).astype(bool)]


def unama_years(
    df: pd.DataFrame, measure: str, first_published: bool, years: tuple[int, int]
) -> pd.DataFrame:
    """UNAMA civilians per year for one measure, within ``years`` (the Over time page)."""
    rows = yearly_series(
        df, "civilians", measure, publisher_contains="UNAMA", first_published=first_published
    )
    return filter_years(rows, years)


def yearly_series_in(
    df: pd.DataFrame, category: str, measure: str, years: tuple[int, int]
) -> list[tuple[str, pd.DataFrame]]:
    """``yearly_series_all`` within ``years``, dropping series with no year left."""
    series = [(n, filter_years(r, years)) for n, r in yearly_series_all(df, category, measure)]
    return [(n, r) for n, r in series if not r.empty]


# --- Addresses and URL parameters ---------------------------------------------------------------


def unknown_page(url: str | None, known: Iterable[str], base: str = "") -> str | None:
    """The page name an address asks for when no page has it, else None.

    ``url`` is the address the reader opened (``st.context.url``), ``known`` the url paths of
    the pages ("" for the default page), ``base`` the server's ``baseUrlPath``. A trailing slash
    is ignored; '/overview' (the default page's name, which lives at '/') is unknown too.
    """
    if not url:
        return None
    path = urlsplit(url).path.strip("/")
    base = base.strip("/")
    if base:
        if path != base and not path.startswith(base + "/"):
            return None
        path = path[len(base) :].strip("/")
    if path in set(known):
        return None
    return path


#: What the name of an unknown page may be when it is given a page of its own (Streamlit refuses
#: a url path with a slash; longer names are cut).
_PAGE_NAME = re.compile(r"[^/]{1,200}")


def not_found_path(name: str) -> str | None:
    """``name`` when a hidden "not found" page can be registered at it, else None."""
    return name if _PAGE_NAME.fullmatch(name) else None


def year_range(
    values: Sequence[str], bounds: tuple[int, int]
) -> tuple[tuple[int, int], str | None]:
    """The year range a link asks for (``?tr_years=A&tr_years=B``), corrected, and a notice.

    Reversed years are swapped and years outside ``bounds`` are moved to its ends; the notice
    says what was changed ("… were reversed, so 2005–2015 is shown"). Anything that is not two
    whole numbers gives the whole range and a notice; no parameter gives it with no notice.
    """
    first, last = bounds
    if not values:
        return bounds, None
    parts = [v.strip() for v in values]
    if len(parts) != 2 or not all(re.fullmatch(r"-?\d{1,6}", p) for p in parts):
        return bounds, (f"The years in the link were not understood, so {first}–{last} is shown.")
    lo, hi = (int(p) for p in parts)
    notes = []
    if lo > hi:
        lo, hi = hi, lo
        notes.append(f"the years in the link were reversed ({parts[0]} to {parts[1]})")
    clamped = (min(max(lo, first), last), min(max(hi, first), last))
    if clamped != (lo, hi):
        notes.append(f"the data covers {first}–{last} only")
    if not notes:
        return clamped, None
    text = " and ".join(notes)
    return clamped, f"{text[0].upper()}{text[1:]}, so {clamped[0]}–{clamped[1]} is shown."
