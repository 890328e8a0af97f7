"""About: who maintains the dashboard, how to report a wrong figure, the corrections log and the
data's date (figures/about.py)."""

from __future__ import annotations

import re

from figures import about

DATE = r"\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}"


def test_reporting_names_the_maintainers_and_how_to_report():
    for needed in ("Who maintains it", "maintainers", "issue tracker", "`figure_id`"):
        assert needed in about.REPORTING
    assert about.MAINTAINERS in about.REPORTING


def test_corrections_log_is_dated_and_covers_the_november_2026_re_sourcing():
    assert "### Corrections log" in about.CORRECTIONS
    entries = [line for line in about.CORRECTIONS.splitlines() if line.startswith("- ")]
    assert len(entries) >= 2
    for entry in entries:
        assert re.match(rf"- \*\*{DATE}: ", entry), entry
    assert "re-sourced" in about.CORRECTIONS and "fixes from the review" in about.CORRECTIONS
    assert about.CORRECTIONS in about.REPORTING


def test_data_date_is_stated():
    assert re.fullmatch(DATE, about.DATA_DATE) and re.fullmatch(DATE, about.NEWEST_SOURCE)
    assert about.DATA_DATE in about.DATA_AS_OF and about.DATA_AS_OF in about.REPORTING
    # tests/test_dataset.py checks the dates against the shipped data.
