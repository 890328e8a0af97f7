"""AppTest: every page runs without exception and draws what the reader should see.

On tests/fixtures/valid.csv unless a test says otherwise; source choices by shipped figure id are
in tests/test_dataset.py.
"""

from __future__ import annotations

import io
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from figures import data
from tests.conftest import FIGURES, PAGES, ROOT, VALID, flat_fixture_text

APP = str(ROOT / "app.py")


def run(params: dict[str, str] | None = None, env_data=None, monkeypatch=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at.run()


@pytest.fixture(autouse=True)
def small_data(monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(VALID))


def charts(at: AppTest):
    return at.get("plotly_chart")


def test_app_runs_and_draws_a_chart_with_alt_text():
    at = run()
    assert not at.exception
    assert not at.error
    (chart,) = charts(at)
    assert "38,480" in chart.proto.alt
    assert "Horizontal bar chart" in chart.proto.alt


def test_sources_and_caveats_are_listed_under_the_chart():
    at = run()
    text = "\n".join(m.value for m in at.markdown)
    assert "Sources and caveats" in text
    assert "docslib.org/download/10790211" in text
    assert "Caveat" in text


def test_log_scale_from_the_url():
    at = run({"log": "true"})
    assert at.toggle(key="log").value is True
    import json

    spec = json.loads(charts(at)[0].proto.spec)
    assert spec["layout"]["xaxis"]["type"] == "log"


def test_source_choice_from_the_url_changes_the_bar():
    at = run({"src_civilians": "cow-2018-11-civilians"})
    assert at.selectbox(key="src_civilians").value == "cow-2018-11-civilians"


def test_unknown_parameter_shows_a_notice_not_an_exception():
    at = run({"bogus": "1", "log": "perhaps"})
    assert not at.exception
    assert any("not understood" in i.value for i in at.info)
    assert len(charts(at)) == 1


def test_bad_data_shows_a_readable_error_page(monkeypatch, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(VALID.read_text(encoding="utf-8").replace("2401", "24O1"), encoding="utf-8")
    monkeypatch.setenv(data.ENV_VAR, str(bad))
    at = run()
    assert not at.exception
    assert "could not be loaded" in at.error[0].value
    assert "value: must be a whole number" in at.code[0].value
    assert not charts(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(page):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(f"figures/ui/{page}.py").run()
    assert not at.exception, page
    assert not at.error, page
    assert at.title, page


def test_a_page_that_fails_shows_a_message_not_a_traceback(monkeypatch):
    from figures.ui import common

    def broken(params, valid):
        raise KeyError("boom")

    monkeypatch.setattr(common, "param_notice", broken)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("figures/ui/about.py").run()
    assert not at.exception
    assert "could not be drawn" in at.error[0].value
    assert "boom" not in at.error[0].value


def test_pages_survive_valid_data_with_no_costs_of_war_or_unama_rows(monkeypatch, tmp_path):
    import csv

    reader = csv.DictReader(io.StringIO(flat_fixture_text(), newline=""))
    header = reader.fieldnames
    keep = [r for r in reader if r["publisher"].startswith("iCasualties")]
    assert len(keep) >= 5
    for r in keep:
        r["supersedes"] = ""
    path = tmp_path / "icas.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerows(keep)
    monkeypatch.setenv(data.ENV_VAR, str(path))
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=60).run()
        at.switch_page(f"figures/ui/{page}.py").run()
        assert not at.exception, page
        assert not [e for e in at.error if "could not be drawn" in e.value], page


def test_cached_page_computations_follow_an_edited_data_file(monkeypatch, tmp_path):
    import json

    path = tmp_path / "figures.csv"
    text = FIGURES.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    shutil.copy(FIGURES.with_name("sources.csv"), tmp_path / "sources.csv")
    monkeypatch.setenv(data.ENV_VAR, str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("figures/ui/trends.py").run()
    spec = json.dumps(json.loads(charts(at)[0].proto.spec)["data"])
    assert "2794" in spec and "2799" not in spec
    line = next(r for r in text.splitlines() if r.startswith("unama-2010-killed-rev2019,"))
    path.write_text(text.replace(line, line.replace(",2794,", ",2799,", 1)), encoding="utf-8")
    at.run()
    spec = json.dumps(json.loads(charts(at)[0].proto.spec)["data"])
    assert "2799" in spec and "2794" not in spec


def test_pages_list_matches_the_page_modules():
    modules = {p.stem for p in (ROOT / "figures" / "ui").glob("*.py")}
    assert set(PAGES) == modules - {"__init__", "common", "share", "render", "html", "serve"}
