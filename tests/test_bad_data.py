"""Bad data never breaks the app: every malformed file is refused with a message that says where.

``tests/bad_data/`` holds small CSVs built from real rows of data/casualties.csv, each broken in one
way; ``tests/bad_data/EXPECTED.csv`` pairs each file with the exit code of
``python -m figures validate FILE`` (1: breaks the contract, 2: missing or unreadable) and the
``file:line: column: ...`` message it must print. Files too big to commit are generated here.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from figures import data
from figures.__main__ import main
from tests.conftest import ROOT, VALID

BAD = Path(__file__).resolve().parent / "bad_data"
APP = str(ROOT / "app.py")


def expected() -> list[dict[str, str]]:
    with (BAD / "EXPECTED.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


CASES = expected()


def validate(path: Path, capsys) -> tuple[int, str, str]:
    """Run ``python -m figures validate PATH`` in-process: (exit code, stdout, stderr)."""
    code = main(["validate", str(path)])
    out = capsys.readouterr()
    return code, out.out, out.err


# --- the corpus itself ------------------------------------------------------------------------


def test_corpus_has_at_least_30_distinct_failures():
    files = [c["file"] for c in CASES]
    assert len(files) >= 30
    assert len(set(files)) == len(files)
    assert len({c["message"].split(":", 1)[1] for c in CASES}) >= 30  # distinct messages
    on_disk = {p.name for p in BAD.glob("*.csv")} - {"EXPECTED.csv"}
    assert on_disk == set(files), "every file in tests/bad_data is listed in EXPECTED.csv"


def test_corpus_files_are_small():
    for p in BAD.glob("*.csv"):
        assert p.stat().st_size < 8_000, p.name


def test_corpus_covers_every_kind_of_failure():
    names = {c["file"].removesuffix(".csv") for c in CASES}
    for needed in [
        "ragged_row_too_many",
        "unclosed_quote",
        "header_only",
        "duplicate_header",
        "missing_column",
        "columns_out_of_order",
        "latin1",
        "utf16",
        "binary",
        "nul_byte",
        "value_not_integer",
        "value_negative",
        "value_thousands_separator",
        "value_float",
        "value_huge",
        "unknown_category",
        "unknown_measure",
        "unknown_qualifier",
        "unknown_method",
        "unknown_status",
        "status_unconfirmed",
        "low_above_high",
        "low_above_value",
        "half_range",
        "no_value_no_range",
        "impossible_date",
        "date_wrong_format",
        "period_end_before_start",
        "url_javascript",
        "url_data",
        "url_ftp",
        "url_spaces",
        "supersedes_dangling",
        "supersedes_self",
        "supersedes_loop",
        "supersedes_other_category",
        "excerpt_too_long",
        "id_too_long",
    ]:
        assert needed in names, needed


# --- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_validate_rejects_bad_file_with_its_message(case, capsys, monkeypatch):
    monkeypatch.chdir(BAD)  # messages name the file as given, relative to the working directory
    code, out, err = validate(Path(case["file"]), capsys)
    assert code == int(case["exit_code"]), err
    assert case["message"] in err.splitlines()[0] or case["message"] in err, err
    assert "Traceback" not in err
    assert "OK" not in out
    for line in err.splitlines():
        # every line is a located problem or the closing count
        assert line.startswith((case["file"], "error: " + case["file"])) or line.endswith(
            "nothing was loaded."
        ), line


def test_header_only_file_is_an_error_not_an_empty_dataset(capsys, monkeypatch):
    monkeypatch.chdir(BAD)
    with pytest.raises(data.FiguresError) as info:
        data.load_figures("header_only.csv")
    assert [str(p) for p in info.value.problems] == [
        "header_only.csv:2: no figures: the file has a header but no rows of data"
    ]


def test_validate_exit_codes_in_a_real_process():
    for name, code in [("value_negative.csv", 1), ("utf16.csv", 2)]:
        r = subprocess.run(
            [sys.executable, "-m", "figures", "validate", str(BAD / name)],
            capture_output=True,
            text=True,
            cwd=BAD,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert r.returncode == code, (name, r.stderr)
        assert f"{name}:" in r.stderr and "Traceback" not in r.stderr


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    big = tmp_path / "huge.csv"
    with big.open("wb") as f:
        f.truncate(data.MAX_BYTES + 1)  # sparse: no disk used, never read
    code, _, err = validate(Path("huge.csv"), capsys)
    assert code == 2
    assert f"huge.csv: file is {data.MAX_BYTES + 1:,} bytes; the limit is" in err
    assert "Traceback" not in err


def _with_excerpt(tmp_path: Path, excerpt: str) -> Path:
    lines = (BAD / "excerpt_too_long.csv").read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    rows = list(csv.DictReader(lines))
    rows[0]["excerpt"] = excerpt
    p = tmp_path / "long_field.csv"
    with p.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return p


def test_field_longer_than_the_csv_module_limit_is_reported_not_raised(
    tmp_path, capsys, monkeypatch
):
    # Python's csv module raised "field larger than field limit (131072)" on such a field.
    monkeypatch.chdir(tmp_path)
    _with_excerpt(tmp_path, "x" * 200_000)
    code, _, err = validate(Path("long_field.csv"), capsys)
    assert code == 1, err
    assert "long_field.csv:2: excerpt: is too long: at most 300 characters allowed" in err
    assert "Traceback" not in err


def test_row_larger_than_the_parser_block_is_reported_not_raised(tmp_path, capsys, monkeypatch):
    # pyarrow reads in 16 MiB blocks; a single row longer than that made it raise ArrowInvalid.
    monkeypatch.chdir(tmp_path)
    _with_excerpt(tmp_path, "y" * (17 * 1024 * 1024))
    code, _, err = validate(Path("long_field.csv"), capsys)
    assert code == 1, err
    assert err.startswith("long_field.csv")
    assert "Traceback" not in err


def test_utf16_without_bom_is_named_as_utf16(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "le.csv").write_bytes(VALID.read_text(encoding="utf-8").encode("utf-16-le"))
    code, _, err = validate(Path("le.csv"), capsys)
    assert code == 2
    assert "le.csv: is UTF-16 or UTF-32 text; save the file as UTF-8" in err


# --- the app ----------------------------------------------------------------------------------

APP_CASES = [
    "unclosed_quote.csv",
    "header_only.csv",
    "utf16.csv",
    "binary.csv",
    "value_thousands_separator.csv",
    "url_javascript.csv",
    "supersedes_loop.csv",
    "semicolon_separated.csv",
]


def run_app(monkeypatch, path: Path) -> AppTest:
    monkeypatch.setenv(data.ENV_VAR, str(path))
    return AppTest.from_file(APP, default_timeout=60).run()


def assert_error_page(at: AppTest, message: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    assert "could not be loaded" in at.error[0].value
    problems = "\n".join(c.value for c in at.code)
    assert message in problems, problems
    assert "Traceback" not in problems
    how = "\n".join(m.value for m in at.markdown)
    assert "reload the page" in how and data.ENV_VAR in how  # how to fix it
    assert not at.get("plotly_chart")


@pytest.mark.parametrize("name", APP_CASES)
def test_app_shows_readable_error_page_for_bad_file_then_keeps_serving(name, monkeypatch):
    monkeypatch.chdir(BAD)
    (case,) = [c for c in CASES if c["file"] == name]
    at = run_app(monkeypatch, BAD / name)
    assert_error_page(at, case["message"])

    # The same server process goes on serving: a following run with a good file works.
    monkeypatch.setenv(data.ENV_VAR, str(VALID))
    at.run()
    assert not at.exception
    assert not at.error
    assert len(at.get("plotly_chart")) == 1


def test_app_error_page_for_missing_file_says_file_not_found(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    at = run_app(monkeypatch, tmp_path / "gone.csv")
    assert not at.exception
    assert "could not be loaded" in at.error[0].value
    assert "gone.csv: file not found" in at.code[0].value
    assert "missing" in "\n".join(m.value for m in at.markdown)


def test_app_sees_an_edit_that_keeps_size_and_mtime(monkeypatch, tmp_path):
    """The loader's cache must not serve stale figures when an edit keeps size and mtime."""
    path = tmp_path / "figures.csv"
    shutil.copyfile(VALID, path)
    at = run_app(monkeypatch, path)
    assert len(at.get("plotly_chart")) == 1
    before = path.stat()

    path.write_bytes(path.read_bytes().replace(b"2401", b"24O1", 1))  # same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    at.run()
    assert not at.exception
    assert at.error and "could not be loaded" in at.error[0].value
    assert "value: must be a whole number" in at.code[0].value
