"""nginx in front of two replicas (deploy/nginx.conf, deploy/compose.yaml).

The file checks (rendering, ``nginx -t``, the compose file's structure) run in ``make check``.
The live tests (marked ``browser``) start two app replicas and Debian's nginx with the shipped
configuration on loopback ports, as any user, and drive Chromium through nginx: a session draws
and reruns over its WebSocket, static files come compressed with a long cache lifetime, a
replica can be stopped without errors for a session on the other, and a deep address lands on a
readable page. They skip where nginx or Chromium is missing, and fail instead when CI=true.
"""

from __future__ import annotations

import gzip
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import yaml

from deploy import nginx as ngx
from tests.conftest import IN_CI, ROOT, Server, chromium_or_skip

COMPOSE = ROOT / "deploy" / "compose.yaml"
CHART = ".js-plotly-plot .main-svg"
ERROR_BOXES = '[data-testid="stException"], [data-testid="stAlertContentError"]'
YEAR = 31536000


def nginx_or_skip():
    missing = ngx.missing_parts()
    if not missing:
        return ngx.NGINX
    if IN_CI:
        pytest.fail(f"CI=true but {missing}: the nginx tests are mandatory")
    pytest.skip(f"{missing}; nginx test skipped")


# -- the files -------------------------------------------------------------------------------


def test_render_replaces_only_the_listen_line_and_the_replica_lines():
    text = ngx.CONF.read_text(encoding="utf-8")
    out = ngx.render(text, ["127.0.0.1:9001", "127.0.0.1:9002", "[::1]:9003"], "127.0.0.1:8080")
    old, new = text.splitlines(), out.splitlines()
    assert [ln for ln in old if not re.match(r"\s*(listen|server \S+ max_fails)", ln)] == [
        ln for ln in new if not re.match(r"\s*(listen|server \S+ max_fails)", ln)
    ]
    assert [ln.strip() for ln in new if re.match(r"\s*server [^{]", ln)] == [
        "server 127.0.0.1:9001 max_fails=3 fail_timeout=10s;",
        "server 127.0.0.1:9002 max_fails=3 fail_timeout=10s;",
        "server [::1]:9003 max_fails=3 fail_timeout=10s;",
    ]
    assert [ln.strip() for ln in new if ln.strip().startswith("listen ")] == [
        "listen 127.0.0.1:8080;"
    ]


@pytest.mark.parametrize(
    ("replicas", "listen", "message"),
    [
        ([], "80", "replicas: expected at least one HOST:PORT (got none)"),
        (
            ["app"],
            "80",
            "replica 1: expected HOST:PORT, e.g. 127.0.0.1:8501 or app:8501 (got 'app')",
        ),
        (["a:1", "a:1;evil"], "80", "replica 2: expected HOST:PORT"),
        (["a:70000"], "80", "(got 'a:70000')"),
        (["a:1"], "80; include /x", "listen: expected HOST:PORT, e.g. 80 or 127.0.0.1:8080"),
    ],
)
def test_render_refuses_what_cannot_go_into_the_file(replicas, listen, message):
    with pytest.raises(ngx.ConfigError, match=re.escape(message)):
        ngx.render(ngx.CONF.read_text(encoding="utf-8"), replicas, listen)


def test_render_cli_prints_the_rendered_file(capsys):
    assert ngx.main(["--listen", "8080", "--replica", "10.0.0.5:8501"]) == 0
    out = capsys.readouterr().out
    assert "server 10.0.0.5:8501 max_fails=3 fail_timeout=10s;" in out
    assert "listen 8080;" in out and "app:8501" not in out
    assert ngx.main(["--replica", "nope"]) == 2


def test_the_documented_render_command_runs(capsys):
    doc = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    (cmd,) = re.findall(r"^python -m deploy\.nginx (.*?) \\\n", doc, re.M)
    assert ngx.main(cmd.split()) == 0
    out = capsys.readouterr().out
    assert out.count(" max_fails=3 fail_timeout=10s;") == 2 and "listen 80;" in out


def test_nginx_accepts_the_rendered_file_inside_debians_main_configuration():
    nginx_or_skip()
    ok, output = ngx.check(["127.0.0.1:8501", "127.0.0.1:8502"])
    assert ok, output
    assert "[warn]" not in output and "[emerg]" not in output, output


def test_the_config_has_sticky_sessions_websockets_compression_and_health_checks():
    text = ngx.CONF.read_text(encoding="utf-8")
    upstream = re.search(r"upstream figures_replicas \{(.*?)\}", text, re.S)[1]
    assert re.search(r"^\s*hash \$figures_route consistent;", upstream, re.M)
    assert re.search(r"^\s*server app:8501 max_fails=\d+ fail_timeout=\d+s;", upstream, re.M)
    for line in (
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $figures_connection;",
        "proxy_set_header Host $http_host;",
        "gzip on;",
        "location = /healthz {",
        "proxy_pass http://figures_replicas/_stcore/health;",
        "location ^~ /static/ {",
    ):
        assert line in text, line
    assert "brotli on;" in text
    for directive in ("gzip_types", "brotli_types"):
        types = re.search(directive + r"([^;]*);", text)[1].split()
        assert "application/javascript" in types and "text/css" in types, directive


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def default_of(value) -> int:
    """2 for "${REPLICAS:-2}", as docker compose interpolates it with no variable set."""
    m = re.fullmatch(r"\$\{\w+:-(\d+)\}", str(value))
    return int(m[1]) if m else int(value)


def test_compose_runs_n_replicas_of_the_image_behind_the_proxy():
    services = compose()["services"]
    assert set(services) == {"app", "proxy"}
    app, proxy = services["app"], services["proxy"]
    assert (COMPOSE.parent / app["build"]["context"] / app["build"]["dockerfile"]).resolve() == (
        ROOT / "Dockerfile"
    )
    assert default_of(app["deploy"]["replicas"]) >= 2
    assert "ports" not in app and "container_name" not in app  # replicas: only nginx is public
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    (exposed,) = re.findall(r"^EXPOSE (\d+)", dockerfile, re.M)
    assert app["expose"] == [exposed]
    assert re.search(r"^HEALTHCHECK .*/_stcore/health", dockerfile, re.M | re.S)
    upstream = re.findall(r"^\s*server (\S+) max_fails", ngx.CONF.read_text(encoding="utf-8"), re.M)
    assert upstream == [f"app:{exposed}"]
    assert proxy["depends_on"] == {"app": {"condition": "service_healthy"}}


def test_compose_proxy_is_debians_nginx_with_the_shipped_file_as_its_only_site():
    proxy = compose()["services"]["proxy"]
    inline = proxy["build"]["dockerfile_inline"]
    assert re.search(r"^FROM debian:\w+", inline, re.M)
    assert (
        "apt-get install -y --no-install-recommends nginx libnginx-mod-http-brotli-filter" in inline
    )
    assert "/etc/nginx/sites-enabled/default" in inline  # removed: ours is the only server
    (volume,) = proxy["volumes"]
    src, dest, mode = volume.split(":")
    assert (COMPOSE.parent / src).resolve() == ngx.CONF and mode == "ro"
    assert dest.startswith("/etc/nginx/sites-enabled/")
    (ports,) = proxy["ports"]
    listen = re.findall(r"^\s*listen (\S+);", ngx.CONF.read_text(encoding="utf-8"), re.M)
    assert ports.rsplit(":", 1)[1] == listen[0] == "80"


# -- live: two replicas behind nginx ----------------------------------------------------------


@dataclass
class Proxied:
    nginx: ngx.LocalNginx
    replicas: list[Server]

    @staticmethod
    def addr(server: Server) -> str:
        return server.url.removeprefix("http://")

    def route_to(self, server: Server) -> str:
        """A figures_route cookie value that nginx's hash sends to ``server``."""
        want = self.addr(server)
        for i in range(64):
            value = f"pin-{server.port}-{i}"
            req = urllib.request.Request(
                self.nginx.url + "/_stcore/health", headers={"Cookie": f"figures_route={value}"}
            )
            with urllib.request.urlopen(req, timeout=10):
                pass
            (hit,) = self.logged(value)
            if hit["upstream"] == want:
                return value
        raise AssertionError(f"no cookie value out of 64 is hashed to {want}")

    def logged(self, route: str, uri: str | None = None) -> list[dict[str, str]]:
        """The access log's entries for the cookie value ``route``, once one for ``uri`` (or any
        entry) is there: nginx writes a line just after the response (or a WebSocket) ends."""
        deadline = time.monotonic() + 10
        while True:
            mine = [e for e in self.nginx.access() if e["route"] == route]
            if any(uri in (None, e["uri"]) for e in mine) or time.monotonic() > deadline:
                return mine
            time.sleep(0.1)


@pytest.fixture(scope="module")
def proxied():
    chromium_or_skip()
    nginx_or_skip()
    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(Server) for _ in range(2)]
    replicas = [f.result() for f in futures]
    try:
        front = ngx.LocalNginx([Proxied.addr(s) for s in replicas])
    except Exception:
        for s in replicas:
            s.stop()
        raise
    yield Proxied(front, replicas)
    front.stop()
    for s in replicas:
        s.stop()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def watch(page) -> dict:
    """Page errors and the WebSockets a page opens, recorded as they happen."""
    seen: dict = {"errors": [], "sockets": [], "closed": []}
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    def on_socket(ws):
        seen["sockets"].append(ws.url)
        ws.on("close", lambda _ws: seen["closed"].append(ws.url))

    page.on("websocket", on_socket)
    return seen


def switch_to_log_scale(page) -> None:
    """A widget change: the page reruns on the server and redraws the chart on a log axis."""
    page.get_by_text("Logarithmic scale").click()
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot')?._fullLayout?.xaxis?.type === 'log'",
        timeout=30_000,
    )


def no_error_boxes(page) -> bool:
    return page.locator(ERROR_BOXES).count() == 0


def get(url: str, **headers) -> tuple[int, dict[str, str], bytes]:
    """One request, redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


@pytest.mark.browser
def test_a_session_through_nginx_draws_reruns_and_stays_on_one_replica(proxied, context):
    page = context.new_page()
    seen = watch(page)
    page.goto(proxied.nginx.url + "/", wait_until="domcontentloaded")
    page.wait_for_selector(CHART, timeout=60_000)
    switch_to_log_scale(page)
    assert no_error_boxes(page)
    assert seen["errors"] == []
    assert seen["sockets"] == [f"ws://127.0.0.1:{proxied.nginx.port}/_stcore/stream"]
    assert seen["closed"] == []
    (route,) = [c["value"] for c in context.cookies() if c["name"] == "figures_route"]
    context.close()  # closes the WebSocket: nginx logs it
    mine = proxied.logged(route, "/_stcore/stream")
    stream = [e for e in mine if e["uri"] == "/_stcore/stream"]
    assert [e["status"] for e in stream] == ["101"], mine
    assert len([e for e in mine if e["uri"].startswith("/static/")]) > 10
    # Every request with the visitor's cookie went to one replica, the WebSocket included.
    assert len({e["upstream"] for e in mine}) == 1, mine
    assert mine[0]["upstream"] in {Proxied.addr(s) for s in proxied.replicas}


@pytest.mark.browser
def test_static_files_come_compressed_with_a_year_long_cache_lifetime(proxied):
    status, headers, body = get(proxied.nginx.url + "/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and "figures_route=" in headers["set-cookie"]
    html = (gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body).decode()
    files = re.findall(r'(?:src|href)="\./(static/(?:js|css)/[^"]+\.(?:js|css))"', html)
    assert any(f.endswith(".js") for f in files) and any(f.endswith(".css") for f in files)
    for name in [next(f for f in files if f.endswith(ext)) for ext in (".js", ".css")]:
        status, headers, body = get(f"{proxied.nginx.url}/{name}", **{"Accept-Encoding": "gzip"})
        assert status == 200, name
        assert headers["content-encoding"] == "gzip", (name, headers)
        assert "Accept-Encoding" in headers["vary"]
        cache = headers["cache-control"]
        assert int(re.search(r"max-age=(\d+)", cache)[1]) >= YEAR and "immutable" in cache
        assert "set-cookie" not in headers  # a shared cache may keep this response
        _, _, direct = get(f"{proxied.replicas[0].url}/{name}", **{"Accept-Encoding": "gzip"})
        assert gzip.decompress(body) == direct  # Streamlit itself sends /static/ uncompressed
        assert len(body) < 0.5 * len(direct), (name, len(body), len(direct))
        # A browser that accepts brotli gets it, smaller again than gzip.
        status, headers, br = get(f"{proxied.nginx.url}/{name}", **{"Accept-Encoding": "br, gzip"})
        assert status == 200 and headers["content-encoding"] == "br", (name, headers)
        assert len(br) < len(body), (name, len(br), len(body))
    status, headers, body = get(proxied.nginx.url + "/healthz")
    assert (status, body) == (200, b"ok")


@pytest.mark.browser
def test_a_deep_address_is_sent_to_its_first_segment(proxied, context):
    url = proxied.nginx.url
    for path, where in [
        ("/compare/extra/path?x=1", "/compare?x=1"),
        ("/nope/deeper/still", "/nope"),
        ("/%0D%0ASet-Cookie:%20x=1/y", "/"),  # never copied into a header
    ]:
        status, headers, _ = get(url + path)
        assert (status, headers.get("location")) == (302, where), path
        assert "x=1;" not in headers.get("set-cookie", "")
    # Streamlit's own routes are passed through as they are, however deep: the front-end of
    # /compare probes /compare/_stcore/health first and needs Streamlit's 404 there.
    assert get(url + "/_stcore/health")[0] == 200
    assert get(url + "/compare/_stcore/health")[0] == 404
    assert get(url + "/media/no/such/file")[0] == 404
    assert get(url + "/component/no/such/file")[0] != 302

    page = context.new_page()
    seen = watch(page)
    page.goto(url + "/compare/extra/path", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Compare sources").wait_for(timeout=60_000)
    page.wait_for_selector(CHART, timeout=60_000)
    assert page.url == url + "/compare"
    page.goto(url + "/nope/extra/path", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Page not found").wait_for(timeout=60_000)
    page.locator('[data-testid="stPageLink-NavLink"]').nth(7).wait_for(timeout=30_000)
    assert page.url == url + "/nope"
    assert no_error_boxes(page) and seen["errors"] == []


@pytest.mark.browser
def test_stopping_a_replica_leaves_sessions_on_the_other_unharmed(proxied, browser):
    keep, drop = proxied.replicas[1], proxied.replicas[0]
    on_keep, on_drop = proxied.route_to(keep), proxied.route_to(drop)
    url = proxied.nginx.url
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        ctx.add_cookies([{"name": "figures_route", "value": on_keep, "url": url}])
        page = ctx.new_page()
        seen = watch(page)
        page.goto(url + "/", wait_until="domcontentloaded")
        page.wait_for_selector(CHART, timeout=60_000)
        drop.stop()
        switch_to_log_scale(page)  # a rerun on the surviving replica, over the same WebSocket
        assert no_error_boxes(page) and seen["errors"] == [] and seen["closed"] == []
        page.reload(wait_until="domcontentloaded")  # a new page load, still pinned
        page.wait_for_selector(CHART, timeout=60_000)
        assert no_error_boxes(page) and seen["errors"] == []
    finally:
        ctx.close()
    kept = [e for e in proxied.nginx.access() if e["route"] == on_keep]
    assert {e["upstream"] for e in kept} == {Proxied.addr(keep)}, (kept, proxied.nginx.errors())

    # A visitor whose cookie points at the stopped replica is served by the other one.
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        ctx.add_cookies([{"name": "figures_route", "value": on_drop, "url": url}])
        page = ctx.new_page()
        seen = watch(page)
        page.goto(url + "/", wait_until="domcontentloaded")
        page.wait_for_selector(CHART, timeout=60_000)
        switch_to_log_scale(page)
        assert no_error_boxes(page) and seen["errors"] == []
    finally:
        ctx.close()
    tried = [e["upstream"] for e in proxied.nginx.access() if e["route"] == on_drop]
    assert tried[0] == Proxied.addr(drop)  # the probe, before the stop
    assert all(u.endswith(Proxied.addr(keep)) for u in tried[1:]), tried
    assert get(url + "/healthz")[0] == 200
