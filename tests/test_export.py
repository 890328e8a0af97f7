"""Golden tests of the CSV and datapackage exports, including spreadsheet formula neutralisation.

The exports of the shipped data/casualties.csv and data/datapackage.json are checked in
tests/test_dataset.py; here the files are the fixtures.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from figures import data, export
from figures import schema as S
from tests.conftest import FIGURES, VALID, to_csv, valid_rows

HOSTILE = {
    # (row, column): (cell as given, cell as exported)
    (0, S.PUBLISHER): (
        '=HYPERLINK("http://evil.example/","click")',
        '\'=HYPERLINK("http://evil.example/","click")',
    ),
    (1, S.SOURCE_TITLE): ("+1", "'+1"),
    (2, S.EXCERPT): ("-2+3", "'-2+3"),
    (3, S.CAVEAT): ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    (4, S.NATIONALITY): ("\tx", "'\tx"),
    (5, S.CAVEAT): ("\rx", "'\rx"),
    (6, S.EDITION): ("=1+1", "'=1+1"),
}


def read_cells(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


@pytest.fixture(scope="module")
def frozen():
    return data.load_figures(FIGURES)


@pytest.fixture
def small():
    return data.load_figures(VALID)


def hostile_table(small: pd.DataFrame) -> pd.DataFrame:
    df = small.copy()
    for (row, column), (given_, _) in HOSTILE.items():
        df.loc[row, column] = given_
    return df


def test_the_figures_fixture_splits_back_into_its_two_files_byte_for_byte(frozen):
    figures, sources = export.dataset_bytes(frozen)
    assert figures == FIGURES.read_bytes()
    assert sources == FIGURES.with_name("sources.csv").read_bytes()


def test_export_of_the_figures_fixture_reloads_to_an_equal_dataframe(frozen):
    again = data.parse_figures(export.csv_bytes(frozen).decode("utf-8"), "export.csv")
    pd.testing.assert_frame_equal(again, frozen)


NEWER = [c for c in S.ALL if c not in VALID.read_text(encoding="utf-8").splitlines()[0].split(",")]


def test_export_of_small_fixture_is_the_fixture_file_with_lf_line_endings(small):
    # The fixture is written with CRLF line endings (the contract accepts both); exports use LF.
    # It was written against the first contract: the export adds the newer columns, empty, after.
    assert NEWER == [
        S.SOURCE_ID,
        S.LOCATOR,
        S.SOURCE_KIND,
        S.PUBLISHER_URL,
        S.ARCHIVE_URL,
        S.REPORTED_BY,
    ]
    lines = VALID.read_bytes().decode("utf-8").split("\r\n")
    widened = [lines[0] + "," + ",".join(NEWER)] + [ln + "," * len(NEWER) for ln in lines[1:-1]]
    assert export.csv_bytes(small) == ("\n".join(widened) + "\n").encode("utf-8")


def test_export_neutralises_formula_cells_exactly_and_keeps_everything_else(small):
    header, rows = valid_rows()
    out = read_cells(export.csv_bytes(hostile_table(small)))
    assert out[0] == header + NEWER
    expected = [[r[h] for h in header] + [""] * len(NEWER) for r in rows]
    for (row, column), (_, exported) in HOSTILE.items():
        expected[row][header.index(column)] = exported
    assert out[1:] == expected


def test_export_golden_bytes_of_hostile_cells(small):
    raw = export.csv_bytes(hostile_table(small)).decode("utf-8")
    lines = raw.split("\n")
    assert ',"\'=HYPERLINK(""http://evil.example/"",""click"")",' in lines[1]
    assert ",'+1," in lines[2]
    assert ",'-2+3," in lines[3]
    assert ",'@SUM(A1:A9)," in lines[4]
    assert ",'\tx," in lines[5]
    # A carriage return is always quoted, so it cannot split the row.
    assert ',"\'\rx",' in lines[6]
    assert raw.endswith("\n") and "\r\n" not in raw


def test_hostile_export_reloads_with_only_the_quote_added(small):
    hostile = hostile_table(small)
    again = data.parse_figures(export.csv_bytes(hostile).decode("utf-8"), "export.csv")
    expected = hostile.copy()
    for (row, column), (_, exported) in HOSTILE.items():
        expected.loc[row, column] = exported
    pd.testing.assert_frame_equal(again, expected)


def test_numbers_and_dates_are_never_neutralised(small):
    df = small.assign(rank=pd.array([-1, 2, -3, 4, 5, 6, 7], dtype="Int64"), note="-5")
    out = read_cells(export.csv_bytes(df))
    header = out[0]
    assert header[-2:] == ["rank", "note"]
    assert [r[header.index("rank")] for r in out[1:]] == ["-1", "2", "-3", "4", "5", "6", "7"]
    assert {r[header.index("note")] for r in out[1:]} == {"'-5"}
    assert out[1][header.index(S.PERIOD_START)] == "2001-10-01"


def test_export_writes_schema_columns_in_order_then_extra_columns(small):
    shuffled = small[list(reversed(small.columns))].assign(extra="x", **{"=bad": "y"})
    header = read_cells(export.csv_bytes(shuffled))[0]
    assert header == [*S.ALL, "extra", "'=bad"]


def test_export_writes_missing_optional_columns_as_empty_cells(small):
    out = read_cells(export.csv_bytes(small.drop(columns=[S.EDITION, S.DOSSIER_REF])))
    assert out[0] == list(S.ALL)
    assert {r[S.ALL.index(S.EDITION)] for r in out[1:]} == {""}


def test_export_writes_missing_values_empty_dates_iso_and_whole_numbers(small):
    row = read_cells(export.csv_bytes(small))[6]  # cow-2013-09-civilians: a range, no value
    cells = dict(zip(S.ALL, row, strict=True))
    assert cells[S.VALUE] == ""
    assert (cells[S.LOW], cells[S.HIGH]) == ("18044", "20332")
    assert cells[S.PERIOD_END] == "2013-09-30"


def test_export_of_no_rows_is_the_header_alone(small):
    assert export.csv_bytes(small.iloc[0:0]) == (",".join(S.ALL) + "\n").encode()


def test_export_refuses_a_table_without_the_required_columns(small):
    with pytest.raises(ValueError, match="required columns are missing.*value"):
        export.csv_bytes(small.drop(columns=[S.VALUE]))


def test_export_refuses_fractional_numbers(small):
    df = small.astype({S.VALUE: "Float64"})
    df.loc[0, S.VALUE] = 2.5
    with pytest.raises(ValueError, match="value: must hold whole numbers"):
        export.csv_bytes(df)


def test_export_refuses_text_in_a_date_column(small):
    df = small.astype({S.PUBLISHED: object})
    df.loc[0, S.PUBLISHED] = "=NOW()"
    with pytest.raises(ValueError, match="published: must hold dates"):
        export.csv_bytes(df)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=1", "'=1"), ("+", "'+"), ("-", "'-"), ("@x", "'@x"), ("\t", "'\t"), ("\r", "'\r")]
    + [("a=1", "a=1"), (" =1", " =1"), ("", ""), ("'=1", "'=1"), ("UNAMA", "UNAMA")],
)
def test_neutralise_prefixes_only_formula_starts(cell, expected):
    assert export.neutralise(cell) == expected


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x0b\x0c\x7f"),
    max_size=40,
).filter(lambda s: not any("\x00" <= c < " " and c not in "\t\r\n" for c in s))


@settings(max_examples=30, deadline=None)
@given(caveat=_TEXT)
def test_any_caveat_round_trips_except_the_added_quote(caveat):
    header, rows = valid_rows()
    df = data.parse_figures(to_csv(header, rows[:1]))
    df.loc[0, S.CAVEAT] = caveat
    again = data.parse_figures(export.csv_bytes(df).decode("utf-8"))
    got = again.loc[0, S.CAVEAT]
    if caveat == "":
        assert pd.isna(got)
    else:
        assert got == export.neutralise(caveat)
