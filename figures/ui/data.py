"""Data & sources: every figure with its source, searchable, filterable and downloadable.

The page is figures/pages/data.py; this script draws it (figures/ui/render.py).
"""

from __future__ import annotations

from figures.ui import common, render

if __name__ == "__main__":
    render.render("data", common.load_figures())
