"""Validation of the CSV contract: each broken rule is named precisely.

That the shipped file passes is checked in tests/test_dataset.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from figures import data
from figures import schema as S
from tests.conftest import VALID, to_csv, valid_rows
from tests.schemas import pandera_schema


def broken(mutate) -> str:
    header, rows = valid_rows()
    header, rows = mutate(header, rows) or (header, rows)
    return to_csv(header, rows)


def set_cell(row: int, column: str, value: str):
    def mutate(header, rows):
        rows[row][column] = value

    return mutate


def problems_for(write_csv, text) -> list[str]:
    path = write_csv(text)
    with pytest.raises(data.FiguresError) as info:
        data.load_figures(path)
    return [str(p) for p in info.value.problems]


def test_load_returns_schema_dtypes():
    df = data.load_figures(VALID)
    for col, dtype in S.pandas_dtypes().items():
        assert str(df[col].dtype) == dtype, col
    pandera_schema().validate(df)


def test_range_only_value_is_missing_not_invented():
    df = data.load_figures(VALID).set_index(S.FIGURE_ID)
    row = df.loc["cow-2013-09-civilians"]
    assert pd.isna(row[S.VALUE])
    assert (row[S.LOW], row[S.HIGH]) == (18044, 20332)


@pytest.mark.parametrize(
    ("row", "column", "value", "expected"),
    [
        (0, S.CATEGORY, "soldiers", "category: must be one of"),
        (0, S.MEASURE, "dead", "measure: must be one of"),
        (0, S.QUALIFIER, "roughly", "qualifier: must be one of"),
        (0, S.STATUS, "UNCONFIRMED", "status: UNCONFIRMED figures are not published"),
        (0, S.VALUE, "-5", "value: must be a whole number >= 0"),
        (0, S.VALUE, "3,5OO", "value: must be a whole number >= 0"),
        (0, S.VALUE, "12.5", "value: must be a whole number >= 0"),
        (1, S.LOW, "60000", "low: must not be above value"),
        (1, S.HIGH, "50000", "high: must not be below value"),
        (0, S.PERIOD_END, "2000-01-01", "period_end: must not be before period_start"),
        (0, S.PERIOD_START, "2001-02-30", "period_start: must be a real date written YYYY-MM-DD"),
        (0, S.PUBLISHED, "Nov 2018", "published: must be a real date written YYYY-MM-DD"),
        (0, S.SOURCE_URL, "javascript:alert(1)", "source_url: must be an http:// or https:// URL"),
        (0, S.SOURCE_URL, "ftp://example.org/x", "source_url: must be an http:// or https:// URL"),
        (0, S.SUPERSEDES, "cow-nothing-here", "supersedes: points at no figure_id in the file"),
        (0, S.EXCERPT, "x" * 301, "excerpt: is too long: at most 300 characters"),
        (0, S.FIGURE_ID, "Bad ID!", "figure_id: must be a slug"),
        (0, S.PUBLISHER, "", "publisher: is required and must not be empty"),
    ],
)
def test_validate_rejects_bad_cell(write_csv, row, column, value, expected):
    found = problems_for(write_csv, broken(set_cell(row, column, value)))
    line = row + 2
    assert any(expected in p and f"figures.csv:{line}: " in p for p in found), found
    if value:
        assert any(repr(value[:57]).strip("'") in p for p in found), found


def test_validate_rejects_duplicate_id(write_csv):
    found = problems_for(write_csv, broken(set_cell(1, S.FIGURE_ID, "cow-2018-11-us-military")))
    assert found == [
        "figures.csv:3: figure_id: duplicate id; each figure_id must be unique "
        "(got 'cow-2018-11-us-military')"
    ]


def test_validate_rejects_low_above_high(write_csv):
    def mutate(header, rows):
        rows[5][S.LOW], rows[5][S.HIGH] = "30000", "20000"

    found = problems_for(write_csv, broken(mutate))
    assert any(
        p == "figures.csv:7: low: must not be above high (got '30000 > 20000')" for p in found
    )


def test_validate_rejects_half_a_range(write_csv):
    found = problems_for(write_csv, broken(set_cell(5, S.HIGH, "")))
    assert "figures.csv:7: high: a range needs both low and high; high is empty" in found


def test_validate_rejects_supersedes_of_other_category(write_csv):
    found = problems_for(write_csv, broken(set_cell(0, S.SUPERSEDES, "cow-2013-09-civilians")))
    assert any(
        "figures.csv:2: supersedes: must point at a figure of the same category" in p for p in found
    )


def test_validate_rejects_supersedes_loop(write_csv):
    def mutate(header, rows):
        rows[5][S.SUPERSEDES] = rows[2][S.FIGURE_ID]

    found = problems_for(write_csv, broken(mutate))
    assert any("revision chain loops back" in p for p in found)


def test_validate_rejects_missing_required_column(write_csv):
    def mutate(header, rows):
        header.remove(S.EXCERPT)
        return header, rows

    found = problems_for(write_csv, broken(mutate))
    assert found[0].startswith("figures.csv:1: excerpt: required column is missing from the header")


def test_validate_rejects_columns_out_of_order(write_csv):
    def mutate(header, rows):
        header[0], header[1] = header[1], header[0]
        return header, rows

    found = problems_for(write_csv, broken(mutate))
    assert any("required columns must come first, in this order" in p for p in found)


def test_validate_rejects_ragged_row_with_extra_field(write_csv):
    text = VALID.read_text(encoding="utf-8").splitlines()
    text[3] += ",surplus"
    found = problems_for(write_csv, "\n".join(text) + "\n")
    assert (
        "figures.csv:4: row has too many fields: expected 23, found 24; quote fields that contain commas"
        in found
    ), found


def test_validate_rejects_ragged_row_with_missing_fields(write_csv):
    text = VALID.read_text(encoding="utf-8").splitlines()
    text[2] = ",".join(text[2].split(",")[:5])
    found = problems_for(write_csv, "\n".join(text) + "\n")
    assert found == [
        "figures.csv:3: row has too few fields: expected 23, found 5; quote fields that contain commas"
    ]


def test_validate_rejects_empty_file(write_csv):
    found = problems_for(write_csv, "")
    assert found == [f"figures.csv:1: file is empty; expected a header: {','.join(S.REQUIRED)}"]


def test_validate_rejects_wrong_encoding(write_csv):
    path = write_csv(
        VALID.read_text(encoding="utf-8").replace("–", "-").replace("§", "S").encode("utf-8")
        + "Kabul é".encode("latin-1")
    )
    with pytest.raises(data.FiguresFileError, match="is not UTF-8 text"):
        data.load_figures(path)


def test_validate_rejects_binary_file(write_csv):
    path = write_csv(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(data.FiguresFileError, match="binary file"):
        data.load_figures(path)


def test_missing_file_is_a_file_error(tmp_path):
    with pytest.raises(data.FiguresFileError, match="file not found"):
        data.load_figures(tmp_path / "nope.csv")


def test_bom_and_crlf_are_accepted(write_csv):
    text = VALID.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = write_csv(b"\xef\xbb\xbf" + text.encode("utf-8"))
    df = data.load_figures(path)
    assert list(df.columns[:2]) == [S.FIGURE_ID, S.CATEGORY]
    assert len(df) == len(valid_rows()[1])
    assert not df[S.DOSSIER_REF].str.endswith("\r").any()


def test_every_problem_is_listed_at_once(write_csv):
    def mutate(header, rows):
        rows[0][S.VALUE] = "x"
        rows[2][S.CATEGORY] = "nope"
        rows[4][S.SOURCE_URL] = "data:text/html,hi"

    found = problems_for(write_csv, broken(mutate))
    assert [p.split(":")[1] for p in found] == ["2", "4", "6"]


def test_line_numbers_count_multiline_quoted_fields(write_csv):
    def mutate(header, rows):
        rows[0][S.CAVEAT] = "first line\nsecond line"
        rows[3][S.METHOD] = "guess"

    found = problems_for(write_csv, broken(mutate))
    assert found == [
        "figures.csv:6: method: must be one of: documented, estimate, official_statement (got 'guess')"
    ]


def test_figures_data_env_var_points_at_another_file(monkeypatch, write_csv):
    path = write_csv(VALID.read_text(encoding="utf-8"), "mine.csv")
    monkeypatch.setenv(data.ENV_VAR, str(path))
    assert data.default_path() == path
    assert len(data.load_figures()) == len(valid_rows()[1])
