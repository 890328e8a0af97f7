"""Exports of the figures: the CSV and ``datapackage.json`` as bytes. Pure: no Streamlit.

``csv_bytes`` writes the CSV contract exactly as ``data/casualties.csv`` is written (UTF-8 without a
byte-order mark, comma-separated, RFC 4180 minimal quoting, LF line endings, the schema's columns in
the schema's order, then any extra columns), so exporting the shipped data gives back the shipped
file byte for byte. Unlike Python 3.11's ``csv`` writer with LF line endings, it also quotes a field
holding a carriage return, so such a field cannot split its row.

Spreadsheet formula injection: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is run as a formula by some spreadsheet programs when the file is opened. Such cells
are written with a single quote ``'`` in front (the OWASP recommendation for CSV injection), so that
the cell is shown as text. Only text cells are changed, never numbers or dates; the shipped data has
no such cell.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from figures import datapackage
from figures import schema as S

#: First characters that make a spreadsheet treat a cell as a formula (OWASP, CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE = "^[=+\\-@\t\r]"
_NEEDS_QUOTES_RE = '[,"\\n\\r]'
DATE_FORMAT = "%Y-%m-%d"


def neutralise(text: str) -> str:
    """A text cell made safe to open in a spreadsheet: a leading formula character gets a ``'``."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def columns(df: pd.DataFrame) -> list[str]:
    """The export header: every schema column in schema order, then the frame's extra columns."""
    missing = [c for c in S.REQUIRED if c not in df.columns]
    if missing:
        raise ValueError(
            "cannot export: required columns are missing from the table: "
            + ", ".join(missing)
            + "; load the data with figures.data.load_figures"
        )
    return list(S.ALL) + [c for c in df.columns if c not in S.BY_NAME]


def _text_cells(s: pd.Series) -> pd.Series:
    s = s.astype("string").fillna("")
    return s.where(~s.str.contains(_FORMULA_RE, regex=True), "'" + s)


def _present(s: pd.Series) -> pd.Series:
    return s.notna() & (s.astype("string").fillna("") != "")


def _int_cells(s: pd.Series, name: str) -> pd.Series:
    num = pd.to_numeric(s, errors="coerce")
    bad = _present(s) & (num.isna() | (num != num.round()).fillna(False))
    if bad.any():
        raise ValueError(
            f"cannot export column {name}: must hold whole numbers (got {s[bad].iloc[0]!r})"
        )
    return num.astype("Int64").astype("string").fillna("")


def _date_cells(s: pd.Series, name: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        dates = s
    else:
        dates = pd.to_datetime(s, format=DATE_FORMAT, errors="coerce")
        bad = _present(s) & dates.isna()
        if bad.any():
            raise ValueError(
                f"cannot export column {name}: must hold dates written YYYY-MM-DD "
                f"(got {s[bad].iloc[0]!r})"
            )
    return dates.dt.strftime(DATE_FORMAT).astype("string").fillna("")


def _kind(df: pd.DataFrame, name: str) -> str:
    """How a column is written: 'int', 'date', 'float' or 'text' (the schema's kind, else the
    column's dtype)."""
    col = S.BY_NAME.get(name)
    if col is not None:
        return col.kind if col.kind in ("int", "date") else "text"
    if name not in df.columns:
        return "text"
    s = df[name]
    if pd.api.types.is_bool_dtype(s):
        return "text"
    if pd.api.types.is_integer_dtype(s):
        return "int"
    if pd.api.types.is_datetime64_any_dtype(s):
        return "date"
    if pd.api.types.is_float_dtype(s):
        return "float"
    return "text"


def _cells(df: pd.DataFrame, name: str) -> pd.Series:
    """One column as the strings written to the CSV ('' for missing)."""
    if name not in df.columns:  # an optional schema column the table does not have
        return pd.Series([""] * len(df), index=df.index, dtype="string")
    s = df[name]
    kind = _kind(df, name)
    if kind == "float":
        return s.astype("string").fillna("")
    if kind == "int":
        return _int_cells(s, name)
    if kind == "date":
        return _date_cells(s, name)
    return _text_cells(s)


def _quoted(cells: pd.Series) -> pd.Series:
    """RFC 4180 minimal quoting, as Python's csv module writes it, plus quoting of a lone carriage
    return: Python 3.11's writer leaves a field holding '\\r' unquoted when lines end in '\\n',
    which breaks the row for every reader."""
    needs = cells.str.contains(_NEEDS_QUOTES_RE, regex=True)
    return cells.where(~needs, '"' + cells.str.replace('"', '""', regex=False) + '"')


def _arrow_cells(df: pd.DataFrame, name: str) -> pa.ChunkedArray:
    """``_quoted(_cells(df, name))`` as an Arrow string array, text done by Arrow's kernels.

    The CSV of a page's selection is made on every rerun of the Data & sources page: the pandas
    string methods cost about 5 ms a column whatever the number of rows, Arrow's a few hundred
    microseconds. Same rules, same regular expressions (pandas runs them in Arrow's RE2 too)."""
    if name not in df.columns:
        return _arrow_quoted(_text(pa.array(_cells(df, name))))
    s = df[name]
    col = S.BY_NAME.get(name)
    kind = col.kind if col is not None else None
    if kind == "int" and pd.api.types.is_integer_dtype(s):  # whole numbers already
        return _text(pc.fill_null(pa.array(s).cast(pa.string()), ""))
    if kind == "date" and pd.api.types.is_datetime64_dtype(s):  # naive dates, as data.py makes
        return _text(pc.fill_null(pc.strftime(pa.array(s), format=DATE_FORMAT), ""))
    text = kind not in ("int", "date") and (
        col is not None
        or not (
            pd.api.types.is_bool_dtype(s)
            or pd.api.types.is_integer_dtype(s)
            or pd.api.types.is_datetime64_any_dtype(s)
            or pd.api.types.is_float_dtype(s)
        )
    )
    if not text:
        return _arrow_quoted(_text(pa.array(_cells(df, name))))
    cells = pc.fill_null(_text(pa.array(s.astype("string"))), "")
    cells = pc.if_else(
        pc.match_substring_regex(cells, _FORMULA_RE),
        pc.binary_join_element_wise(_scalar("'"), cells, _scalar("")),
        cells,
    )
    return _arrow_quoted(cells)


def _text(values: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    if not isinstance(values, pa.ChunkedArray):
        values = pa.chunked_array([values])
    return values.cast(pa.large_string())


def _scalar(text: str) -> pa.Scalar:
    return pa.scalar(text, pa.large_string())


def _arrow_quoted(cells: pa.ChunkedArray) -> pa.ChunkedArray:
    """``_quoted`` with Arrow's kernels."""
    escaped = pc.replace_substring(cells, '"', '""')
    quoted = pc.binary_join_element_wise(_scalar('"'), escaped, _scalar('"'), _scalar(""))
    return pc.if_else(pc.match_substring_regex(cells, _NEEDS_QUOTES_RE), quoted, cells)


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The figures as CSV bytes following the contract (see the module docstring).

    Dates are written YYYY-MM-DD, whole numbers without decimals, missing values as empty cells,
    and text cells that a spreadsheet would run as a formula are neutralised with a leading ``'``.
    """
    return _csv(df, columns(df))


def table_bytes(df: pd.DataFrame) -> bytes:
    """Any table as CSV bytes, written like ``csv_bytes`` (formulas neutralised), all columns."""
    return _csv(df, [str(c) for c in df.columns])


def _csv(df: pd.DataFrame, header: list[str]) -> bytes:
    head, rows = _rows(df, header)
    out = head.encode("utf-8") + b"\n"
    if rows is not None:
        one = pa.LargeListArray.from_arrays(pa.array([0, len(rows)], pa.int64()), rows)
        out += pc.binary_join(one, _scalar("\n"))[0].as_buffer().to_pybytes() + b"\n"
    return out


def _rows(df: pd.DataFrame, header: list[str]) -> tuple[str, pa.Array | None]:
    """The header line, and each row's line as one Arrow string array (None for no rows)."""
    head = _quoted(pd.Series([neutralise(str(h)) for h in header], dtype="string"))
    if not len(df):
        return ",".join(head), None
    cells = [_arrow_cells(df, c) for c in header]
    rows = pc.binary_join_element_wise(*cells, _scalar(",")) if len(cells) > 1 else cells[0]
    return ",".join(head), rows.combine_chunks()


def csv_lines(df: pd.DataFrame) -> tuple[str, list[str]]:
    """The CSV of ``csv_bytes`` as its header line and one line per row (without line ends),
    so that a part of the rows can be written without formatting them again."""
    head, rows = _rows(df, columns(df))
    return head, [] if rows is None else [str(r) for r in rows.to_pylist()]


def lines_bytes(header: str, lines: list[str]) -> bytes:
    """CSV bytes of a header line and some of ``csv_lines``'s row lines."""
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def dataset_bytes(df: pd.DataFrame) -> tuple[bytes, bytes]:
    """The flat frame split back into ``data/``'s two files: (casualties.csv, sources.csv).

    Each document is written once, in order of first use; each figure names it by source_id.
    """
    missing = [c for c in (S.SOURCE_ID, S.LOCATOR, S.SOURCE_KIND) if c not in df.columns]
    if missing:
        raise ValueError("cannot split: the table has no " + ", ".join(missing))
    figures = _csv(df, [c.name for c in S.FIGURE_FILE_COLUMNS])
    flat_of = S.SOURCE_TO_FLAT
    docs = df.drop_duplicates(S.SOURCE_ID)[list(flat_of.values())]
    docs = docs.rename(columns={flat: src for src, flat in flat_of.items()})
    return figures, _csv(docs, [c.name for c in S.SOURCE_COLUMNS])


def datapackage_bytes(df: pd.DataFrame) -> bytes:
    """``datapackage.json`` of the flat download (Frictionless descriptor, with publishers)."""
    return datapackage.dumps(df, layout="flat").encode("utf-8")


def records(df: pd.DataFrame) -> list[dict]:
    """The rows as JSON-ready dicts with the CSV's columns (``columns``) in the same order: whole
    numbers as numbers, dates as YYYY-MM-DD, missing values as None, text as written (no
    spreadsheet quote: JSON is not opened by a spreadsheet)."""
    header = columns(df)
    out: list[dict] = [{} for _ in range(len(df))]
    for name in header:
        kind = _kind(df, name)
        if kind in ("int", "date"):
            cells = _cells(df, name).reset_index(drop=True)
            values = [None if c == "" else int(c) if kind == "int" else c for c in cells]
        elif name not in df.columns:
            values = [None] * len(df)
        else:
            values = [
                None if not isinstance(v, str) and pd.isna(v) else v if kind == "text" else float(v)
                for v in df[name].astype(object)
            ]
            if kind == "text":
                values = [None if v is None else str(v) for v in values]
        for row, value in zip(out, values, strict=True):
            row[name] = value
    return out


def view_frame(frames) -> pd.DataFrame:
    """The figures a view shows, each once (first appearance first), for its CSV and JSON."""
    frames = [f for f in frames if f is not None and not f.empty]
    if not frames:
        return pd.DataFrame(columns=list(S.ALL))
    rows = pd.concat(frames, ignore_index=True)
    return rows.drop_duplicates(S.FIGURE_ID, keep="first").reset_index(drop=True)
