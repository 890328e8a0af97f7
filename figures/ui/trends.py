"""Over time: UNAMA's civilian casualties and coalition and US military deaths per year.

The page is figures/pages/trends.py; this script draws it (figures/ui/render.py).
"""

from __future__ import annotations

from figures.ui import common, render

if __name__ == "__main__":
    render.render("trends", common.load_figures())
