"""Citations of the dataset and of one view of it, as plain text and as BibTeX. Pure.

The dataset's title, version and licence come from ``figures.datapackage`` and ``figures``, so a
citation always names the data a reader downloaded. The link to a view is built here too
(``view_link``), so the share box and the static export cite the same way.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from urllib.parse import quote, urlencode

from figures import datapackage

#: Who compiled the dataset (a corporate author; the figures' own publishers are credited per row).
AUTHOR = "Afghanistan war casualty figures project"
LICENCE = "CC BY 4.0"
#: A citation lists at most this many publishers, then "and N more".
MAX_SOURCES = 10

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Characters a URL may keep as they are (RFC 3986 reserved + unreserved, and '%' of escapes);
# anything else (spaces, quotes, braces, backslashes, non-ASCII) is percent-encoded, so a URL
# can neither break a BibTeX field nor hide text in a citation.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"
_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}~^\\])")
_BIBTEX_REPLACE = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _version() -> str:
    """The package version (``figures.__version__``; the installed metadata if that is absent)."""
    import figures

    try:
        return figures.__version__
    except AttributeError:  # an editable install that maps ``figures`` as a namespace package
        from importlib.metadata import version

        return version("afghanistan-casualty-figures")


def _clean(text) -> str:
    """Text on one line with single spaces; '' for None."""
    return " ".join(str(text).split()) if text is not None else ""


def _date(d: datetime.date) -> str:
    """'5 March 2026': unambiguous in every locale, independent of the machine's locale."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def clean_url(url: str) -> str:
    """The URL on one line with unsafe characters percent-encoded."""
    return quote(str(url).strip(), safe=_URL_SAFE)


def view_link(base_url: str | None, page_path: str, params: Iterable[tuple[str, str]]) -> str:
    """The link that reopens a view: the page URL plus its query string.

    ``base_url`` is the page's address without a query string (Streamlit's ``st.context.url``);
    when it is unknown (no browser, e.g. in tests) the link is relative: ``/page?key=value``.
    """
    query = urlencode(list(params))
    base = base_url.rstrip("/") if base_url else "/" + page_path.strip("/")
    if base_url and not page_path and not base.endswith("/"):
        base += "/"  # the app's root page: https://host/?log=true
    return clean_url(base + ("?" + query if query else ""))


def source_list(sources: Iterable[str], limit: int = MAX_SOURCES) -> str:
    """'A; B; and 3 more': publishers in order of first appearance, each once."""
    seen: list[str] = []
    for s in sources:
        if not isinstance(s, str):
            continue
        s = _clean(s)
        if s and s not in seen:
            seen.append(s)
    more = len(seen) - limit
    return "; ".join(seen[:limit]) + (f"; and {more} more" if more > 0 else "")


def _dataset_words() -> str:
    return f"{datapackage.TITLE} [data set], version {_version()}"


def dataset_citation(url: str, accessed: datetime.date) -> str:
    """Plain-text citation of the whole dataset."""
    return (
        f"{AUTHOR}. {_dataset_words()}. Licence: {LICENCE}. "
        f"{clean_url(url)} (accessed {_date(accessed)})."
    )


def view_citation(url: str, accessed: datetime.date, page_title: str, sources: list[str]) -> str:
    """Plain-text citation of one view: its page, the sources it shows, the link that reopens it."""
    title = _clean(page_title)
    if not title:
        return dataset_citation(url, accessed)
    shown = source_list(sources)
    parts = [f'{AUTHOR}. "{title}". In: {_dataset_words()}.']
    if shown:
        parts.append(f"Figures from: {shown}.")
    parts.append(f"Licence: {LICENCE}. {clean_url(url)} (accessed {_date(accessed)}).")
    return " ".join(parts)


def bibtex_escape(text: str) -> str:
    """Text safe inside a BibTeX field: TeX specials escaped, dashes as TeX dashes."""
    text = _clean(text).replace("—", "---").replace("–", "--")
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACE.get(m[1], "\\" + m[1]), text)


def _key(*words: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", " ".join(words).lower()).strip("_")


def _bibtex(key: str, fields: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in fields)
    body = "\n".join(f"  {name.ljust(width)} = {{{value}}}," for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def dataset_bibtex(url: str, accessed: datetime.date) -> str:
    """BibTeX (@misc, biblatex-friendly url/urldate) of the whole dataset."""
    return _bibtex(
        _key("afghanistan casualty figures", str(accessed.year)),
        [
            ("author", "{" + bibtex_escape(AUTHOR) + "}"),
            ("title", "{" + bibtex_escape(datapackage.TITLE) + "}"),
            ("howpublished", f"Data set, version {bibtex_escape(_version())}"),
            ("note", f"Licence: {bibtex_escape(LICENCE)}"),
            ("url", clean_url(url)),
            ("urldate", accessed.isoformat()),
        ],
    )


def view_bibtex(url: str, accessed: datetime.date, page_title: str, sources: list[str]) -> str:
    """BibTeX of one view: the page title within the dataset, the sources shown, the link."""
    title = _clean(page_title)
    if not title:
        return dataset_bibtex(url, accessed)
    shown = source_list(sources)
    note = f"Data set, version {_version()}."
    if shown:
        note += f" Figures from: {shown}."
    note += f" Licence: {LICENCE}"
    return _bibtex(
        _key("afghanistan casualty figures", title, str(accessed.year)),
        [
            ("author", "{" + bibtex_escape(AUTHOR) + "}"),
            ("title", "{" + bibtex_escape(f"{datapackage.TITLE}: {title}") + "}"),
            ("note", bibtex_escape(note)),
            ("url", clean_url(url)),
            ("urldate", accessed.isoformat()),
        ],
    )
