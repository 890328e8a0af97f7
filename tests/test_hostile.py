"""Hostile text in the data file renders as inert text: no script runs, no request leaves.

Unit tests pin ``figures.text`` (the single path for data into Markdown) and the Plotly text
escaping; the browser test serves a copy of tests/fixtures/figures.csv whose text fields carry HTML, script,
event handlers, Markdown links and images, and opens every page in Chromium while recording
every request the page makes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from figures import charts, text
from figures import schema as S
from figures.data import parse_figures
from tests.conftest import FIGURES, flat_fixture_text

EVIL = "evil.example"

#: Each payload, if it ever ran or loaded, would set window.__pwned or fetch from evil.example.
PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    f'<img src="http://{EVIL}/img.png">',
    "<svg onload=window.__pwned=3>",
    '<a href="javascript:window.__pwned=4">js link</a>',
    "[md js link](javascript:window.__pwned=5)",
    "[md data link](data:text/html,<script>window.__pwned=6</script>)",
    f"![md image](http://{EVIL}/p.png)",
    f'<iframe src="http://{EVIL}/frame"></iframe>',
    '<div onmouseover="window.__pwned=7" style="position:fixed;inset:0">hover me</div>',
    f'<span style="background:url(http://{EVIL}/s.png)">styled</span>',
    f'<a href="http://{EVIL}/">plotly link</a>',
    f"<link rel=stylesheet href=http://{EVIL}/c.css>",
    f"<style>body{{background:url(http://{EVIL}/b.png)}}</style>",
    "$\\href{javascript:window.__pwned=8}{tex link}$",
    f"[ref link][r]\n\n[r]: http://{EVIL}/ref",
    f"<http://{EVIL}/autolink>",
    f"bare http://{EVIL}/bare and www.{EVIL}/www and mail admin@{EVIL}",
    "<b>bold</b> &amp; &lt;i&gt;",
    '=HYPERLINK("http://evil.example/","click")',
]

#: Per text column: the room left for payloads (the schema's max_length).
HOSTILE_COLUMNS = [
    S.PUBLISHER,
    S.SOURCE_TITLE,
    S.EXCERPT,
    S.CAVEAT,
    S.NATIONALITY,
    S.EDITION,
    S.COUNTING_RULE,
    S.DOSSIER_REF,
]


def _fill(original: str, start: int, limit: int) -> str:
    """``original`` plus as many payloads (from ``start``, cycling) as fit in ``limit``."""
    out = original
    for i in range(len(PAYLOADS)):
        p = PAYLOADS[(start + i) % len(PAYLOADS)]
        if len(out) + 1 + len(p) > limit:
            break
        out = f"{out} {p}" if out else p
    return out


def hostile_csv() -> str:
    """The figures fixture, every text field laced with payloads (same payload per distinct value)."""
    reader = csv.DictReader(io.StringIO(flat_fixture_text(), newline=""))
    header = list(reader.fieldnames or [])
    rows = list(reader)
    for col in HOSTILE_COLUMNS:
        limit = S.BY_NAME[col].max_length or 200
        values = sorted({r[col] for r in rows})
        mapped = {v: _fill(v, i, limit) for i, v in enumerate(values)}
        for r in rows:
            r[col] = mapped[r[col]]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def test_hostile_data_is_valid_and_carries_every_payload():
    csv_text = hostile_csv()
    df = parse_figures(csv_text, "hostile.csv")  # the contract does not forbid any of this text
    assert len(df) == len(FIGURES.read_text(encoding="utf-8").splitlines()) - 1  # every row
    assert len(df) >= 100
    everything = "\n".join(df[HOSTILE_COLUMNS].astype(str).stack())
    for p in PAYLOADS:
        assert p.split("\n")[0] in everything, p


# --- figures.text: the only path for data into Markdown ---------------------------------------

MD_ACTIVE = re.compile(r"(?<!\\)[<>\[\]()`*_#!|~$:&=]")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_md_escape_leaves_no_active_markdown_or_html(payload):
    escaped = text.md_escape(payload)
    assert not MD_ACTIVE.search(escaped), escaped
    assert "\n" not in escaped  # a newline would start a new Markdown block


def test_md_escape_keeps_the_words_readable():
    assert text.md_escape("Costs of War (Brown)") == r"Costs of War \(Brown\)"
    assert text.md_escape(None) == ""
    assert text.md_escape(float("nan")) == ""
    assert text.md_escape(pd.NA) == ""


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "\tjavascript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "//evil.example/x",
        "/relative/path",
        "http:evil.example",
        "https://",
        "https://example.org/a b",
        "https://example.org/<script>",
        'https://example.org/"onmouseover="x',
        "https://example.org/x)](javascript:alert(1)",
        "https://example.org/\u202egnp.exe",
        "https://example.org/\u200bx",
        "https://example.org\\@evil.example/",
        "",
        None,
        float("nan"),
        42,
    ],
)
def test_only_plain_http_urls_become_links(url):
    assert text.safe_url(url) is None
    link = text.md_link("label [x](javascript:y)", url)
    assert "](" not in link.replace(r"\]\(", "")  # no Markdown link, only the escaped label


@pytest.mark.parametrize(
    "url", ["https://www.unama.org/report.pdf", "http://icasualties.org/?q=1#top"]
)
def test_http_and_https_urls_become_links(url):
    assert text.safe_url(url) == url
    assert text.md_link("UNAMA", url) == f"[UNAMA]({url})"


def test_sources_markdown_of_hostile_rows_is_inert():
    df = parse_figures(hostile_csv(), "hostile.csv")
    md = text.sources_markdown(df.head(60))
    links = re.findall(r"(?<!\\)\]\(([^)]*)\)", md)
    assert links, "real sources still link"
    assert all(u.startswith(("http://", "https://")) and EVIL not in u for u in links), links
    assert not re.search(r"(?<!\\)[<>]", md)  # every < and > is escaped
    assert r"\<script\>window" in md  # shown as text


# --- Plotly text ------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plotly_escape_leaves_no_tag_but_bold(payload):
    out = charts._escape(payload)
    tags = re.findall(r"<[^>]*>", out)
    assert set(tags) <= {"<b>", "</b>"}, tags  # Plotly's own markup only; never attributes


def test_hover_text_of_hostile_rows_has_no_tag_from_the_data():
    df = parse_figures(hostile_csv(), "hostile.csv")
    for _, row in df.head(40).iterrows():
        hover = charts._hover(row)
        tags = set(re.findall(r"<[^>]*>", hover))
        assert tags <= {"<b>", "</b>", "<br>"}, tags


def test_plotly_inert_text_keeps_only_plain_formatting_tags():
    assert charts.inert_text("<b>x</b><br>y<sup>2</sup><extra></extra>") == (
        "<b>x</b><br>y<sup>2</sup><extra></extra>"
    )
    for bad in [
        '<a href="http://evil.example/">x</a>',
        '<span style="background:url(http://evil.example/s.png)">x</span>',
        "<img src=x onerror=alert(1)>",
        '<b onclick="alert(1)">x</b>',
        "<B\nstyle=x>",
        "<script>alert(1)</script>",
    ]:
        out = charts.inert_text(bad)
        assert not re.search(r"<(?!/?(b|i|em|sup|sub|br|extra)>)", out, re.I), out


def test_inert_figure_neutralises_data_text_a_builder_forgot_to_escape():
    import plotly.graph_objects as go

    evil = f'<a href="http://{EVIL}/">click</a> <span style="color:red">x</span>'
    fig = go.Figure(go.Bar(x=[1], y=[evil], name=evil, text=[evil], hovertext=[evil]))
    fig.update_layout(title=evil, annotations=[{"text": evil, "showarrow": False}])
    clean = charts.inert_figure(fig).to_plotly_json()
    dumped = repr(clean)
    assert "<a " not in dumped and "<span" not in dumped
    assert clean["data"][0]["y"][0] == clean["data"][0]["text"][0]  # categories stay aligned
    plain = go.Figure(go.Bar(x=[1], y=["US military"], hovertext=["<b>US</b><br>2,401"]))
    assert charts.inert_figure(plain) is plain  # nothing to change: the same object


def test_md_escape_never_lets_a_bare_url_or_address_become_a_link():
    # GitHub-flavoured Markdown links bare URLs and e-mail addresses after escapes are resolved.
    out = text.md_escape(f"see http://{EVIL}/x, https://{EVIL}, www.{EVIL} and me@{EVIL}")
    plain = out.replace("\\", "")
    assert not re.search(r"(?i)(https?://|www\.|@[a-z0-9])", plain), plain
    assert (
        plain.replace("\u2060", "")
        == f"see http://{EVIL}/x, https://{EVIL}, www.{EVIL} and me@{EVIL}"
    )


def test_nothing_renders_raw_html_or_accepts_uploads():
    from tests.conftest import ROOT

    sources = [ROOT / "app.py", *sorted((ROOT / "figures").rglob("*.py"))]
    #: The only HTML the app writes itself: files of figures/ui/templates (a static stylesheet,
    #: the chart component's preload, the chart actions and the copy boxes rendered by Jinja2
    #: with autoescape: see the tests below and tests/test_share.py).
    allowed_html = {
        "common.py": [
            'st.html(Path(__file__).with_name("templates") / "app.css")',
            "st.html(template.render(chunk=_PLOTLY_CHUNK), unsafe_allow_javascript=True)",
        ],
        "render.py": ['st.html(\n            _TEMPLATES.get_template("chart_actions.html.j2")'],
        "html.py": ["st.html(copy_text_html(text, key, label), unsafe_allow_javascript=True)"],
    }
    for path in sources:
        code = path.read_text(encoding="utf-8")
        for allowed in allowed_html.get(path.name, []):
            assert allowed.replace("\\n", "\n") in code, (path.name, allowed)
            code = code.replace(allowed.replace("\\n", "\n"), "")
        for forbidden in [
            "unsafe_allow_html" + "=True",
            "st.html(",
            "components.html(",
            "components.iframe(",
            "file_uploader(",
            "camera_input(",
        ]:
            assert forbidden not in code, f"{path.name}: {forbidden}"


def test_chart_actions_html_escapes_every_value_it_is_given():
    from html.parser import HTMLParser

    from figures.ui import render

    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    html = render._TEMPLATES.get_template("chart_actions.html.j2").render(
        dom_id="actions-" + hostile,
        chart_key=hostile,
        link="https://x.org/?" + hostile,
        filename=hostile,
    )

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

    parser = Tags()
    parser.feed(html)
    assert parser.tags.count("script") == 1 and "img" not in parser.tags  # only our own script
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_downloaded_csv_neutralises_spreadsheet_formulas():
    export = pytest.importorskip("figures.export")
    df = parse_figures(hostile_csv(), "hostile.csv")
    formulas = ['=HYPERLINK("http://evil.example/","x")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1"]
    for i, f in enumerate(formulas):
        df.loc[i, S.PUBLISHER] = f
        df.loc[i, S.CAVEAT] = f
    out = export.csv_bytes(df).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    for r in rows:
        for col in (S.PUBLISHER, S.SOURCE_TITLE, S.EXCERPT, S.CAVEAT, S.NATIONALITY):
            assert not (r.get(col) or "").startswith(("=", "+", "-", "@", "\t", "\r")), (
                col,
                r[col],
            )
    assert rows[0][S.PUBLISHER] == "'" + formulas[0]


# --- a real server and Chromium, every page ---------------------------------------------------

#: url_path of every page registered in app.py ("" is the default page, the overview).
PAGE_PATHS = [
    "",
    "compare",
    "over-time",
    "editions",
    "by-country",
    "article-check",
    "data",
    "about",
]


def settle(page) -> None:
    """Wait until the page's script has run: a title is drawn and the app is no longer running."""
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.match(/Running/i)",
        timeout=60_000,
    )
    # Every Plotly chart has drawn its SVG (one in a closed tab may never draw: checks still run).
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
            ".every(e => e.querySelector('.main-svg'))",
            timeout=20_000,
        )
    page.wait_for_timeout(500)  # let late elements draw


def hover_everything(page) -> None:
    """Move the mouse over chart marks and text blocks, so hover labels and handlers would fire."""
    marks = page.query_selector_all(".js-plotly-plot .bars path, .js-plotly-plot .points path")
    blocks = page.query_selector_all('[data-testid="stMarkdownContainer"]')
    handles = marks[:6] + blocks[-3:]  # a payload's full-page overlay would catch any of these
    for h in handles:
        box = h.evaluate(
            "el => { el.scrollIntoView({block: 'center'}); const r = el.getBoundingClientRect();"
            " return r.width && r.height ? [r.x + r.width / 2, r.y + r.height / 2] : null; }"
        )
        if box:
            page.mouse.move(*box)
            page.wait_for_timeout(50)


LINKS_JS = """() => Array.from(document.querySelectorAll('*')).flatMap(el => {
    const out = [];
    for (const name of ['href', 'src', 'xlink:href', 'action', 'formaction', 'data', 'srcset']) {
        const v = el.getAttribute(name);
        if (v) out.push(el.tagName.toLowerCase() + ' ' + name + '=' + v);
    }
    return out;
})"""


@pytest.mark.browser
def test_hostile_text_is_inert_on_every_page(browser, serve_data, tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text(hostile_csv(), encoding="utf-8")
    server = serve_data(path)

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    blocked: list[str] = []

    def route(r):
        url = r.request.url
        requests.append(url)
        host = re.match(r"^[a-z]+://([^/:]+)", url)
        if url.startswith(("data:", "blob:")) or (host and host.group(1) == "127.0.0.1"):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    ctx.route("**/*", route)
    dialogs: list[str] = []
    errors: list[str] = []
    pg = ctx.new_page()
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("popup", lambda p: dialogs.append("popup " + p.url))
    try:
        seen_text = ""
        for path_ in PAGE_PATHS:
            pg.goto(f"{server.url}/{path_}", wait_until="domcontentloaded")
            settle(pg)
            assert pg.locator('[data-testid="stException"]').count() == 0, path_
            hover_everything(pg)
            assert pg.evaluate("() => typeof window.__pwned") == "undefined", path_
            attrs = pg.evaluate(LINKS_JS)
            bad = [a for a in attrs if EVIL in a or "javascript:" in a.lower()]
            bad += [a for a in attrs if re.search(r"(href|src)=data:text/html", a)]
            assert bad == [], (path_, "\n".join(bad))
            assert (
                pg.locator("script:not([src])").evaluate_all(
                    "els => els.filter(e => e.textContent.includes('__pwned')).length"
                )
                == 0
            )
            seen_text += pg.evaluate("() => document.body.innerText")
            if path_ == "":  # the overview's hover label shows the publisher's payload as text
                pg.locator(".js-plotly-plot .bars path").first.hover(force=True)
                pg.wait_for_selector(".hoverlayer .hovertext", timeout=10_000)
                hover = pg.locator(".hoverlayer").first.text_content() or ""
                assert "Source:" in hover and "<" in hover, hover
                assert pg.evaluate("() => typeof window.__pwned") == "undefined"
        assert dialogs == []
        assert blocked == [], blocked
        assert requests, "the route saw the page's own requests"
        # The payloads are visible as text somewhere (the sources lists), not swallowed.
        assert "<script>window.__pwned=1</script>" in seen_text
        assert '<img src=x onerror="window.__pwned=2">' in seen_text
        assert "[md js link](javascript:window.__pwned=5)" in seen_text
        assert not [e for e in errors if "pwned" in e], errors
    finally:
        ctx.close()


@pytest.mark.browser
def test_hostile_text_is_inert_in_the_static_export(browser, tmp_path):
    site = pytest.importorskip("figures.site")
    from tests.conftest import chromium_or_skip

    chromium_or_skip()
    df = parse_figures(hostile_csv(), "hostile.csv")
    written = site.write(site.build(df), tmp_path / "site")
    pages = sorted(p for p in written if p.suffix == ".html")
    assert pages

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []
    dialogs: list[str] = []

    def route(r):
        if r.request.url.startswith(("file://", "data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    pg = ctx.new_page()
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        for html_file in pages:
            pg.goto(html_file.as_uri(), wait_until="load")
            with contextlib.suppress(PlaywrightTimeout):
                pg.wait_for_selector(".js-plotly-plot .main-svg", timeout=10_000)
            hover_everything(pg)
            assert pg.evaluate("() => typeof window.__pwned") == "undefined", html_file.name
            attrs = pg.evaluate(LINKS_JS)
            bad = [a for a in attrs if EVIL in a or "javascript:" in a.lower()]
            assert bad == [], (html_file.name, "\n".join(bad))
        assert dialogs == []
        assert blocked == [], blocked
    finally:
        ctx.close()
