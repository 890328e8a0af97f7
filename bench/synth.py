"""Synthetic figures CSVs that follow the contract, for the data-scale benchmark.

Rows are modelled on the shipped data (its categories, measures, geographies, methods, statuses,
qualifiers and ranges, in their proportions) with their own ids, dates and values, and short text
so that a million rows stay under the loader's size limit. About a fifth of the rows supersede an
earlier row of the same category and measure, in chains of at most four editions, as publishers'
revisions do. Every row is valid: ``figures.data.load_figures`` accepts the file.

    python -m bench.synth 100000 /tmp/figures-100k.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from figures import data
from figures import schema as S

PUBLISHERS = ("UNAMA", "Costs of War", "US DoD", "iCasualties", "UK MoD", "UCDP", "ACLED", "AIHRC")
TITLES = ("Annual report", "Casualty update", "Protection of civilians", "Fact sheet")
HOSTS = ("unama.unmissions.org", "watson.brown.edu", "defense.gov", "icasualties.org")
MAX_CHAIN = 4  # editions in one revision chain


def _templates() -> pd.DataFrame:
    return data.load_figures(data.DEFAULT_PATH)


def frame(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` valid synthetic rows as strings, required columns first in contract order."""
    rng = np.random.default_rng(seed)
    tpl = _templates()
    pick = rng.integers(0, len(tpl), n)
    t = tpl.iloc[pick].reset_index(drop=True)
    ids = np.char.add("s", np.char.zfill(np.arange(n).astype(str), 7))

    # Values scale by a random factor; the order low <= value <= high survives the floor.
    factor = rng.uniform(0.5, 2.0, n)

    def scaled(col: str) -> pd.Series:
        v = t[col].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        out = np.floor(v * factor)
        return pd.Series(out).map(lambda x: "" if np.isnan(x) else str(int(x)))

    # Dates shift together (start <= end survives) by up to two years either way.
    shift = pd.to_timedelta(rng.integers(-730, 731, n), unit="D")

    def shifted(col: str) -> pd.Series:
        d = (t[col].astype("datetime64[ns]") + shift).clip(
            pd.Timestamp("1990-01-01"), pd.Timestamp("2030-12-31")
        )
        return pd.Series(d.dt.strftime("%Y-%m-%d"))

    start, end = shifted(S.PERIOD_START), shifted(S.PERIOD_END)
    end = end.where(end >= start, start)
    value = scaled(S.VALUE)
    host = np.array(HOSTS)[rng.integers(0, len(HOSTS), n)]
    url = np.char.add(np.char.add(np.char.add("https://", host), "/r/"), ids)
    out = pd.DataFrame(
        {
            S.FIGURE_ID: ids,
            S.CATEGORY: t[S.CATEGORY].astype(str),
            S.MEASURE: t[S.MEASURE].astype(str),
            S.VALUE: value,
            S.LOW: scaled(S.LOW),
            S.HIGH: scaled(S.HIGH),
            S.QUALIFIER: t[S.QUALIFIER].astype(str),
            S.PERIOD_START: start,
            S.PERIOD_END: end,
            S.GEOGRAPHY: t[S.GEOGRAPHY].astype(str),
            S.NATIONALITY: t[S.NATIONALITY].fillna("").astype(str),
            S.METHOD: t[S.METHOD].astype(str),
            S.PUBLISHER: np.array(PUBLISHERS)[rng.integers(0, len(PUBLISHERS), n)],
            S.SOURCE_TITLE: np.array(TITLES)[rng.integers(0, len(TITLES), n)],
            S.SOURCE_URL: url,
            S.PUBLISHED: end,
            S.EXCERPT: np.where(value == "", "a range", "says " + value),
            S.CAVEAT: "",
            S.STATUS: t[S.STATUS].astype(str),
            S.SUPERSEDES: "",
        }
    )
    out[S.SUPERSEDES] = _chains(out, rng)
    return out


def _chains(df: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """About 20 % of rows supersede the latest earlier row of the same category and measure."""
    sup = np.full(len(df), "", dtype=object)
    revise = rng.random(len(df)) < 0.2
    last: dict[tuple[str, str], tuple[str, int]] = {}
    keys = zip(df[S.CATEGORY], df[S.MEASURE], df[S.FIGURE_ID], revise, strict=True)
    for i, (cat, measure, fid, rev) in enumerate(keys):
        k = (cat, measure)
        prev = last.get(k)
        if rev and prev is not None and prev[1] < MAX_CHAIN:
            sup[i] = prev[0]
            last[k] = (fid, prev[1] + 1)
        else:
            last[k] = (fid, 1)
    return sup


def write(n: int, path: str | Path, seed: int = 7) -> Path:
    """Write ``n`` synthetic rows to ``path``; returns the path."""
    path = Path(path)
    frame(n, seed).to_csv(path, index=False, lineterminator="\n")
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.synth ROWS OUT.csv")
    p = write(int(sys.argv[1]), sys.argv[2])
    print(f"wrote {p} ({p.stat().st_size:,} bytes)")
