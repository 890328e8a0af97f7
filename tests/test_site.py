"""The static snapshot: ``python -m figures export OUTDIR`` (figures/site.py).

The snapshot is made of tests/fixtures/figures.csv (``FIGURES_DATA``, set by tests/conftest.py);
tests/test_dataset.py checks that the shipped data builds every view.
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from figures import data, datapackage, export, site
from figures import schema as S
from tests.conftest import FIGURES, ROOT

DAY = datetime.date(2026, 3, 5)


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The snapshot of the figures fixture, made through the command line as `make export` does
    (the subprocess inherits ``FIGURES_DATA``)."""
    out = tmp_path_factory.mktemp("snapshot") / "site"
    r = subprocess.run(
        [sys.executable, "-m", "figures", "export", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    return out, r


@pytest.fixture(scope="module")
def frozen() -> pd.DataFrame:
    """tests/fixtures/figures.csv, which the snapshot is made of."""
    assert data.default_path() == FIGURES
    return data.load_figures(FIGURES)


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
        if tag == "link" and a.get("href"):
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


def test_export_has_an_index_and_a_page_per_view_linked_from_every_page(snapshot, built):
    out, _ = snapshot
    names = {p.name for p in pages(out)}
    assert site.INDEX in names and "overview.html" in names
    assert names == {site.INDEX} | {f"{v.slug}.html" for v in built}
    for p in pages(out):
        r = refs(p)
        local = {a for a in r.anchors if not a.startswith(("http://", "https://", "#"))}
        assert names <= local, p.name  # the menu links every page
        for a in local:
            assert (out / a).is_file(), f"{p.name} links to missing {a}"


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
    assert [p.name for p in out.rglob("*.js")] == ["plotly.min.js"]
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
def built(frozen) -> list[site.View]:
    """The views the registry builds from the figures fixture."""
    out = []
    for builder in site.VIEWS:
        try:
            view = builder(frozen)
        except site.Skipped:
            continue
        if view is not None:
            out.append(view)
    return out


def test_registry_has_a_page_for_each_view_of_the_app(built):
    slugs = {v.slug for v in built}
    assert {"overview", "compare-civilians", "over-time", "editions", "by-country"} <= slugs


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


def test_citations_appear_only_when_the_host_is_known(frozen):
    only = [site.overview_view]
    without = site.build(frozen, today=DAY, registry=only)
    assert b"Cite this page" not in without["overview.html"]
    hosted = site.build(
        frozen, today=DAY, base_url="https://figures.example.org/snap/", registry=only
    )
    page = hosted["overview.html"].decode()
    assert "Cite this page" in page
    assert "https://figures.example.org/snap/overview.html (accessed 5 March 2026)" in page


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
    try:
        for p in pages(out):
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
