"""Overview: the five categories side by side, each from a chosen source.

The page is figures/pages/overview.py; this script draws it (figures/ui/render.py).
"""

from __future__ import annotations

from figures.ui import common, render

if __name__ == "__main__":
    render.render("overview", common.load_figures())
