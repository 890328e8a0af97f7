"""Compare sources: every figure for one category, across publishers and editions.

The page is figures/pages/compare.py; this script draws it (figures/ui/render.py).
"""

from __future__ import annotations

from figures.ui import common, render

if __name__ == "__main__":
    render.render("compare", common.load_figures())
