"""The static snapshot: ``python -m figures export OUTDIR`` (figures/site.py).

The snapshot is made of tests/fixtures/figures.csv (``FIGURES_DATA``, set by tests/conftest.py);
tests/test_dataset.py checks that the shipped data builds every view.
"""

from __future__ import annotations

import datetime
import html
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from figures import cite, data, datapackage, export, site
from figures import pages as page_specs
from figures import schema as S
from tests.conftest import FIGURES, ROOT

DAY = datetime.date(2026, 3, 5)


BASE = "https://figures.example.org/snap/"
APP = "https://app.example.org/"


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The snapshot of the figures fixture, made through the command line as a publish workflow
    does (the subprocess inherits ``FIGURES_DATA``): hosted at ``BASE``, linking the app at
    ``APP``, with a dated copy of the version named after the data's date."""
    out = tmp_path_factory.mktemp("snapshot") / "site"
    r = subprocess.run(
        [sys.executable, "-m", "figures", "export", str(out)]
        + ["--base-url", BASE, "--app-url", APP, "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    return out, r


@pytest.fixture(scope="module")
def version(frozen) -> str:
    return site.default_version(frozen)


@pytest.fixture(scope="module")
def frozen() -> pd.DataFrame:
    """tests/fixtures/figures.csv, which the snapshot is made of."""
    assert data.default_path() == FIGURES
    return FROZEN


FROZEN = data.load_figures(FIGURES)


class _Refs(HTMLParser):
    """Every script src, link href, a href and img src of a page."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.links: list[str] = []
        self.anchors: list[str] = []
        self.charts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") != "canonical":  # canonical: no fetch
            self.links.append(a["href"])
        if tag == "a" and a.get("href"):
            self.anchors.append(a["href"])
        if tag == "img" and a.get("src"):
            self.scripts.append(a["src"])
        if tag == "div" and "plotly-graph-div" in (a.get("class") or ""):
            self.charts += 1


def refs(path: Path) -> _Refs:
    p = _Refs()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def pages(out: Path) -> list[Path]:
    return sorted(out.glob("*.html"))


def test_export_csv_is_the_flat_download_of_the_data(snapshot, frozen):
    out, _ = snapshot
    assert (out / site.CSV_NAME).read_bytes() == export.csv_bytes(frozen)


def test_export_datapackage_is_the_descriptor_and_matches_the_schema(snapshot, frozen):
    out, _ = snapshot
    dp = json.loads((out / site.DATAPACKAGE_NAME).read_text(encoding="utf-8"))
    assert dp == datapackage.descriptor(frozen, layout="flat")
    (resource,) = dp["resources"]
    assert resource["path"] == site.CSV_NAME
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == list(S.ALL)
    kinds = {"int": "integer", "date": "date"}
    for f, c in zip(fields, S.COLUMNS, strict=True):
        assert f["type"] == kinds.get(c.kind, "string"), c.name
        assert f.get("constraints", {}).get("enum", []) == list(c.allowed), c.name


def test_export_has_an_index_and_a_page_per_view_linked_from_the_index(snapshot, built, frozen):
    out, _ = snapshot
    names = {p.name for p in pages(out)}
    assert site.INDEX in names and "overview.html" in names
    assert names == {site.INDEX} | {f"{b.slug}.html" for b in built}
    index = refs(out / site.INDEX)
    assert names - {site.INDEX} <= set(index.anchors)  # the index lists every view
    first = {b.page: b.slug for b in reversed(built)}  # each page's first view: its default
    defaults = {f"{slug}.html" for slug in first.values()}
    for p in [*pages(out), *sorted((out / "v").rglob("*.html"))]:
        r = refs(p)
        local = {a.split("#")[0] for a in r.anchors if not a.startswith(("http", "#"))}
        assert {site.INDEX} | defaults <= {Path(a).name for a in local}, p.name  # the menu
        for a in local:
            assert (p.parent / a).resolve().is_file(), f"{p.name} links to missing {a}"


def test_no_script_or_stylesheet_comes_from_the_network(snapshot):
    out, _ = snapshot
    for p in pages(out):
        r = refs(p)
        for url in r.scripts + r.links:
            assert not url.lower().startswith(("http:", "https:", "//")), (p.name, url)
            assert (out / url).is_file(), (p.name, url)


def test_plotly_js_is_shipped_once_from_the_installed_package(snapshot):
    from plotly.offline import get_plotlyjs

    out, _ = snapshot
    assert (out / site.PLOTLY_JS).read_text(encoding="utf-8") == get_plotlyjs()
    shipped = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.js"))
    assert shipped == [site.PLOTLY_JS, f"v/{site.default_version(FROZEN)}/{site.PLOTLY_JS}"]
    for p in pages(out):
        assert p.stat().st_size < 1_000_000, f"{p.name} seems to inline plotly.js"
        r = refs(p)
        assert r.scripts == ([site.PLOTLY_JS] if r.charts else []), p.name


def test_overview_page_has_the_chart_its_alt_text_sources_and_caveats(snapshot, frozen):
    out, _ = snapshot
    page = (out / "overview.html").read_text(encoding="utf-8")
    assert refs(out / "overview.html").charts == 1
    assert 'role="img" aria-label="Horizontal bar chart' in page
    assert "Sources and caveats" in page and "Caveat:" in page
    assert '<a href="https://' in page
    assert "Table of the figures shown" in page


def test_export_prints_one_progress_line_per_page(snapshot):
    out, r = snapshot
    lines = r.stderr.splitlines()
    n = len(pages(out))
    assert lines == [f"[{i}/{n}] {name}" for i, name in enumerate(_order(lines), start=1)]
    assert "wrote" in r.stdout


def _order(lines: list[str]) -> list[str]:
    return [line.split("] ", 1)[1] for line in lines]


@pytest.fixture(scope="module")
def built(frozen) -> list[site.Built]:
    """The views the snapshot draws from the figures fixture (its canonical views)."""
    out, params = [], {}
    for builder in site.canonical_views(frozen):
        try:
            b = site._resolve(builder, frozen, params)
        except site.Skipped:
            continue
        if b is not None:
            out.append(b)
    return out


def test_registry_has_a_page_for_each_view_of_the_app(built):
    slugs = {b.slug for b in built}
    assert {"overview", "compare-civilians", "over-time", "editions", "by-country"} <= slugs


def test_every_canonical_choice_has_its_own_stable_slug(built, frozen):
    from figures import claims, compare, views

    slugs = [b.slug for b in built]
    assert len(slugs) == len(set(slugs))
    # each category on Compare sources (at its default measure, and each other measure)
    for cat in compare.categories(frozen):
        assert f"compare-{cat.replace('_', '-')}.html" in {f"{s}.html" for s in slugs}, cat
    assert "compare-civilians-injured" in slugs and "compare-civilians-all-measures" in slugs
    # each claim of the Article check, each source list By country
    for c in claims.load_claims(frozen):
        assert f"article-check-{site.slugify(c.claim_id)}" in slugs
    for key in views.country_source_lists(frozen):
        assert f"by-country-{site.slugify(key)}" in slugs
    assert {"over-time-first-published", "by-country-with-us"} <= set(slugs)
    # a slug is made of ids, never of labels that change with the data's wording
    assert all(site._SLUG.match(s) for s in slugs)


def test_each_view_is_named_by_its_choices(built):
    by_slug = {b.slug: b for b in built}
    assert by_slug["compare-civilians-injured"].title == (
        "Compare sources: Afghan civilians; injured; Totals over more than a year"
    )
    assert by_slug["by-country-with-us"].title.endswith("; Include the United States")
    assert by_slug["editions"].name.startswith("Afghan security forces; Year 2011")
    claim = next(b for b in built if b.slug.startswith("article-check-"))
    assert claim.title == f"Article check: {claim.name}" and claim.name


def test_app_query_round_trips_every_view_state(built, frozen):
    for b in built:
        params = page_specs.params_of(frozen, b.page)
        query = site.app_query(params, b.state)
        assert dict(b.query) == dict(query)
        state, bad = page_specs.parse_state(params, site.query_dict(query))
        assert bad == [] and state == dict(b.state), b.slug
        defaults = page_specs.default_state(params)
        assert {k for k, _ in query} == {k for k in state if state[k] != defaults[k]}, b.slug


def test_app_pages_match_the_app_navigation():
    """site.APP_PAGES names each app page's module, URL path and title as app.py does."""
    import ast

    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "page" and node.args:
            module, title, path = (getattr(a, "value", None) for a in node.args[:3])
            default = any(k.arg == "default" and k.value.value for k in node.keywords)
            found.append((module, "" if default else path, title))
    assert [f for f in found if f[0] in page_specs.NAMES] == list(site.APP_PAGES)


def test_article_check_page_lists_every_claim_with_its_verdict(snapshot, frozen):
    try:
        from figures import claims
    except ImportError:
        pytest.skip("figures/claims.py is not there yet: the index names the missing page")
    out, _ = snapshot
    page = (out / "article-check.html").read_text(encoding="utf-8")
    verdicts = claims.evaluate_all(claims.load_claims(frozen), frozen)
    assert site.esc("The article's numbers and what the sources say") in page
    for v in verdicts:
        assert site.esc(v.badge) in page
    assert "Sources and caveats" in page


def test_a_page_that_cannot_be_built_is_named_on_the_index(frozen):
    def missing(df):
        raise site.Skipped("Article check (figures/claims.py is not available)")

    files = site.build(frozen, today=DAY, registry=[site.overview_view, missing])
    index = files[site.INDEX].decode()
    assert "Not in this snapshot" in index
    assert "Article check (figures/claims.py is not available)" in index
    assert "overview.html" in files


def test_data_text_is_escaped_and_only_http_urls_become_links(frozen):
    rows = frozen.copy()
    rows[S.PUBLISHER] = rows[S.PUBLISHER].astype(object)
    first = views_first(rows)
    rows.loc[first, S.PUBLISHER] = "<img src=x onerror=alert(1)> & Co"
    rows.loc[first, S.CAVEAT] = "</script><script>alert(2)</script>"
    rows.loc[first, S.SOURCE_URL] = "javascript:alert(3)"
    rows = rows.astype({S.PUBLISHER: "string"})
    files = site.build(rows, today=DAY, csv=b"", registry=[site.overview_view])
    page = files["overview.html"].decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; &amp; Co" in page
    assert "<script>alert(2)" not in page
    assert 'href="javascript:' not in page
    assert refs_text(page).scripts == [site.PLOTLY_JS]


def views_first(df: pd.DataFrame):
    """Index of the overview's first bar in ``df``."""
    from figures import views

    fid = views.overview_rows(df)[S.FIGURE_ID].iloc[0]
    return df.index[df[S.FIGURE_ID] == fid][0]


def refs_text(page: str) -> _Refs:
    p = _Refs()
    p.feed(page)
    return p


def test_adding_a_view_is_one_function_in_the_registry(frozen):
    def civilians(df):
        rows = df[df[S.CATEGORY] == "civilians"].head(3)
        return site.View(
            slug="civilians",
            title="Civilians",
            intro="Three rows.",
            figures=rows,
            tables=(site.Table(rows, site.TABLE_COLUMNS),),
        )

    files = site.build(frozen, today=DAY, registry=[site.overview_view, civilians])
    assert "civilians.html" in files
    assert b'href="civilians.html"' in files["overview.html"]
    assert b"Sources and caveats" in files["civilians.html"]
    assert b"plotly.min.js" not in files["civilians.html"]  # no chart, no plotly.js


def test_views_must_have_distinct_slugs(frozen):
    with pytest.raises(ValueError, match="share the slug"):
        site.build(frozen, registry=[site.overview_view, site.overview_view])


def test_citations_name_the_version_and_the_address_only_when_known(frozen):
    only = [site.overview_view]
    without = site.build(frozen, today=DAY, registry=only, version="2025-12-20").get
    page = without("overview.html").decode()
    assert "Cite this page" in page and "version 2025-12-20 (5 March 2026)" in page
    assert "https://" not in page.split('id="cite"')[1].split("</details>")[0]
    hosted = site.build(
        frozen, today=DAY, base_url="https://figures.example.org/snap", registry=only
    )
    page = hosted["overview.html"].decode()
    assert "Cite this page" in page
    assert "Licence: CC BY 4.0. https://figures.example.org/snap/overview.html</p>" in page


def test_export_of_a_bad_file_exits_1_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(FIGURES.read_text(encoding="utf-8").replace(",estimate,", ",guess,", 1))
    shutil.copy(FIGURES.with_name("sources.csv"), tmp_path / "sources.csv")
    r = subprocess.run(
        [sys.executable, "-m", "figures", "export", str(tmp_path / "out"), "--data", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 1
    assert "method: must be one of" in r.stderr
    assert not (tmp_path / "out").exists()


class _Head(HTMLParser):
    """The <title>, <meta>, canonical link and JSON-LD blocks of a page."""

    def __init__(self):
        super().__init__()
        self.title = ""
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.jsonld: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "content" in a:
            self.meta[a.get("property") or a.get("name")] = a["content"]
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]
        if tag == "title" or (tag == "script" and a.get("type") == "application/ld+json"):
            self._in = tag
            if tag == "script":
                self.jsonld.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data_):
        if self._in == "title":
            self.title += data_
        elif self._in == "script":
            self.jsonld[-1] += data_


def head(path: Path) -> _Head:
    h = _Head()
    h.feed(path.read_text(encoding="utf-8"))
    return h


def test_every_page_has_a_title_description_and_open_graph_tags_naming_its_view(snapshot, built):
    out, _ = snapshot
    by_file = {f"{b.slug}.html": b for b in built}
    for p in pages(out):
        h = head(p)
        url = BASE + ("" if p.name == site.INDEX else p.name)
        assert h.meta["og:url"] == url and h.canonical == url, p.name
        assert h.meta["og:type"] == "website"
        assert h.meta["description"] == h.meta["og:description"] and h.meta["description"]
        assert len(h.meta["description"]) <= 300
        if p.name in by_file:
            b = by_file[p.name]
            assert h.title.startswith(b.title + " — ") and h.meta["og:title"] == b.title
            assert h.meta["description"].startswith(b.title[:200])
    claim = next(b for b in built if b.slug.startswith("article-check-") and b.view.all_charts)
    assert "Verdict: " in head(out / f"{claim.slug}.html").meta["description"]


def test_open_graph_url_only_when_the_address_is_known(frozen):
    page = site.build(frozen, today=DAY, registry=[site.overview_view])["overview.html"].decode()
    assert 'property="og:title"' in page and "og:url" not in page and "canonical" not in page


def test_each_view_has_its_own_csv_and_json_of_the_figures_it_shows(snapshot, built, frozen):
    out, _ = snapshot
    header, lines = export.csv_lines(frozen)
    line_of = dict(zip(frozen[S.FIGURE_ID], lines, strict=True))
    records = dict(zip(frozen[S.FIGURE_ID], export.records(frozen), strict=True))
    for b in built:
        shown = list(dict.fromkeys(b.view.figure_ids))
        csv_ = (out / f"{b.slug}.csv").read_text(encoding="utf-8")
        assert csv_ == "\n".join([header] + [line_of[f] for f in shown]) + "\n", b.slug
        doc = json.loads((out / f"{b.slug}.json").read_text(encoding="utf-8"))
        assert [r[S.FIGURE_ID] for r in doc["figures"]] == shown
        assert doc["figures"] == [records[f] for f in shown]
        assert (
            doc["columns"]
            == export.columns(frozen)
            == list(doc["figures"][0] if shown else doc["columns"])
        )
        assert doc["title"] == b.title and doc["page"] == b.page and doc["licence"] == "CC BY 4.0"
        assert doc["url"] == f"{BASE}{b.slug}.html"
        assert doc["version"] == site.default_version(frozen)
        page = (out / f"{b.slug}.html").read_text(encoding="utf-8")
        assert f'<a href="{b.slug}.csv" download>CSV</a>' in page
        assert f'<a href="{b.slug}.json">JSON</a>' in page
    assert any(len(b.view.figure_ids) > 1 for b in built)


def test_records_keep_numbers_as_numbers_and_text_as_written(frozen):
    rows = frozen.head(3).copy()
    rows[S.CAVEAT] = rows[S.CAVEAT].astype(object)
    rows.loc[rows.index[0], S.CAVEAT] = "=1+1"
    recs = export.records(rows)
    assert recs[0][S.CAVEAT] == "=1+1"  # no spreadsheet quote in JSON
    assert isinstance(recs[0][S.PERIOD_START], str) and len(recs[0][S.PERIOD_START]) == 10
    assert all(r[S.VALUE] is None or isinstance(r[S.VALUE], int) for r in recs)
    assert list(recs[0]) == export.columns(rows)
    json.dumps(recs)  # JSON-ready


def test_every_chart_has_a_footer_with_sources_licence_link_and_data_date(snapshot, built, frozen):
    out, _ = snapshot
    day = cite_date(frozen)
    for b in built:
        page = (out / f"{b.slug}.html").read_text(encoding="utf-8")
        footers = re.findall(r'<p class="chart-footer">(.*?)</p>', page, re.S)
        assert len(footers) == len(b.view.all_charts), b.slug
        for f in footers:
            assert "Sources: " in f and "Licence: CC BY 4.0." in f, b.slug
            assert f"Data as of {day}" in f
            assert f'<a href="{BASE}{b.slug}.html">' in f


def cite_date(df) -> str:
    from figures.charts import fmt_date

    return fmt_date(pd.Timestamp(df[S.PUBLISHED].max()))


def test_each_page_opens_the_app_on_the_same_view(snapshot, built, frozen):
    from urllib.parse import parse_qsl, urlsplit

    out, _ = snapshot
    for b in built:
        page = (out / f"{b.slug}.html").read_text(encoding="utf-8")
        (link,) = re.findall(r'<a href="([^"]+)"[^>]*>Open the interactive version</a>', page)
        url = urlsplit(html.unescape(link))
        assert f"{url.scheme}://{url.netloc}/" == APP
        assert url.path.strip("/") == site.APP_PATH[b.page], b.slug
        params = page_specs.params_of(frozen, b.page)
        state, bad = page_specs.parse_state(params, site.query_dict(parse_qsl(url.query)))
        assert bad == [] and state == dict(b.state), b.slug
    no_app = site.build(frozen, today=DAY, registry=[site.overview_view])["overview.html"]
    assert b"interactive version" not in no_app


def test_a_dated_version_is_written_beside_the_latest_and_each_links_the_other(
    snapshot, built, version
):
    out, r = snapshot
    assert version == "2025-12-20" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", version)
    dated = out / "v" / version
    assert f"dated copy: {dated}" in r.stdout
    for name in [
        site.INDEX,
        *(f"{b.slug}.{ext}" for b in built for ext in ("html", "csv", "json")),
    ]:
        assert (dated / name).is_file(), name
    assert (dated / site.CSV_NAME).read_bytes() == (out / site.CSV_NAME).read_bytes()
    for b in built[:5] + built[-3:]:
        latest = (out / f"{b.slug}.html").read_text(encoding="utf-8")
        old = (dated / f"{b.slug}.html").read_text(encoding="utf-8")
        assert f'<a href="v/{version}/{b.slug}.html">this version</a>' in latest
        assert f'<a href="{b.slug}.html" aria-current="page">latest</a>' in latest
        assert f'<a href="{b.slug}.html" aria-current="page">this version</a>' in old
        assert f'<a href="../../{b.slug}.html">latest</a>' in old
        for page in (latest, old):  # both cite the dated copy, whose address never changes
            assert f"version {version} (" in page
            assert f"{BASE}v/{version}/{b.slug}.html</p>" in page
            assert f"version = {{{version}}}," in html.unescape(page)
        assert head(dated / f"{b.slug}.html").canonical == f"{BASE}{b.slug}.html"
        assert head(dated / f"{b.slug}.html").meta["og:url"] == f"{BASE}v/{version}/{b.slug}.html"


def test_without_version_there_is_no_dated_copy_and_the_version_is_the_data_date(frozen):
    files = site.build(frozen, today=DAY, registry=[site.overview_view])
    assert not [f for f in files if f.startswith("v/")]
    page = files["overview.html"].decode()
    assert f"Version {site.default_version(frozen)}" in page and "this version" not in page
    named = site.build(frozen, today=DAY, registry=[site.overview_view], version="v1", archive=True)
    assert "v/v1/overview.html" in named and b"version v1" in named["overview.html"]


def test_sitemap_and_robots_only_with_a_base_url(snapshot, built, frozen):
    out, _ = snapshot
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.fromstring(sitemap).findall("s:url/s:loc", ns)]
    assert locs == [BASE] + [f"{BASE}{b.slug}.html" for g in site._groups(built) for b in g[2]]
    assert (out / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"
    )
    plain = site.build(frozen, today=DAY, registry=[site.overview_view])
    assert "sitemap.xml" not in plain and "robots.txt" not in plain


def test_index_lists_every_view_grouped_by_page(snapshot, built):
    out, _ = snapshot
    index = (out / site.INDEX).read_text(encoding="utf-8")
    groups = site._groups(built)
    assert [t for _, t, _ in groups][:3] == ["Overview", "Compare sources", "Over time"]
    at = 0
    for _, title, views in groups:
        at = index.index(f"<h3>{site.esc(title)}</h3>", at)
        for b in views:
            assert f'<li><a href="{b.slug}.html">{site.esc(b.name or b.title)}</a>' in index


# --- JSON-LD --------------------------------------------------------------------------------------


def jsonld_blocks(out: Path) -> dict[str, list[dict]]:
    """Every JSON-LD block of the export, parsed, by page (relative path)."""
    found = {}
    for p in sorted(out.rglob("*.html")):
        raw = head(p).jsonld
        for block in raw:
            assert "</" not in block and "<!--" not in block, p
        found[p.relative_to(out).as_posix()] = [json.loads(b) for b in raw]
    return found


def test_the_index_carries_the_dataset_json_ld(snapshot, frozen, version):
    out, _ = snapshot
    blocks = jsonld_blocks(out)
    for where, prefix in ((site.INDEX, ""), (f"v/{version}/{site.INDEX}", f"v/{version}/")):
        (ds,) = blocks[where]
        assert ds["@context"] == "https://schema.org" and ds["@type"] == "Dataset"
        assert ds["name"] == datapackage.TITLE and ds["description"] == datapackage.DESCRIPTION
        assert ds["license"] == datapackage.LICENSE["path"]
        assert ds["creator"] == {"@type": "Organization", "name": cite.AUTHOR}
        assert ds["temporalCoverage"] == "2001/2021"
        assert ds["spatialCoverage"] == {"@type": "Place", "name": "Afghanistan"}
        assert ds["url"] == BASE + prefix and ds["version"] == version
        names = {v["name"] for v in ds["variableMeasured"]}
        assert "Afghan civilians: killed" in names
        assert len(names) == len(frozen[[S.CATEGORY, S.MEASURE]].drop_duplicates())
        dist = {d["encodingFormat"]: d["contentUrl"] for d in ds["distribution"]}
        assert dist == {
            "text/csv": f"{BASE}{prefix}{site.CSV_NAME}",
            "application/json": f"{BASE}{prefix}{site.DATAPACKAGE_NAME}",
        }
        sources = frozen.drop_duplicates(S.SOURCE_ID)
        assert [d["url"] for d in ds["isBasedOn"]] == list(sources[S.SOURCE_URL])
        first = ds["isBasedOn"][0]
        assert first["@type"] == "CreativeWork" and first["name"] == sources[S.SOURCE_TITLE].iloc[0]
        assert first["publisher"]["name"] == sources[S.PUBLISHER].iloc[0]
    assert not [
        p
        for p, b in blocks.items()
        if any(x["@type"] == "Dataset" for x in b) and not p.endswith(site.INDEX)
    ]


def test_one_claim_review_per_checked_claim_on_its_own_page(snapshot, frozen):
    from figures import claims, jsonld

    out, _ = snapshot
    blocks = jsonld_blocks(out)
    reviews = {p: b for p, bs in blocks.items() for b in bs if b["@type"] == "ClaimReview"}
    verdicts = claims.evaluate_all(claims.load_claims(frozen), frozen)
    checked = [v for v in verdicts if v.comparisons]
    assert checked
    latest = {p: r for p, r in reviews.items() if not p.startswith("v/")}
    assert sorted(latest) == sorted(
        f"article-check-{site.slugify(v.claim.claim_id)}.html" for v in checked
    )
    assert len(reviews) == 2 * len(checked)  # and the same in the dated copy
    for v in checked:
        page = f"article-check-{site.slugify(v.claim.claim_id)}.html"
        r = latest[page]
        assert r["@context"] == "https://schema.org" and r["url"] == BASE + page
        assert v.claim.claim in r["claimReviewed"] and v.claim.words in r["claimReviewed"]
        item = r["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["appearance"]["headline"] == jsonld.ARTICLE["headline"]
        assert item["appearance"]["datePublished"] == "2020-02-21"
        assert r["reviewRating"]["@type"] == "Rating"
        assert r["reviewRating"]["alternateName"] == jsonld.verdict_words(v.badge)
        assert r["reviewRating"]["alternateName"][0].isalpha()
        assert r["author"]["name"] == cite.AUTHOR and r["reviewBody"] == v.explanation
        cited = [q["identifier"] for q in r["citation"]]
        for row, _ in v.comparisons:
            assert row[S.FIGURE_ID] in cited
        for q in r["citation"]:
            row = frozen[frozen[S.FIGURE_ID] == q["identifier"]].iloc[0]
            assert q["@type"] == "Quotation" and q["text"] == row[S.EXCERPT].strip()
            assert q["isPartOf"]["url"] == row[S.SOURCE_URL]
            assert q["isPartOf"]["publisher"]["name"] == row[S.PUBLISHER]


def test_quotes_link_to_the_quoted_text(snapshot, frozen):
    out, _ = snapshot
    page = (out / "overview.html").read_text(encoding="utf-8")
    links = [html.unescape(u) for u in re.findall(r'class="quote-link" href="([^"]+)"', page)]
    assert links and all("#:~:text=" in u or "#page=" in u for u in links)
    for fid, link in zip(re.findall(r'<li data-figure="([^"]+)"', page), links, strict=False):
        row = frozen[frozen[S.FIGURE_ID] == fid].iloc[0]
        assert link == cite.quote_link(row[S.SOURCE_URL], row[S.EXCERPT], row[S.LOCATOR])


def test_json_ld_cannot_be_closed_by_data_text(frozen):
    from figures import claims

    rows = frozen.copy()
    for col in (S.PUBLISHER, S.SOURCE_TITLE, S.EXCERPT):
        rows[col] = rows[col].astype(object) + "</script><script>alert(1)</script><!--"
    files = site.build(rows, today=DAY, csv=b"", registry=[site.overview_view])
    index = files[site.INDEX].decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', index, re.S)
    assert "<" not in block and ">" not in block
    ds = json.loads(block)
    assert ds["isBasedOn"][0]["name"].endswith("</script><script>alert(1)</script><!--")
    del claims


@pytest.mark.browser
def test_every_exported_page_draws_its_charts_from_disk_with_the_network_blocked(snapshot, browser):
    out, _ = snapshot
    escaped: list[str] = []

    def only_files(route):
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            escaped.append(url)
            route.abort()

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.route("**/*", only_files)
    page = ctx.new_page()
    requested: list[str] = []
    page.on("request", lambda req: requested.append(req.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    dated = sorted((out / "v").glob("*/*.html"))
    try:
        for p in [*pages(out), *dated[:2]]:  # every page, and pages of the dated copy
            n = refs(p).charts
            page.goto(p.resolve().as_uri(), wait_until="load")
            if n:
                page.wait_for_function(
                    f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n}",
                    timeout=30_000,
                )
                drawn = page.locator(".js-plotly-plot").count()
                assert drawn == n, f"{p.name}: {drawn} of {n} charts drawn"
                traces = page.evaluate(
                    "() => [...document.querySelectorAll('.js-plotly-plot')]"
                    ".map(d => d.querySelectorAll('.main-svg .trace').length)"
                )
                assert all(t > 0 for t in traces), f"{p.name}: a chart has no marks {traces}"
            assert page.locator("h1").count() == 1, p.name
    finally:
        ctx.close()
    assert errors == []
    assert escaped == []
    outside = [u for u in requested if not u.startswith(("file://", "data:", "blob:"))]
    assert outside == []


def test_site_and_cite_import_without_streamlit():
    code = (
        "import builtins\n"
        "real = builtins.__import__\n"
        "def guard(name, *a, **k):\n"
        "    if name.split('.')[0] == 'streamlit': raise ImportError('streamlit imported')\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = guard\n"
        "import figures.site, figures.cite\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--version", "../x"], "a version is"),
        (["--app-url", "javascript:alert(1)"], "the app's address must be an http(s) URL"),
    ],
)
def test_export_refuses_a_bad_version_or_app_url_with_exit_2(tmp_path, args, message):
    r = subprocess.run(
        [sys.executable, "-m", "figures", "export", str(tmp_path / "out"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 2 and message in r.stderr
    assert not (tmp_path / "out").exists()


def test_export_version_flag_takes_a_name(tmp_path, frozen):
    from figures.__main__ import build_parser

    args = build_parser().parse_args(["export", str(tmp_path), "--version", "2026-q1"])
    assert args.version == "2026-q1"
    bare = build_parser().parse_args(["export", str(tmp_path), "--version"])
    assert bare.version is not None and bare.version != "2026-q1"
    assert build_parser().parse_args(["export", str(tmp_path)]).version is None
