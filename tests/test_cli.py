"""python -m figures validate: exit codes and messages."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, VALID


def cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "figures", *args], capture_output=True, text=True, cwd=cwd
    )


def test_validate_default_file_exits_0_with_summary():
    # The default is $FIGURES_DATA: tests/fixtures/figures.csv (tests/conftest.py).
    r = cli("validate")
    assert r.returncode == 0, r.stderr
    assert "OK:" in r.stdout and "figures" in r.stdout and "categories" in r.stdout
    assert r.stdout.startswith("tests/fixtures/figures.csv + tests/fixtures/sources.csv: OK: ")
    assert "figures by kind of source: publisher's document" in r.stdout


def test_validate_bad_file_exits_1_listing_every_problem(tmp_path):
    bad = tmp_path / "bad.csv"
    text = VALID.read_text(encoding="utf-8")
    bad.write_text(text.replace("2401", "-1").replace(",estimate,", ",guess,", 1), encoding="utf-8")
    r = cli("validate", str(bad), cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert (
        "bad.csv:2: method: must be one of: documented, estimate, official_statement (got 'guess')"
        in lines
    )
    assert (
        "bad.csv:2: value: must be a whole number >= 0 written with digits only (at most 12) (got '-1')"
        in lines
    )
    assert "Traceback" not in r.stderr


def test_validate_missing_file_exits_2(tmp_path):
    r = cli("validate", str(tmp_path / "missing.csv"))
    assert r.returncode == 2
    assert "file not found" in r.stderr and "Traceback" not in r.stderr


def test_validate_unreadable_encoding_exits_2(tmp_path):
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("figure_id,caf\xe9\n".encode("latin-1"))
    r = cli("validate", str(bad))
    assert r.returncode == 2
    assert "not UTF-8" in r.stderr and "Traceback" not in r.stderr
