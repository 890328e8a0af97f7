"""Figures and their source documents: the two-file dataset, its joins and its citation rules."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from figures import charts, data, export, views
from figures import schema as S
from tests.conftest import ROOT, to_csv

SOURCES = [
    {
        "source_id": "cow-2018-11-lethality-copy",
        "publisher": "Costs of War (Watson Institute, Brown University)",
        "title": "Human Cost of the Post-9/11 Wars: Lethality and the Need for Transparency",
        "published": "2018-11-08",
        "kind": "faithful_copy",
        "url": "https://reliefweb.int/report/afghanistan/human-cost-post-911-wars",
        "publisher_url": "https://watson.brown.edu/costsofwar/papers/2018/lethality",
        "archive_url": "",
        "reported_by": "ReliefWeb",
    },
    {
        "source_id": "unama-2019-02-annual-2018-reuters",
        "publisher": "UNAMA",
        "title": "Protection of Civilians in Armed Conflict, Annual Report 2018",
        "published": "2019-02-24",
        "kind": "news_report",
        "url": "https://www.reuters.com/article/example",
        "publisher_url": "",
        "archive_url": "",
        "reported_by": "Reuters",
    },
    {
        "source_id": "wiki-coalition",
        "publisher": "English Wikipedia",
        "title": "Coalition casualties in Afghanistan",
        "published": "2021-09-01",
        "kind": "reference_compilation",
        "url": "https://en.wikipedia.org/wiki/Coalition_casualties_in_Afghanistan",
        "publisher_url": "",
        "archive_url": "",
        "reported_by": "",
    },
]

FIGURES = [
    {
        "figure_id": "cow-2018-11-civilians",
        "category": "civilians",
        "measure": "killed",
        "value": "38480",
        "low": "",
        "high": "",
        "qualifier": "exact",
        "period_start": "2001-10-01",
        "period_end": "2018-10-31",
        "geography": "afghanistan",
        "nationality": "",
        "method": "estimate",
        "source_id": "cow-2018-11-lethality-copy",
        "locator": "Table 1, row 'Civilians'",
        "excerpt": "Civilians 38,480",
        "caveat": "",
        "status": "PRIMARY",
        "supersedes": "",
    },
    {
        "figure_id": "unama-2018-cumulative-killed",
        "category": "civilians",
        "measure": "killed",
        "value": "32000",
        "low": "",
        "high": "",
        "qualifier": "more_than",
        "period_start": "2009-01-01",
        "period_end": "2018-12-31",
        "geography": "afghanistan",
        "nationality": "",
        "method": "documented",
        "source_id": "unama-2019-02-annual-2018-reuters",
        "locator": "para. 3",
        "excerpt": "more than 32,000 civilians killed",
        "caveat": "",
        "status": "SECONDARY",
        "supersedes": "",
    },
    {
        "figure_id": "nat-germany-wiki-killed",
        "category": "allied_military",
        "measure": "killed",
        "value": "62",
        "low": "",
        "high": "",
        "qualifier": "exact",
        "period_start": "2001-10-07",
        "period_end": "2021-08-30",
        "geography": "afghanistan",
        "nationality": "Germany",
        "method": "documented",
        "source_id": "wiki-coalition",
        "locator": "table, row Germany",
        "excerpt": "Germany 62",
        "caveat": "",
        "status": "SECONDARY",
        "supersedes": "",
    },
]
FIG_HEADER = [c.name for c in S.FIGURE_FILE_COLUMNS]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # messages then name the files as casualties.csv, sources.csv


SRC_HEADER = [c.name for c in S.SOURCE_COLUMNS]


def dataset(tmp_path, figures=None, sources=None, *, src_header=None, fig_header=None):
    """Write casualties.csv + sources.csv to tmp_path; returns the figures path."""
    figs = [dict(r) for r in (FIGURES if figures is None else figures)]
    srcs = [dict(r) for r in (SOURCES if sources is None else sources)]
    (tmp_path / "sources.csv").write_text(to_csv(src_header or SRC_HEADER, srcs), encoding="utf-8")
    path = tmp_path / "casualties.csv"
    path.write_text(to_csv(fig_header or FIG_HEADER, figs), encoding="utf-8")
    return path


def problems(path) -> list[str]:
    with pytest.raises(data.FiguresError) as info:
        data.load_figures(path)
    return [str(p) for p in info.value.problems]


def changed(rows, i, **fields):
    rows = [dict(r) for r in rows]
    rows[i].update(fields)
    return rows


def test_figures_are_joined_with_their_documents(tmp_path):
    df = data.load_figures(dataset(tmp_path)).set_index(S.FIGURE_ID)
    row = df.loc["cow-2018-11-civilians"]
    assert row[S.PUBLISHER] == "Costs of War (Watson Institute, Brown University)"
    assert row[S.SOURCE_URL] == SOURCES[0]["url"]
    assert row[S.SOURCE_KIND] == "faithful_copy"
    assert row[S.REPORTED_BY] == "ReliefWeb"
    assert row[S.PUBLISHER_URL] == SOURCES[0]["publisher_url"]
    assert row[S.PUBLISHED] == pd.Timestamp("2018-11-08")
    assert row[S.LOCATOR] == "Table 1, row 'Civilians'"
    assert list(df.reset_index().columns[: len(S.REQUIRED)]) == list(S.REQUIRED)


def test_a_figure_pointing_at_a_missing_source_is_named(tmp_path):
    path = dataset(tmp_path, changed(FIGURES, 1, source_id="no-such-document"))
    assert problems(path) == [
        "casualties.csv:3: source_id: points at no source_id in sources.csv "
        "(got 'no-such-document')"
    ]


@pytest.mark.parametrize(
    "quote",
    [
        "[no quote: table cell in the Lutz paper]",
        "[table row 2004]",
        "  [quote not available]  ",
    ],
)
def test_a_placeholder_quote_is_refused(tmp_path, quote):
    found = problems(dataset(tmp_path, changed(FIGURES, 0, excerpt=quote)))
    assert len(found) == 1
    assert found[0].startswith("casualties.csv:2: excerpt: is a placeholder, not a quote")


def test_a_quote_with_an_editorial_insertion_is_a_quote(tmp_path):
    rows = changed(FIGURES, 0, excerpt="[Table 1] Civilians 38,480")
    assert len(data.load_figures(dataset(tmp_path, rows))) == 3


@pytest.mark.parametrize(
    "url",
    [
        "https://5dok.org/article/civilian-casualties",
        "http://www.ricksblog.biz/crs-table",
        "https://someone.blogspot.com/2020/02/numbers.html",
        "https://m.moam.info/download/costs-of-war.html",
        "https://WIKIMILI.com/en/War_in_Afghanistan",
    ],
)
def test_a_url_on_a_rejected_host_is_refused(tmp_path, url):
    found = problems(dataset(tmp_path, sources=changed(SOURCES, 1, url=url)))
    assert len(found) == 1, found
    assert found[0].startswith("sources.csv:3: url: is on a host a news desk rejects")
    assert "CITATIONS.md" in found[0]


@pytest.mark.parametrize(
    "url",
    [
        "https://www.notblogspot.com.example.org/page",
        "https://example.org/5dok.org/page",
        "https://reliefweb.int/report?from=wordpress.com",
    ],
)
def test_a_rejected_name_elsewhere_in_a_url_is_not_a_rejected_host(tmp_path, url):
    assert len(data.load_figures(dataset(tmp_path, sources=changed(SOURCES, 1, url=url)))) == 3


def test_the_flat_file_refuses_rejected_hosts_and_placeholders_too(write_csv):
    from tests.conftest import valid_rows

    header, rows = valid_rows()
    rows[0]["source_url"] = "https://ksaplayers.com/unama-2020"
    rows[1]["excerpt"] = "[no quote: table cell]"
    path = write_csv(to_csv(header, rows))
    found = problems(path)
    assert any(p.startswith("figures.csv:2: source_url: is on a host") for p in found), found
    assert any(p.startswith("figures.csv:3: excerpt: is a placeholder") for p in found), found


def test_a_news_report_names_its_outlet(tmp_path):
    found = problems(dataset(tmp_path, sources=changed(SOURCES, 1, reported_by="")))
    assert found == ["sources.csv:3: reported_by: is required for a news report: name the outlet"]


def test_a_duplicate_source_id_is_refused(tmp_path):
    sources = [*SOURCES, dict(SOURCES[0])]
    found = problems(dataset(tmp_path, sources=sources))
    assert found == [
        "sources.csv:5: source_id: duplicate id; each source_id must be unique "
        "(got 'cow-2018-11-lethality-copy')"
    ]


def test_status_must_match_the_kind_of_source(tmp_path):
    found = problems(dataset(tmp_path, changed(FIGURES, 1, status="PRIMARY")))
    assert len(found) == 1
    assert found[0].startswith("casualties.csv:3: status: does not match the kind of its source")
    assert "(got 'PRIMARY on a news report')" in found[0]


def test_a_period_cannot_end_after_its_document_was_published(tmp_path):
    found = problems(dataset(tmp_path, changed(FIGURES, 0, period_end="2018-12-31")))
    assert len(found) == 1
    assert found[0].startswith(
        "casualties.csv:2: period_end: is after the document's publication date"
    )
    assert "(got '2018-12-31 > published 2018-11-08')" in found[0]


def test_a_computed_figure_may_count_past_the_document_it_cites(tmp_path):
    rows = changed(
        FIGURES, 0, period_end="2019-12-31", status="DERIVED", excerpt="computed: 1 + 2 = 3"
    )
    assert len(data.load_figures(dataset(tmp_path, rows))) == 3


def test_problems_of_both_files_are_reported_at_once(tmp_path):
    path = dataset(
        tmp_path,
        changed(FIGURES, 2, value="6,2"),
        changed(SOURCES, 0, kind="blog"),
    )
    found = problems(path)
    assert any(p.startswith("sources.csv:2: kind: must be one of") for p in found), found
    assert any(p.startswith("casualties.csv:4: value: must be a whole number") for p in found)


def test_a_missing_sources_file_is_a_file_error_naming_it(tmp_path):
    path = dataset(tmp_path)
    (tmp_path / "sources.csv").unlink()
    with pytest.raises(data.FiguresFileError) as info:
        data.load_figures(path)
    assert "sources.csv: file not found" in str(info.value)


def test_figures_file_needs_source_id_and_locator(tmp_path):
    rows = changed(FIGURES, 0, locator="")
    found = problems(dataset(tmp_path, rows))
    assert found == ["casualties.csv:2: locator: is required and must not be empty"]


def test_flat_export_reloads_into_the_same_figures(tmp_path):
    df = data.load_figures(dataset(tmp_path))
    flat = tmp_path / "flat.csv"
    flat.write_bytes(export.csv_bytes(df))
    header = flat.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[: len(S.REQUIRED)] == list(S.REQUIRED)  # the first contract's columns first
    assert header[len(S.REQUIRED) : len(S.ALL)] == list(S.ALL[len(S.REQUIRED) :])
    again = data.load_figures(flat)
    pd.testing.assert_frame_equal(again, df)


def test_the_dataset_splits_back_into_its_two_files(tmp_path):
    path = dataset(tmp_path)
    df = data.load_figures(path)
    figures, sources = export.dataset_bytes(df)
    assert figures == path.read_bytes()
    assert sources == (tmp_path / "sources.csv").read_bytes()


def test_citation_strength_ranks_publisher_copy_news_compilation_computed():
    rows = pd.DataFrame(
        {
            S.SOURCE_KIND: [
                "reference_compilation",
                "news_report",
                "faithful_copy",
                "publisher_document",
                "publisher_document",
                pd.NA,
            ],
            S.STATUS: ["SECONDARY", "SECONDARY", "PRIMARY", "PRIMARY", "DERIVED", "PRIMARY"],
        }
    )
    assert list(views.citation_strength(rows)) == [1, 2, 3, 4, 0, 3]


def test_one_per_year_picks_the_strongest_citation(tmp_path):
    base = {
        **FIGURES[0],
        "category": "us_military",
        "period_start": "2010-01-01",
        "period_end": "2010-12-31",
        "method": "documented",
    }
    rows = [
        {
            **base,
            "figure_id": "us-2010-wiki",
            "value": "499",
            "source_id": "wiki-coalition",
            "status": "SECONDARY",
        },
        {
            **base,
            "figure_id": "us-2010-copy",
            "value": "498",
            "source_id": "cow-2018-11-lethality-copy",
            "status": "PRIMARY",
        },
    ]
    df = data.load_figures(dataset(tmp_path, rows))
    chosen = views.one_per_year(views.yearly_rows(df, "us_military", "killed"))
    assert list(chosen[S.FIGURE_ID]) == ["us-2010-copy"]


@pytest.mark.parametrize(
    ("i", "expected"),
    [
        (0, "copy of the publisher's document (ReliefWeb)"),
        (1, "as reported by Reuters"),
        (2, "reference compilation (en.wikipedia.org)"),
    ],
)
def test_the_reader_sees_how_strong_each_citation_is(tmp_path, i, expected):
    df = data.load_figures(dataset(tmp_path))
    assert charts.source_kind_text(df.iloc[i]) == expected


def test_a_flat_file_without_kinds_falls_back_on_the_status():
    from tests.conftest import VALID

    df = data.load_figures(VALID)
    assert charts.source_kind_text(df.iloc[0]) == S.value_label(S.STATUS, "PRIMARY")


def test_cli_validate_reads_both_files_and_counts_kinds(tmp_path):
    path = dataset(tmp_path)
    r = subprocess.run(
        [sys.executable, "-m", "figures", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    assert "sources.csv: OK: 3 figures" in r.stdout
    assert "3 source documents" in r.stdout
    assert "faithful copy of the publisher's document 1 (33%)" in r.stdout


def test_cli_validate_rejects_a_missing_source_with_exit_1(tmp_path):
    path = dataset(tmp_path, changed(FIGURES, 0, source_id="gone"))
    r = subprocess.run(
        [sys.executable, "-m", "figures", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 1
    assert "source_id: points at no source_id in" in r.stderr


def test_datapackage_declares_both_resources_and_the_foreign_key():
    from figures import datapackage

    d = datapackage.descriptor()
    names = [r["name"] for r in d["resources"]]
    assert names == ["casualties", "sources"]
    figures, sources = d["resources"]
    assert [f["name"] for f in figures["schema"]["fields"]] == [
        c.name for c in S.FIGURE_FILE_COLUMNS
    ]
    assert [f["name"] for f in sources["schema"]["fields"]] == [c.name for c in S.SOURCE_COLUMNS]
    assert {
        "fields": ["source_id"],
        "reference": {"resource": "sources", "fields": ["source_id"]},
    } in (figures["schema"]["foreignKeys"])
    assert sources["schema"]["primaryKey"] == ["source_id"]
    flat = datapackage.descriptor(layout="flat")["resources"]
    assert [f["name"] for f in flat[0]["schema"]["fields"]] == list(S.ALL)


def test_readme_documents_the_three_files_as_the_schema_declares_them():
    from figures.__main__ import readme_with_tables

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_with_tables(readme) == readme, "run `python -m figures readme`"
    for columns in (S.FIGURE_FILE_COLUMNS, S.SOURCE_COLUMNS, S.COLUMNS):
        assert S.markdown_table(columns) in readme


def test_every_page_names_the_kind_of_source_beside_its_figures():
    """On the fixture: the sources list under each chart, and each table, say how strong the
    citation is."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import PAGES

    kinds = ("publisher's document", "copy of the publisher's document", "as reported by")
    for page in PAGES:
        if page in ("about", "article"):
            continue
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        at.switch_page(f"figures/ui/{page}.py").run()
        assert not at.exception, page
        listed = "\n".join(m.value for m in at.markdown)
        tables = [d.value for d in at.dataframe]
        in_tables = any(
            S.SOURCE_KIND in t.columns
            and t[S.SOURCE_KIND].astype(str).str.contains("|".join(kinds)).any()
            for t in tables
        )
        assert in_tables, page
        if page != "data":  # its list is the table itself
            assert any(k in listed for k in kinds), page
