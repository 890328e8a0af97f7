"""Pure logic of the "Compare sources" page: which figures to show, and why they differ.

No Streamlit, no drawing. ``compare_rows`` selects every figure for one category (and measure)
across publishers and editions; ``scope_differences`` writes the sentences that explain why the
figures side by side are not the same number.
"""

from __future__ import annotations

import pandas as pd

from figures import schema as S
from figures import views

#: Column added by ``compare_rows``: True for a figure that a later revision or edition replaces.
SUPERSEDED = "superseded"

#: Choice of periods: multi-year totals only (the default), or every figure.
TOTALS = "totals"
ALL_PERIODS = "all"
#: Option labels (the link holds the option: ``?cmp_period=all``).
PERIOD_OPTIONS = {
    TOTALS: "Totals over more than a year",
    ALL_PERIODS: "All periods",
}
#: A total covers more than a year: a whole calendar year is 364 or 365 days from start to end.
TOTAL_MIN_DAYS = 366

#: Measure option that shows every measure side by side (never added up).
ALL_MEASURES = "all"
DEFAULT_CATEGORY = "civilians"
DEFAULT_MEASURE = "killed"

#: How many publishers or rules a sentence names before it says "and N more".
_LIST_LIMIT = 5


def categories(df: pd.DataFrame) -> list[str]:
    """Categories present in the data, in the schema's order."""
    present = set(df[S.CATEGORY].dropna())
    return [c for c in S.CATEGORY_LABELS if c in present]


def measures(df: pd.DataFrame, category: str) -> list[str]:
    """Measures present for a category, killed first; 'all' last when there are several."""
    present = set(df.loc[df[S.CATEGORY] == category, S.MEASURE].dropna())
    found = [m for m in S.MEASURE_LABELS if m in present]
    return found + [ALL_MEASURES] if len(found) > 1 else found


def measure_label(measure: str) -> str:
    if measure == ALL_MEASURES:
        return "all measures"
    return S.value_label(S.MEASURE, measure)


def is_total(rows: pd.DataFrame) -> pd.Series:
    """True for figures that cover more than a year (``TOTAL_MIN_DAYS``)."""
    days = (rows[S.PERIOD_END] - rows[S.PERIOD_START]).dt.days
    return (days >= TOTAL_MIN_DAYS).fillna(False).astype(bool)


def compare_rows(
    df: pd.DataFrame,
    category: str,
    measure: str = DEFAULT_MEASURE,
    *,
    all_editions: bool = False,
    period: str = TOTALS,
) -> pd.DataFrame:
    """Every figure for one category across publishers and editions, in display order.

    ``measure`` may be ``ALL_MEASURES``. Only current figures (``views.current``) unless
    ``all_editions``; only totals over more than a year unless ``period`` is ``ALL_PERIODS``.
    Adds ``SUPERSEDED``. Ordered by geography (the schema's order), then period end, period
    start, publication date and figure_id.
    """
    superseded = views.superseded_ids(df)
    rows = df if all_editions else views.current(df)
    keep = rows[S.CATEGORY] == category
    if measure != ALL_MEASURES:
        keep &= rows[S.MEASURE] == measure
    rows = rows[keep.fillna(False).astype(bool)]
    if period != ALL_PERIODS:
        rows = rows[is_total(rows)]
    geo_order = {g: i for i, g in enumerate(S.GEOGRAPHY_LABELS)}
    rows = rows.assign(
        **{SUPERSEDED: views.isin(rows[S.FIGURE_ID], superseded)},
        _geo=rows[S.GEOGRAPHY].map(geo_order).fillna(len(geo_order)).astype(int),
    )
    return (
        rows.sort_values(
            ["_geo", S.PERIOD_END, S.PERIOD_START, S.PUBLISHED, S.FIGURE_ID],
            ascending=[True, True, True, True, True],
        )
        .drop(columns="_geo")
        .reset_index(drop=True)
    )


def _month(ts) -> str:
    return pd.Timestamp(ts).strftime("%b %Y")


def _names(items: list[str], sep: str = ", ") -> str:
    """Items joined by ``sep``; a long list ends with 'and N more'."""
    shown = items[:_LIST_LIMIT]
    more = len(items) - len(shown)
    return sep.join(shown) + (f" and {more} more" if more > 0 else "")


def _geo_name(geography: str) -> str:
    """A geography's label inside a sentence: 'all post-9/11 war zones', 'Afghanistan'."""
    label = S.value_label(S.GEOGRAPHY, geography)
    first, _, rest = label.partition(" ")
    return (first.lower() + " " + rest) if first in ("All", "In") else label


def _years(lo, hi) -> str:
    a, b = pd.Timestamp(lo).year, pd.Timestamp(hi).year
    return str(a) if a == b else f"{a}–{b}"


def _period_sentence(rows: pd.DataFrame) -> str | None:
    months = rows[S.PERIOD_START].dt.to_period("M")
    pubs = rows[S.PUBLISHER].map(views.short_publisher)
    start_groups = []
    for month in sorted(set(months)):
        names = sorted(set(pubs[months == month]))
        start_groups.append(f"{_month(month.start_time)} ({_names(names)})")
    end_months = set(rows[S.PERIOD_END].dt.to_period("M"))
    if len(start_groups) <= 1 and len(end_months) <= 1:
        return None
    text = "Different periods:"
    if len(start_groups) > 1:
        text += " the counts start at different dates: " + _names(start_groups, "; ") + "."
    if len(end_months) > 1:
        text += (
            f" They end between {_month(rows[S.PERIOD_END].min())} and "
            f"{_month(rows[S.PERIOD_END].max())}: a count that covers less time includes "
            "fewer deaths."
        )
    return text


#: Geographies that include Afghanistan and more; and those that exclude Afghanistan.
_WIDER = (
    "afghanistan_and_pakistan",
    "in_and_around_afghanistan",
    "oef_all_locations",
    "all_post_9_11_war_zones",
)
_OUTSIDE = ("pakistan", "oef_other_locations")


def _geography_sentence(rows: pd.DataFrame) -> str | None:
    counts = rows[S.GEOGRAPHY].value_counts()
    if len(counts) <= 1:
        return None
    order = [g for g in S.GEOGRAPHY_LABELS if g in counts.index]
    listed = _names(
        [f"{counts[g]} cover{'s' if counts[g] == 1 else ''} {_geo_name(g)}" for g in order],
        "; ",
    )
    text = f"Different places: of these figures, {listed}."
    wider = [_geo_name(g) for g in order if g in _WIDER]
    outside = [_geo_name(g) for g in order if g in _OUTSIDE]
    if wider:
        text += (
            f" A count for a wider area ({'; '.join(wider)}) includes deaths outside "
            "Afghanistan, so it is larger by construction and not a count for Afghanistan alone."
        )
    if outside:
        text += f" Counts for {'; '.join(outside)} leave out deaths in Afghanistan itself."
    return text


def _method_sentence(rows: pd.DataFrame) -> str | None:
    methods = [m for m in S.METHOD_LABELS if m in set(rows[S.METHOD])]
    if len(methods) <= 1:
        return None
    pubs = {
        m: _names(
            sorted(set(rows.loc[rows[S.METHOD] == m, S.PUBLISHER].map(views.short_publisher)))
        )
        for m in methods
    }
    parts = []
    if "documented" in pubs:
        parts.append(
            f"documented counts ({pubs['documented']}) list deaths case by case, so they are a "
            "minimum"
        )
    if "estimate" in pubs:
        parts.append(
            f"estimates ({pubs['estimate']}) also model the deaths documentation misses, so "
            "they are usually higher"
        )
    if "official_statement" in pubs:
        parts.append(
            f"official statements ({pubs['official_statement']}) give a total announced "
            "without a case list"
        )
    return "Documented minimum vs estimate: " + "; ".join(parts) + "."


def _measure_sentence(rows: pd.DataFrame) -> str | None:
    measures = [m for m in S.MEASURE_LABELS if m in set(rows[S.MEASURE])]
    if len(measures) <= 1:
        if measures == ["killed_and_injured"]:
            return (
                "Killed and injured: these figures count the killed and the injured "
                "together (UNAMA's 'civilian casualties'); they are not death tolls."
            )
        return None
    listed = _names([f"'{S.value_label(S.MEASURE, m)}'" for m in measures], ", ")
    return (
        f"Different measures: the figures count {listed}: killed-and-injured figures "
        "(UNAMA's 'civilian casualties') include the injured and are not death tolls. Compare "
        "a figure only with figures of the same measure."
    )


def _edition_sentence(rows: pd.DataFrame) -> str | None:
    texts = []
    by_pub = rows.groupby(rows[S.PUBLISHER].map(views.short_publisher))[S.PUBLISHED]
    several = [(pub, s.nunique(), s.min(), s.max()) for pub, s in by_pub if s.nunique() > 1]
    several.sort(key=lambda t: (-t[1], t[0]))
    if several:
        listed = _names([f"{pub} ({n} dates, {_years(lo, hi)})" for pub, n, lo, hi in several])
        texts.append(
            f"Editions and dates: some publishers published figures at several dates: "
            f"{listed}. A later figure usually covers a longer period or revises an earlier "
            "one."
        )
    if SUPERSEDED in rows.columns:
        n = int(rows[SUPERSEDED].sum())
        if n:
            texts.append(
                f"{n} superseded value{'s are' if n != 1 else ' is'} shown (open markers, "
                "marked 'superseded'): a later revision or edition replaces "
                f"{'them' if n != 1 else 'it'}."
            )
    return " ".join(texts) if texts else None


def _rule_sentence(rows: pd.DataFrame) -> str | None:
    if S.COUNTING_RULE not in rows.columns:
        return None
    rules = sorted(set(rows[S.COUNTING_RULE].dropna()))
    if len(rules) <= 1:
        return None
    return (
        f"Counting rules: the figures follow {len(rules)} counting rules or scopes "
        f"({_names(rules, '; ')}); see each figure's caveat below."
    )


def _qualifier_sentence(rows: pd.DataFrame) -> str | None:
    minimum = rows[S.QUALIFIER].isin(["at_least", "more_than"])
    ranges = rows[S.LOW].notna() & rows[S.HIGH].notna()
    texts = []
    if minimum.any():
        texts.append(
            f"{int(minimum.sum())} figure{'s are' if minimum.sum() != 1 else ' is'} stated as "
            "a minimum ('at least', 'more than')"
        )
    if ranges.any():
        texts.append(
            f"{int(ranges.sum())} {'are ranges' if ranges.sum() != 1 else 'is a range'}, drawn "
            "from low to high"
        )
    if not texts:
        return None
    return "How the numbers are stated: " + "; ".join(texts) + "."


def _derived_sentence(rows: pd.DataFrame) -> str | None:
    n = int((rows[S.STATUS] == "DERIVED").sum())
    if not n:
        return None
    return (
        f"Computed figures: {n} figure{'s are' if n != 1 else ' is'} computed from "
        "published figures, not printed by the publisher."
    )


def scope_differences(rows: pd.DataFrame) -> list[str]:
    """Why the figures shown side by side differ, one Markdown sentence group per reason.

    Covers, when they apply: different periods (e.g. UNAMA's counts start in 2009, Costs of
    War's in Oct 2001), different geography, documented minimum vs estimate, different
    measures (killed vs killed and injured), editions and superseded values, counting rules,
    minimums and ranges, and computed figures. Empty when the rows are fewer than two.
    Plain text, not Markdown: it contains publisher names and counting rules from the data, so
    escape it with ``figures.text.md_escape`` before rendering it.
    """
    if len(rows) < 2:
        return []
    found = [
        _period_sentence(rows),
        _geography_sentence(rows),
        _method_sentence(rows),
        _measure_sentence(rows),
        _edition_sentence(rows),
        _rule_sentence(rows),
        _qualifier_sentence(rows),
        _derived_sentence(rows),
    ]
    return [f for f in found if f]
