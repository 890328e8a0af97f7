"""The shipped data: every test that pins ids, numbers, counts or verdicts of data/casualties.csv
and data/claims.csv, and every check of the shipped files themselves.

This is the one module to edit when a shipped figure is corrected, merged, removed or re-sourced.
Every other test runs on the frozen tests/fixtures/figures.csv (tests/conftest.py points
``FIGURES_DATA`` at it); here ``FIGURES_DATA`` is set back to data/casualties.csv for every test
(``shipped_env``), so AppTest pages and ``python -m figures`` subprocesses read the shipped file,
and the browser tests use a live server of their own on it (``shipped_server``).

The claims: the Article check page always reads data/claims.csv (there is no environment variable
for it), so the figures fixture holds every figure the shipped claims cite; the first test under
"Article check" says so when that stops being true.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from figures import charts, claims, compare, data, datapackage, export, provenance, site, views
from figures import schema as S
from figures.pages import data as data_page
from tests.conftest import FIGURES, ROOT, Server, chromium_or_skip

APP = str(ROOT / "app.py")
SHIPPED = data.DEFAULT_PATH
SHIPPED_CLAIMS = claims.DEFAULT_PATH
AS_OF = pd.Timestamp("2020-02-21")
ASF = "afghan_security_forces"
CIVILIANS_2018 = "cow-2018-11-civilians-killed"
WIKI = "english-wikipedia-30-aug-2021"
REUTERS = "reuters-20-may-2012"
REUTERS_LABEL = "One source list: Reuters, to 20 May 2012"
HALF_2021 = "2021<br>(1 Jan–30 Jun only)"
TEXT_COLUMNS = [c.name for c in S.COLUMNS if c.kind not in ("int", "date")]
PLOTS = "Array.from(document.querySelectorAll('.js-plotly-plot'))"


# --- reading the shipped data ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def shipped_env(monkeypatch):
    """AppTest pages and ``python -m figures`` read data/casualties.csv in this module."""
    monkeypatch.setenv(data.ENV_VAR, str(SHIPPED))


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return data.load_figures(SHIPPED)


@pytest.fixture(scope="module")
def verdicts(shipped) -> dict[str, claims.Verdict]:
    """The shipped claims' verdicts against the shipped figures, by claim id."""
    found = claims.load_claims(shipped, SHIPPED_CLAIMS)
    return {v.claim.claim_id: v for v in claims.evaluate_all(found, shipped)}


@pytest.fixture(scope="module")
def shipped_server():
    """A live server of the app on data/casualties.csv (the session's ``server`` reads the fixture)."""
    chromium_or_skip()
    srv = Server({data.ENV_VAR: str(SHIPPED)})
    yield srv
    srv.stop()


def cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "figures", *args], capture_output=True, text=True, cwd=cwd
    )


def open_page(page: str, params: dict[str, str | list[str]] | None = None) -> AppTest:
    """The app with ``params`` in the URL from its first run, then switched to ``page``."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    if page != "overview":
        at.switch_page(f"figures/ui/{page}.py").run()
    return at


def run_page(page: str, params: dict[str, str | list[str]] | None = None) -> AppTest:
    """The app run once, then ``page`` opened with ``params``; no exception."""
    at = AppTest.from_file(APP, default_timeout=90).run()
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.switch_page(f"figures/ui/{page}.py").run()
    assert not at.exception
    return at


def open_data_page(params: dict[str, str | list[str]] | None = None) -> AppTest:
    at = open_page("data", params)
    assert not at.exception
    return at


def chart_spec(at: AppTest, i: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def notices(at: AppTest) -> list[str]:
    return [i.value for i in at.info if "not understood" in i.value]


def trace(spec: dict, name: str) -> dict:
    return next(t for t in spec["data"] if t["name"] == name)


def bars(s: dict) -> dict[str, int]:
    return {y: x for trace in s["data"] for y, x in zip(trace["y"], trace["x"], strict=True)}


def page_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def by_country(rows: pd.DataFrame) -> dict[str, str]:
    return dict(zip(rows[S.NATIONALITY], rows[S.FIGURE_ID], strict=True))


def linked(df, category):
    return [c for c in views.edition_chains(df, views.COSTS_OF_WAR, category) if len(c) > 1]


def read_cells(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


def table_rows(at: AppTest) -> int:
    (table,) = [d for d in at.main.dataframe if S.SOURCE_URL in d.value.columns]
    return len(table.value)


@pytest.fixture
def downloads(monkeypatch):
    """Bytes of every file the Data & sources page offers for download, by media file id."""
    files: dict[str, tuple[bytes, str | None]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = (path_or_data, filename)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return files


def browse_charts(page, server, path: str, charts: int = 1) -> list[str]:
    """Open ``server.url + path`` in Chromium; wait until ``charts`` Plotly charts are drawn."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + path, wait_until="domcontentloaded")
    page.wait_for_function(
        f"() => {PLOTS}.filter(p => p.querySelector('.main-svg') && p.data && p._fullLayout)"
        f".length >= {charts}",
        timeout=60_000,
    )
    return errors


def browse_title(page, server, path: str) -> list[str]:
    """Open ``server.url + path`` in Chromium; wait for the page title."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + path, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=60_000)
    return errors


def plot_js(page, expression: str):
    """Evaluate a JavaScript expression with ``plots`` bound to the drawn charts."""
    return page.evaluate(f"() => {{ const plots = {PLOTS}; return {expression}; }}")


def wait_for(page, expression: str) -> None:
    """Wait until a JavaScript expression over the drawn charts is true."""
    page.wait_for_function(
        f"() => {{ const plots = {PLOTS}; return {expression}; }}", timeout=30_000
    )


def no_error_box(page) -> bool:
    return (
        page.locator('[data-testid="stException"]').count() == 0
        and page.locator('[data-testid="stAlertContentError"]').count() == 0
    )


# --- the shipped files: valid, exported byte for byte, described by data/datapackage.json ---------


def test_shipped_file_validates():
    df = data.load_figures(data.DEFAULT_PATH)
    assert len(df) > 0
    assert list(df.columns[: len(S.REQUIRED)]) == list(S.REQUIRED)


def test_validate_shipped_file_exits_0_with_summary():
    r = cli("validate")
    assert r.returncode == 0, r.stderr
    assert "OK:" in r.stdout and "figures" in r.stdout and "categories" in r.stdout


def test_datapackage_json_is_generated_from_schema_and_data():
    shipped = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    expected = datapackage.descriptor(data.load_figures(data.DEFAULT_PATH))
    assert shipped == expected, "run `python -m figures datapackage` to regenerate"


def test_header_of_shipped_csv_follows_contract_order():
    header = (ROOT / "data" / "casualties.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == [c.name for c in S.FIGURE_FILE_COLUMNS]
    header = (ROOT / "data" / "sources.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == [c.name for c in S.SOURCE_COLUMNS]


def test_datapackage_validates_with_frictionless():
    """An independent reader: Frictionless checks the descriptor and every row against it."""
    from frictionless import Package

    report = Package(str(ROOT / "data" / "datapackage.json")).validate()
    errors = [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors]
    errors += [f"{e.type}: {e.message}" for e in report.errors]
    assert report.valid, "\n".join(errors[:20])
    assert sum(task.stats["rows"] for task in report.tasks) > 0


def test_shipped_csv_has_no_cell_that_needs_neutralising():
    rows = read_cells(SHIPPED.read_bytes())
    header = rows[0]
    for line, row in enumerate(rows[1:], start=2):
        for name, cell in zip(header, row, strict=True):
            if name in TEXT_COLUMNS or name not in S.BY_NAME:
                assert not cell.startswith(export.FORMULA_PREFIXES), (line, name, cell)


def test_shipped_data_splits_back_into_the_shipped_files_byte_for_byte(shipped):
    figures, sources = export.dataset_bytes(shipped)
    assert figures == SHIPPED.read_bytes()
    assert sources == SHIPPED.with_name("sources.csv").read_bytes()


def test_export_of_shipped_data_reloads_to_an_equal_dataframe(shipped):
    again = data.parse_figures(export.csv_bytes(shipped).decode("utf-8"), "export.csv")
    pd.testing.assert_frame_equal(again, shipped)


def test_datapackage_export_is_the_shipped_datapackage_json(shipped):
    shipped_json = (ROOT / "data" / "datapackage.json").read_text(encoding="utf-8")
    assert datapackage.dumps(shipped) == shipped_json, "run `python -m figures datapackage`"


# --- provenance: each quoted excerpt shows its number, as printed ---------------------------------


# Figures whose excerpt gives the number in words ("Fifty-five", "nine", "sju") or as its parts
# ("10 Marines, two Army soldiers, and one Navy corpsman"), or, for one Costs of War range, as
# the report's own rounded text ("between 480,000 and 507,000") beside the exact table cells.
NUMBER_IN_WORDS_OR_PARTS = {
    "cow-2018-11-all-zones-total-killed",
    "mil-dod-2015-07-us-killed-ofs",
    "mil-icas-coalition-2017",
    "mil-cns-us-2014",
    "mil-icas-uk-2015",
    "mil-dod-us-hostile-2016",
    "mil-icas-romania-2017",
    "mil-icas-georgia-2017",
    "mil-dod-us-2019",
    "mil-dod-us-hostile-2020",
    "mil-dod-us-hostile-casualties-2021-to-aug23",
    "nat-germany-bundeswehr-2008-killed-termez",
    "nat-denmark-2021-killed-nonhostile",
    "mil-centcom-kabul-airport-2021-us-killed",
    "mil-dod-kabul-airport-2021-us-killed",
    "mil-amark-us-dod-civilians-killed-2021",
    # In words, in the quote's language ("Ten Norwegian soldiers", "fem svenska soldater",
    # "traja slovenskí vojaci", "Eleven dead") or as "-" for none in a table row.
    "mil-icas-wikinews-uk-2001",
    "mil-icas-wikinews-uk-2003",
    "mil-icas-wikinews-france-2004",
    "mil-icas-wikinews-france-2005",
    "mil-icas-wikinews-france-2006",
    "mil-icas-wikinews-france-2007",
    "mil-icas-wikinews-france-2008",
    "mil-icas-wikinews-france-2009",
    "mil-icas-wikinews-france-2010",
    "nat-georgia-mod-2021-killed",
    "nat-norway-wiki-killed",
    "nat-estonia-wiki-killed",
    "nat-hungary-wiki-killed",
    "nat-sweden-wiki-killed",
    "nat-slovakia-wiki-killed",
    "nat-portugal-wiki-killed",
    "nat-croatia-wiki-killed",
    "nat-lithuania-wiki-killed",
    # Costs of War tables as the copy prints them: a footnote number stuck to the cell
    # ("US Military3 2,4014" is 2,401 with footnote 4).
    "cow-2018-11-us-military-killed",
    "cow-2018-11-afghan-security-forces-killed",
    "cow-2018-11-civilians-killed",
    "cow-2018-11-opposition-fighters-killed",
    "cow-2019-11-us-military-killed",
    "cow-2019-11-afghan-security-forces-killed",
    "cow-2019-11-civilians-killed",
    "cow-2019-11-opposition-fighters-killed",
    # In millions ("3.6-3.7 million indirect deaths").
    "cow-2023-05-all-zones-indirect-killed",
    "cow-2023-05-all-zones-direct-and-indirect-killed",
    "cow-2023-page-all-zones-indirect-killed",
    "cow-2023-page-all-zones-direct-and-indirect-killed",
}


def printed_forms(n: int) -> set[str]:
    """The ways a publisher prints a number: 58596, 58,596, 58.596, 58 596."""
    plain = str(n)
    if n < 1000:
        return {plain}
    grouped = f"{n:,}"
    seps = [",", ".", " ", "\u00a0", "\u202f", "'"]
    return {plain} | {grouped.replace(",", sep) for sep in seps}


def shows(excerpt: str, n: int) -> bool:
    return any(
        re.search(r"(?<![\d.,])" + re.escape(form) + r"(?!\d)", excerpt)
        for form in printed_forms(n)
    )


def test_every_quoted_excerpt_shows_its_numbers(shipped):
    missing = []
    for _, r in shipped.iterrows():
        excerpt = r[S.EXCERPT]
        if excerpt.startswith(("[no quote", "computed")):
            continue
        if r[S.FIGURE_ID] in NUMBER_IN_WORDS_OR_PARTS:
            continue
        for col in (S.VALUE, S.LOW, S.HIGH):
            if pd.notna(r[col]) and not shows(excerpt, int(r[col])):
                missing.append(f"{r[S.FIGURE_ID]}: {col} {int(r[col])} not in {excerpt!r}")
    assert missing == []


def test_exceptions_list_has_no_stale_ids(shipped):
    assert set(shipped[S.FIGURE_ID]) >= NUMBER_IN_WORDS_OR_PARTS


def test_derived_figures_say_they_are_computed(shipped):
    derived = shipped[shipped[S.STATUS] == "DERIVED"]
    assert len(derived) > 0
    assert derived[S.EXCERPT].str.startswith("computed").all()


def test_no_figure_without_a_quote_or_a_stated_reason(shipped):
    # Every excerpt is a quote, a computation, or an explicit "[no quote: why]".
    odd = shipped[
        shipped[S.EXCERPT].str.startswith("[") & ~shipped[S.EXCERPT].str.startswith("[no quote: ")
    ]
    assert list(odd[S.FIGURE_ID]) == []


def test_publication_dates_are_plausible(shipped):
    assert shipped[S.PUBLISHED].min() >= pd.Timestamp("2001-10-01")
    assert shipped[S.PUBLISHED].max() <= pd.Timestamp.today()
    assert (shipped[S.PERIOD_START] >= pd.Timestamp("2001-01-01")).all()


def test_printed_forms_cover_publisher_styles():
    assert shows("National Military and Police 58,596", 58596)
    assert shows("2.448 soldados", 2448)
    assert shows("2009 2 412 3 557 5 969", 3557)
    assert not shows("Police 58,596", 5859)
    assert not shows("Police 58,596", 8596)


# --- overview (figures/views.py and the page) -----------------------------------------------------


def test_shipped_overview_defaults_follow_the_dossier_rule_3():
    shipped = data.load_figures(data.DEFAULT_PATH)
    rows = views.overview_rows(shipped).set_index(S.CATEGORY)
    assert rows.loc["us_military", S.VALUE] == 2461  # DoD, OEF all locations + OFS
    # Every default bar runs to 2021 (the coalition one: "more than 3,500" to Aug 2021).
    assert rows.loc["coalition_military", S.VALUE] == 3500
    assert rows.loc["coalition_military", S.QUALIFIER] == "more_than"
    assert (rows[S.PERIOD_END].dt.year == views.WAR_END_YEAR).all()
    assert rows.loc["civilians", S.FIGURE_ID] == "cow-2021-04-civilians-killed"
    afg = rows.loc["afghan_security_forces"]
    assert (afg[S.LOW], afg[S.HIGH]) == (66000, 69000)
    assert set(rows.index) == set(S.MAIN_CATEGORIES)
    # Never a Pakistan or all-war-zone total in the Afghanistan overview.
    assert set(rows[S.GEOGRAPHY]) <= set(views.OVERVIEW_GEOGRAPHIES)


def test_every_default_id_exists_in_the_shipped_data():
    shipped = data.load_figures(data.DEFAULT_PATH)
    assert set(views.OVERVIEW_DEFAULTS.values()) <= set(shipped[S.FIGURE_ID])


def test_shared_source_choice_uses_the_figure_id_in_the_url(monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(data.DEFAULT_PATH))
    at = open_page("overview", {"src_civilians": "cow-2019-11-civilians-killed"})
    assert not at.exception and not at.info
    assert at.selectbox(key="src_civilians").value == "cow-2019-11-civilians-killed"
    assert "43,074" in at.get("plotly_chart")[0].proto.alt
    assert at.query_params["src_civilians"] in (
        "cow-2019-11-civilians-killed",
        ["cow-2019-11-civilians-killed"],
    )


def test_invalid_source_id_falls_back_with_a_notice(monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(data.DEFAULT_PATH))
    at = open_page("overview", {"src_civilians": "no-such-figure"})
    assert any("src" in i.value and "civilians" in i.value for i in at.info)
    assert at.selectbox(key="src_civilians").value == "cow-2021-04-civilians-killed"
    assert "src_civilians" not in at.query_params


# --- compare sources ------------------------------------------------------------------------------


def test_compare_page_defaults_to_civilians_killed_totals():
    at = run_page("compare")
    assert not at.error and not notices(at)
    s = chart_spec(at)
    assert s["layout"]["title"]["text"].replace("<br>", " ").startswith("Afghan civilians, killed:")
    text = "\n".join(m.value for m in at.markdown)
    assert "Why these figures differ" in text
    assert "Sources and caveats" in text
    assert "Jan 2009" in text and "Oct 2001" in text
    alt = at.get("plotly_chart")[0].proto.alt
    assert "Dot chart" in alt and "47,245" in alt


def test_compare_page_period_from_the_url_adds_single_years():
    default = chart_spec(run_page("compare"))
    at = run_page("compare", {"cmp_period": "all"})
    ids = {y for t in chart_spec(at)["data"] for y in t.get("y", [])}
    assert "unama-2018-killed-first" in ids
    default_ids = {y for t in default["data"] for y in t.get("y", [])}
    assert "unama-2018-killed-first" not in default_ids


def test_compare_page_superseded_editions_from_the_url():
    at = run_page("compare", {"cmp_all_editions": "true"})
    names = [t["name"] for t in chart_spec(at)["data"]]
    assert "Afghanistan · estimate · superseded" in names
    ids = {y for t in chart_spec(at)["data"] for y in t.get("y", [])}
    assert "cow-2019-11-civilians-killed" in ids


def test_every_category_and_measure_builds_a_chart_on_the_shipped_data(shipped):
    for category in compare.categories(shipped):
        for measure in compare.measures(shipped, category):
            # The widest selection: every edition and every period.
            rows = compare.compare_rows(
                shipped, category, measure, all_editions=True, period=compare.ALL_PERIODS
            )
            fig = charts.compare_chart(rows, category, log=True)
            assert sum(len(t.y) for t in fig.data) == len(rows), (category, measure)
            assert charts.compare_alt(rows, category)
            assert compare.scope_differences(rows) or len(rows) < 2


# --- over time ------------------------------------------------------------------------------------


def test_trends_page_draws_unama_and_military_per_year():
    at = run_page("trends")
    assert not at.error and not notices(at)
    unama_spec, coalition, us = specs(at)
    killed = trace(unama_spec, "Killed")
    by_year = dict(zip(killed["x"], killed["y"], strict=True))
    assert by_year["2010"] == 2790  # UNAMA's 2010 figure as restated in its 2011 report
    assert by_year[HALF_2021] == 1659
    assert "2021" not in by_year  # the half year is never shown as a full year
    assert "latest revision" in unama_spec["layout"]["title"]["text"].replace("<br>", " ")
    assert (
        coalition["layout"]["title"]["text"].replace("<br>", " ").startswith("Coalition military")
    )
    names = [t["name"].replace("<br>", " ") for t in us["data"]]
    assert any(n.startswith("iCasualties.org: iCas") for n in names)
    assert any(n.startswith("US Department of Defense: DoD (DCAS), all causes") for n in names)
    alt = at.get("plotly_chart")[0].proto.alt
    assert "2010: 2,790" in alt and "1 Jan–30 Jun only" in alt


def test_trends_page_first_published_from_the_url():
    at = run_page("trends", {"tr_first_published": "true"})
    unama_spec = specs(at)[0]
    killed = trace(unama_spec, "Killed")
    assert dict(zip(killed["x"], killed["y"], strict=True))["2010"] == 2777
    assert "first-published values" in unama_spec["layout"]["title"]["text"].replace("<br>", " ")


# --- how estimates changed: Costs of War editions and UNAMA revisions -----------------------------


def test_edition_chains_follow_supersedes_oldest_first(shipped):
    (chain,) = linked(shipped, ASF)
    assert list(chain[S.FIGURE_ID]) == [
        "cow-2011-06-afghan-security-forces-killed",
        "cow-2018-11-afghan-security-forces-killed",
        "cow-2019-11-afghan-security-forces-killed",
        "cow-2021-04-afghan-security-forces-killed",
    ]
    assert list(chain[S.VALUE].iloc[:3]) == [8756, 58596, 64124]
    last = chain.iloc[-1]
    assert pd.isna(last[S.VALUE]) and (last[S.LOW], last[S.HIGH]) == (66000, 69000)


def test_edition_chains_keep_unlinked_figures_as_chains_of_one(shipped):
    rows = shipped[~shipped[S.FIGURE_ID].str.startswith("cow-2011-06")]
    chains = views.edition_chains(rows, views.COSTS_OF_WAR, ASF)
    assert [len(c) for c in chains] == [3]  # the 2011 edition's figure removed: no loose end
    civilians = views.edition_chains(shipped, views.COSTS_OF_WAR, "civilians")
    assert [len(c) for c in civilians][:2] == [6, 1]
    assert civilians[1][S.FIGURE_ID].iloc[0] == "cow-2021-09-all-zones-civilians-killed"


def test_edition_chains_leave_out_other_publishers_quoting_costs_of_war(shipped):
    ids = {
        i
        for c in views.edition_chains(shipped, views.COSTS_OF_WAR, "civilians")
        for i in c[S.FIGURE_ID]
    }
    assert "unama-cum-2009-2014-killed-cow-quote" not in ids
    assert "cow-2021-04-civilians-killed" in ids


def test_edition_categories_are_those_with_two_or_more_editions(shipped):
    cats = views.edition_categories(shipped, views.COSTS_OF_WAR)
    assert ASF in cats and "civilians" in cats and "us_military" in cats
    assert "coalition_military" not in cats  # Costs of War gives no coalition-wide series
    assert cats == [c for c in S.CATEGORY_LABELS if c in cats]


def test_year_revision_chain_runs_from_first_published_to_latest(shipped):
    chain = views.year_revision_chain(shipped, 2011, "killed")
    assert list(chain[S.VALUE]) == [3021, 3131, 3133]
    assert chain[S.FIGURE_ID].iloc[0] == "unama-2011-killed-first"
    assert chain[S.FIGURE_ID].iloc[-1] == "unama-2011-killed-late2014"


@pytest.mark.parametrize("year", range(2009, 2021))
@pytest.mark.parametrize("measure", ["killed", "injured", "killed_and_injured"])
def test_every_year_and_measure_has_a_unama_chain(shipped, year, measure):
    chain = views.year_revision_chain(shipped, year, measure)
    assert not chain.empty
    assert (chain[S.PERIOD_START] == pd.Timestamp(year=year, month=1, day=1)).all()
    assert (chain[S.MEASURE] == measure).all()


def test_year_without_revision_is_a_chain_of_one(shipped):
    changes = views.revision_changes(views.year_revision_chain(shipped, 2020, "killed"))
    assert list(changes[S.VALUE]) == [3035]
    assert list(changes[views.STAGE]) == ["first published"]


def test_revision_changes_of_real_2011_chain(shipped):
    out = views.revision_changes(views.year_revision_chain(shipped, 2011, "killed"))
    assert list(out[views.CHANGE]) == [0, 110, 112]
    assert round(out[views.CHANGE_PCT].iloc[-1], 2) == 3.71


def test_edition_chart_plots_each_edition_at_its_period_end_with_labels(shipped):
    chains = linked(shipped, ASF)
    fig = charts.edition_chart(chains, ASF)
    line = fig.data[0]
    assert list(line.y) == [8756, 58596, 64124]
    assert [pd.Timestamp(x) for x in line.x] == list(chains[0][S.PERIOD_END].iloc[:3])
    assert list(line.text) == [
        "8,756<br>Jun 2011",
        "58,596<br>Nov 2018",
        "64,124<br>Nov 2019",
    ]
    assert "period each edition covers" in fig.layout.xaxis.title.text.replace("<br>", " ")
    assert (
        fig.layout.title.text.replace("<br>", " ")
        == "Afghan security forces: Costs of War estimates, edition by edition"
    )
    notes = [a.text.replace("<br>", " ") for a in fig.layout.annotations]
    assert notes == ["Source: Costs of War (Watson Institute, Brown University) (2012–2021)"]


def test_edition_chart_draws_a_range_as_a_vertical_bar_never_a_midpoint(shipped):
    fig = charts.edition_chart(linked(shipped, ASF), ASF)
    (rng,) = [t for t in fig.data if "range only" in t.name]
    assert list(rng.y) == [66000, 69000]
    assert rng.x[0] == rng.x[1]
    assert rng.text[1] == "66,000–69,000<br>Apr 2021"
    assert all(67500 not in list(t.y) for t in fig.data)


def test_edition_chart_draws_a_stated_range_around_a_value_as_error_bar(shipped):
    (chain,) = linked(shipped, ASF)
    chain = chain.copy()
    chain.loc[1, [S.LOW, S.HIGH]] = [57000, 60000]
    fig = charts.edition_chart([chain], ASF)
    err = fig.data[0].error_y
    assert err.visible is True
    assert list(err.array) == [0, 1404, 0] and list(err.arrayminus) == [0, 1596, 0]


def test_edition_chart_gives_each_series_of_other_scope_its_own_panel(shipped):
    chains = linked(shipped, "all_direct_deaths")
    fig = charts.edition_chart(chains, "all_direct_deaths")
    titles = [a.text for a in fig.layout.annotations][:-1]
    assert titles == [
        "Afghanistan, killed",
        "Afghanistan and Pakistan, killed",
        "All post-9/11 war zones, killed",
        "Afghanistan and Pakistan, injured",
    ]
    assert fig.layout.yaxis4.title.text == "People injured, war so far"
    assert {t.yaxis for t in fig.data} == {"y", "y2", "y3", "y4"}


def test_edition_hover_names_edition_source_and_escapes_html(shipped):
    (chain,) = linked(shipped, ASF)
    chain = chain.copy()
    chain[S.PUBLISHER] = chain[S.PUBLISHER].astype(object)
    chain.loc[0, S.PUBLISHER] = "<script>x</script>"
    hover = charts.edition_chart([chain], ASF).data[0].hovertext
    assert "&lt;script&gt;" in hover[0] and "<script>" not in hover[0]
    assert "Edition: Nov 2018" in hover[1] and "Published: 1 Nov 2018" in hover[1]
    assert "Citation: copy of the publisher's document (docslib.org)" in hover[1]


def test_edition_alt_states_every_edition_and_warns_against_subtracting(shipped):
    alt = charts.edition_alt(linked(shipped, ASF), ASF)
    for n in ("8,756", "58,596", "64,124", "66,000–69,000"):
        assert n in alt
    assert "Afghan security forces killed" in alt
    assert "not the number of deaths between them" in alt


def test_revision_chart_labels_each_value_with_its_change(shipped):
    changes = views.revision_changes(views.year_revision_chain(shipped, 2011, "killed"))
    fig = charts.revision_chart(changes, 2011)
    (bar,) = fig.data
    assert list(bar.y) == [3021, 3131, 3133]
    assert list(bar.text) == [
        "3,021<br>first published",
        "3,131<br>+110 (+3.6%)",
        "3,133<br>+112 (+3.7%)",
    ]
    assert bar.x[0] == "First published<br>4 Feb 2012"
    assert bar.x[-1] == "Latest revision<br>8 Feb 2014"
    assert list(bar.marker.pattern.shape) == ["", "/", "/"]
    assert fig.layout.yaxis.range[0] == 0  # bars start at zero: the change is in the labels
    assert "2011" in fig.layout.title.text.replace(
        "<br>", " "
    ) and "killed" in fig.layout.title.text.replace("<br>", " ")


def test_revision_alt_states_values_and_changes(shipped):
    changes = views.revision_changes(views.year_revision_chain(shipped, 2010, "killed"))
    alt = charts.revision_alt(changes, 2010)
    assert "first published 2,777" in alt
    assert "latest revision 2,790" in alt and "+13 (+0.5%)" in alt


# --- how estimates changed: the page --------------------------------------------------------------


def test_editions_page_draws_both_charts_by_default():
    at = open_page("editions")
    assert not at.exception and not at.error
    editions, revisions = specs(at)
    assert editions["data"][0]["y"] == [8756, 58596, 64124]
    assert "Afghan security forces" in editions["layout"]["title"]["text"].replace("<br>", " ")
    assert revisions["data"][0]["y"] == [3021, 3131, 3133]
    assert any("never subtract" in i.value for i in at.info)
    alts = [c.proto.alt for c in at.get("plotly_chart")]
    assert "58,596" in alts[0] and "+112 (+3.7%)" in alts[1]
    assert any("Sources and caveats" in m.value for m in at.markdown)


def test_editions_category_from_the_url_changes_the_chart():
    at = open_page("editions", {"ed_category": "Afghan civilians"})
    assert at.selectbox(key="ed_category").value == "civilians"
    editions = specs(at)[0]
    assert "Afghan civilians" in editions["layout"]["title"]["text"].replace("<br>", " ")
    assert editions["data"][0]["y"] == [11700, 26270, 31000, 38480, 43074, 47245]
    assert not any("not understood" in i.value for i in at.info)


def test_editions_year_from_the_url_changes_the_revision_chart():
    at = open_page("editions", {"ed_year": "2016"})
    assert at.selectbox(key="ed_year").value == "2016"
    revisions = specs(at)[1]
    assert revisions["data"][0]["y"] == [3498, 3510]
    assert "2016" in revisions["layout"]["title"]["text"].replace("<br>", " ")


def test_editions_measure_from_the_url_changes_the_revision_chart():
    at = open_page("editions", {"ed_year": "2016", "ed_measure": "injured"})
    assert at.selectbox(key="ed_measure").value == "injured"
    revisions = specs(at)[1]
    assert revisions["data"][0]["y"] == [7920, 7924]
    assert revisions["data"][0]["text"][-1] == "7,924<br>+4 (+0.1%)"


def test_editions_year_without_revision_says_so():
    at = open_page("editions", {"ed_year": "2020"})
    assert specs(at)[1]["data"][0]["y"] == [3035]
    assert any("no later revision" in m.value for m in at.markdown)


def test_editions_malformed_parameters_show_a_notice_and_defaults():
    at = open_page("editions", {"ed_year": "1999", "ed_category": "nonsense", "ed_bogus": "1"})
    assert not at.exception
    (notice,) = [i.value for i in at.info if "not understood" in i.value]
    for name in ("ed\\_year", "ed\\_category", "ed\\_bogus"):
        assert name in notice
    editions, revisions = specs(at)
    assert editions["data"][0]["y"] == [8756, 58596, 64124]
    assert revisions["data"][0]["y"] == [3021, 3131, 3133]


# --- by country -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "figure_id",
    [
        "mil-icas-wikinews-canada-2006",  # one year only
        "nat-uk-mod-2021-killed-hostile",  # hostile-only subset
        "nat-denmark-2021-fallen",  # killed in combat only
        "nat-denmark-2021-killed-nonhostile",  # non-hostile only
        "nat-germany-bundeswehr-2008-killed-termez",  # one place
        "nat-netherlands-nos-tfu-2010-killed",  # one task force
        "nat-romania-2021-wounded",  # injured, not killed
        "mil-dod-2019-05-us-killed-oef-other",  # deaths outside Afghanistan only
        "mil-amark-us-trump-term",  # a presidential term
        "cow-2021-04-allied-military-killed",  # no nationality: not a country
    ],
)
def test_country_candidates_leave_out_partial_counts(shipped, figure_id):
    assert figure_id in set(shipped[S.FIGURE_ID])
    assert figure_id not in set(views.country_candidates(shipped)[S.FIGURE_ID])


def test_country_candidates_keep_whole_deployment_totals(shipped):
    ids = set(views.country_candidates(shipped)[S.FIGURE_ID])
    assert {
        "nat-uk-mod-2021-killed",
        "nat-georgia-mod-2021-killed",
        "nat-germany-wiki-killed",
    } <= ids
    assert "nat-uk-reuters-2012-killed" in ids  # an older snapshot is still a total


def test_country_latest_prefers_the_national_count(shipped):
    chosen = by_country(views.country_latest(shipped))
    assert chosen["United Kingdom"] == "nat-uk-mod-2021-killed"  # 457
    assert chosen["Canada"] == "nat-canada-caf-2014-killed"  # 158, not Wikipedia's later 159
    assert chosen["Germany"] == "nat-germany-bundeswehr-2021-killed"  # 59, not Wikipedia's 62
    assert chosen["Spain"] == "nat-spain-mod-2021-killed"  # 104, counts a crash in Turkey
    assert chosen["Denmark"] == "nat-denmark-2021-killed-all-causes"  # computed 37 + 7


def test_country_latest_falls_back_to_the_latest_compiled_figure(shipped):
    chosen = by_country(views.country_latest(shipped))
    assert chosen["France"] == "nat-france-wiki-killed"  # 90 (Aug 2021) over iCasualties' 89
    assert chosen["Italy"] == "nat-italy-wiki-killed"  # 53 (Aug 2021) over press counts of 54
    assert chosen["Turkey"] == "nat-turkey-wiki-killed"


def test_country_latest_us_is_the_dod_headline_and_off_by_default(shipped):
    assert views.US not in set(views.country_latest(shipped)[S.NATIONALITY])
    rows = views.country_latest(shipped, include_us=True)
    us = rows[rows[S.NATIONALITY] == views.US].iloc[0]
    assert us[S.FIGURE_ID] == "mil-dod-2021-us-killed-oef-all-ofs" and us[S.VALUE] == 2461
    assert rows.index[rows[S.NATIONALITY] == views.US][0] == 0  # largest first


def test_country_latest_has_one_bar_per_country_largest_first(shipped):
    rows = views.country_latest(shipped)
    assert rows[S.NATIONALITY].is_unique
    assert list(rows[S.VALUE]) == sorted(rows[S.VALUE], reverse=True)
    assert len(rows) == 31


def test_country_latest_skips_superseded_figures(shipped):
    ids = set(views.country_latest(shipped)[S.FIGURE_ID])
    assert "nat-germany-bundeswehr-2008-killed-in-afghanistan" not in ids


def test_country_source_lists_are_one_document_of_one_date_newest_first(shipped):
    lists = views.country_source_lists(shipped)
    assert list(lists)[0] == WIKI
    label, wiki = lists[WIKI]
    assert label == "English Wikipedia, to 30 Aug 2021"
    assert len(wiki) == 11 and wiki[S.NATIONALITY].is_unique
    label, reuters = lists[REUTERS]
    assert label == "Reuters, to 20 May 2012"
    assert list(reuters[S.NATIONALITY])[:3] == ["United States", "United Kingdom", "Canada"]
    for _label, rows in lists.values():
        assert views.single_source(rows)
        assert rows[S.NATIONALITY].nunique() >= views.MIN_LIST_COUNTRIES


def test_country_rows_picks_one_list_and_hides_the_us_unless_asked(shipped):
    rows = views.country_rows(shipped, REUTERS)
    assert views.US not in set(rows[S.NATIONALITY])
    assert set(rows[S.FIGURE_ID].str.contains("reuters")) == {True}
    assert views.country_rows(shipped, REUTERS, include_us=True)[S.VALUE].iloc[0] == 1974


def test_list_sum_only_for_one_source_list_of_one_scope(shipped):
    assert views.list_sum(views.country_rows(shipped, WIKI)) == 215  # the list's own rows
    assert views.list_sum(views.country_rows(shipped, REUTERS)) == 925
    assert views.list_sum(views.country_rows(shipped, REUTERS, include_us=True)) == 2899
    assert views.list_sum(views.country_latest(shipped)) is None  # different sources: never summed


def test_list_own_totals_are_the_documents_own_totals(shipped):
    own = views.list_own_totals(shipped, views.country_rows(shipped, REUTERS))
    assert sorted(own[S.VALUE]) == [1033, 3007]
    assert views.list_own_totals(shipped, views.country_latest(shipped)).empty


def test_country_bar_one_bar_per_country_largest_on_top_with_its_source(shipped):
    rows = views.country_latest(shipped)
    fig = charts.country_bar(rows)
    national, compiled = fig.data
    assert national.name == "National government's own count"
    values = dict(zip(national.y, national.x, strict=True))
    assert values["United Kingdom"] == 457 and values["Canada"] == 158
    assert dict(zip(compiled.y, compiled.x, strict=True))["France"] == 90
    assert list(fig.layout.yaxis.categoryarray) == list(rows[S.NATIONALITY])[::-1]
    uk = list(national.y).index("United Kingdom")
    assert national.text[uk] == "457 — House of Commons Library, 2021"
    dk = list(national.y).index("Denmark")
    assert national.text[dk] == "44 — Danish national figures, 2021 (computed)"
    assert compiled.marker.pattern.shape == "/" and national.marker.pattern.shape == ""
    assert fig.layout.xaxis.type == "linear"
    assert fig.layout.showlegend is True


def test_country_bar_hover_names_source_rule_and_period(shipped):
    fig = charts.country_bar(views.country_latest(shipped))
    hover = fig.data[0].hovertext[list(fig.data[0].y).index("Spain")]
    assert "Source: Spanish Ministry of Defence" in hover
    assert "Counting rule: NAT (Spanish MoD), incl. interpreters and transit crash" in hover
    assert "Period: 1 Jan 2002 – 21 Aug 2021" in hover
    assert "Citation: as reported by ABC (Spain)" in hover


def test_country_bar_log_scale_and_one_list_style(shipped):
    rows = views.country_rows(shipped, REUTERS, include_us=True)
    fig = charts.country_bar(rows, log=True, subtitle="Reuters", one_list=True)
    (bar,) = fig.data
    assert fig.layout.xaxis.type == "log"
    assert list(bar.y)[:2] == ["United States", "United Kingdom"] and bar.x[0] == 1974
    assert fig.layout.showlegend is False
    assert all(t.endswith("Reuters, 2012") for t in bar.text)
    notes = [a.text.replace("<br>", " ") for a in fig.layout.annotations]
    # The sources line, then each country's label above its bar.
    assert notes[0] == "Source: Reuters (compiled from iCasualties.org and official figures) (2012)"
    assert notes[1] == "<b>United States</b>: 1,974 — Reuters, 2012"
    assert "Reuters" in fig.layout.title.subtitle.text


def test_country_alt_names_numbers_sources_and_the_rest(shipped):
    alt = charts.country_alt(views.country_latest(shipped), subtitle="latest figure per country")
    assert "United Kingdom: 457 (House of Commons Library, 2021)" in alt
    assert "bars are not added up" in alt
    assert "and 19 more countries with 1 to 15 deaths each" in alt
    assert "linear" in alt and "logarithmic" in charts.country_alt(
        views.country_latest(shipped), log=True
    )


# --- by country: the page -------------------------------------------------------------------------


def test_countries_page_draws_latest_figures_without_the_us():
    at = open_page("countries")
    assert not at.exception and not at.error
    s = chart_spec(at)
    shown = bars(s)
    assert shown["United Kingdom"] == 457 and "United States" not in shown
    assert s["layout"]["xaxis"]["type"] == "linear"
    assert any("Not drawn\\: United States, 2,461 killed" in c.value for c in at.caption)
    assert any("not added up" in c.value for c in at.caption)
    assert any("How one figure per country is chosen" in m.value for m in at.markdown)
    assert any("**United Kingdom**" in m.value for m in at.markdown)  # sources name the country
    assert "457" in at.get("plotly_chart")[0].proto.alt


def test_countries_include_us_from_the_url_adds_the_us_bar():
    at = open_page("countries", {"ctry_include_us": "true"})
    assert at.toggle(key="ctry_include_us").value is True
    assert bars(chart_spec(at))["United States"] == 2461
    assert not any("Not drawn" in c.value for c in at.caption)


def test_countries_source_list_from_the_url_shows_only_that_list():
    at = open_page("countries", {"ctry_source": REUTERS_LABEL})
    assert at.selectbox(key="ctry_source").value == REUTERS
    s = chart_spec(at)
    assert bars(s)["United Kingdom"] == 414 and len(bars(s)) == 10
    assert all(t.endswith("Reuters, 2012") for t in s["data"][0]["text"])
    text = "\n".join(m.value for m in at.markdown)
    assert "Sum of the 10 countries this source names" in text and "925" in text
    assert any("3,007" in c.value for c in at.caption)  # the document's own total, for context


def test_countries_malformed_parameters_show_a_notice_and_defaults():
    at = open_page("countries", {"ctry_source": "bogus", "ctry_log": "maybe", "ctry_x": "1"})
    assert not at.exception
    (notice,) = [i.value for i in at.info if "not understood" in i.value]
    for name in ("ctry\\_source", "ctry\\_log", "ctry\\_x"):
        assert name in notice
    s = chart_spec(at)
    assert s["layout"]["xaxis"]["type"] == "linear"
    assert bars(s)["United Kingdom"] == 457


# --- data and sources -----------------------------------------------------------------------------


def test_later_revisions_follow_the_chain_forward(shipped):
    later = views.later_revisions(shipped, CIVILIANS_2018)
    assert list(later[S.FIGURE_ID]) == [
        "cow-2019-11-civilians-killed",
        "cow-2021-04-civilians-killed",
    ]
    latest = later[S.FIGURE_ID].iloc[-1]
    assert views.later_revisions(shipped, latest).empty


def test_revisions_list_earlier_this_and_later_values_oldest_first(shipped):
    history = provenance.revisions(shipped, CIVILIANS_2018)
    chain = views.revision_chain(shipped, CIVILIANS_2018)
    assert list(history[S.FIGURE_ID])[: len(chain)] == list(chain[S.FIGURE_ID])
    assert list(history["position"]).count("this figure") == 1
    row = history[history[S.FIGURE_ID] == CIVILIANS_2018].iloc[0]
    assert row["position"] == "this figure"
    assert row["figure"] == "38,480 killed"
    assert "replaces 3 earlier values" in provenance.revisions_summary(history)
    assert "replaced by 2 later values" in provenance.revisions_summary(history)


def test_figure_markdown_quotes_excerpt_and_explains_status(shipped):
    row = shipped.set_index(S.FIGURE_ID, drop=False).loc[CIVILIANS_2018]
    md = provenance.figure_markdown(row)
    assert "> Civilians 38,480" in md
    assert "**Status: PRIMARY.** Seen on the publisher" in md
    assert "](https://docslib.org/download/10790211/" in md
    assert "Caveat:** CoW estimate of direct war deaths only" in md


def test_download_buttons_offer_the_full_csv_the_selection_and_the_datapackage(shipped, downloads):
    at = open_data_page({"data_category": "civilians"})
    buttons = {b.key: b for b in at.get("download_button")}
    assert set(buttons) == {"data_dl_all", "data_dl_shown", "data_dl_datapackage"}

    # The files are made when a reader asks (deferred): their bytes are the page spec's.
    assert all(b.proto.HasField("deferred_file_id") for b in buttons.values())
    files = {d.key: d for d in view_downloads(shipped, {"data_category": "civilians"})}

    def content(key):
        return files[key].content(), files[key].filename

    full, name = content("data_dl_all")
    assert name == "casualties.csv"
    assert full == export.csv_bytes(shipped)  # flat: every figure joined with its document

    selection, name = content("data_dl_shown")
    assert name == data_page.SELECTION_NAME
    civilians = shipped[shipped[S.CATEGORY] == "civilians"]
    assert selection == export.csv_bytes(civilians)
    again = data.parse_figures(selection.decode("utf-8"))
    assert set(again[S.CATEGORY]) == {"civilians"}
    assert len(again) == len(civilians)
    assert selection.split(b"\n", 1)[0] == full.split(b"\n", 1)[0]
    assert buttons["data_dl_shown"].label == f"The {len(civilians):,} figures shown (CSV)"

    package, name = content("data_dl_datapackage")
    assert name == "datapackage.json"
    assert package == export.datapackage_bytes(shipped)  # describes the flat download


def test_figure_from_the_url_shows_its_full_provenance():
    at = open_data_page({"data_figure": CIVILIANS_2018})
    assert at.selectbox(key="data_figure").value == CIVILIANS_2018
    (record,) = [t.value for t in at.main.table]
    fields = dict(zip(record.index, record["Value"], strict=True))
    assert fields["Excerpt (as printed in the source)"].startswith("Civilians 38,480")
    assert fields["Status"].startswith("PRIMARY: ")
    assert fields["Kind of source"].startswith("copy of the publisher")
    captions = "\n".join(c.value for c in at.main.caption)
    assert "replaces 3 earlier values" in captions
    history = [d for d in at.main.dataframe if "position" in d.value.columns]
    assert len(history) == 1
    assert list(history[0].value["figure_id"]).index(CIVILIANS_2018) == 3


# --- article check: the shipped claims and their verdicts -----------------------------------------


def test_figures_fixture_holds_every_figure_the_shipped_claims_cite():
    """The Article check page reads data/claims.csv whatever FIGURES_DATA says, so the pages run
    on tests/fixtures/figures.csv only while it holds every figure those claims cite. When the
    claims are re-sourced, copy the figures they cite into the fixture by hand."""
    fixture = data.load_figures(FIGURES)
    cited = {i for c in claims.load_claims(None, SHIPPED_CLAIMS) for i in c.figure_ids}
    assert cited
    assert cited - set(fixture[S.FIGURE_ID]) == set()
    claims.load_claims(fixture, SHIPPED_CLAIMS)  # and they validate against it


def test_every_shipped_claim_evaluates_and_cites_existing_figures(verdicts, shipped):
    ids = set(shipped[S.FIGURE_ID])
    assert len(verdicts) >= 12
    for v in verdicts.values():
        assert set(v.claim.figure_ids) <= ids
        assert v.explanation and v.explanation.endswith(".")
        assert v.badge
        assert v.claim.as_of == AS_OF  # the article's date: 21 Feb 2020, earliest its text allows
        if v.kind != claims.V_CANNOT:
            assert v.reference is not None and v.latest is not None
            assert v.latest[S.FIGURE_ID] in ids
            # The latest edition is a head of the supersedes chain.
            assert v.latest[S.FIGURE_ID] not in set(shipped[S.SUPERSEDES].dropna())


def test_shipped_vague_quantities_use_the_documented_ranges(verdicts):
    for v in verdicts.values():
        words = (
            v.claim.stated_as.split(" of ")[0]
            if v.claim.stated_as.startswith("billions")
            else v.claim.stated_as
        )
        if words in claims.VAGUE_QUANTITIES:
            assert (v.claim.value, v.claim.high) == claims.VAGUE_QUANTITIES[words]
            assert v.claim.qualifier == "at_least"


def test_shipped_claims_without_figures_really_have_none_in_the_data(verdicts, shipped):
    """'The dataset has no figure of ... for ...' must be true."""
    for v in verdicts.values():
        c = v.claim
        if c.figure_ids or not c.is_casualty_claim:
            continue
        same = shipped[
            (shipped[S.CATEGORY] == c.category)
            & (shipped[S.MEASURE] == c.measure)
            & (shipped[S.PERIOD_START] >= c.period_start)
            & (shipped[S.PERIOD_END] <= c.period_end)
        ]
        assert same.empty, c.claim_id


def test_shipped_verdicts_match_the_dossier(verdicts):
    assert verdicts["watson-security-forces"].kind == claims.V_HOLDS_OLDER  # 58,596 (Nov 2018)
    assert verdicts["watson-opposition-fighters"].kind == claims.V_HOLDS  # 42,100
    assert verdicts["coalition-deaths"].kind == claims.V_UNDERSTATES  # iCasualties above 3,500
    assert verdicts["us-deaths"].kind == claims.V_HOLDS  # DoD Afghanistan-only 2,309
    un = verdicts["un-civilian-deaths"]
    assert un.kind == claims.V_HOLDS
    assert "counts only from 1 Jan 2009" in un.explanation
    assert verdicts["afghan-forces-killed-and-injured"].kind == claims.V_MINIMUM
    for cid in ("us-war-spending", "troop-withdrawal-5400", "us-soldier-killed-sep-2019"):
        assert verdicts[cid].kind == claims.V_CANNOT


def test_cli_claims_prints_every_claim_with_its_verdict(verdicts):
    r = cli("claims")
    assert r.returncode == 0, r.stderr
    for cid, v in verdicts.items():
        assert f"{cid}: " in r.stdout
        assert v.badge in r.stdout
        assert v.explanation in r.stdout
    assert f"{len(verdicts)} claims checked" in r.stdout


def test_article_page_lists_every_claim_with_its_verdict(verdicts):
    at = open_page("article")
    assert not at.exception and not at.error
    assert at.title[0].value == "Article check"
    text = page_text(at)
    assert "does not endorse or dispute the article" in text
    summary = at.dataframe[0].value
    assert list(summary["Verdict"]) == [v.badge for v in verdicts.values()]
    # The default is the first claim that cites figures, drawn with alt text.
    default = at.selectbox(key="art_claim").value
    assert verdicts[default].comparisons
    (chart,) = at.get("plotly_chart")
    assert "Dot chart" in chart.proto.alt
    assert f"-badge[{verdicts[default].badge}]" in text
    assert "Sources and caveats" in text


def test_article_page_opens_the_claim_named_in_the_url():
    at = open_page("article", {"art_claim": "watson-security-forces"})
    assert not at.exception and not at.error
    assert at.selectbox(key="art_claim").value == "watson-security-forces"
    text = page_text(at)
    assert ":orange-badge[◐ Holds only for an older edition]" in text
    assert "58,596" in text and "64,124" in text
    assert "As it stands in the latest edition" in text
    assert "docslib.org" in text  # the source, as a link
    (chart,) = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    assert spec["data"][0]["base"] == [57500]
    assert not at.info


# --- static snapshot ------------------------------------------------------------------------------


def test_snapshot_of_the_shipped_data_has_a_page_for_each_view_of_the_app(shipped):
    built = []
    for builder in site.VIEWS:
        try:
            view = builder(shipped)
        except site.Skipped:
            continue
        if view is not None:
            built.append(view)
    slugs = {v.slug for v in built}
    assert {"overview", "compare-civilians", "over-time", "editions", "by-country"} <= slugs
    assert "article-check" in slugs


# --- real browser: a live server on the shipped data ----------------------------------------------


@pytest.mark.browser
def test_shared_link_opens_the_claim_with_its_verdict_and_no_error_box(page, shipped_server):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(shipped_server.url + "/article-check?art_claim=watson-security-forces")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    # The badge (the summary table's grid cells are drawn on a canvas and hidden from the DOM).
    verdict = page.get_by_text("◐ Holds only for an older edition").locator("visible=true").first
    verdict.wait_for(timeout=30_000)
    assert verdict.is_visible()
    assert page.get_by_text("does not endorse or dispute the article", exact=False).is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert page.locator('[data-testid="stAlertContentInfo"]').count() == 0  # no "not understood"
    assert "art_claim=watson-security-forces" in page.url
    assert errors == []


@pytest.mark.browser
def test_figure_detail_shows_a_clickable_source_link(page, shipped_server):
    errors = browse_title(page, shipped_server, "/data?data_figure=cow-2018-11-civilians-killed")
    page.get_by_text("Revision history").wait_for(timeout=60_000)
    link = page.locator('[data-testid="stMarkdownContainer"] a[href^="https://docslib.org/"]')
    assert link.count() >= 1
    # the table row as the copy prints it (footnote numbers stuck to the cells), in full
    excerpt = page.locator("table tr", has_text="Excerpt").first.locator("td").first
    assert excerpt.inner_text().strip().startswith("Civilians 38,480")
    assert no_error_box(page)
    assert errors == []


@pytest.mark.browser
def test_editions_link_opens_the_chosen_category_and_year(page, shipped_server):
    errors = browse_charts(
        page,
        shipped_server,
        "/editions?ed_category=Afghan+civilians&ed_year=2016&ed_measure=injured",
        2,
    )
    wait_for(page, "plots.length === 2 && plots[1].data[0].y.join() === '7920,7924'")
    first = page.evaluate(f"() => {PLOTS}[0].data[0].y")
    assert first == [11700, 26270, 31000, 38480, 43074, 47245]
    title = page.evaluate(f"() => {PLOTS}[0]._fullLayout.title.text.replace(/<br>/g, ' ')")
    assert title.startswith("Afghan civilians")
    assert page.locator(".js-plotly-plot .scatterlayer .point").count() >= 5
    assert page.get_by_text("never subtract", exact=False).first.is_visible()
    assert no_error_box(page)
    assert errors == []


@pytest.mark.browser
def test_editions_default_view_draws_both_charts(page, shipped_server):
    errors = browse_charts(page, shipped_server, "/editions", 2)
    wait_for(page, "plots[0].data[0].y.join() === '8756,58596,64124'")
    assert page.locator(".js-plotly-plot .bars path").count() >= 3  # the revision bars
    assert no_error_box(page)
    assert errors == []


@pytest.mark.browser
def test_by_country_link_with_us_and_log_scale(page, shipped_server):
    errors = browse_charts(page, shipped_server, "/by-country?ctry_include_us=true&ctry_log=true")
    wait_for(page, "plots[0]._fullLayout.xaxis.type === 'log'")
    names = page.evaluate(f"() => {PLOTS}[0].data.flatMap(t => t.y)")
    assert names[0] == "United States" and "United Kingdom" in names
    assert page.locator(".js-plotly-plot .bars path").count() >= 30
    assert page.get_by_text("Sources and caveats").is_visible()
    assert no_error_box(page)
    assert errors == []


@pytest.mark.browser
def test_by_country_link_to_one_source_list(page, shipped_server):
    errors = browse_charts(
        page, shipped_server, "/by-country?ctry_source=One+source+list%3A+Reuters%2C+to+20+May+2012"
    )
    wait_for(page, "plots[0].data[0].text.every(t => t.endsWith('Reuters, 2012'))")
    assert page.evaluate(f"() => {PLOTS}[0].data[0].x.length") == 10
    assert page.get_by_text("Sum of the 10 countries this source names", exact=False).is_visible()
    assert no_error_box(page)
    assert errors == []


@pytest.mark.browser
def test_compare_link_opens_the_chosen_category_with_every_edition(page, shipped_server):
    errors = browse_charts(
        page, shipped_server, "/compare?cmp_category=us_military&cmp_all_editions=true"
    )
    page.wait_for_function(
        f"() => {PLOTS}[0]._fullLayout.title.text.replace(/<br>/g, ' ').startsWith('US military, killed:')",
        timeout=30_000,
    )
    names = plot_js(page, "plots[0].data.map(t => t.name)")
    assert any(n.endswith("· superseded") for n in names)
    assert page.locator(".js-plotly-plot .scatterlayer .point").count() >= 20
    assert page.get_by_text("Why these figures differ").is_visible()
    assert no_error_box(page)
    assert errors == []


@pytest.mark.browser
def test_over_time_link_opens_the_chosen_years_and_first_published_values(page, shipped_server):
    errors = browse_charts(
        page, shipped_server, "/over-time?tr_years=2009&tr_years=2015&tr_first_published=true", 3
    )
    page.wait_for_function(
        f"() => {PLOTS}[0]._fullLayout.title.text.replace(/<br>/g, ' ').includes('first-published values')",
        timeout=30_000,
    )
    killed = plot_js(page, "plots[0].data.find(t => t.name === 'Killed')")
    assert killed["x"] == [str(y) for y in range(2009, 2016)]
    assert dict(zip(killed["x"], killed["y"], strict=True))["2010"] == 2777
    assert page.locator(".js-plotly-plot").first.locator(".bars path").count() >= 14
    assert no_error_box(page)
    assert errors == []


def test_about_page_states_the_data_date_of_the_shipped_data():
    from figures import about

    shipped = data.load_figures(data.DEFAULT_PATH)
    newest = shipped[S.PUBLISHED].max()
    assert pd.Timestamp(about.NEWEST_SOURCE) == newest
    assert pd.Timestamp(about.DATA_DATE) >= newest


def view_downloads(df, query):
    """The downloads of the Data & sources view for a link's query (what the app's buttons give)."""
    from figures import pages

    params = pages.params_of(df, "data")
    return pages.page("data").build(df, pages.parse_state(params, query)[0]).downloads


def test_country_source_lists_give_the_same_rows_each_time_and_labels_without_rows(shipped):
    lists = views.country_source_lists(shipped)
    assert lists.labels() == {key: label for key, (label, _) in lists.items()}
    key = next(iter(lists))
    assert lists[key][1] is lists[key][1]  # taken once, then the same read-only frame
    assert len(lists) == len(list(lists)) and key in lists
