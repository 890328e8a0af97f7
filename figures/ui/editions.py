"""How estimates changed: Costs of War editions, and UNAMA's revisions of one year's figures.

The page is figures/pages/editions.py; this script draws it (figures/ui/render.py).
"""

from __future__ import annotations

from figures.ui import common, render

if __name__ == "__main__":
    render.render("editions", common.load_figures())
