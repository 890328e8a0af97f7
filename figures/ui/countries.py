"""By country: coalition military deaths by nationality, each bar with its source.

The page is figures/pages/countries.py; this script draws it (figures/ui/render.py).
"""

from __future__ import annotations

from figures.ui import common, render

if __name__ == "__main__":
    render.render("countries", common.load_figures())
