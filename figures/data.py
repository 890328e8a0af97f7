"""Load and validate ``data/casualties.csv`` into a typed, tidy DataFrame.

Every rule of the CSV contract is checked here, and every problem found is reported at once in one
:class:`FiguresError`, each as ``file:line: column: what is wrong (got 'value')``. The file is
read as bytes by Arrow's CSV reader and every check runs over whole columns with Arrow's kernels
(``pyarrow.compute``) or numpy, so that a million rows validate in about a second; Python objects
are built only for the rows with a problem, and line numbers are worked out exactly (quoted fields
may span lines, so the text is decoded and read again) only when there is a problem to report.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

from figures import schema as S

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = PACKAGE_ROOT / "data" / "casualties.csv"
ENV_VAR = "FIGURES_DATA"
SOURCES_NAME = "sources.csv"
MAX_BYTES = 200 * 1024 * 1024
MAX_DIGITS = 12  # no casualty figure has more; also keeps values far inside int64

_DATE_RE = r"\d{4}-\d{2}-\d{2}"
# No whitespace after the host: Python's \s spelled out (the characters str.isspace() accepts),
# so that pandas can run the check in Arrow's RE2 instead of Python's re, one row at a time.
_NOT_SPACE = "[^\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_URL_RE = r"https?://[A-Za-z0-9.\-\[\]:@]+(?:[/?#]" + _NOT_SPACE + "*)?"
# ``S.PLACEHOLDER_PATTERN`` for Arrow's RE2 (pandas runs a case-insensitive pattern in Python's
# re, one row at a time): Python's \s and \b spelled out, case folded by (?i).
_SPACE = _NOT_SPACE.replace("[^", "[", 1)
_PLACEHOLDER_RE = "(?i)" + S.PLACEHOLDER_PATTERN.replace(r"\s", _SPACE).replace(
    r"\b", r"(?:[^\pL\pN_]|$)"
)
_INT_RE = rf"\d{{1,{MAX_DIGITS}}}"
_CONTROL_RE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_REJECTED_RE = (
    r"(?i)^https?://(?:[^/?#]*\.)?(?:"
    + "|".join(h.replace(".", r"\.") for h in S.REJECTED_HOSTS)
    + r")(?::\d+)?(?:[/?#]|$)"
)
# The same characters as bytes: in UTF-8 they never occur inside a multi-byte character, so one
# pass over the encoded file tells whether any field can contain one.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])

# Arrow's type for every field read: pandas' string dtype holds large_string arrays, so the
# typed frame shares the reader's buffers instead of copying every column's offsets.
_STR = pa.large_string()

# Python's csv module refuses fields over 128 KiB with an exception; let the size limit and the
# per-column length checks report over-long fields instead.
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file."""

    source: str
    line: int | None
    column: str | None
    message: str
    got: str | None = None

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        parts = [where]
        if self.column:
            parts.append(self.column)
        text = ": ".join(parts) + ": " + self.message
        if self.got is not None:
            shown = self.got if len(self.got) <= 60 else self.got[:57] + "..."
            text += f" (got {shown!r})"
        return text


class FiguresError(ValueError):
    """The data file breaks the CSV contract. ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        shown = [str(p) for p in self.problems[:50]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"... and {more} more problems")
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(f"{len(self.problems)} {noun} in the data:\n" + "\n".join(shown))


class FiguresFileError(FiguresError):
    """The data file is missing or cannot be read as UTF-8 text at all."""


def default_path() -> Path:
    """The data file the app reads: ``$FIGURES_DATA`` if set, else ``data/casualties.csv``."""
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else DEFAULT_PATH


def display_name(path: Path) -> str:
    """A short name for messages: relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a data file as text. Returns (text, display name). Raises FiguresFileError."""
    raw, name = _read_bytes(path)
    return decode(raw, name), name


def _read_bytes(path: str | Path) -> tuple[bytes, str]:
    """Read a data file's bytes (size checked). Returns (bytes, display name)."""
    p = Path(path)
    name = display_name(p)
    hint = f"set {ENV_VAR} or pass a path to a CSV file that follows the contract"
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise IsADirectoryError
    except FileNotFoundError:
        raise FiguresFileError([Problem(name, None, None, f"file not found; {hint}")]) from None
    except IsADirectoryError:
        raise FiguresFileError([Problem(name, None, None, f"is a folder; {hint}")]) from None
    except OSError as exc:
        raise FiguresFileError([Problem(name, None, None, f"cannot be read: {exc}")]) from None
    if size > MAX_BYTES:
        raise FiguresFileError(
            [Problem(name, None, None, f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")]
        )
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise FiguresFileError([Problem(name, None, None, f"cannot be read: {exc}")]) from None
    return raw, name


def _looks_utf16(head: bytes) -> bool:
    """UTF-16/32 text: a BOM, or mostly ASCII with every other byte zero."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    even, odd = head[::2], head[1::2]
    return len(head) >= 16 and any(
        a.count(0) > 0.9 * len(a) and b.count(0) < 0.1 * len(b)
        for a, b in ((even, odd), (odd, even))
    )


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM). Raises FiguresFileError for binary or other encodings."""
    _check_head(raw[:8192], name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FiguresFileError(
            [
                Problem(
                    name,
                    line,
                    None,
                    "is not UTF-8 text; save the file as UTF-8 (byte "
                    f"{exc.start}: {raw[exc.start : exc.start + 1]!r})",
                )
            ]
        ) from None
    return text


def _utf8(raw: bytes, name: str) -> bytes:
    """``raw`` less its UTF-8 BOM, once :func:`decode` would accept it (raises as it does).

    Plain ASCII cannot fail to decode, so only the head is checked: decoding 200 MB to text
    that Arrow would encode again took a tenth of a second.
    """
    if raw.isascii():
        _check_head(raw[:8192], name)
        return raw
    decode(raw, name)
    return raw.removeprefix(codecs.BOM_UTF8)


def _check_head(head: bytes, name: str) -> None:
    """Refuse UTF-16/32 and binary files, from the first bytes."""
    if _looks_utf16(head):
        raise FiguresFileError(
            [Problem(name, None, None, "is UTF-16 or UTF-32 text; save the file as UTF-8")]
        )
    if b"\x00" in head:
        line = head[: head.index(b"\x00")].count(b"\n") + 1
        raise FiguresFileError(
            [Problem(name, line, None, "is a binary file, not a CSV text file (NUL byte)")]
        )


def sources_path(figures_path: str | Path) -> Path:
    """The source documents of a figures file: ``sources.csv`` in the same folder."""
    return Path(figures_path).with_name(SOURCES_NAME)


def data_files(path: str | Path | None = None) -> list[Path]:
    """The files ``load_figures(path)`` reads: the figures, and their sources file when the
    figures name their documents by source_id (read from the header line only)."""
    p = Path(default_path() if path is None else path)
    try:
        with p.open(encoding="utf-8-sig", errors="replace", newline="") as f:
            head = f.readline(1 << 16)
    except OSError:
        return [p]
    return [p, sources_path(p)] if names_documents_by_id(head) else [p]


def load_figures(path: str | Path | None = None) -> pd.DataFrame:
    """Load and validate the figures. Returns one typed flat DataFrame; raises FiguresError.

    A figures file that names its documents by ``source_id`` is read with ``sources.csv`` beside
    it, and each figure is joined with its document. A flat file (the download, or a file written
    against the first contract) carries the document's columns itself and is read alone.
    """
    path = default_path() if path is None else path
    src, name = _read_source(path)
    if _names_documents_by_id(src):
        sources, src_name = _read_source(sources_path(path))
        return _parse_dataset(src, name, sources, src_name)
    return _parse_figures(src, name)


def _read_source(path: str | Path) -> tuple[_Source, str]:
    """A data file as :func:`read_text` reads it (same checks), kept as bytes."""
    raw, name = _read_bytes(path)
    return _Source(data=_utf8(raw, name)), name


class _Source:
    """A CSV file's contents: the UTF-8 bytes Arrow reads and the text the csv module reads.

    Each is made from the other on first use: a valid file is read from its bytes alone, and
    decoded only to report the lines of its problems.
    """

    def __init__(self, data: bytes | None = None, text: str | None = None):
        self._data = data
        self._text = text

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = self._text.encode("utf-8")
        return self._data

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self._data.decode("utf-8")
        return self._text

    def head(self, chars: int) -> tuple[str, bool]:
        """The first ``chars`` characters, and whether there are more."""
        if self._text is not None:
            return self._text[:chars], len(self._text) > chars
        cut = 4 * chars + 4  # bytes that hold more than ``chars`` characters
        if len(self._data) <= cut:
            text = self._data.decode("utf-8")
            return text[:chars], len(text) > chars
        return self._data[:cut].decode("utf-8", errors="ignore")[:chars], True

    def is_blank(self) -> bool:
        """Whether the text is empty or whitespace only (``str.isspace``)."""
        head, more = self.head(4096)
        if head and not head.isspace():
            return False
        return not more or self.text.isspace()

    def without_bom(self, every: bool = False) -> _Source:
        """The contents less a leading BOM (``every``: less all leading BOMs)."""
        if self._text is not None:
            text = self._text.lstrip("\ufeff") if every else self._text.removeprefix("\ufeff")
            return self if text is self._text else _Source(text=text)
        data = self._data
        while data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
            if not every:
                break
        return self if data is self._data else _Source(data=data)


def names_documents_by_id(text: str) -> bool:
    """Whether a figures file names its documents by source_id instead of carrying them."""
    return _names_documents_by_id(_Source(text=text))


def _names_documents_by_id(src: _Source) -> bool:
    if src.is_blank():
        return False
    header = {h.strip() for h in _header(src.without_bom(every=True))}
    return S.SOURCE_ID in header and S.SOURCE_URL not in header


def _parse_table(
    src: _Source,
    name: str,
    columns: tuple[S.Column, ...],
    problems: list[Problem],
    figure_rules: bool,
    what: str,
) -> tuple[pa.Table, dict[str, np.ndarray], _LineMap]:
    """Read and check one CSV table (a flat file, a figures file or a sources file): every
    problem is appended to ``problems``; returns the table of strings, the date and number
    columns parsed, and the line map."""
    src = src.without_bom()
    required = tuple(c.name for c in columns if c.required)
    if src.is_blank():
        raise FiguresError(
            [Problem(name, 1, None, f"file is empty; expected a header: {','.join(required)}")]
        )
    header = _header(src)
    found: list[Problem] = []
    _check_header(header, name, found, required)
    if found:
        raise FiguresError(problems + found)
    quotes = src.data.count(b'"')
    try:
        table, ragged = _read_strings(src.data, header, quoted=quotes > 0)
    except ValueError as exc:
        raise FiguresError([Problem(name, None, None, f"cannot be read as CSV: {exc}")]) from None
    controls = _has_control_bytes(src.data)
    ascii = src.data.isascii()
    lines = _LineMap(src, skipped=[number for number, _, _ in ragged])
    if ragged or quotes % 2:
        _check_quotes(src.text, name, problems)
    if table.num_rows == 0 and not ragged and not problems:
        raise FiguresError(
            [Problem(name, 2, None, f"no {what}: the file has a header but no rows of data")]
        )
    for number, expected, actual in ragged:
        few = "few" if actual < expected else "many"
        problems.append(
            Problem(
                name,
                lines.record_line(number),
                None,
                f"row has too {few} fields: expected {expected}, found {actual}; "
                "quote fields that contain commas",
            )
        )
    parsed = _check_rows(
        table,
        name,
        lines,
        problems,
        controls=controls,
        ascii=ascii,
        columns=columns,
        figure_rules=figure_rules,
    )
    return table, parsed, lines


def parse_sources(text: str, name: str = "sources.csv") -> pd.DataFrame:
    """Validate a sources file. Returns its rows as strings; raises FiguresError."""
    return _parse_sources(_Source(text=text), name).to_pandas()


def _parse_sources(src: _Source, name: str) -> pa.Table:
    problems: list[Problem] = []
    table, _, lines = _parse_table(src, name, S.SOURCE_COLUMNS, problems, False, "sources")
    ids = table[S.SOURCE_ID]
    _, first, _ = _first_seen(ids)
    _Report(name, lines, problems)(
        _np(pc.not_equal(ids, "")) & ~first,
        S.SOURCE_ID,
        "duplicate id; each source_id must be unique",
        ids,
    )
    if problems:
        raise FiguresError(sorted(problems, key=lambda p: (p.line or 0, p.column or "")))
    return table


def parse_dataset(text: str, name: str, src_text: str, src_name: str) -> pd.DataFrame:
    """Validate a figures file and its sources file; returns the typed flat (joined) frame.

    Every problem of both files is reported at once, each naming its own file and line.
    """
    return _parse_dataset(_Source(text=text), name, _Source(text=src_text), src_name)


def _parse_dataset(src: _Source, name: str, sources_src: _Source, src_name: str) -> pd.DataFrame:
    problems: list[Problem] = []
    try:
        sources = _parse_sources(sources_src, src_name)
    except FiguresError as err:
        problems.extend(err.problems)
        sources = None
    table, parsed, lines = _parse_table(src, name, S.FIGURE_FILE_COLUMNS, problems, True, "figures")
    if sources is not None:
        sid = table[S.SOURCE_ID]
        where = _index_in(sid, sources[S.SOURCE_ID])
        _Report(name, lines, problems)(
            _np(pc.not_equal(sid, "")) & (where < 0),
            S.SOURCE_ID,
            f"points at no source_id in {src_name}",
            sid,
        )
        flat = table
        for src_col, flat_col in S.SOURCE_TO_FLAT.items():
            if flat_col != S.SOURCE_ID:
                flat = _with_column(flat, flat_col, _take(sources[src_col], where, ""))
        if not problems:
            _check_citation(flat, name, lines, problems, parsed)
    if problems:
        raise FiguresError(problems)
    return _typed(flat, parsed)


def _record_lines(text: str) -> list[int]:
    """First physical line of each non-blank CSV record after the header (exact, slow path)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    starts: list[int] = []
    prev = 0
    for rec in reader:
        if rec and any(rec) or rec:
            starts.append(prev + 1)
        prev = reader.line_num
    return starts[1:]


def parse_figures(text: str, name: str = "<data>") -> pd.DataFrame:
    """Validate a flat CSV (figures carrying their documents). Returns a typed DataFrame;
    raises FiguresError."""
    return _parse_figures(_Source(text=text), name)


def _parse_figures(src: _Source, name: str) -> pd.DataFrame:
    problems: list[Problem] = []
    table, parsed, lines = _parse_table(src, name, S.COLUMNS, problems, True, "figures")
    if not problems:
        _check_citation(table, name, lines, problems, parsed)
    if problems:
        raise FiguresError(sorted(problems, key=lambda p: (p.line or 0, p.column or "")))
    return _typed(table, parsed)


def _header(src: _Source) -> list[str]:
    """The first CSV record, read from the start of the text (copying 200 MB into a StringIO
    to read one line took half a second); the whole text only if the header is that long."""
    head, more = src.head(1 << 20)
    reader = csv.reader(io.StringIO(head, newline=""))
    header = next(reader)
    if more and next(reader, None) is None:
        header = next(csv.reader(io.StringIO(src.text, newline="")))
    return header


def _check_quotes(text: str, name: str, problems: list[Problem]) -> None:
    """Name the row of the first quoting error (strict RFC 4180), if any."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            what = "a quoted field is opened in this row and never closed"
        else:
            what = "a quoted field has text after its closing quote"
        problems.append(
            Problem(
                name, start, None, f'{what}; write a quote inside a quoted field as two quotes ("")'
            )
        )


def _read_strings(
    data: bytes, header: list[str], quoted: bool = True
) -> tuple[pa.Table, list[tuple[int, int, int]]]:
    """Parse CSV bytes into all-string columns (fast, Arrow's C++ parser).

    Returns the table and the ragged records skipped: (record number counting the header as 1,
    fields expected, fields found). ``quoted=False`` (the file has no quote at all): no field
    can hold a line break, so rows may be split at every one.
    """
    names = [h.strip() for h in header]
    convert = pacsv.ConvertOptions(
        column_types={n: _STR for n in names},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    try:
        # Usually every row has the header's fields: Arrow's reader on both cores, without the
        # bad-row handler (which halves its speed even when it is never called).
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=quoted),
            convert_options=convert,
        )
        ragged: list[tuple[int, int, int]] = []
    except (ValueError, pa.ArrowException):
        # A ragged row (or a file Arrow cannot read): again, on one thread, so that the handler
        # sees the rows in order and numbers them; its errors are the caller's to report.
        ragged = []

        def on_bad_row(row) -> str:
            ragged.append((row.number or 0, row.expected_columns, row.actual_columns))
            return "skip"

        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(use_threads=False, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, invalid_row_handler=on_bad_row
            ),
            convert_options=convert,
        )
    if table.column_names != names:  # Arrow read the header otherwise than Python's csv module
        table = _renamed_as_strings(table, names)
    return table, ragged


def _renamed_as_strings(table: pa.Table, names: list[str]) -> pa.Table:
    """The columns under the header's names, as strings ("" for Arrow's nulls), as pandas
    renames and converts them (and fails when the counts differ)."""
    frame = table.to_pandas()
    frame.columns = names
    arrays = [
        pa.array(frame.iloc[:, i].astype(object).where(frame.iloc[:, i].notna(), "").astype(str))
        for i in range(len(names))
    ]
    return pa.Table.from_arrays([a.cast(_STR) for a in arrays], names=names)


def _has_control_bytes(data: bytes) -> bool:
    """Whether any byte is a control character other than tab, LF and CR (``_CONTROL_BYTES``).

    Such bytes never occur inside a multi-byte UTF-8 character. Counted with numpy in 4 MiB
    slices: bytes below 0x20 against line feeds, and only when they differ, tabs and CRs too
    (a quarter of ``bytes.translate``'s time).
    """
    if b"\x7f" in data:
        return True
    view = np.frombuffer(data, dtype=np.uint8)
    step = 1 << 22
    for start in range(0, len(view), step):
        part = view[start : start + step]
        low = np.count_nonzero(part < 0x20)
        if low and low != np.count_nonzero(part == 0x0A):
            allowed = sum(np.count_nonzero(part == b) for b in (0x09, 0x0A, 0x0D))
            if low != allowed:
                return True
    return False


class _LineMap:
    """Maps table row positions to file line numbers, computed on first use."""

    def __init__(self, src: _Source, skipped: list[int] | None = None):
        self._src = src
        self._skipped = set(skipped or [])
        self._starts: list[int] | None = None
        self._records: list[int] | None = None

    def _compute(self) -> None:
        if self._records is None:
            self._records = _record_lines(self._src.text)  # lines of records 2, 3, ...
            self._starts = [
                line for i, line in enumerate(self._records, start=2) if i not in self._skipped
            ]

    def record_line(self, number: int) -> int | None:
        """Line of record ``number`` (header = 1)."""
        self._compute()
        if 2 <= number < len(self._records) + 2:
            return self._records[number - 2]
        return None

    def __call__(self, pos: int) -> int:
        self._compute()
        if pos < len(self._starts):
            return self._starts[pos]
        return pos + 2


def _check_header(
    header: list[str], name: str, problems: list[Problem], required: tuple[str, ...] = S.REQUIRED
) -> None:
    cleaned = [h.strip() for h in header]
    if len(cleaned) == 1 and (sep := next((c for c in ";\t|" if c in cleaned[0]), None)):
        problems.append(
            Problem(name, 1, None, f"columns must be separated by commas, not {sep!r}", cleaned[0])
        )
        return
    seen: set[str] = set()
    for h in cleaned:
        if h in seen:
            problems.append(Problem(name, 1, h, "column appears twice in the header"))
        seen.add(h)
    missing = [c for c in required if c not in seen]
    for c in missing:
        problems.append(
            Problem(name, 1, c, "required column is missing from the header", ",".join(cleaned))
        )
    if not missing:
        order = [h for h in cleaned if h in required]
        if order != list(required):
            problems.append(
                Problem(
                    name,
                    1,
                    None,
                    "required columns must come first, in this order: " + ",".join(required),
                    ",".join(cleaned),
                )
            )
    if cleaned != header:
        problems.append(Problem(name, 1, None, "header names have spaces around them", str(header)))


# ---- checks on Arrow arrays ----------------------------------------------------------------
# Each check runs one Arrow kernel over a whole column (pandas' ``.str`` methods ran the same
# kernels, then converted every result to numpy and back); masks become numpy arrays where they
# are combined with positions, and Python objects are built only for the rows with a problem.

Mask = pa.ChunkedArray | pa.Array | np.ndarray


def _np(mask: Mask) -> np.ndarray:
    """A boolean mask as a numpy array (Arrow's nulls as False)."""
    if isinstance(mask, np.ndarray):
        return mask
    return mask.fill_null(False).to_numpy(zero_copy_only=False).astype(bool, copy=False)


def _rows(mask: Mask) -> np.ndarray:
    """Positions where ``mask`` is true."""
    if isinstance(mask, np.ndarray):
        return np.flatnonzero(mask)
    if not pc.any(mask).as_py():
        return np.empty(0, dtype=np.int64)
    return np.flatnonzero(_np(mask))


def _values(col: pa.ChunkedArray | pa.Array, rows: np.ndarray) -> list:
    """The Python values of ``col`` at ``rows``."""
    return _values_array(col, rows).to_pylist()


def _values_array(col: pa.ChunkedArray | pa.Array, rows: np.ndarray) -> pa.Array:
    """The values of ``col`` at ``rows``."""
    taken = col.take(pa.array(rows, type=pa.int64()))
    return taken.combine_chunks() if isinstance(taken, pa.ChunkedArray) else taken


def _allowed(col: str) -> pa.Array:
    """An enum column's allowed values."""
    return pa.array(S.BY_NAME[col].allowed, type=_STR)


class _Report:
    """Appends a problem for each row a mask flags, at the row's line in the file."""

    def __init__(self, name: str, lines: _LineMap, problems: list[Problem]):
        self.name, self.lines, self.problems = name, lines, problems

    def __call__(self, mask: Mask, column: str | None, message: str, got=None) -> None:
        """``got``: the column whose value is shown, or a function of the rows giving the text
        shown for each (called only when there are problems)."""
        rows = _rows(mask)
        if not len(rows):
            return
        if got is None:
            shown = [None] * len(rows)
        elif callable(got):
            shown = got(rows)
        else:
            shown = [str(v) for v in _values(got, rows)]
        for row, g in zip(rows.tolist(), shown, strict=True):
            self.problems.append(Problem(self.name, self.lines(row), column, message, g))


def _pairs(left, sep: str, right):
    """``got`` for :class:`_Report`: two columns' values joined by ``sep``."""

    def shown(rows: np.ndarray) -> list[str]:
        return [
            f"{a}{sep}{b}" for a, b in zip(_values(left, rows), _values(right, rows), strict=True)
        ]

    return shown


def _blank(s: pa.ChunkedArray) -> pa.ChunkedArray:
    """Empty or whitespace only: ``str.strip() == ""`` (Arrow's utf8_trim_whitespace and
    utf8_is_space agree on every code point; utf8_is_space is false for "")."""
    return pc.or_(pc.equal(pc.binary_length(s), 0), pc.utf8_is_space(s))


def _fullmatch(s: pa.ChunkedArray, pattern: str) -> pa.ChunkedArray:
    """The whole field matches (RE2; what pandas' ``str.fullmatch`` runs on Arrow strings)."""
    return pc.match_substring_regex(s, f"^(?:{pattern})$")


def _is_int(s: pa.ChunkedArray, ascii: bool = False) -> pa.ChunkedArray:
    """Fields that fully match ``_INT_RE``, as pandas' ``str.fullmatch`` matched them.

    On ASCII text: a digit test and a length, a tenth of the regular expression's time. pandas
    ran ``\\d`` in Python's re (any Unicode decimal digit) on a column with any non-ASCII text,
    so the non-ASCII fields are matched so, one by one (Arrow's cast then refuses them, as
    it did). ``ascii``: the whole file is ASCII.
    """
    digits = pc.and_(pc.ascii_is_decimal(s), pc.less_equal(pc.binary_length(s), MAX_DIGITS))
    if ascii:
        return digits
    wide = _rows(pc.invert(pc.string_is_ascii(s)))
    if not len(wide):
        return digits
    mask = _np(digits).copy()
    mask[wide] = [re.fullmatch(_INT_RE, v) is not None for v in _values(s, wide)]
    return pa.chunked_array([mask])


def _ints(s: pa.ChunkedArray, ok: pa.ChunkedArray | None = None) -> pa.ChunkedArray:
    """Whole numbers written with digits only, as int64; anything else is null.

    ``ok``: which fields are such numbers (``_is_int``), when already known.
    """
    ok = _is_int(s) if ok is None else ok
    return pc.cast(pc.if_else(ok, s, pa.scalar(None, _STR)), pa.int64())


_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)
_NAT = np.iinfo(np.int64).min  # NaT as int64


def _dates(s: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Fields that are real dates written YYYY-MM-DD (``_DATE_RE``), and their values
    (datetime64[s], NaT elsewhere).

    As pandas' ``to_datetime(format="%Y-%m-%d")`` read them: proleptic Gregorian, years 0000 to
    9999, no day or month rolled over (Arrow's strptime turns 2019-02-30 into March 2nd). The
    10-byte fields' digits are read with numpy, a slice of rows at a time (its temporary arrays
    stay small).
    """
    n = len(s)
    ok = np.zeros(n, dtype=bool)
    seconds = np.full(n, _NAT, dtype=np.int64)
    sized = _np(pc.equal(pc.binary_length(s), 10))
    rows = np.flatnonzero(sized)
    if len(rows):
        fixed = pc.cast(s if len(rows) == n else s.filter(pa.array(sized)), pa.binary(10))
        fixed = fixed.combine_chunks() if isinstance(fixed, pa.ChunkedArray) else fixed
        b = np.frombuffer(fixed.buffers()[1], dtype=np.uint8)
        b = b[fixed.offset * 10 : (fixed.offset + len(fixed)) * 10].reshape(-1, 10)
        step = 1 << 18
        for i in range(0, len(rows), step):
            at = rows[i : i + step]
            ok[at], seconds[at] = _civil_dates(b[i : i + step])
    return ok, seconds.view("datetime64[s]")


def _civil_dates(b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of 10 bytes: which are real dates YYYY-MM-DD, and their seconds since 1970 (the
    int64 of NaT elsewhere)."""

    def digit(i: int) -> tuple[np.ndarray, np.ndarray]:
        """Column i's digit, and whether it is one (below "0" the uint8 wraps above 9)."""
        v = b[:, i] - np.uint8(ord("0"))
        return v.astype(np.int32), v <= 9

    (y0, k0), (y1, k1), (y2, k2), (y3, k3) = (digit(i) for i in range(4))
    (m0, k5), (m1, k6), (d0, k8), (d1, k9) = (digit(i) for i in (5, 6, 8, 9))
    dash = (b[:, 4] == ord("-")) & (b[:, 7] == ord("-"))
    shaped = k0 & k1 & k2 & k3 & k5 & k6 & k8 & k9 & dash
    year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
    month = m0 * 10 + m1
    day = d0 * 10 + d1
    month = np.where(shaped & (month >= 1) & (month <= 12), month, 0)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    real = (month > 0) & (day >= 1) & (day <= _DAYS_IN_MONTH[month] + (leap & (month == 2)))
    # Days since 1970-01-01 (H. Hinnant's days_from_civil; years counted from March).
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    days = era.astype(np.int64) * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    return real, np.where(real, days * 86400, _NAT)


def _first_seen(
    s: pa.ChunkedArray, lookups: pa.ChunkedArray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each value's code (code k: the k-th distinct value), whether the row is its value's
    first occurrence, and the code of each of ``lookups`` among the values (-1 if none).

    One hash table for both (hashing a million ids is most of the time). Arrow numbers a
    dictionary's values in the order it meets them, so a row is a first occurrence exactly when
    its code is above every code before it, and a lookup's code is one of the values' when it is
    below their number of distinct values.
    """
    n = len(s)
    chunks = s.chunks + ([] if lookups is None else lookups.chunks)
    encoded = pc.dictionary_encode(pa.chunked_array(chunks, type=s.type))
    codes = np.concatenate(
        [np.empty(0, dtype=np.int64)]
        + [c.indices.to_numpy(zero_copy_only=False) for c in encoded.chunks]
    ).astype(np.int64)
    codes, looked_up = codes[:n], codes[n:]
    distinct = int(codes.max()) + 1 if n else 0
    if distinct == n:
        first = np.ones(n, dtype=bool)
    else:
        first = codes > np.maximum.accumulate(np.concatenate(([-1], codes[:-1])))
    return codes, first, np.where(looked_up < distinct, looked_up, -1)


def _index_in(s: pa.ChunkedArray, values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Position of each element of ``s`` in ``values`` (-1 where absent), by hash table."""
    pos = pc.index_in(s, value_set=values)
    return pos.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


def _take(col: pa.ChunkedArray, where: np.ndarray, missing=None) -> pa.ChunkedArray:
    """``col`` values at positions ``where`` (``missing`` where ``where`` is -1)."""
    taken = col.take(pa.array(where, mask=where < 0, type=pa.int64()))
    return taken if missing is None else taken.fill_null(missing)


def _with_column(table: pa.Table, name: str, values) -> pa.Table:
    """``table`` with column ``name`` replaced in place, or appended."""
    if name in table.column_names:
        return table.set_column(table.column_names.index(name), name, values)
    return table.append_column(name, values)


def _on_cycles(src: np.ndarray, dst: np.ndarray, n: int) -> np.ndarray:
    """Which of ``n`` nodes lie on a loop of the links ``src[i] -> dst[i]``.

    A node's link is its last one (as a dict built row by row keeps it). Following every link
    2**k times at once (k doublings, each a numpy gather): after at least as many steps as
    there are linked nodes, each walk has ended or is on a loop, and the nodes it stands on
    are exactly the nodes on loops.
    """
    end = n  # where a walk goes from a node without a link (and stays)
    last = len(src) - 1 - np.unique(src[::-1], return_index=True)[1]
    step = np.full(n + 1, end, dtype=np.int64)
    step[src[last]] = dst[last]
    linked = src[last]
    walked = 1
    while walked <= len(linked) and (step[linked] != end).any():
        step[linked] = step[step[linked]]
        walked *= 2
    on = np.zeros(n + 1, dtype=bool)
    on[step[linked]] = True
    on[end] = False
    return on[:n]


@dataclass
class _ColumnCheck:
    """What the checks of one column found: (mask, message, value shown) in report order, and
    what later rules reuse."""

    findings: list[tuple[Mask, str, object]]
    parsed: np.ndarray | pa.ChunkedArray | None = None  # dates; or which fields are numbers
    known: np.ndarray | None = None  # an enum: which fields are allowed values


def _check_column(c: S.Column, s: pa.ChunkedArray, controls: bool, ascii: bool) -> _ColumnCheck:
    """The rules of one column on its own fields (see :func:`_check_rows`)."""
    out = _ColumnCheck([])

    def add(mask: Mask, message: str, got=None) -> None:
        out.findings.append((mask, message, got))

    empty = _blank(s)
    if not c.nullable:
        add(empty, "is required and must not be empty")
    present = pc.invert(empty)
    if controls and c.kind in ("text", "slug", "url", "enum"):
        add(
            pc.and_(present, pc.match_substring_regex(s, _CONTROL_RE)),
            "contains control characters",
            s,
        )
    if c.kind == "enum":
        allowed = ", ".join(c.allowed)
        if c.name == S.STATUS:
            unconf = pc.and_(present, pc.equal(s, "UNCONFIRMED"))
            add(
                unconf,
                "UNCONFIRMED figures are not published; find and record a source first",
                s,
            )
            present = pc.and_not(present, unconf)
        known = pc.is_in(s, value_set=pa.array(c.allowed, type=_STR))
        out.known = _np(known)
        add(pc.and_not(present, known), f"must be one of: {allowed}", s)
    elif c.kind == "slug":
        bad = pc.and_not(present, _fullmatch(s, S.SLUG_PATTERN[1:-1]))
        add(bad, "must be a slug of lowercase letters, digits and single hyphens", s)
    elif c.kind == "int":
        out.parsed = _is_int(s, ascii)
        add(
            pc.and_not(present, out.parsed),
            f"must be a whole number >= 0 written with digits only (at most {MAX_DIGITS})",
            s,
        )
    elif c.kind == "date":
        real, out.parsed = _dates(s)
        add(_np(present) & ~real, "must be a real date written YYYY-MM-DD", s)
    elif c.kind == "url":
        bad = pc.and_not(present, _fullmatch(s, _URL_RE))
        add(bad, "must be an http:// or https:// URL with no spaces", s)
        rejected = pc.and_(pc.and_not(present, bad), pc.match_substring_regex(s, _REJECTED_RE))
        add(
            rejected,
            "is on a host a news desk rejects (blog, forum, scraper, wiki mirror or content "
            "farm; CITATIONS.md tier 5): cite the publisher's document, a faithful copy or a "
            "news report instead",
            s,
        )
    # A placeholder has a "[": the regular expression only runs where one is.
    if c.name == S.EXCERPT and pc.any(pc.match_substring(s, "[")).as_py():
        add(
            pc.and_(present, pc.match_substring_regex(s, _PLACEHOLDER_RE)),
            "is a placeholder, not a quote: copy the words of the source that show the "
            "number as printed (a table row as its row; a computed figure as 'computed: …')",
            s,
        )
    # No field has more characters than bytes: count characters only when some may be over.
    if c.max_length and (pc.max(pc.binary_length(s)).as_py() or 0) > c.max_length:
        long = pc.and_(present, pc.greater(pc.utf8_length(s), c.max_length))
        add(long, f"is too long: at most {c.max_length} characters allowed", s)
    return out


def _check_rows(
    table: pa.Table,
    name: str,
    lines: _LineMap,
    problems: list[Problem],
    controls: bool = True,
    ascii: bool = False,
    columns: tuple[S.Column, ...] = S.COLUMNS,
    figure_rules: bool = True,
) -> dict[str, np.ndarray | pa.ChunkedArray]:
    """Append every problem of the rows to ``problems``; returns the parsed date columns
    (datetime64[s]) and, with ``figure_rules``, number columns (int64), for ``_typed``.

    ``columns`` is the table's declaration (figures, flat or sources); ``figure_rules`` adds the
    rules between a figure's own fields (ranges, periods, ids, revision chains).
    ``controls=False`` (the file has no control character at all) skips that per-column check;
    ``ascii`` (the file is ASCII) skips looking for Unicode digits.

    Arrow's kernels release the GIL: the columns are checked on two threads (and the figure ids
    hashed meanwhile), and their problems reported in the columns' order.
    """
    add = _Report(name, lines, problems)
    dates: dict[str, np.ndarray] = {}  # each date column parsed once
    numbers: dict[str, pa.ChunkedArray] = {}  # which fields are numbers, per int column
    known: dict[str, np.ndarray] = {}  # which fields are allowed values, per enum column

    cols = [c for c in columns if c.name in table.column_names]
    with ThreadPoolExecutor(max_workers=2) as pool:
        if figure_rules:
            ids, sup = table[S.FIGURE_ID], table[S.SUPERSEDES]
            has_sup = _np(pc.not_equal(sup, ""))
            hashed = pool.submit(_first_seen, ids, sup.filter(pa.array(has_sup)))
        checks = pool.map(lambda c: _check_column(c, table[c.name], controls, ascii), cols)
        for c, check in zip(cols, checks, strict=True):
            for mask, message, got in check.findings:
                add(mask, c.name, message, got)
            if c.kind == "date":
                dates[c.name] = check.parsed
            elif c.kind == "int":
                numbers[c.name] = check.parsed
            elif c.kind == "enum":
                known[c.name] = check.known

        _check_kind_fields(table, add)
        if not figure_rules:
            return dates
        codes, first, found = hashed.result()

    # Typed cross-field rules, only on rows whose fields parsed.
    ints = {c: _ints(table[c], numbers.get(c)) for c in S.INT_COLUMNS}
    v, lo, hi = ints[S.VALUE], ints[S.LOW], ints[S.HIGH]
    no_value, no_low, no_high = (pc.equal(table[c], "") for c in (S.VALUE, S.LOW, S.HIGH))
    add(
        pc.and_(pc.and_(pc.is_valid(lo), pc.is_null(hi)), no_high),
        S.HIGH,
        "a range needs both low and high; high is empty",
    )
    add(
        pc.and_(pc.and_(pc.is_valid(hi), pc.is_null(lo)), no_low),
        S.LOW,
        "a range needs both low and high; low is empty",
    )
    add(
        pc.and_(pc.and_(no_value, no_low), no_high),
        S.VALUE,
        "is empty and there is no low-high range either",
    )
    add(
        pc.greater(lo, hi),
        S.LOW,
        "must not be above high",
        _pairs(table[S.LOW], " > ", table[S.HIGH]),
    )
    add(
        pc.greater(lo, v),
        S.LOW,
        "must not be above value",
        _pairs(table[S.LOW], " > ", table[S.VALUE]),
    )
    add(
        pc.less(hi, v),
        S.HIGH,
        "must not be below value",
        _pairs(table[S.HIGH], " < ", table[S.VALUE]),
    )

    add(
        dates[S.PERIOD_START] > dates[S.PERIOD_END],  # NaT compares false
        S.PERIOD_END,
        "must not be before period_start",
        _pairs(table[S.PERIOD_END], " < ", table[S.PERIOD_START]),
    )

    add(
        _np(pc.not_equal(ids, "")) & ~first,
        S.FIGURE_ID,
        "duplicate id; each figure_id must be unique",
        ids,
    )

    where = np.full(len(ids), -1, dtype=np.int64)  # the supersedes target's code, -1 if none
    where[has_sup] = found
    own = _np(pc.equal(sup, ids))
    add(has_sup & (where < 0), S.SUPERSEDES, "points at no figure_id in the file", sup)
    add(has_sup & own, S.SUPERSEDES, "a figure cannot supersede itself", sup)
    linked = has_sup & (where >= 0) & ~own
    if linked.any():
        rows = np.flatnonzero(linked)
        target_rows = np.flatnonzero(first)[where[rows]]  # the first row with the target's id
        for col in (S.CATEGORY, S.MEASURE):
            values = table[col]
            here, there = _values_array(values, rows), _values_array(values, target_rows)
            is_known = known[col] if col in known else _np(pc.is_in(values, _allowed(col)))
            differ = is_known[rows] & is_known[target_rows] & _np(pc.not_equal(here, there))
            mask = np.zeros(len(linked), dtype=bool)
            mask[rows[differ]] = True
            target = dict(
                zip(rows[differ].tolist(), there.filter(pa.array(differ)).to_pylist(), strict=True)
            )

            def shown(at, col=col, target=target, values=values):
                return [
                    f"{s} has {col} {target[r]}, this row {v}"
                    for r, s, v in zip(
                        at.tolist(), _values(sup, at), _values(values, at), strict=True
                    )
                ]

            add(mask, S.SUPERSEDES, f"must point at a figure of the same {col}", shown)
        # Cycles: the ids on a loop of supersedes links are reported.
        looping = _on_cycles(codes[linked], where[linked], int(first.sum()))
        add(
            linked & looping[codes],
            S.SUPERSEDES,
            "revision chain loops back to this figure",
            sup,
        )
    return dates | ints


def _check_kind_fields(table: pa.Table, add: _Report) -> None:
    """A news report names its outlet, a faithful copy its host (sources file or flat file)."""
    names = table.column_names
    kind_col = next((c for c in (S.SOURCE_KIND_COLUMN, S.SOURCE_KIND) if c in names), None)
    if kind_col is None or S.REPORTED_BY not in names:
        return
    kind, no_one = table[kind_col], _blank(table[S.REPORTED_BY])
    for k, what in (("news_report", "the outlet"), ("faithful_copy", "who hosts the copy")):
        add(
            pc.and_(pc.equal(kind, k), no_one),
            S.REPORTED_BY,
            f"is required for a {S.SOURCE_KIND_LABELS[k]}: name {what}",
        )


def _check_citation(
    flat: pa.Table,
    name: str,
    lines: _LineMap,
    problems: list[Problem],
    parsed: dict[str, np.ndarray | pa.ChunkedArray],
) -> None:
    """Rules between a figure and its document, on the joined (or flat) rows of valid fields.

    ``parsed``: the date columns already parsed; the others are parsed here.
    """
    add = _Report(name, lines, problems)
    status = flat[S.STATUS]
    if S.SOURCE_KIND in flat.column_names:
        kind = flat[S.SOURCE_KIND]
        kinds = pa.array(list(S.STATUS_FOR_KIND), type=_STR)
        expected = _take(
            pa.array(list(S.STATUS_FOR_KIND.values()), type=_STR),
            _index_in(kind, kinds),
            "",
        )
        wrong = pc.and_(
            pc.and_(
                pc.not_equal(expected, ""),
                pc.is_in(status, pa.array(["PRIMARY", "SECONDARY"], type=_STR)),
            ),
            pc.not_equal(status, expected),
        )

        def shown(rows):
            return [
                f"{st} on a {S.SOURCE_KIND_LABELS.get(k, k)}"
                for st, k in zip(_values(status, rows), _values(kind, rows), strict=True)
            ]

        add(
            wrong,
            S.STATUS,
            "does not match the kind of its source: PRIMARY for a publisher's document or a "
            "faithful copy, SECONDARY for a news report or a reference compilation",
            shown,
        )
    published, end = (
        parsed[c] if c in parsed else _dates(flat[c])[1] for c in (S.PUBLISHED, S.PERIOD_END)
    )
    add(
        (end > published) & _np(pc.not_equal(status, "DERIVED")),  # NaT compares false
        S.PERIOD_END,
        "is after the document's publication date: a figure cannot count days after it was "
        "published (use the last day the source covers)",
        _pairs(flat[S.PERIOD_END], " > published ", flat[S.PUBLISHED]),
    )


def _typed(
    table: pa.Table, parsed: dict[str, np.ndarray | pa.ChunkedArray] | None = None
) -> pd.DataFrame:
    """Convert validated string columns to the schema's dtypes, in the schema's column order.

    ``parsed`` may hold date and number columns already parsed by ``_check_rows``.
    """
    parsed = parsed or {}
    n = table.num_rows
    out: dict[str, object] = {}
    for c in S.COLUMNS:
        s = table[c.name] if c.name in table.column_names else None
        if c.kind == "int":
            ints = parsed.get(c.name)
            if ints is None:
                ints = pa.nulls(n, pa.int64()) if s is None else _ints(s)
            out[c.name] = pd.Int64Dtype().__from_arrow__(ints)
        elif c.kind == "date":
            when = parsed.get(c.name)
            if when is None:
                when = _dates(s)[1] if s is not None else np.full(n, _NAT).view("datetime64[s]")
            out[c.name] = when
        elif s is None:
            out[c.name] = _strings(pa.nulls(n, _STR) if c.nullable else pa.repeat("", n))
        elif c.nullable and pc.any(empty := pc.equal(s, "")).as_py():
            out[c.name] = _strings(pc.if_else(empty, pa.scalar(None, _STR), s))
        else:
            out[c.name] = _strings(s)
    for c in table.column_names:
        if c not in S.BY_NAME:
            out[c] = _strings(table[c])
    # copy=False: one block per column, as when assigned one by one (no copy into 2-D blocks)
    return pd.DataFrame(out, index=pd.RangeIndex(n), copy=False)


def _strings(values: pa.Array | pa.ChunkedArray) -> pd.api.extensions.ExtensionArray:
    """Arrow strings as pandas' ``string`` dtype (large_string arrays: not copied)."""
    return pd.arrays.ArrowStringArray(values)
