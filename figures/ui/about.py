"""About: definitions, sourcing, citing, licence, maintainers, corrections.

The page is figures/pages/about.py; this script draws it (figures/ui/render.py).
"""

from __future__ import annotations

from figures.ui import common, render

if __name__ == "__main__":
    render.render("about", common.load_figures())
