"""The article's numeric claims (``data/claims.csv``), checked against the figures.

Pure: no Streamlit. Every verdict is computed here from the claim's number, its qualifier and the
figures it cites; nothing in ``claims.csv`` states a verdict.

How a claim is read (``claimed_bounds``): each claim becomes a range of whole numbers that the
article's words allow.

- ``exact`` (a bare number): the claim's own precision decides. A number with trailing zeros is
  taken as written to its last non-zero digit, with at least two significant digits: 58,000 is
  written to thousands, 3,500 to hundreds, 2,309 to units. A figure holds if, written to that
  precision, it reads as the claim, either rounded to the nearest (58,000 covers 57,500-58,499) or
  cut down, as the press often does (58,000 covers 58,000-58,999). So 58,000 covers 57,500-58,999;
  the explanation says which reading applied.
- ``about``: within ``ABOUT_TOLERANCE`` (5%) either way, or half the claim's precision either way,
  whichever is wider.
- ``nearly``: at most the number and at most ``NEARLY_TOLERANCE`` (5%) below it: "nearly 3,500"
  covers 3,325-3,500; 3,528 is not "nearly 3,500".
- ``at_least``: the number or more; ``more_than``: above the number; ``up_to``: the number or less.
- Vague quantities ("thousands", "tens of thousands", "billions") are written as qualifier
  ``at_least`` with ``claimed_value`` the lower bound and ``claimed_high`` the upper bound, read as
  the plural of the unit: at least two of it and fewer than ten (``VAGUE_QUANTITIES``): "thousands"
  is 2,000-9,999, "tens of thousands" 20,000-99,999. ``claimed_high`` is allowed with ``exact``,
  ``at_least`` and ``more_than`` only.

How a figure is read (``figure_bounds``): its ``value``; a figure stated "more than 32,000" counts
as the least it can be (32,001); a figure given only as a range counts as that range.

Comparing (``compare``): the claim holds when the figure lies in the claimed range (for a range-only
figure: when the ranges overlap). Otherwise the claim overstates (the whole claimed range is above
the figure) or understates (below it), by ``(claim - figure) / figure`` in percent, with the claim's
stated number nearest to the figure. A figure counts the same thing as the claim when category and
measure agree. A figure of killed (or injured) alone, set against a claim of killed and injured
together, is a part of the total: it can show the claim's lower bound holds (the total is at least
the part), or that the claim is too low (the part alone is above the claimed range), never more.
Differences of period (more than ``SCOPE_GAP_DAYS``) and place are named in the explanation; they
do not change the verdict.

Editions (``evaluate``): the first cited figure that counts the same thing (else a part of it) is
the reference. Its editions are the ``supersedes`` chain it belongs to. The edition current at the
article's date is the latest one published on or before ``as_of``; when no edition was published
by then, the earliest one is used and the explanation says it was published later. Verdicts:

- Holds: the claim holds for the edition current at the article's date.
- Holds only for an older edition: it does not, but an earlier edition published before that date
  matches.
- Overstates / understates by N%: against the edition current at the article's date.
- Holds as a minimum: only the lower bound could be checked (a part of the total), and it holds.
- Cannot be checked: no cited figure counts the same thing (or a part below the bound).

The figure as it stands in the latest edition (the head of the chain, as in ``views.current``) is
reported beside the verdict.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from figures import charts, data, views
from figures import schema as S
from figures.data import Problem

DEFAULT_PATH = data.PACKAGE_ROOT / "data" / "claims.csv"
ENV_VAR = "FIGURES_CLAIMS"


def default_path() -> Path:
    """The claims file the app reads: ``$FIGURES_CLAIMS`` if set, else ``data/claims.csv``."""
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else DEFAULT_PATH


#: "nearly N" holds for figures from N minus this share of N up to N.
NEARLY_TOLERANCE = 0.05
#: "about N" holds for figures within this share of N either way (or the exact reading).
ABOUT_TOLERANCE = 0.05
#: Differences of period shorter than this are not worth a remark.
SCOPE_GAP_DAYS = 183

#: Vague quantities: the words, and the range written as claimed_value and claimed_high.
VAGUE_QUANTITIES: dict[str, tuple[int, int]] = {
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 9_999_999),
    "billions": (2_000_000_000, 9_999_999_999),
}

#: Categories and measures of claims that are not casualty counts (never in the figures).
EXTRA_CATEGORY_LABELS = {
    "us_war_spending": "US spending on the war",
    "us_troops": "US troops in Afghanistan",
    "peace_process": "US–Taliban talks",
}
EXTRA_MEASURE_LABELS = {
    "us_dollars": "US dollars",
    "troops": "troops",
    "days": "days",
    "weeks": "weeks",
}

#: How a place reads in a sentence ("it counts deaths ... ").
GEOGRAPHY_PHRASES = {
    "afghanistan": "in Afghanistan",
    "afghanistan_and_pakistan": "in Afghanistan and Pakistan",
    "pakistan": "in Pakistan",
    "in_and_around_afghanistan": "in and around Afghanistan",
    "oef_all_locations": "in all Operation Enduring Freedom locations",
    "oef_other_locations": "in Operation Enduring Freedom locations outside Afghanistan",
    "all_post_9_11_war_zones": "in all post-9/11 war zones",
}

# --- claims.csv columns --------------------------------------------------------------------------

CLAIM_ID = "claim_id"
CLAIM = "claim"
STATED_AS = "stated_as"
CLAIMED_VALUE = "claimed_value"
CLAIMED_HIGH = "claimed_high"
QUALIFIER = "qualifier"
CATEGORY = "category"
MEASURE = "measure"
PERIOD_START = "period_start"
PERIOD_END = "period_end"
GEOGRAPHY = "geography"
CITED_SOURCE = "cited_source"
CITED_DATE = "cited_date"
AS_OF = "as_of"
FIGURE_IDS = "figure_ids"


@dataclass(frozen=True)
class ClaimColumn:
    name: str
    kind: str  # slug, text, int, enum, date, month, ids
    description: str
    required: bool = True  # in the header
    nullable: bool = False  # may be empty
    allowed: tuple[str, ...] = ()
    max_length: int | None = None


CATEGORIES = tuple(S.CATEGORY_LABELS) + tuple(EXTRA_CATEGORY_LABELS)
MEASURES = tuple(S.MEASURE_LABELS) + tuple(EXTRA_MEASURE_LABELS)

CLAIM_COLUMNS: tuple[ClaimColumn, ...] = (
    ClaimColumn(
        CLAIM_ID, "slug", "Stable id of the claim, used in links (art_claim=...).", max_length=60
    ),
    ClaimColumn(CLAIM, "text", "The claim paraphrased in a few words.", max_length=160),
    ClaimColumn(
        STATED_AS,
        "text",
        "How the article puts the number, in a few words, e.g. 'nearly 3,500'.",
        required=False,
        nullable=True,
        max_length=60,
    ),
    ClaimColumn(CLAIMED_VALUE, "int", "The claimed number, digits only (lower bound of a range)."),
    ClaimColumn(
        CLAIMED_HIGH,
        "int",
        "Upper bound when the claim is a range or a vague quantity ('tens of thousands').",
        required=False,
        nullable=True,
    ),
    ClaimColumn(
        QUALIFIER,
        "enum",
        "How the article qualifies the number.",
        allowed=tuple(S.QUALIFIER_LABELS),
    ),
    ClaimColumn(CATEGORY, "enum", "Who (or what) the number counts.", allowed=CATEGORIES),
    ClaimColumn(MEASURE, "enum", "What is counted.", allowed=MEASURES),
    ClaimColumn(
        PERIOD_START,
        "date",
        "First day of the period the article states or implies (YYYY-MM-DD).",
        required=False,
        nullable=True,
    ),
    ClaimColumn(
        PERIOD_END,
        "date",
        "Last day of that period (YYYY-MM-DD).",
        required=False,
        nullable=True,
    ),
    ClaimColumn(
        GEOGRAPHY,
        "enum",
        "Where, as the article states or implies.",
        required=False,
        nullable=True,
        allowed=tuple(S.GEOGRAPHY_LABELS),
    ),
    ClaimColumn(
        CITED_SOURCE,
        "text",
        "The source the article names, if any.",
        required=False,
        nullable=True,
        max_length=120,
    ),
    ClaimColumn(
        CITED_DATE,
        "month",
        "The month the article dates its source to (YYYY-MM), if any.",
        required=False,
        nullable=True,
    ),
    ClaimColumn(AS_OF, "date", "The article's date (YYYY-MM-DD)."),
    ClaimColumn(
        FIGURE_IDS,
        "ids",
        "figure_ids in the figures to check against, separated by ';'; the first that counts the "
        "same thing is the reference.",
        nullable=True,
    ),
)
CLAIM_BY_NAME = {c.name: c for c in CLAIM_COLUMNS}
CLAIM_REQUIRED = tuple(c.name for c in CLAIM_COLUMNS if c.required)

_SLUG = re.compile(S.SLUG_PATTERN)
_INT = re.compile(r"\d{1,15}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Claim:
    """One numeric claim of the article, as written in claims.csv."""

    claim_id: str
    claim: str
    value: int
    qualifier: str
    category: str
    measure: str
    as_of: pd.Timestamp
    figure_ids: tuple[str, ...] = ()
    stated_as: str = ""
    high: int | None = None
    period_start: pd.Timestamp | None = None
    period_end: pd.Timestamp | None = None
    geography: str | None = None
    cited_source: str = ""
    cited_date: str | None = None  # YYYY-MM
    line: int | None = None

    @property
    def words(self) -> str:
        """The claim's number as the article puts it (or as the qualifier reads)."""
        if self.stated_as:
            return self.stated_as
        return f"{S.QUALIFIER_LABELS.get(self.qualifier, '')} {charts.fmt_int(self.value)}".strip()

    @property
    def is_casualty_claim(self) -> bool:
        return self.category in S.CATEGORY_LABELS and self.measure in S.MEASURE_LABELS


class ClaimsError(ValueError):
    """claims.csv is invalid. ``problems`` lists every problem found."""

    def __init__(self, problems):
        self.problems = list(problems)
        noun = "problem" if len(self.problems) == 1 else "problems"
        shown = "\n".join(str(p) for p in self.problems[:50])
        super().__init__(f"{len(self.problems)} {noun} in the claims:\n{shown}")


class ClaimsFileError(ClaimsError):
    """The claims file is missing or cannot be read as UTF-8 text."""


# --- loading -------------------------------------------------------------------------------------


def load_claims(figures: pd.DataFrame | None = None, path: str | Path | None = None) -> list[Claim]:
    """Read and validate claims.csv; with ``figures``, every figure_id must exist there."""
    p = Path(path) if path is not None else default_path()
    name = data.display_name(p)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ClaimsFileError([Problem(name, None, None, "file not found")]) from None
    except OSError as exc:
        raise ClaimsFileError([Problem(name, None, None, f"cannot be read: {exc}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        raise ClaimsFileError([Problem(name, None, None, msg)]) from None
    return parse_claims(text, figures, name)


def parse_claims(
    text: str, figures: pd.DataFrame | None = None, name: str = "<claims>"
) -> list[Claim]:
    """Validate claims CSV text. Returns the claims; raises ClaimsError naming line and column."""
    if text.startswith("\ufeff"):
        text = text[1:]
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        header = []
    if not any(h.strip() for h in header):
        raise ClaimsError(
            [
                Problem(
                    name, 1, None, "file is empty; expected a header: " + ",".join(CLAIM_REQUIRED)
                )
            ]
        )
    header = [h.strip() for h in header]
    for c in CLAIM_REQUIRED:
        if c not in header:
            problems.append(
                Problem(name, 1, c, "required column is missing from the header", ",".join(header))
            )
    seen_cols: set[str] = set()
    for h in header:
        if h in seen_cols:
            problems.append(Problem(name, 1, h, "column appears twice in the header"))
        seen_cols.add(h)
    if problems:
        raise ClaimsError(problems)

    known_ids = set(figures[S.FIGURE_ID]) if figures is not None else None
    claims: list[Claim] = []
    seen: set[str] = set()
    line = reader.line_num + 1
    for rec in reader:
        start, line = line, reader.line_num + 1
        if not rec or not any(f.strip() for f in rec):
            continue
        if len(rec) != len(header):
            few = "few" if len(rec) < len(header) else "many"
            problems.append(
                Problem(
                    name,
                    start,
                    None,
                    f"row has too {few} fields: expected {len(header)}, found {len(rec)}; "
                    "quote fields that contain commas",
                )
            )
            continue
        row = dict(zip(header, rec, strict=True))
        claim = _parse_row(row, name, start, known_ids, seen, problems)
        if claim is not None:
            claims.append(claim)
    if not claims and not problems:
        problems.append(Problem(name, None, None, "has a header but no claims"))
    if problems:
        raise ClaimsError(problems)
    return claims


def _parse_row(row, name, line, known_ids, seen, problems) -> Claim | None:
    before = len(problems)
    values: dict[str, object] = {}
    for c in CLAIM_COLUMNS:
        s = row.get(c.name, "").strip()
        if not s:
            if not c.nullable:
                problems.append(Problem(name, line, c.name, "is required and must not be empty"))
            values[c.name] = None
            continue
        if _CONTROL.search(s):
            problems.append(Problem(name, line, c.name, "contains control characters", s))
            continue
        if c.max_length and len(s) > c.max_length:
            problems.append(
                Problem(name, line, c.name, f"is too long: at most {c.max_length} characters", s)
            )
            continue
        if c.kind == "slug" and not _SLUG.fullmatch(s):
            problems.append(
                Problem(
                    name, line, c.name, "must be a slug of lowercase letters, digits and hyphens", s
                )
            )
        elif c.kind == "int" and not _INT.fullmatch(s):
            problems.append(
                Problem(
                    name, line, c.name, "must be a whole number >= 0 written with digits only", s
                )
            )
        elif c.kind == "enum" and s not in c.allowed:
            problems.append(
                Problem(name, line, c.name, f"must be one of: {', '.join(c.allowed)}", s)
            )
        elif c.kind == "date" and not _valid_date(s):
            problems.append(
                Problem(name, line, c.name, "must be a real date written YYYY-MM-DD", s)
            )
        elif c.kind == "month" and not (_MONTH.fullmatch(s) and _valid_date(s + "-01")):
            problems.append(Problem(name, line, c.name, "must be a month written YYYY-MM", s))
        elif c.kind == "ids":
            ids = [i.strip() for i in s.split(";")]
            for fid in ids:
                if not _SLUG.fullmatch(fid):
                    problems.append(
                        Problem(
                            name, line, c.name, "each id must be a figure_id slug, ';' between", s
                        )
                    )
                elif known_ids is not None and fid not in known_ids:
                    problems.append(
                        Problem(name, line, c.name, "points at no figure_id in the figures", fid)
                    )
            if len(set(ids)) != len(ids):
                problems.append(Problem(name, line, c.name, "lists a figure_id twice", s))
            values[c.name] = tuple(ids)
            continue
        values[c.name] = s
    if len(problems) > before:
        return None

    cid = values[CLAIM_ID]
    if cid in seen:
        problems.append(
            Problem(name, line, CLAIM_ID, "duplicate id; each claim_id must be unique", cid)
        )
    seen.add(cid)
    value = int(values[CLAIMED_VALUE])
    high = int(values[CLAIMED_HIGH]) if values[CLAIMED_HIGH] is not None else None
    qualifier = values[QUALIFIER]
    if high is not None:
        if high < value:
            problems.append(
                Problem(
                    name, line, CLAIMED_HIGH, "must not be below claimed_value", f"{high} < {value}"
                )
            )
        if qualifier not in ("exact", "at_least", "more_than"):
            problems.append(
                Problem(
                    name,
                    line,
                    CLAIMED_HIGH,
                    "a range is allowed only with qualifier exact, at_least or more_than",
                    qualifier,
                )
            )
    start = pd.Timestamp(values[PERIOD_START]) if values[PERIOD_START] else None
    end = pd.Timestamp(values[PERIOD_END]) if values[PERIOD_END] else None
    if start is not None and end is not None and start > end:
        problems.append(
            Problem(
                name,
                line,
                PERIOD_END,
                "must not be before period_start",
                f"{values[PERIOD_END]} < {values[PERIOD_START]}",
            )
        )
    if len(problems) > before:
        return None
    return Claim(
        claim_id=cid,
        claim=values[CLAIM],
        stated_as=values[STATED_AS] or "",
        value=value,
        high=high,
        qualifier=qualifier,
        category=values[CATEGORY],
        measure=values[MEASURE],
        period_start=start,
        period_end=end,
        geography=values[GEOGRAPHY],
        cited_source=values[CITED_SOURCE] or "",
        cited_date=values[CITED_DATE],
        as_of=pd.Timestamp(values[AS_OF]),
        figure_ids=values[FIGURE_IDS] or (),
        line=line,
    )


def _valid_date(s: str) -> bool:
    if not _DATE.fullmatch(s):
        return False
    try:
        pd.Timestamp(s)
    except ValueError:
        return False
    return True


# --- reading numbers -----------------------------------------------------------------------------


def precision(value: int) -> int:
    """The unit a number is written to: 58,000 -> 1,000; 3,500 -> 100; 2,309 -> 1.

    Trailing zeros count, but at least two significant digits are kept (100,000 -> 10,000).
    """
    digits = str(int(value))
    zeros = len(digits) - len(digits.rstrip("0")) if value else 0
    return 10 ** min(zeros, max(len(digits) - 2, 0))


def claimed_bounds(claim: Claim) -> tuple[int, int | None]:
    """The whole numbers the claim's words allow, as (low, high); high None means no limit."""
    v, q = claim.value, claim.qualifier
    p = precision(v)
    if claim.high is not None:
        return (v + 1 if q == "more_than" else v), claim.high
    if q == "exact":
        return v - p // 2, v + p - 1
    if q == "about":
        tol = int(v * ABOUT_TOLERANCE)
        return v - max(tol, p // 2), v + max(tol, p // 2)
    if q == "nearly":
        return v - int(v * NEARLY_TOLERANCE), v
    if q == "at_least":
        return v, None
    if q == "more_than":
        return v + 1, None
    if q == "up_to":
        return 0, v
    raise ValueError(f"unknown qualifier {q!r}")


def figure_bounds(row) -> tuple[int, int]:
    """A figure as (low, high) to compare with: its value (the least 'more than N' can be),
    or its range when it gives no single number."""
    value = row[S.VALUE]
    if pd.isna(value):
        return int(row[S.LOW]), int(row[S.HIGH])
    v = int(value) + (1 if row[S.QUALIFIER] == "more_than" else 0)
    return v, v


def bounds_text(low: int, high: int | None) -> str:
    if high is None:
        return f"{charts.fmt_int(low)} or more"
    if low == high:
        return charts.fmt_int(low)
    return f"{charts.fmt_int(low)}–{charts.fmt_int(high)}"


def fmt_pct(pct: float | None) -> str:
    """12.3 -> '12%', 9.55 -> '9.6%', 0.04 -> 'less than 0.1%'; None (a figure of 0) -> 'an
    unknown share'."""
    if pct is None:
        return "an unknown share"
    a = abs(pct)
    if a < 0.05:
        return "less than 0.1%"
    if a < 10:
        return f"{a:.1f}".removesuffix(".0") + "%"
    return f"{a:.0f}%"


# --- comparing one claim with one figure ---------------------------------------------------------

HOLDS, OVER, UNDER, PART_HOLDS, PART_UNKNOWN, OTHER_SCOPE = (
    "holds",
    "over",
    "under",
    "part_holds",
    "part_unknown",
    "other_scope",
)


@dataclass(frozen=True)
class Comparison:
    """A claim set against one figure."""

    outcome: str  # one of HOLDS, OVER, UNDER, PART_HOLDS, PART_UNKNOWN, OTHER_SCOPE
    pct: float | None = None  # (claim - figure) / figure * 100 for OVER / UNDER
    reading: str = ""  # how the figure reads against the claim's words


def relation(claim: Claim, row) -> str:
    """'same' (same category and measure), 'part' (the figure counts part of the claim's
    killed-and-injured total) or 'other'."""
    if row[S.CATEGORY] != claim.category:
        return "other"
    if row[S.MEASURE] == claim.measure:
        return "same"
    if claim.measure == "killed_and_injured" and row[S.MEASURE] in ("killed", "injured"):
        return "part"
    return "other"


def compare(claim: Claim, row) -> Comparison:
    """Set the claim against one figure; see the module docstring for the rules."""
    rel = relation(claim, row)
    if rel == "other":
        return Comparison(OTHER_SCOPE)
    c_lo, c_hi = claimed_bounds(claim)
    f_lo, f_hi = figure_bounds(row)
    if rel == "part":
        if c_hi is not None and f_lo > c_hi:
            return Comparison(UNDER, _pct(claim.high or claim.value, f_lo), "")
        if f_lo >= c_lo:
            outcome = HOLDS if c_hi is None else PART_HOLDS
            return Comparison(outcome, None, _reading(claim, row, f_lo, f_hi, c_lo, c_hi))
        return Comparison(PART_UNKNOWN)
    if f_lo <= (c_hi if c_hi is not None else f_lo) and f_hi >= c_lo:
        return Comparison(HOLDS, None, _reading(claim, row, f_lo, f_hi, c_lo, c_hi))
    if c_lo > f_hi:
        return Comparison(OVER, _pct(claim.value, f_hi))
    return Comparison(UNDER, _pct(claim.high if claim.high is not None else claim.value, f_lo))


def _pct(claimed: int, figure: int) -> float | None:
    return None if figure == 0 else (claimed - figure) / figure * 100


_UNIT_WORDS = {10: "tens", 100: "hundreds", 1000: "thousands", 10_000: "tens of thousands"}


def _reading(claim: Claim, row, f_lo: int, f_hi: int, c_lo: int, c_hi: int | None) -> str:
    """Why the figure fits the claim's words, e.g. 'which reads 58,000 cut down to thousands'."""
    words = claim.words
    same_words = pd.notna(row[S.VALUE]) and row[S.QUALIFIER] == claim.qualifier
    if same_words and int(row[S.VALUE]) == claim.value and claim.high is None:
        return "the same number in the same words"
    if f_lo != f_hi:
        return f"a range that overlaps the {bounds_text(c_lo, c_hi)} that '{words}' allows"
    f = f_lo
    if claim.high is not None:
        return f"within the {bounds_text(c_lo, c_hi)} that '{words}' covers"
    q, v = claim.qualifier, claim.value
    if f == v:
        return "the same number"
    if q in ("exact", "about"):
        p = precision(v)
        unit = _UNIT_WORDS.get(p, f"multiples of {charts.fmt_int(p)}")
        rounded = (f + p // 2) // p * p
        cut = f // p * p
        if q == "exact" and p > 1:
            if rounded == v:
                return f"which rounds to {charts.fmt_int(v)}"
            if cut == v:
                return (
                    f"which reads {charts.fmt_int(v)} when cut down to {unit} "
                    f"(rounded it would be {charts.fmt_int(rounded)})"
                )
        return f"within the {bounds_text(c_lo, c_hi)} that '{words}' allows"
    if q == "nearly":
        return (
            f"just under {charts.fmt_int(v)}, within the {bounds_text(c_lo, c_hi)} 'nearly' allows"
        )
    if q in ("more_than", "at_least"):
        return f"which is above {charts.fmt_int(v)}"
    if q == "up_to":
        return f"which is below {charts.fmt_int(v)}"
    return ""


# --- editions ------------------------------------------------------------------------------------


def edition_chain(df: pd.DataFrame, figure_id: str) -> pd.DataFrame:
    """Every edition of the series a figure belongs to, oldest first (the supersedes chain).

    From the figure, follow the editions that supersede it to the head (the latest edition, a
    row of ``views.current``); where two rows supersede the same one, the later published wins.
    """
    successors: dict[str, list[tuple[pd.Timestamp, str]]] = {}
    for fid, sup, pub in zip(df[S.FIGURE_ID], df[S.SUPERSEDES], df[S.PUBLISHED], strict=True):
        if isinstance(sup, str):
            successors.setdefault(sup, []).append((pub, fid))
    head, seen = figure_id, {figure_id}
    while head in successors:
        nxt = max(successors[head])[1]
        if nxt in seen:
            break
        seen.add(nxt)
        head = nxt
    return views.revision_chain(df, head)


def edition_at(chain: pd.DataFrame, as_of: pd.Timestamp) -> tuple[pd.Series, bool]:
    """The edition current on ``as_of``: the latest published on or before it.

    Returns (row, published_later); when none was published by then, the earliest edition and True.
    """
    before = chain[chain[S.PUBLISHED] <= as_of]
    if before.empty:
        return chain.iloc[0], True
    return before.sort_values(S.PUBLISHED, kind="stable").iloc[-1], False


# --- verdicts ------------------------------------------------------------------------------------

V_HOLDS = "holds"
V_HOLDS_OLDER = "holds_older"
V_OVERSTATES = "overstates"
V_UNDERSTATES = "understates"
V_MINIMUM = "holds_as_minimum"
V_CANNOT = "cannot_check"

VERDICT_COLORS = {
    V_HOLDS: "green",
    V_HOLDS_OLDER: "orange",
    V_OVERSTATES: "red",
    V_UNDERSTATES: "red",
    V_MINIMUM: "blue",
    V_CANNOT: "gray",
}


@dataclass
class Verdict:
    """The computed verdict on one claim, with the figures behind it."""

    claim: Claim
    kind: str
    explanation: str
    pct: float | None = None
    reference: pd.Series | None = None  # the first cited figure that counts the same thing
    at_date: pd.Series | None = None  # the reference's edition current at the article's date
    matched: pd.Series | None = None  # the older edition that matches (V_HOLDS_OLDER)
    latest: pd.Series | None = None  # the head of the reference's chain
    chain: pd.DataFrame | None = None
    comparisons: list[tuple[pd.Series, Comparison]] = field(default_factory=list)

    @property
    def badge(self) -> str:
        """The verdict in words, with a symbol: never colour alone."""
        if self.kind == V_HOLDS:
            return "✔ Holds"
        if self.kind == V_HOLDS_OLDER:
            return "◐ Holds only for an older edition"
        if self.kind == V_OVERSTATES:
            return f"▲ Overstates by {fmt_pct(self.pct)}"
        if self.kind == V_UNDERSTATES:
            return f"▼ Understates by {fmt_pct(self.pct)}"
        if self.kind == V_MINIMUM:
            return "◔ Holds as a minimum"
        return "? Cannot be checked"

    @property
    def color(self) -> str:
        return VERDICT_COLORS[self.kind]

    @property
    def latest_text(self) -> str:
        """The figure as it stands in the latest edition, in one sentence ('' if none)."""
        if self.latest is None:
            return ""
        row = self.latest
        same = self.at_date is not None and row[S.FIGURE_ID] == self.at_date[S.FIGURE_ID]
        text = _sentence(_gives(row))
        if same:
            return (
                "This is still the latest edition of this figure in the dataset: no later "
                "edition is linked to it."
            )
        cmp = compare(self.claim, row)
        return text + f"; against it the claim {_outcome_phrase(cmp)}."


def evaluate(claim: Claim, df: pd.DataFrame) -> Verdict:
    """Compute the verdict on a claim from its number, its qualifier and the cited figures."""
    by_id = df.drop_duplicates(S.FIGURE_ID).set_index(S.FIGURE_ID, drop=False)
    missing = [f for f in claim.figure_ids if f not in by_id.index]
    if missing:
        raise KeyError(f"claim {claim.claim_id}: no figure with id {', '.join(missing)}")
    cited = [by_id.loc[f] for f in claim.figure_ids]
    comparisons = [(row, compare(claim, row)) for row in cited]

    ref = next((r for r in cited if relation(claim, r) == "same"), None)
    if ref is None:
        ref = next((r for r in cited if relation(claim, r) == "part"), None)
    if ref is None:
        return Verdict(claim, V_CANNOT, _cannot_sentence(claim, cited), comparisons=comparisons)

    chain = edition_chain(df, ref[S.FIGURE_ID])
    at_date, later = edition_at(chain, claim.as_of)
    latest = chain.iloc[-1]
    cmp = compare(claim, at_date)
    common = {
        "reference": ref,
        "at_date": at_date,
        "latest": latest,
        "chain": chain,
        "comparisons": comparisons,
    }
    scope = _scope_notes(claim, at_date, later)

    if cmp.outcome == HOLDS:
        text = f"{_gives(at_date)}, {cmp.reading}{scope}."
        return Verdict(claim, V_HOLDS, _sentence(text), **common)

    if cmp.outcome == PART_HOLDS:
        c_lo, c_hi = claimed_bounds(claim)
        what = _what(claim.category, claim.measure)
        text = (
            f"{_gives(at_date)} ({_PART_WORDS[at_date[S.MEASURE]]}), which is already at least "
            f"the {charts.fmt_int(c_lo)} that '{claim.words}' means, so the claim holds as a "
            f"minimum; no cited figure counts {what} together, so whether the total stays within "
            f"{bounds_text(c_lo, c_hi)} cannot be checked{scope}."
        )
        return Verdict(claim, V_MINIMUM, _sentence(text), **common)

    older = chain[
        (chain[S.PUBLISHED] < at_date[S.PUBLISHED]) & (chain[S.PUBLISHED] <= claim.as_of)
    ].iloc[::-1]
    for _, row in older.iterrows():
        old = compare(claim, row)
        if old.outcome in (HOLDS, PART_HOLDS):
            text = (
                f"The claim matches {_source(row)}, published {charts.fmt_date(row[S.PUBLISHED])}: "
                f"{_figure(row)}, {old.reading}; but the edition current on "
                f"{charts.fmt_date(claim.as_of)} was {_source(at_date)}, published "
                f"{charts.fmt_date(at_date[S.PUBLISHED])}, which gives {_figure(at_date)}, "
                f"so against it the claim {_outcome_phrase(cmp)}{scope}."
            )
            return Verdict(claim, V_HOLDS_OLDER, _sentence(text), cmp.pct, matched=row, **common)

    if cmp.outcome in (OVER, UNDER):
        c_lo, c_hi = claimed_bounds(claim)
        side = "above" if cmp.outcome == OVER else "below"
        where = "more than" if cmp.outcome == UNDER else "less than"
        text = (
            f"{_gives(at_date)}, {where} the {bounds_text(c_lo, c_hi)} that '{claim.words}' "
            f"allows, so the claim is {fmt_pct(cmp.pct)} {side} it{scope}."
        )
        kind = V_OVERSTATES if cmp.outcome == OVER else V_UNDERSTATES
        return Verdict(claim, kind, _sentence(text), cmp.pct, **common)
    # PART_UNKNOWN: a part below the claimed lower bound says nothing about the total.
    c_lo, _ = claimed_bounds(claim)
    text = (
        f"{_gives(at_date)} ({_PART_WORDS[at_date[S.MEASURE]]}), below the "
        f"{charts.fmt_int(c_lo)} that '{claim.words}' means; a part below the bound says nothing "
        f"about the total, and no cited figure counts {_what(claim.category, claim.measure)} "
        f"together, so the claim cannot be checked{scope}."
    )
    return Verdict(claim, V_CANNOT, _sentence(text), **common)


def evaluate_all(claims: list[Claim], df: pd.DataFrame) -> list[Verdict]:
    return [evaluate(c, df) for c in claims]


def comparison_text(claim: Claim, row, cmp: Comparison) -> str:
    """A cited figure's own comparison with the claim, for the list beside the verdict."""
    if cmp.outcome == OTHER_SCOPE:
        theirs = _what(row[S.CATEGORY], row[S.MEASURE])
        return f"counts {theirs}, not {_what(claim.category, claim.measure)}"
    notes = _scope_notes(claim, row, row[S.PUBLISHED] > claim.as_of)
    return "the claim " + _outcome_phrase(cmp) + notes


def figure_label(row) -> str:
    """Publisher and edition (or publication date) of a figure, for lists."""
    return f"{row[S.PUBLISHER]} — {_edition(row)}"


def short_label(row) -> str:
    """'Costs of War — Nov 2018': publisher and edition without their bracketed details."""
    publisher = str(row[S.PUBLISHER]).split(" (", 1)[0]
    return f"{publisher} — {_edition(row).split(' (', 1)[0]}"


# --- sentence parts ------------------------------------------------------------------------------


def _edition(row) -> str:
    ed = row[S.EDITION]
    return ed if isinstance(ed, str) and ed.strip() else charts.fmt_date(row[S.PUBLISHED])


def _source(row) -> str:
    ed = row[S.EDITION]
    if isinstance(ed, str) and ed.strip():
        return f"{row[S.PUBLISHER]}, {ed}"
    return str(row[S.PUBLISHER])


def _label_lower(label: str) -> str:
    first = label.split(" ", 1)[0]
    if first in ("Afghan",) or first[1:2].isupper():
        return label
    return label[0].lower() + label[1:]


def _category(cat: str) -> str:
    return _label_lower(S.CATEGORY_LABELS.get(cat) or EXTRA_CATEGORY_LABELS.get(cat, cat))


def _measure(measure: str) -> str:
    return S.MEASURE_LABELS.get(measure) or EXTRA_MEASURE_LABELS.get(measure, measure)


def _what(cat: str, measure: str) -> str:
    return f"{_category(cat)} {_measure(measure)}"


def _figure(row) -> str:
    return f"{charts.format_figure(row)} {_what(row[S.CATEGORY], row[S.MEASURE])}"


def _gives(row) -> str:
    return f"{_source(row)}, published {charts.fmt_date(row[S.PUBLISHED])}, gives {_figure(row)}"


def _outcome_phrase(cmp: Comparison) -> str:
    if cmp.outcome == HOLDS:
        return "holds"
    if cmp.outcome == PART_HOLDS:
        return "holds as a minimum (this counts only part of the total)"
    if cmp.outcome == PART_UNKNOWN:
        return "cannot be checked (this counts only part of the total, below the claimed bound)"
    if cmp.outcome == OVER:
        return f"overstates by {fmt_pct(cmp.pct)}"
    if cmp.outcome == UNDER:
        return f"understates by {fmt_pct(cmp.pct)}"
    return "cannot be checked against it"


def _sentence(text: str) -> str:
    """Capitalise the first letter, unless the first word is a name like 'iCasualties.org'."""
    first = text.split(" ", 1)[0]
    if any(ch.isupper() for ch in first):
        return text
    return text[0].upper() + text[1:]


def _period(start, end) -> str:
    if start is not None and end is not None:
        if start == end:
            return charts.fmt_date(start)
        return f"{charts.fmt_date(start)} – {charts.fmt_date(end)}"
    if start is not None:
        return f"since {charts.fmt_date(start)}"
    if end is not None:
        return f"up to {charts.fmt_date(end)}"
    return ""


_PART_WORDS = {
    "killed": "deaths alone, without the injured",
    "injured": "injuries alone, without the deaths",
}
_MEASURE_NOUNS = {"killed": "deaths", "injured": "injuries", "killed_and_injured": "casualties"}


def _scope_notes(claim: Claim, row, published_later: bool) -> str:
    """'; note that it counts only from 1 Jan 2009, not from 7 Oct 2001', or ''."""
    notes = []
    gap = pd.Timedelta(days=SCOPE_GAP_DAYS)
    start, end = row[S.PERIOD_START], row[S.PERIOD_END]
    if claim.period_start is not None and start - claim.period_start > gap:
        notes.append(
            f"it counts only from {charts.fmt_date(start)}, not from "
            f"{charts.fmt_date(claim.period_start)} as the article implies"
        )
    if claim.period_end is not None:
        if claim.period_end - end > gap:
            notes.append(
                f"it counts only up to {charts.fmt_date(end)}, not up to "
                f"{charts.fmt_date(claim.period_end)}"
            )
        elif end - claim.period_end > gap:
            notes.append(f"it counts up to {charts.fmt_date(end)}, after the article's date")
    geo = claim.geography
    if geo and row[S.GEOGRAPHY] != geo:
        noun = _MEASURE_NOUNS.get(row[S.MEASURE], "people")
        only = "only " if geo == "afghanistan" else ""
        notes.append(
            f"it counts {noun} {GEOGRAPHY_PHRASES.get(row[S.GEOGRAPHY], row[S.GEOGRAPHY])}, "
            f"not {only}{GEOGRAPHY_PHRASES.get(geo, geo)}"
        )
    if published_later:
        days = (row[S.PUBLISHED] - claim.as_of).days
        notes.append(
            f"it was published {days} day{'s' if days != 1 else ''} after the article's date "
            f"({charts.fmt_date(claim.as_of)})"
        )
    if claim.cited_date:
        month = pd.Timestamp(claim.cited_date + "-01")
        said = month.strftime("%b %Y")
        pub = pd.Timestamp(row[S.PUBLISHED])
        if (pub.year, pub.month) == (month.year, month.month):
            notes.append(f"it was published in {said}, as the article says")
        else:
            notes.append(
                f"it was published in {pub.strftime('%b %Y')}, not {said} as the article says"
            )
    return "; note that " + "; ".join(notes) if notes else ""


def _cannot_sentence(claim: Claim, cited: list) -> str:
    what = _what(claim.category, claim.measure)
    if not claim.is_casualty_claim:
        return (
            "The dataset holds casualty figures only and has no figure of this kind "
            f"({_category(claim.category)}), so the claim cannot be checked here."
        )
    if not cited:
        period = _period(claim.period_start, claim.period_end)
        for_period = f" for {period}" if period else ""
        return (
            f"The dataset has no figure of {what}{for_period} to check this against, so the "
            "claim cannot be checked here."
        )
    others = "; ".join(sorted({_what(r[S.CATEGORY], r[S.MEASURE]) for r in cited}))
    return (
        f"None of the cited figures counts {what} (they count {others}), so the claim cannot be "
        "checked against them."
    )


#: The rules in words, for the page and the command line.
RULES_MARKDOWN = f"""\
- **The article's number** becomes the range of numbers its words allow. A bare number counts at
  its own precision: "58,000" holds for figures that read 58,000 when rounded to thousands
  (57,500–58,499) or cut down to thousands (58,000–58,999). "Nearly N" holds from
  {NEARLY_TOLERANCE:.0%} below N up to N; "about N" within {ABOUT_TOLERANCE:.0%} either way;
  "more than N" above N; "at least N" from N; "up to N" up to N. Vague quantities read as the plural
  of the unit: "thousands" is 2,000–9,999, "tens of thousands" 20,000–99,999.
- **The source's number** is its stated value; "more than N" counts as the least it can be; a
  figure given only as a range counts as that range.
- **Which edition:** the first cited figure that counts the same people and the same measure is the
  reference. Publishers revise their figures; the edition current at the article's date is the
  latest one published on or before it. The latest edition in the dataset is shown too.
- **Verdicts:** *Holds* (the current edition fits the claim's words); *Holds only for an older
  edition*; *Overstates* or *Understates* by (claim − figure) ÷ figure; *Holds as a minimum* (only a
  part of the total, such as deaths without the wounded, could be checked, and it already reaches
  the claimed lower bound); *Cannot be checked* (no figure of the same kind).
- **Scope:** differences of period (more than about six months) or place between what the article
  implies and what the source counts are named in the explanation; they do not change the verdict.
"""
