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
    """The data's version (``datapackage.VERSION``: the data's date, as CITATION.cff and
    datapackage.json name it), so a citation names the data a reader saw, not the code's release."""
    return datapackage.VERSION


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


# --- versions: a dated build of the snapshot, cited by its version ------------------------------


def data_date(published) -> datetime.date | None:
    """The data's date: the publication date of its newest source document (None if none)."""
    import pandas as pd

    dates = pd.to_datetime(pd.Series(published), errors="coerce").dropna()
    return None if dates.empty else dates.max().date()


_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def check_version(version: str) -> str:
    """A version name usable as a folder and in a URL ('2025-12-20', 'v1.2'), else ValueError."""
    if not _VERSION.match(version or "") or ".." in version:
        raise ValueError(
            "a version is letters, digits, '.', '_' or '-', starting with a letter or digit, "
            f"at most 64 characters (got {version!r})"
        )
    return version


def _versioned_words(version: str, released: datetime.date) -> str:
    return f"{datapackage.TITLE} [data set], version {_clean(version)} ({_date(released)})"


def versioned_citation(
    url: str | None,
    version: str,
    released: datetime.date,
    page_title: str | None = None,
    sources: list[str] | None = None,
) -> str:
    """Plain-text citation of one version of the dataset, or of one view in it.

    ``url`` is the address of that version (it does not change), so there is no "accessed" date;
    without a known address the citation names the version only.
    """
    title = _clean(page_title)
    parts = [f"{AUTHOR} ({released.year})."]
    if title:
        parts.append(f'"{title}". In: {_versioned_words(version, released)}.')
    else:
        parts.append(f"{_versioned_words(version, released)}.")
    shown = source_list(sources or [])
    if title and shown:
        parts.append(f"Figures from: {shown}.")
    parts.append(f"Licence: {LICENCE}." + (f" {clean_url(url)}" if url else ""))
    return " ".join(parts)


def versioned_bibtex(
    url: str | None,
    version: str,
    released: datetime.date,
    page_title: str | None = None,
    sources: list[str] | None = None,
) -> str:
    """BibTeX (@misc with a ``version`` field) of one version of the dataset or of one view."""
    title = _clean(page_title)
    full = f"{datapackage.TITLE}: {title}" if title else datapackage.TITLE
    note = f"Data set, version {_clean(version)}."
    shown = source_list(sources or [])
    if title and shown:
        note += f" Figures from: {shown}."
    note += f" Licence: {LICENCE}"
    fields = [
        ("author", "{" + bibtex_escape(AUTHOR) + "}"),
        ("title", "{" + bibtex_escape(full) + "}"),
        ("version", bibtex_escape(version)),
        ("year", str(released.year)),
        ("month", str(released.month)),
        ("date", released.isoformat()),
        ("note", bibtex_escape(note)),
    ]
    if url:
        fields.append(("url", clean_url(url)))
    return _bibtex(_key("afghanistan casualty figures", title, version), fields)


# --- deep links to the quoted text ----------------------------------------------------------------

#: A text-fragment directive names at most this many words at each end of a long quote.
FRAGMENT_WORDS = 5
# Editorial marks inside a quote that the page itself does not show: an ellipsis for omitted
# text, and [square brackets] for words the editor added. A text fragment must match the page,
# so it is built from the quoted text on either side of them.
_EDITORIAL = re.compile(r"\s*(?:…|\.\.\.|\[[^\]]*\])\s*")
_PAGE = re.compile(r"\b(?:p|pp|page|pages)\.?\s*(\d{1,5})\b", re.IGNORECASE)


def fragment_encode(text: str) -> str:
    """Text percent-encoded for a text directive (WICG Scroll-to-Text-Fragment): every
    character but ASCII letters and digits (UTF-8 bytes for the rest). The spec requires ``-``,
    ``&`` and ``,`` (the directive's own syntax) to be encoded; encoding ``.``, ``:`` and ``/``
    as well keeps quoted text from ever reading as an address inside the link."""
    return "".join(
        c
        if c.isascii() and c.isalnum()
        else quote(c, safe="")
        if not c.isascii()
        else f"%{ord(c):02X}"
        for c in text
    )


def text_fragment(excerpt: str, words: int = FRAGMENT_WORDS) -> str | None:
    """``:~:text=`` directive for a quote: the whole quote when short, else its first and last
    ``words`` words (``textStart,textEnd``). None when the quote has no text."""
    segments = [" ".join(s.split()) for s in _EDITORIAL.split(str(excerpt or ""))]
    segments = [s for s in segments if s.strip(" .,;:")]
    if not segments:
        return None
    first, last = segments[0].split(), segments[-1].split()
    if len(segments) == 1 and len(first) <= 2 * words:
        return ":~:text=" + fragment_encode(" ".join(first))
    start = " ".join(first[:words])
    end = " ".join(last[-words:])
    return ":~:text=" + fragment_encode(start) + "," + fragment_encode(end)


def locator_page(locator) -> int | None:
    """The page a locator names ('p. 12, table 3' -> 12), else None."""
    m = _PAGE.search(str(locator or ""))
    return int(m.group(1)) if m and int(m.group(1)) > 0 else None


def is_pdf(url: str) -> bool:
    from urllib.parse import urlsplit

    return urlsplit(str(url)).path.lower().endswith(".pdf")


def quote_link(url, excerpt, locator=None) -> str | None:
    """A link that opens the source at its quote: for a PDF, ``#page=N`` when the locator gives
    a page (else None); for an HTML page, a text fragment of the quote. None when ``url`` is not
    an http(s) URL or there is nothing to point at. An existing fragment is kept (the directive
    follows it, as the spec allows); a PDF's own fragment is replaced."""
    from urllib.parse import urlsplit

    raw = str(url or "").strip()
    if urlsplit(raw).scheme.lower() not in ("http", "https"):
        return None
    base, _, frag = raw.partition("#")
    if is_pdf(base):
        page = locator_page(locator)
        return None if page is None else clean_url(f"{base}#page={page}")
    directive = text_fragment(excerpt)
    if directive is None:
        return None
    frag = frag.split(":~:", 1)[0]
    return clean_url(base) + "#" + frag + directive
