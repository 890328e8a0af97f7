"""figures.ui.serve: the process is warmed (imports, data, every page's first view) before Streamlit
starts listening, and a problem while warming never stops the server."""

from __future__ import annotations

import logging

from figures import data, pages
from figures.ui import serve
from tests.conftest import VALID


def test_warm_builds_every_page_once_without_an_error(caplog):
    with caplog.at_level(logging.ERROR, logger="figures.ui.serve"):
        steps = serve.warm()
    assert not caplog.records, [r.getMessage() for r in caplog.records]
    assert {"imports", "load", *pages.NAMES} <= set(steps)
    assert all(seconds >= 0 for seconds in steps.values())


def test_warm_logs_bad_data_and_returns(monkeypatch, tmp_path, caplog):
    bad = tmp_path / "bad.csv"
    bad.write_text(VALID.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    monkeypatch.setenv(data.ENV_VAR, str(bad))
    with caplog.at_level(logging.ERROR, logger="figures.ui.serve"):
        steps = serve.warm()
    assert "load" not in steps and not set(pages.NAMES) & set(steps)

    assert any("could not load the figures" in r.getMessage() for r in caplog.records)


def test_warm_can_stop_after_the_imports_and_the_data():
    assert set(serve.warm(build=False)) == {"imports", "load"}


def test_malloc_arenas_are_capped_unless_the_operator_chose(monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert serve.limit_malloc_arenas() is False
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    import platform

    if platform.libc_ver()[0] == "glibc":
        assert serve.limit_malloc_arenas(8) is True  # glibc's own default on one core
