"""The article check: claims.csv validation, every verdict rule, the CLI and the page.

The verdicts of the shipped claims are pinned in tests/test_dataset.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from figures import charts, claims, data
from figures import schema as S
from figures.claims import Claim
from tests.conftest import FIGURES, ROOT, VALID, to_csv, valid_rows

APP = str(ROOT / "app.py")
AS_OF = pd.Timestamp("2020-02-21")

# --- small in-memory tables -----------------------------------------------------------------------

_HEADER, _ROWS = valid_rows()
_TEMPLATE = dict(_ROWS[0], supersedes="", edition="", caveat="")


def figure(figure_id: str, **kw) -> dict[str, str]:
    """One figure row, like the fixture's first one, with the given fields changed."""
    row = dict(_TEMPLATE, figure_id=figure_id)
    row.update({k: str(v) for k, v in kw.items()})
    return row


def table(*rows: dict[str, str]) -> pd.DataFrame:
    """A validated figures frame, through the real loader."""
    return data.parse_figures(to_csv(_HEADER, list(rows)), "test.csv")


def claim(value: int, qualifier: str = "exact", **kw) -> Claim:
    base = {
        "claim_id": "c",
        "claim": "test claim",
        "value": value,
        "qualifier": qualifier,
        "category": "us_military",
        "measure": "killed",
        "as_of": AS_OF,
        "figure_ids": ("f",),
    }
    base.update(kw)
    return Claim(**base)


def verdict_for(c: Claim, *rows: dict[str, str]) -> claims.Verdict:
    return claims.evaluate(c, table(*rows))


def one(value, **kw) -> dict[str, str]:
    return figure("f", value=value, **kw)


#: Three editions of one series, as Costs of War published them.
EDITIONS = (
    figure("ed-2018", value=58596, published="2018-11-01", edition="Nov 2018"),
    figure(
        "ed-2019",
        value=64124,
        published="2019-11-13",
        period_end="2019-10-31",
        edition="Nov 2019",
        supersedes="ed-2018",
    ),
    figure(
        "ed-2021",
        value="",
        low=66000,
        high=69000,
        published="2021-05-02",
        period_end="2021-04-30",
        edition="Apr 2021",
        supersedes="ed-2019",
    ),
)


# --- reading the article's number ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit"),
    [(58000, 1000), (3500, 100), (2309, 1), (42000, 1000), (100000, 10000), (7, 1), (0, 1)],
)
def test_precision_is_the_claims_own_last_digit_with_two_significant_digits(value, unit):
    assert claims.precision(value) == unit


@pytest.mark.parametrize(
    ("qualifier", "value", "high", "bounds"),
    [
        (
            "exact",
            58000,
            None,
            (57500, 58999),
        ),  # rounded (57,500-58,499) or cut down (58,000-58,999)
        ("exact", 2309, None, (2309, 2309)),
        ("nearly", 3500, None, (3325, 3500)),
        ("about", 1000, None, (950, 1050)),
        ("at_least", 100, None, (100, None)),
        ("more_than", 2300, None, (2301, None)),
        ("up_to", 20, None, (0, 20)),
        ("at_least", 20000, 99999, (20000, 99999)),  # "tens of thousands"
        ("more_than", 20000, 99999, (20001, 99999)),
    ],
)
def test_claimed_bounds_follow_the_qualifier(qualifier, value, high, bounds):
    assert claims.claimed_bounds(claim(value, qualifier, high=high)) == bounds


def test_vague_quantities_are_the_plural_of_the_unit():
    assert claims.VAGUE_QUANTITIES["thousands"] == (2000, 9999)
    assert claims.VAGUE_QUANTITIES["tens of thousands"] == (20000, 99999)


@pytest.mark.parametrize(
    ("pct", "text"),
    [(12.3, "12%"), (-9.55, "9.6%"), (0.79, "0.8%"), (2.0, "2%"), (0.01, "less than 0.1%")],
)
def test_percentages_are_written_for_people(pct, text):
    assert claims.fmt_pct(pct) == text


# --- one claim against one figure ---------------------------------------------------------------


def test_rounded_claim_holds_when_the_figure_rounds_to_it():
    v = verdict_for(claim(42000), one(42100))
    assert v.kind == claims.V_HOLDS
    assert "rounds to 42,000" in v.explanation


def test_rounded_claim_holds_when_the_figure_is_cut_down_to_it_and_says_so():
    v = verdict_for(claim(58000), one(58596))
    assert v.kind == claims.V_HOLDS
    assert "cut down to thousands" in v.explanation
    assert "rounded it would be 59,000" in v.explanation


def test_rounded_claim_understates_a_figure_outside_its_precision():
    v = verdict_for(claim(58000), one(59000))
    assert v.kind == claims.V_UNDERSTATES
    assert v.pct == pytest.approx((58000 - 59000) / 59000 * 100)
    assert v.badge == "▼ Understates by 1.7%"


def test_unrounded_claim_must_match_exactly():
    assert verdict_for(claim(2309), one(2309)).kind == claims.V_HOLDS
    assert verdict_for(claim(2309), one(2310)).kind == claims.V_UNDERSTATES


@pytest.mark.parametrize(
    ("figure_value", "kind"),
    [
        (3500, claims.V_HOLDS),
        (3400, claims.V_HOLDS),
        (3325, claims.V_HOLDS),
        (3324, claims.V_OVERSTATES),  # more than 5% below
        (3528, claims.V_UNDERSTATES),  # above: not "nearly"
    ],
)
def test_nearly_holds_up_to_five_percent_below_and_never_above(figure_value, kind):
    assert verdict_for(claim(3500, "nearly"), one(figure_value)).kind == kind


def test_nearly_against_a_higher_figure_gives_the_shortfall():
    v = verdict_for(claim(3500, "nearly"), one(3528))
    assert v.pct == pytest.approx((3500 - 3528) / 3528 * 100)
    assert v.badge == "▼ Understates by 0.8%"
    assert "3,325–3,500" in v.explanation


@pytest.mark.parametrize(
    ("figure_value", "kind"),
    [(2309, claims.V_HOLDS), (2300, claims.V_OVERSTATES), (2298, claims.V_OVERSTATES)],
)
def test_more_than_holds_only_above_the_number(figure_value, kind):
    assert verdict_for(claim(2300, "more_than"), one(figure_value)).kind == kind


def test_more_than_overstating_gives_the_excess():
    v = verdict_for(claim(2300, "more_than"), one(2298))
    assert v.badge == "▲ Overstates by 0.1%"


def test_at_least_includes_the_number_itself():
    assert verdict_for(claim(2300, "at_least"), one(2300)).kind == claims.V_HOLDS


@pytest.mark.parametrize(
    ("figure_value", "kind"),
    [(950, claims.V_HOLDS), (1050, claims.V_HOLDS), (1051, claims.V_UNDERSTATES)],
)
def test_about_allows_five_percent_either_way(figure_value, kind):
    assert verdict_for(claim(1000, "about"), one(figure_value)).kind == kind


def test_up_to_holds_at_or_below_the_number():
    assert verdict_for(claim(20, "up_to"), one(19)).kind == claims.V_HOLDS
    assert verdict_for(claim(20, "up_to"), one(21)).kind == claims.V_UNDERSTATES


@pytest.mark.parametrize(
    ("figure_value", "kind"),
    [(2309, claims.V_HOLDS), (1909, claims.V_OVERSTATES), (12000, claims.V_UNDERSTATES)],
)
def test_vague_quantity_holds_inside_its_range(figure_value, kind):
    c = claim(2000, "at_least", high=9999, stated_as="thousands")
    v = verdict_for(c, one(figure_value))
    assert v.kind == kind
    if kind == claims.V_UNDERSTATES:  # the upper bound is the claim's nearest number
        assert v.pct == pytest.approx((9999 - 12000) / 12000 * 100)


def test_figure_stated_more_than_counts_as_the_least_it_can_be():
    same = verdict_for(claim(32000, "more_than"), one(32000, qualifier="more_than"))
    assert same.kind == claims.V_HOLDS
    assert "the same number in the same words" in same.explanation
    assert verdict_for(claim(32000), one(32000, qualifier="more_than")).kind == claims.V_HOLDS


def test_range_only_figure_holds_when_the_ranges_overlap():
    assert verdict_for(claim(67000), one("", low=66000, high=69000)).kind == claims.V_HOLDS
    v = verdict_for(claim(58000), one("", low=66000, high=69000))
    assert v.kind == claims.V_UNDERSTATES
    assert v.pct == pytest.approx((58000 - 66000) / 66000 * 100)


# --- editions ------------------------------------------------------------------------------------


def test_claim_matching_only_an_older_edition_says_so():
    c = claim(58000, category="afghan_security_forces", figure_ids=("ed-2018",))
    v = verdict_for(c, *(dict(r, category="afghan_security_forces") for r in EDITIONS))
    assert v.kind == claims.V_HOLDS_OLDER
    assert v.badge == "◐ Holds only for an older edition"
    assert v.matched[S.FIGURE_ID] == "ed-2018"
    assert v.at_date[S.FIGURE_ID] == "ed-2019"
    assert v.latest[S.FIGURE_ID] == "ed-2021"
    assert v.pct == pytest.approx((58000 - 64124) / 64124 * 100)
    for part in ("Nov 2018", "58,596", "Nov 2019", "64,124", "13 Nov 2019", "9.6%"):
        assert part in v.explanation
    assert "66,000–69,000" in v.latest_text


def test_edition_current_at_the_article_date_is_the_latest_published_by_then():
    c = claim(58000, figure_ids=("ed-2021",), as_of=pd.Timestamp("2019-01-01"))
    v = verdict_for(c, *EDITIONS)  # cited by its latest edition: the chain is the same
    assert v.at_date[S.FIGURE_ID] == "ed-2018"
    assert v.kind == claims.V_HOLDS


def test_figure_published_after_the_article_is_used_and_flagged():
    c = claim(58000, figure_ids=("ed-2018",), as_of=pd.Timestamp("2018-10-01"))
    v = verdict_for(c, *EDITIONS)
    assert v.at_date[S.FIGURE_ID] == "ed-2018"
    assert "published 31 days after the article's date" in v.explanation


def test_edition_chain_follows_supersedes_both_ways():
    df = table(*EDITIONS)
    for fid in ("ed-2018", "ed-2019", "ed-2021"):
        assert list(claims.edition_chain(df, fid)[S.FIGURE_ID]) == ["ed-2018", "ed-2019", "ed-2021"]


def test_latest_edition_that_is_current_says_nothing_later_is_linked():
    v = verdict_for(claim(42000), one(42100))
    assert "no later edition" in v.latest_text


# --- scope ---------------------------------------------------------------------------------------


def test_no_figure_cited_cannot_be_checked():
    c = claim(
        1,
        figure_ids=(),
        period_start=pd.Timestamp("2019-09-05"),
        period_end=pd.Timestamp("2019-09-05"),
    )
    v = verdict_for(c, one(5))
    assert v.kind == claims.V_CANNOT
    assert v.badge == "? Cannot be checked"
    assert "no figure of US military killed for 5 Sep 2019" in v.explanation


def test_non_casualty_claim_cannot_be_checked_and_says_why():
    c = claim(5400, category="us_troops", measure="troops", figure_ids=())
    v = verdict_for(c, one(5))
    assert v.kind == claims.V_CANNOT
    assert "casualty figures only" in v.explanation


def test_figure_of_another_category_cannot_check_the_claim():
    v = verdict_for(claim(2300), one(2300, category="civilians"))
    assert v.kind == claims.V_CANNOT
    assert "None of the cited figures counts US military killed" in v.explanation


def test_reference_is_the_first_cited_figure_of_the_same_kind():
    c = claim(2300, "more_than", figure_ids=("other", "f"))
    v = verdict_for(c, figure("other", value=10, category="civilians"), one(2309))
    assert v.reference[S.FIGURE_ID] == "f"
    assert v.kind == claims.V_HOLDS
    assert [cmp.outcome for _, cmp in v.comparisons] == [claims.OTHER_SCOPE, claims.HOLDS]


def part_claim(**kw) -> Claim:
    base = {
        "category": "afghan_security_forces",
        "measure": "killed_and_injured",
        "high": 99999,
        "stated_as": "tens of thousands",
    }
    base.update(kw)
    return claim(20000, "at_least", **base)


def part_figure(value) -> dict[str, str]:
    return one(value, category="afghan_security_forces", measure="killed")


def test_deaths_alone_can_show_a_killed_and_injured_claim_holds_as_a_minimum():
    v = verdict_for(part_claim(), part_figure(64124))
    assert v.kind == claims.V_MINIMUM
    assert v.badge == "◔ Holds as a minimum"
    assert "deaths alone, without the injured" in v.explanation


def test_deaths_alone_above_the_claimed_range_show_it_understates():
    assert verdict_for(part_claim(), part_figure(120000)).kind == claims.V_UNDERSTATES


def test_deaths_alone_below_the_claimed_bound_cannot_check_it():
    assert verdict_for(part_claim(), part_figure(5000)).kind == claims.V_CANNOT


def test_open_ended_killed_and_injured_claim_holds_fully_from_deaths_alone():
    c = part_claim(high=None)
    assert verdict_for(c, part_figure(64124)).kind == claims.V_HOLDS


def test_count_starting_later_than_the_claim_is_named_in_the_explanation():
    c = claim(
        32000,
        "more_than",
        category="civilians",
        period_start=pd.Timestamp("2001-10-07"),
        geography="afghanistan",
        cited_date="2019-02",
    )
    row = one(
        32000,
        qualifier="more_than",
        category="civilians",
        period_start="2009-01-01",
        period_end="2018-12-31",
        published="2019-02-24",
        publisher="UNAMA",
        geography="in_and_around_afghanistan",
    )
    v = verdict_for(c, row)
    assert v.kind == claims.V_HOLDS
    assert "counts only from 1 Jan 2009, not from 7 Oct 2001" in v.explanation
    assert "in and around Afghanistan, not only in Afghanistan" in v.explanation
    assert "published in Feb 2019, as the article says" in v.explanation
    assert v.explanation.startswith("UNAMA, published 24 Feb 2019, gives more than 32,000")


def test_wrong_source_date_is_named():
    c = claim(2300, "more_than", cited_date="2019-02")
    v = verdict_for(c, one(2309, published="2020-02-25"))
    assert "published in Feb 2020, not Feb 2019 as the article says" in v.explanation


def test_badges_carry_words_and_a_symbol_not_only_colour():
    for kind, word in [
        (claims.V_HOLDS, "Holds"),
        (claims.V_HOLDS_OLDER, "older edition"),
        (claims.V_OVERSTATES, "Overstates"),
        (claims.V_UNDERSTATES, "Understates"),
        (claims.V_MINIMUM, "minimum"),
        (claims.V_CANNOT, "Cannot be checked"),
    ]:
        v = claims.Verdict(claim(1), kind, "", pct=5.0)
        assert word in v.badge
        assert v.badge[0] in "✔◐▲▼◔?"
        assert v.color in {"green", "orange", "red", "blue", "gray"}


# --- validation ----------------------------------------------------------------------------------

CLAIMS_HEADER = ",".join(c.name for c in claims.CLAIM_COLUMNS)


def claims_text(*lines: str) -> str:
    return CLAIMS_HEADER + "\n" + "\n".join(lines) + "\n"


GOOD = (
    'us-deaths,Americans killed,"more than 2,300",2300,,more_than,us_military,killed,'
    "2001-10-07,2020-02-21,afghanistan,,,2020-02-21,f"
)


def problems(text: str, figures=None) -> list[str]:
    with pytest.raises(claims.ClaimsError) as info:
        claims.parse_claims(text, figures, "claims.csv")
    return [str(p) for p in info.value.problems]


def test_valid_claims_parse():
    (c,) = claims.parse_claims(claims_text(GOOD), table(one(2309)), "claims.csv")
    assert c.claim_id == "us-deaths"
    assert c.value == 2300 and c.high is None
    assert c.figure_ids == ("f",)
    assert c.as_of == AS_OF
    assert c.line == 2


def test_minimal_header_is_enough():
    text = "claim_id,claim,claimed_value,qualifier,category,measure,as_of,figure_ids\n"
    text += "x,a claim,5,exact,us_military,killed,2020-02-21,\n"
    (c,) = claims.parse_claims(text)
    assert c.figure_ids == () and c.stated_as == "" and c.words == "5"


def test_validation_names_line_column_and_value():
    bad = GOOD.replace("more_than", "roughly").replace(",2300,", ',"2,300",')
    found = problems(claims_text(GOOD.replace("us-deaths", "ok-one"), bad))
    assert (
        "claims.csv:3: claimed_value: must be a whole number >= 0 written with digits only (got '2,300')"
        in found
    )
    assert any(p.startswith("claims.csv:3: qualifier: must be one of: exact,") for p in found)
    assert len(found) == 2


def test_validation_rejects_an_unknown_figure_id():
    found = problems(claims_text(GOOD.replace(",f", ",f;no-such-figure")), table(one(2309)))
    assert found == [
        "claims.csv:2: figure_ids: points at no figure_id in the figures (got 'no-such-figure')"
    ]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s + "\n" + s, "claims.csv:3: claim_id: duplicate id"),
        (
            lambda s: s.replace("2300,,more_than", "2300,2000,more_than"),
            "claims.csv:2: claimed_high: must not be below",
        ),
        (
            lambda s: s.replace("2300,,more_than", "3300,3400,nearly"),
            "claims.csv:2: claimed_high: a range is allowed only",
        ),
        (
            lambda s: s.replace("2020-02-21,f", "2020-02-30,f"),
            "claims.csv:2: as_of: must be a real date",
        ),
        (
            lambda s: s.replace("2001-10-07,2020-02-21", "2021-10-07,2020-02-21"),
            "claims.csv:2: period_end: must not be before",
        ),
        (lambda s: s.replace(",afghanistan,", ",mars,"), "claims.csv:2: geography: must be one of"),
        (
            lambda s: s.replace(",,,2020", ",,2019-2,2020"),
            "claims.csv:2: cited_date: must be a month",
        ),
        (
            lambda s: s.replace(",f", ",F;"),
            "claims.csv:2: figure_ids: each id must be a figure_id slug",
        ),
        (
            lambda s: s.replace("us-deaths,Americans killed", "us-deaths,"),
            "claims.csv:2: claim: is required",
        ),
        (
            lambda s: s.replace(",killed,", ",killed,extra,"),
            "claims.csv:2: row has too many fields",
        ),
    ],
)
def test_validation_rejects(edit, message):
    found = problems(claims_text(edit(GOOD)))
    assert any(p.startswith(message) for p in found), found


def test_validation_reports_missing_header_columns_and_empty_files():
    assert problems("claim_id,claim\n")[0].startswith(
        "claims.csv:1: claimed_value: required column is missing from the header"
    )
    assert problems("")[0].startswith("claims.csv:1: file is empty")


def test_missing_claims_file_is_a_file_error(tmp_path):
    with pytest.raises(claims.ClaimsFileError):
        claims.load_claims(None, tmp_path / "none.csv")


# --- chart ---------------------------------------------------------------------------------------


def test_claim_chart_draws_the_claimed_range_and_each_figure_with_its_range():
    rows = table(*EDITIONS)
    labels = [claims.figure_label(r) for _, r in rows.iterrows()]
    roles = ["Older edition", "Edition current at the article's date", "Later edition"]
    fig = charts.claim_chart("'58,000'", 57500, 58999, rows, labels, roles)
    article = fig.data[0]
    assert article.base[0] == 57500 and article.marker.pattern.shape == "/"
    names = [t.name for t in fig.data]
    assert "Later edition (range only)" in names  # 66,000–69,000 as a floating bar
    ranged = next(t for t in fig.data if t.name == "Later edition (range only)")
    assert ranged.base[0] == 66000 and ranged.x[0] == 3000
    symbols = {t.marker.symbol for t in fig.data if t.type == "scatter"}
    assert len(symbols) == 2  # one symbol per role, not colour alone
    assert "Sources:" in fig.layout.annotations[-1].text
    alt = charts.claim_alt("'58,000'", 57500, 58999, rows, labels, roles)
    for part in ("57,500 to 58,999", "58,596", "64,124", "66,000–69,000", "not added up"):
        assert part in alt


def test_claim_chart_open_ended_claim_runs_to_the_axis_end():
    rows = table(one(2309))
    fig = charts.claim_chart(
        "'more than 2,300'", 2301, None, rows, ["Statista"], ["Other cited figure"]
    )
    article = fig.data[0]
    assert article.base[0] + article.x[0] == pytest.approx(fig.layout.xaxis.range[1])
    assert "or more" in article.text[0]


# --- command line --------------------------------------------------------------------------------


def cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "figures", *args], capture_output=True, text=True, cwd=cwd
    )


def test_cli_claims_invalid_file_exits_1_with_line_and_column(tmp_path):
    bad = tmp_path / "claims.csv"
    bad.write_text(claims_text(GOOD.replace("more_than", "roughly")), encoding="utf-8")
    r = cli("claims", "--claims", str(bad), cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert any(line.startswith("claims.csv:2: qualifier: must be one of") for line in lines), lines
    assert "claims.csv:2: figure_ids: points at no figure_id in the figures (got 'f')" in lines
    assert "2 problems in the claims; none was checked." in lines
    assert "Traceback" not in r.stderr


def test_cli_claims_missing_file_exits_2(tmp_path):
    r = cli("claims", "--claims", str(tmp_path / "none.csv"))
    assert r.returncode == 2
    assert "file not found" in r.stderr and "Traceback" not in r.stderr


# --- the page ------------------------------------------------------------------------------------
# On tests/fixtures/figures.csv, with data/claims.csv: the page has no way to read other claims.
# The shipped claims' verdicts, in the CLI and on the page, are pinned in tests/test_dataset.py.


def open_page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page("figures/ui/article.py").run()
    return at


def test_article_page_malformed_claim_in_the_url_shows_a_notice():
    at = open_page({"art_claim": "no-such-claim"})
    assert not at.exception and not at.error
    assert any("not understood" in i.value and "art\\_claim" in i.value for i in at.info)
    assert at.selectbox(key="art_claim").value  # the default claim is shown
    assert len(at.get("plotly_chart")) == 1


def test_article_page_with_other_figures_shows_a_notice_not_an_exception(monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(VALID))
    at = open_page()
    assert not at.exception and not at.error
    assert "could not be checked" in at.warning[0].value
    assert "figure_ids: points at no figure_id" in at.code[0].value


def test_article_page_reads_the_claims_file_named_by_figures_claims(monkeypatch, tmp_path):
    from figures import pages

    lines = Path(claims.DEFAULT_PATH).read_text(encoding="utf-8").splitlines()
    chosen = tmp_path / "claims.csv"
    chosen.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    monkeypatch.setenv(claims.ENV_VAR, str(chosen))
    df = data.load_figures(FIGURES)
    assert pages.cache_key("article")[0] == str(chosen)
    (param,) = [p for p in pages.params_of(df, "article") if p.name == "art_claim"]
    wanted = {line.split(",", 1)[0] for line in lines[1:3]}
    assert set(param.all_options()) == wanted
    view = pages.page("article").build(df, pages.default_state((param,)))
    assert len(view.text_tables[0].rows) == 2  # the summary lists the file's two claims
