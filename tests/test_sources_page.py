"""Data & sources page: search and filters (pure), the provenance view, and the page (AppTest).

The page runs on tests/fixtures/figures.csv; what it shows of the shipped figures is pinned in
tests/test_dataset.py.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from figures import data, datapackage, export, provenance, views
from figures import schema as S
from figures.pages import data as data_page
from figures.ui.html import copy_texts
from tests.conftest import FIGURES, ROOT, VALID, to_csv, valid_rows

APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def frozen():
    """tests/fixtures/figures.csv, which the page reads too."""
    return data.load_figures(FIGURES)


@pytest.fixture
def small():
    return data.load_figures(VALID)


# --- search and filters -------------------------------------------------------------------------


def test_search_matches_each_column_case_insensitively(small):
    assert set(views.search(small, "unama")[S.FIGURE_ID]) == {
        "unama-2018-cumulative-killed-more-than"
    }
    assert len(views.search(small, "WATSON INSTITUTE")) == 6  # publisher
    assert list(views.search(small, "lethality")[S.FIGURE_ID])[:1] == [
        "cow-2018-11-us-military"
    ]  # source title
    assert list(views.search(small, "58,596")[S.FIGURE_ID]) == [
        "cow-2018-11-afghan-security-forces"
    ]  # excerpt
    assert len(views.search(small, "known only to the month")) >= 1  # caveat
    assert list(views.search(small, "2013-09-CIV")[S.FIGURE_ID]) == ["cow-2013-09-civilians"]


def test_search_needs_every_word_and_ignores_order(small):
    both = views.search(small, "civilians costs")
    assert set(both[S.FIGURE_ID]) == {"cow-2018-11-civilians", "cow-2013-09-civilians"}
    assert views.search(small, "civilians nonsenseword").empty


def test_search_is_plain_text_not_a_pattern(small):
    assert views.search(small, "(copy)").shape[0] >= 1
    assert views.search(small, ".*").empty
    assert views.search(small, "[").empty


@pytest.mark.parametrize("query", ["", "   ", None])
def test_empty_search_keeps_every_row(small, query):
    assert len(views.search(small, query)) == len(small)


def test_search_does_not_look_in_other_columns(small):
    # Edition and counting rule are not searched: 'Nov 2018' and 'CoW Afghanistan column' are
    # there only.
    assert (small[S.EDITION] == "Nov 2018").any()
    assert views.search(small, "Nov 2018").empty
    assert views.search(small, "CoW Afghanistan column").empty


def test_filter_values_keeps_rows_with_any_selected_value_in_every_column(small):
    civ = views.filter_values(small, {S.CATEGORY: ["civilians"], S.STATUS: []})
    assert set(civ[S.CATEGORY]) == {"civilians"}
    assert len(civ) == 3
    two = views.filter_values(small, {S.CATEGORY: ["civilians", "us_military"]})
    assert len(two) == 4
    both = views.filter_values(small, {S.CATEGORY: ["civilians"], S.METHOD: ["documented"]})
    assert list(both[S.FIGURE_ID]) == ["unama-2018-cumulative-killed-more-than"]


def test_filter_values_with_no_selection_keeps_every_row(small):
    assert len(views.filter_values(small, {})) == len(small)
    assert len(views.filter_values(small, {S.CATEGORY: []})) == len(small)


def test_filter_options_follow_schema_order_and_sort_publishers(frozen):
    cats = data_page.filter_options(frozen, S.CATEGORY)
    assert cats == [c for c in S.BY_NAME[S.CATEGORY].allowed if c in set(frozen[S.CATEGORY])]
    pubs = data_page.filter_options(frozen, S.PUBLISHER)
    assert pubs == sorted(set(frozen[S.PUBLISHER]), key=str.casefold)
    assert "UNAMA" in pubs


# --- provenance -----------------------------------------------------------------------------------


def test_revisions_of_a_figure_without_editions(small):
    history = provenance.revisions(small, "unama-2018-cumulative-killed-more-than")
    assert list(history["position"]) == ["this figure"]
    assert provenance.revisions_summary(history).startswith("No other edition")


def test_figure_markdown_renders_hostile_text_inert(small):
    row = small.iloc[0].copy()
    row[S.EXCERPT] = "[click](javascript:alert(1)) <script>x</script>"
    row[S.CAVEAT] = "**bold** # heading"
    row[S.SOURCE_URL] = "javascript:alert(1)"
    md = provenance.figure_markdown(row)
    assert "](javascript" not in md
    assert "<script>" not in md
    assert "\\*\\*bold\\*\\*" in md


# --- the page (AppTest) ---------------------------------------------------------------------------


@pytest.fixture
def downloads(monkeypatch):
    """Bytes of every file the page offers for download, by media file id."""
    files: dict[str, tuple[bytes, str | None]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = (path_or_data, filename)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return files


def open_page(params: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page("figures/ui/data.py").run()
    assert not at.exception
    return at


def table_rows(at: AppTest) -> int:
    (table,) = [d for d in at.main.dataframe if S.SOURCE_URL in d.value.columns]
    return len(table.value)


def shown_count(at: AppTest) -> str:
    """'Showing N of M figures.' above the table (a caption; Markdown escapes removed)."""
    return next(c.value.replace("\\", "") for c in at.main.caption if c.value.startswith("Showing"))


def test_data_page_lists_every_figure_with_source_links(frozen):
    at = open_page()
    assert at.title[0].value == "Data & sources"
    assert table_rows(at) == len(frozen)
    assert shown_count(at) == f"Showing {len(frozen):,} of {len(frozen):,} figures."
    (table,) = at.main.dataframe
    assert '"source_url": {"label": "Source URL", "type_config": {"type": "link"' in (
        table.proto.columns
    )
    assert sorted(table.value.columns) == sorted(S.ALL)
    assert list(table.value.columns).index(S.SOURCE_URL) < 10  # visible without scrolling
    assert not at.error


@pytest.mark.parametrize(
    "params",
    [
        {"data_category": "civilians"},
        {"data_category": ["civilians", "us_military"], "data_measure": "killed"},
        {"data_status": "DERIVED"},
        {"data_publisher": "UNAMA"},
        {"data_q": "UNAMA"},
        {"data_q": "hostile", "data_status": ["PRIMARY", "SECONDARY"]},
    ],
)
def test_filters_from_the_url_change_the_table(frozen, params):
    def values(key):
        v = params.get(key, [])
        return [v] if isinstance(v, str) else v

    expected = views.filter_values(
        views.search(frozen, params.get("data_q", "")),
        {column: values(key) for column, key, _ in data_page.FILTERS},
    )
    at = open_page(params)
    assert 0 < len(expected) < len(frozen)
    assert table_rows(at) == len(expected)
    assert shown_count(at) == f"Showing {len(expected):,} of {len(frozen):,} figures."
    for _column, key, _label in data_page.FILTERS:
        assert at.multiselect(key=key).value == values(key)
    assert not at.info


def test_search_with_no_match_says_so_instead_of_an_empty_table():
    at = open_page({"data_q": "no figure has this zzqx"})
    assert "No figure matches" in at.info[0].value
    assert not [d for d in at.main.dataframe if S.SOURCE_URL in d.value.columns]
    assert shown_count(at).startswith("Showing 0 of")


def test_download_buttons_offer_the_full_csv_the_selection_and_the_datapackage(frozen, downloads):
    at = open_page({"data_category": "civilians"})
    buttons = {b.key: b for b in at.get("download_button")}
    assert set(buttons) == {"data_dl_all", "data_dl_shown", "data_dl_datapackage"}

    # The files are made when a reader asks (deferred): their bytes are the page spec's.
    assert all(b.proto.HasField("deferred_file_id") for b in buttons.values())
    files = {d.key: d for d in view_downloads(frozen, {"data_category": "civilians"})}

    def content(key):
        return files[key].content(), files[key].filename

    full, name = content("data_dl_all")
    assert name == "casualties.csv"
    assert full == export.csv_bytes(frozen)  # the flat download: figures joined with sources
    pd.testing.assert_frame_equal(data.parse_figures(full.decode("utf-8")), frozen)

    selection, name = content("data_dl_shown")
    assert name == data_page.SELECTION_NAME
    civilians = frozen[frozen[S.CATEGORY] == "civilians"]
    assert selection == export.csv_bytes(civilians)
    again = data.parse_figures(selection.decode("utf-8"))
    assert set(again[S.CATEGORY]) == {"civilians"}
    assert len(again) == len(civilians)
    assert selection.split(b"\n", 1)[0] == full.split(b"\n", 1)[0]
    assert buttons["data_dl_shown"].label == f"The {len(civilians):,} figures shown (CSV)"

    package, name = content("data_dl_datapackage")
    assert name == "datapackage.json"
    # the flat download, described
    assert json.loads(package) == datapackage.descriptor(frozen, layout="flat")


@pytest.mark.parametrize(
    "params",
    [
        {"data_status": "UNCONFIRMED"},
        {"data_category": ["civilians", "martians"]},
        {"data_figure": "no-such-figure"},
        {"data_sort": "value"},
    ],
)
def test_malformed_parameter_shows_a_notice_and_the_page_still_works(frozen, params):
    at = open_page(params)
    assert any("not understood" in i.value for i in at.info)
    assert next(iter(params)).replace("_", "\\_") in at.info[0].value
    assert table_rows(at) >= 1
    assert not at.error


def test_no_figure_chosen_shows_no_detail():
    at = open_page()
    assert at.selectbox(key="data_figure").value is None
    assert not any(m.value.startswith("####") for m in at.main.markdown)


def test_page_shows_how_to_cite_in_plain_text_and_bibtex():
    at = open_page()
    assert any(s.value == "How to cite this dataset" for s in at.main.subheader)
    code = copy_texts(h.proto.body for h in at.main.get("html"))
    assert any("CC BY 4.0" in c and "(accessed" in c for c in code)
    assert any(c.startswith("@misc{") and "urldate" in c for c in code)


def test_sidebar_citation_names_the_publishers_shown():
    at = open_page({"data_publisher": "UNAMA"})
    assert any(
        "Figures from: UNAMA." in c
        for c in copy_texts(h.proto.body for h in at.sidebar.get("html"))
    )


def test_hostile_data_is_inert_on_the_page_and_neutralised_in_downloads(
    monkeypatch, tmp_path, downloads
):
    header, rows = valid_rows()
    rows[0][S.CAVEAT] = '=HYPERLINK("http://evil.example/","click")'
    rows[0][S.EXCERPT] = "[click](javascript:alert(1)) <img src=x onerror=alert(1)>"
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(to_csv(header, rows), encoding="utf-8")
    monkeypatch.setenv(data.ENV_VAR, str(hostile))
    figure_id = rows[0][S.FIGURE_ID]
    at = open_page({"data_figure": figure_id})
    text = "\n".join(m.value for m in [*at.main.markdown, *at.main.caption])
    assert "](javascript" not in text and "<img" not in text  # never Markdown or HTML
    (record,) = [t.value for t in at.main.table]
    (excerpt,) = [v for v in record["Value"] if "onerror" in v]
    assert excerpt == rows[0][S.EXCERPT]  # shown as plain text in a table cell
    (button,) = [b for b in at.get("download_button") if b.key == "data_dl_all"]
    (full,) = [d for d in view_downloads(data.load_figures(hostile), {}) if d.key == button.key]
    content = full.content()
    assert b',"\'=HYPERLINK(""http://evil.example/"",""click"")",' in content


def test_data_page_table_shows_labels_never_slugs(frozen):
    at = open_page()
    (table,) = [d for d in at.main.dataframe if S.SOURCE_URL in d.value.columns]
    shown = table.value
    for column in (S.CATEGORY, S.MEASURE, S.QUALIFIER, S.GEOGRAPHY, S.METHOD, S.STATUS):
        labels = S.BY_NAME[column].labels
        slugs = {v for v in shown[column].dropna() if v in labels and labels[v] != v}
        assert not slugs, (column, slugs)
        expected = [S.value_label(column, v) if isinstance(v, str) else "" for v in frozen[column]]
        assert sorted(map(str, shown[column].fillna(""))) == sorted(expected), column


def test_filters_show_labels_and_keep_ids_in_the_link(frozen):
    at = open_page({"data_category": "civilians", "data_kind": "news_report"})
    category = at.multiselect(key="data_category")
    assert S.value_label(S.CATEGORY, "civilians") in category.options
    assert "civilians" not in category.options  # a label on screen, never the slug
    assert category.value == ["civilians"]
    assert S.value_label(S.SOURCE_KIND, "news_report") in at.multiselect(key="data_kind").options
    category.select("us_military").run()
    assert at.query_params["data_category"] == ["civilians", "us_military"]


def view_downloads(df, query):
    """The downloads of the Data & sources view for a link's query (what the app's buttons give)."""
    from figures import pages

    params = pages.params_of(df, "data")
    return pages.page("data").build(df, pages.parse_state(params, query)[0]).downloads


def test_a_long_selection_is_paged_and_the_download_keeps_every_row(frozen):
    from figures import pages

    copies = []
    for i in range(8):  # 8 x 138 figures: more than one page of the table
        copy = frozen.copy()
        copy[S.FIGURE_ID] = copy[S.FIGURE_ID] + f"-copy{i}"
        copy[S.SUPERSEDES] = pd.NA
        copies.append(copy)
    big = pd.concat(copies, ignore_index=True)
    params = pages.params_of(big, "data")
    (paging,) = [p for p in params if p.name == data_page.PAGE_KEY]
    assert paging.options({})[:2] == ("1", "2") and paging.label_of("2") == "1,001–2,000"
    state, bad = pages.parse_state(params, {data_page.PAGE_KEY: "2"})
    view = pages.page("data").build(big, state)
    assert not bad and len(view.tables[0].rows) == len(big) - data_page.PAGE_ROWS
    assert list(view.tables[0].rows[S.FIGURE_ID]) == list(big[S.FIGURE_ID][1000:])
    assert "page 2 of 2" in view.captions[0]
    (shown,) = [d for d in view.downloads if d.key == "data_dl_shown"]
    assert shown.content().count(b"\n") == len(big) + 1  # every row, not the page
    small = pages.page("data").build(frozen, pages.default_state(pages.params_of(frozen, "data")))
    assert data_page.PAGE_KEY not in {p.name for p in pages.params_of(frozen, "data")}
    assert len(small.tables[0].rows) == len(frozen)


def test_kind_of_source_is_worded_once_per_source_and_the_same_as_row_by_row(frozen):
    from figures import charts, pages

    assert pages.source_kind_texts(frozen) == [
        charts.source_kind_text(r) for _, r in frozen.iterrows()
    ]
    assert pages.source_kind_texts(frozen.iloc[:0]) == []
