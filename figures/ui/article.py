"""Article check: each numeric claim of the February 2020 article beside what the sources say.

The page is figures/pages/article.py; this script draws it (figures/ui/render.py).
"""

from __future__ import annotations

from figures.ui import common, render

if __name__ == "__main__":
    render.render("article", common.load_figures())
