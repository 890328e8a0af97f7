"""Property-based fuzzing of every page's URL parameters through AppTest.

A shared link is untrusted input: any key, any value, repeated, unicode, very long. Whatever the
query string, a page runs without exception or error element, and says briefly when a parameter
was not understood (``common.param_notice``) instead of failing or silently ignoring it.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from figures import data, views
from tests.conftest import FIGURES, PAGES, ROOT

APP = str(ROOT / "app.py")

#: Widget types whose key is a URL parameter that only takes certain values.
CHOICE_WIDGETS = {
    "Selectbox",
    "Multiselect",
    "Radio",
    "Toggle",
    "Checkbox",
    "Slider",
    "SelectSlider",
    "NumberInput",
    "DateInput",
    "ButtonGroup",
}
#: Widget types whose key takes free text: any value is understood.
FREE_WIDGETS = {"TextInput", "TextArea"}

#: No option of any widget starts with this, so a value carrying it is never valid.
JUNK = "\u2603junk:"
NOTICE = "not understood"


def _keys(node, out: dict[str, str]) -> dict[str, str]:
    children = getattr(node, "children", None)
    for child in (children or {}).values() if isinstance(children, dict) else []:
        _keys(child, out)
    key = getattr(node, "key", None)
    kind = type(node).__name__
    if key and (kind in CHOICE_WIDGETS or kind in FREE_WIDGETS):
        out[key] = kind
    return out


_SESSIONS: dict[str, tuple[AppTest, dict[str, str]]] = {}


@pytest.fixture(scope="module", autouse=True)
def fixture_data():
    """Every page reads tests/fixtures/figures.csv (as every test but tests/test_dataset.py)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(data.ENV_VAR, str(FIGURES))
        yield
    _SESSIONS.clear()


def session(page: str) -> tuple[AppTest, dict[str, str]]:
    """One AppTest per page (a reader's session receiving link after link), and the page's
    widget keys by widget type."""
    if page not in _SESSIONS:
        at = AppTest.from_file(APP, default_timeout=60).run()
        at.switch_page(f"figures/ui/{page}.py").run()
        assert not at.exception, page
        _SESSIONS[page] = (at, _keys(at._tree, {}))
    return _SESSIONS[page]


def open_with(at: AppTest, page: str, params: dict[str, object]) -> AppTest:
    at.switch_page(f"figures/ui/{page}.py")
    at.query_params.clear()
    at.query_params.update(params)
    return at.run()


def assert_page_ok(at: AppTest, page: str) -> None:
    assert not at.exception, (page, [e.message for e in at.exception])
    assert not at.error, (page, [e.value for e in at.error])
    assert at.title, page


def has_notice(at: AppTest) -> bool:
    return any(NOTICE in i.value for i in at.info)


# --- strategies -------------------------------------------------------------------------------

_chars = st.characters(blacklist_categories=("Cs",))  # any code point a URL can carry
_short = st.text(_chars, max_size=30)
_long = st.builds(lambda s, n: (s or "x") * n, st.text(_chars, max_size=5), st.integers(200, 2000))
_tricky = st.sampled_from(
    [
        "",
        "true",
        "false",
        "True",
        "1",
        "-1",
        "1e309",
        "NaN",
        "null",
        "%00",
        "%",
        "&",
        "=",
        "#",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "' OR 1=1 --",
        "\u202e\u200b",
        "2005,2015",
        "2015,2005",
    ]
)
VALUES = st.one_of(_short, _long, _tricky)
JUNK_VALUES = VALUES.map(lambda v: JUNK + v)
RANDOM_KEYS = st.one_of(
    st.text(_chars, min_size=1, max_size=30),
    st.builds(lambda n: "k" * n, st.integers(100, 3000)),
    st.sampled_from(["page", "log", "src_", "cmp", "q", "__proto__", "constructor", "a b", "ü"]),
)


@st.composite
def query(draw, own: dict[str, str]) -> tuple[dict[str, object], bool]:
    """(query params, whether a notice is required)."""
    params: dict[str, object] = {}
    must_notice = False
    for key in draw(st.lists(st.sampled_from(sorted(own)), unique=True)) if own else []:
        how = draw(st.sampled_from(["junk", "junk-repeated", "any", "any-repeated"]))
        if how == "junk":
            params[key] = draw(JUNK_VALUES)
        elif how == "junk-repeated":
            params[key] = draw(st.lists(JUNK_VALUES, min_size=2, max_size=4))
        elif how == "any":
            params[key] = draw(VALUES)
        else:
            params[key] = draw(st.lists(VALUES, min_size=2, max_size=4))
        must_notice = must_notice or (how.startswith("junk") and own[key] in CHOICE_WIDGETS)
    for _ in range(draw(st.integers(0, 3))):
        key = draw(RANDOM_KEYS)
        if key in own or key.lower() in views.FRAMEWORK_PARAMS or key in params:
            continue
        params[key] = draw(st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=3)))
        must_notice = True
    return params, must_notice


# --- the properties ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_survives_any_query_and_flags_what_it_does_not_understand(page):
    at, own = session(page)

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(case=query(own))
    def check(case):
        params, must_notice = case
        open_with(at, page, params)
        assert_page_ok(at, page)
        if must_notice:
            assert has_notice(at), (page, params)

    check()


@pytest.mark.parametrize("page", PAGES)
def test_fresh_link_with_junk_in_every_parameter_shows_one_notice(page):
    """A new reader opening a link whose every parameter is malformed sees the default view
    and a notice naming the parameters."""
    _, own = session(page)
    params: dict[str, object] = {k: JUNK + "x" for k, kind in own.items() if kind in CHOICE_WIDGETS}
    params["bogus"] = "1"
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(f"figures/ui/{page}.py")
    at.query_params.update(params)
    at.run()
    assert_page_ok(at, page)
    notices = [i.value for i in at.info if NOTICE in i.value]
    assert len(notices) == 1, notices
    for key in params:
        assert key.replace("_", "\\_") in notices[0] or key in notices[0], (key, notices[0])


def test_unknown_parameter_does_not_change_the_view():
    at = AppTest.from_file(APP, default_timeout=60).run()
    before = [c.proto.spec for c in at.get("plotly_chart")]
    at2 = AppTest.from_file(APP, default_timeout=60)
    at2.query_params.update({"zz\u2603": "x" * 5000, "log": JUNK})
    at2.run()
    assert_page_ok(at2, "overview")
    assert [c.proto.spec for c in at2.get("plotly_chart")] == before
    assert has_notice(at2)
