"""Our own HTML in the app: Jinja templates with autoescape (never HTML in f-strings)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import streamlit as st
from jinja2 import Environment, FileSystemLoader, StrictUndefined

#: The chart actions, the embed snippet and the copy box (autoescape on: data reaches them
#: escaped or as JSON).
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=StrictUndefined,
)


def copy_text_html(text: str, key: str, label: str) -> str:
    """The copy box's HTML: ``text`` in a wrapped block, with a Copy button."""
    dom_id = "copy-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)
    return TEMPLATES.get_template("copy_text.html.j2").render(dom_id=dom_id, text=text, label=label)


def copy_text(text: str, key: str, label: str) -> None:
    """Draw ``text`` to copy (a link, a citation, a snippet). ``key`` is unique on the page;
    ``label`` names the text for screen readers."""
    st.html(copy_text_html(text, key, label), unsafe_allow_javascript=True)


_PRE = re.compile(r'<div class="copy-text"[^>]*>\s*<pre[^>]*>(.*?)</pre>', re.S)


def copy_texts(bodies) -> list[str]:
    """The texts of the copy boxes in these ``st.html`` bodies, unescaped (for tests and tools
    that read a page's elements)."""
    return [html.unescape(m.group(1)) for b in bodies for m in _PRE.finditer(b)]
