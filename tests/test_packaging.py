"""Packaging and production configuration."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT


def test_streamlit_config_is_production_safe():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["client"]["showErrorDetails"] == "none"
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"]["headless"] is True
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["server"]["maxUploadSize"] <= 10
    assert cfg["server"]["maxMessageSize"] <= 100
    # The table toolbar's CSV export would bypass formula neutralisation (figures/export.py).
    assert cfg["client"]["disableDataExport"] is True


def test_streamlit_config_closes_what_a_public_app_does_not_need():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server, client = cfg["server"], cfg["client"]
    assert server["enableCORS"] is True  # no Access-Control-Allow-Origin: * on the app's routes
    assert "*" not in server.get("corsAllowedOrigins", [])
    assert server["runOnSave"] is False
    assert server.get("enableStaticServing", False) is False
    assert server.get("enableAgentApi", False) is False
    assert client["toolbarMode"] in ("viewer", "minimal")  # no developer options for readers
    assert client.get("showErrorLinks", "auto") is False
    assert cfg["runner"]["magicEnabled"] is False  # a bare expression in a page never renders
    assert "global" not in cfg or not cfg["global"].get("developmentMode", False)


def test_theme_palette_is_the_charts_palette():
    from figures.charts import PALETTE

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert tuple(cfg["theme"]["chartCategoricalColors"]) == PALETTE


def test_figures_imports_without_streamlit():
    import subprocess
    import sys

    code = (
        "import sys, builtins\n"
        "real = builtins.__import__\n"
        "def guard(name, *a, **k):\n"
        "    if name.split('.')[0] == 'streamlit': raise ImportError('streamlit imported')\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = guard\n"
        "import figures, figures.schema, figures.data, figures.charts, figures.views, "
        "figures.text, figures.datapackage, figures.__main__\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
