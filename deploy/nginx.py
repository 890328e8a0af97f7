"""deploy/nginx.conf for other addresses, and nginx run with it by any user (tests, benchmarks).

    python -m deploy.nginx --listen 80 --replica 127.0.0.1:8501 --replica 127.0.0.1:8502

prints deploy/nginx.conf with its ``listen`` line and its upstream ``server`` lines replaced (and
nothing else changed), ready for /etc/nginx/sites-available/. :class:`LocalNginx` runs Debian's
nginx with the rendered file inside a reduced copy of Debian's /etc/nginx/nginx.conf whose every
path (pid, logs, temporary files) is in a temporary folder, on a free loopback port, as any user.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

CONF = Path(__file__).resolve().with_name("nginx.conf")
NGINX = Path(os.environ.get("NGINX_PATH", "/usr/sbin/nginx"))
#: Debian's brotli module for nginx (package libnginx-mod-http-brotli-filter): deploy/nginx.conf
#: compresses with brotli where the browser accepts it.
BROTLI_MODULE = Path(
    os.environ.get("NGINX_BROTLI_MODULE", "/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
)
BROTLI_PACKAGE = "libnginx-mod-http-brotli-filter"
#: The upstream's replica lines in deploy/nginx.conf; render() finds and replaces them.
_SERVER_LINE = re.compile(
    r"^(?P<indent>[ \t]*)server[ \t]+(?P<addr>[^\s;]+)(?P<params>(?:[ \t]+\w+=[^\s;]+)*);[ \t]*\n",
    re.M,
)
_LISTEN_LINE = re.compile(r"^(?P<indent>[ \t]*)listen[ \t]+(?P<addr>[^;]+);", re.M)
_HOST_PORT = re.compile(
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?):(?P<port>\d{1,5})"
)
#: What the access log of LocalNginx records: enough to see which replica served what.
LOG_FIELDS = ("method", "uri", "status", "upstream", "route")
_LOG_LINE = re.compile(r'(\S+) "([^"]*)" (\d+) "([^"]*)" "([^"]*)"')


class ConfigError(ValueError):
    """An address that cannot go into the configuration, or a configuration render() cannot edit."""


def _address(text: str, what: str, port_only_ok: bool = False) -> str:
    text = text.strip()
    if port_only_ok and text.isdigit() and 1 <= int(text) <= 65535:
        return text
    m = _HOST_PORT.fullmatch(text)
    if not m or not 1 <= int(m["port"]) <= 65535:
        example = "80 or 127.0.0.1:8080" if port_only_ok else "127.0.0.1:8501 or app:8501"
        raise ConfigError(f"{what}: expected HOST:PORT, e.g. {example} (got {text!r})")
    return text


def render(text: str, replicas: Sequence[str], listen: str) -> str:
    """``text`` (deploy/nginx.conf) with ``listen`` and one upstream server line per replica.

    The replica lines keep the parameters of the first server line of the file (its passive
    health check); nothing else in the file changes.
    """
    if not replicas:
        raise ConfigError("replicas: expected at least one HOST:PORT (got none)")
    addrs = [_address(r, f"replica {i + 1}") for i, r in enumerate(replicas)]
    listen = _address(listen, "listen", port_only_ok=True)
    servers = list(_SERVER_LINE.finditer(text))
    listens = list(_LISTEN_LINE.finditer(text))
    if not servers or len(listens) != 1:
        raise ConfigError(
            "nginx.conf: expected upstream 'server HOST:PORT ...;' lines and one 'listen' line "
            f"(got {len(servers)} server lines and {len(listens)} listen lines)"
        )
    if any(b.start() != a.end() for a, b in zip(servers, servers[1:], strict=False)):
        raise ConfigError("nginx.conf: the upstream's server lines must follow one another")
    first = servers[0]
    block = "".join(f"{first['indent']}server {a}{first['params']};\n" for a in addrs)
    text = text[: first.start()] + block + text[servers[-1].end() :]
    (m,) = _LISTEN_LINE.finditer(text)
    return text[: m.start()] + f"{m['indent']}listen {listen};" + text[m.end() :]


def main_conf(prefix: Path, site: str) -> str:
    """Debian's /etc/nginx/nginx.conf, reduced to what a site needs, every path under ``prefix``:
    runs in the foreground as any user. ``site`` is included in the http context, as Debian
    includes /etc/nginx/sites-enabled/*."""
    p = prefix
    fields = " ".join(
        ["$request_method", '"$uri"', "$status", '"$upstream_addr"', '"$cookie_figures_route"']
    )
    return "\n".join(
        [
            "# A reduced copy of Debian's /etc/nginx/nginx.conf; every path is under this folder.",
            f"load_module {BROTLI_MODULE};",
            "worker_processes 1;",
            "daemon off;",
            f"pid {p}/nginx.pid;",
            f"error_log {p}/error.log warn;",
            "events {",
            "    worker_connections 512;",
            "}",
            "http {",
            "    sendfile on;",
            "    tcp_nopush on;",
            "    types_hash_max_size 2048;",
            "    include /etc/nginx/mime.types;",
            "    default_type application/octet-stream;",
            f"    log_format figures_test '{fields}';",
            f"    access_log {p}/access.log figures_test;",
            "    gzip on;",
            f"    client_body_temp_path {p}/body;",
            f"    proxy_temp_path {p}/proxy;",
            f"    fastcgi_temp_path {p}/fastcgi;",
            f"    uwsgi_temp_path {p}/uwsgi;",
            f"    scgi_temp_path {p}/scgi;",
            f"    include {p}/{site};",
            "}",
            "",
        ]
    )


def missing_parts(nginx: Path = NGINX) -> str:
    """What this machine lacks to run deploy/nginx.conf ("" when nothing), with the command that
    installs it."""
    if not nginx.exists():
        return f"nginx not found at {nginx} (apt-get install nginx {BROTLI_PACKAGE})"
    if not BROTLI_MODULE.exists():
        return (
            f"nginx's brotli module not found at {BROTLI_MODULE} (apt-get install {BROTLI_PACKAGE})"
        )
    return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalNginx:
    """nginx with deploy/nginx.conf in front of ``replicas``, on a free loopback port.

    Waits until ``/healthz`` answers 200 (so the replicas must be up). ``stop()`` ends nginx and
    removes its folder; :meth:`access` reads the access log (one dict per request).
    """

    def __init__(
        self,
        replicas: Sequence[str],
        *,
        nginx: Path = NGINX,
        conf: Path = CONF,
        timeout: float = 20.0,
    ):
        missing = missing_parts(nginx)
        if missing:
            raise RuntimeError(missing)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = Path(tempfile.mkdtemp(prefix="figures-nginx-"))
        # Started as root, nginx's workers run as "nobody" and must reach their temporary files.
        self.prefix.chmod(0o755)
        self.site = render(conf.read_text(encoding="utf-8"), replicas, f"127.0.0.1:{self.port}")
        (self.prefix / "figures.conf").write_text(self.site, encoding="utf-8")
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(main_conf(self.prefix, "figures.conf"), encoding="utf-8")
        self.error_log = self.prefix / "error.log"
        self.access_log = self.prefix / "access.log"
        self.proc = subprocess.Popen(  # noqa: S603 - nginx's own path, arguments made here
            self.command(nginx),
            stdout=subprocess.DEVNULL,
            stderr=(self.prefix / "stderr.log").open("wb"),
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                out = self.errors()
                self.stop()
                raise RuntimeError(f"nginx exited early:\n{out}")
            try:
                # A loopback http:// address made above.
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        return
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.1)
        out = self.errors()
        self.stop()
        raise RuntimeError(f"nginx did not answer /healthz with 200 within {timeout:.0f} s:\n{out}")

    def command(self, nginx: Path = NGINX) -> list[str]:
        return [str(nginx), "-p", str(self.prefix), "-c", str(self.conf), "-e", str(self.error_log)]

    def errors(self) -> str:
        """What nginx wrote to its error log and stderr so far."""
        return "\n".join(
            p.read_text(encoding="utf-8", errors="replace")
            for p in (self.error_log, self.prefix / "stderr.log")
            if p.exists()
        )

    def access(self) -> list[dict[str, str]]:
        """The access log: method, uri, status, upstream (the replica(s) tried), route cookie."""
        out = []
        if not self.access_log.exists():
            return out
        for line in self.access_log.read_text(encoding="utf-8").splitlines():
            # nginx writes '"' in a value as \x22, so a quoted field holds no quote.
            m = _LOG_LINE.fullmatch(line)
            if m is None:
                raise RuntimeError(f"{self.access_log}: unexpected line {line!r}")
            out.append(dict(zip(LOG_FIELDS, m.groups(), strict=True)))
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        shutil.rmtree(self.prefix, ignore_errors=True)

    def __enter__(self) -> LocalNginx:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def check(replicas: Sequence[str], nginx: Path = NGINX, conf: Path = CONF) -> tuple[bool, str]:
    """``nginx -t`` on the rendered file inside the reduced Debian main configuration."""
    prefix = Path(tempfile.mkdtemp(prefix="figures-nginx-t-"))
    try:
        site = render(conf.read_text(encoding="utf-8"), replicas, f"127.0.0.1:{free_port()}")
        (prefix / "figures.conf").write_text(site, encoding="utf-8")
        (prefix / "nginx.conf").write_text(main_conf(prefix, "figures.conf"), encoding="utf-8")
        cmd = [str(nginx), "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
        res = subprocess.run(  # noqa: S603 - nginx's own path, arguments made here
            [*cmd, "-e", str(prefix / "error.log")], capture_output=True, text=True, timeout=30
        )
        return res.returncode == 0, res.stdout + res.stderr
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.nginx", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--replica",
        action="append",
        required=True,
        metavar="HOST:PORT",
        help="a replica of the app (give once per replica)",
    )
    parser.add_argument("--listen", default="80", metavar="[HOST:]PORT", help="default: 80")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(render(CONF.read_text(encoding="utf-8"), args.replica, args.listen))
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
