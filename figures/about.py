"""Text of the About page and the status explanations, as Markdown. Pure: no Streamlit.

The wording follows the project's source dossier (``../shared/sources/README.md`` and the
"Definitions" / "Caveats" sections of each dossier file). It is our own text, not data, so it is
written as Markdown directly; data text never goes in here.
"""

from __future__ import annotations

from figures import schema as S

#: What each status means for a reader, and how the dashboard treats it.
STATUS_EXPLANATIONS: dict[str, str] = {
    "PRIMARY": (
        "Seen on the publisher's own document or page, or on a faithful copy of the whole "
        "document (for example a PDF hosting site or a UN-system repost)."
    ),
    "SECONDARY": (
        "Reported by a news outlet or another secondary page quoting the publisher. It is shown "
        "attributed ('reported by …'), preferably only until the publisher's own document is "
        "found."
    ),
    "DERIVED": (
        "Computed from other figures, not printed by any publisher. The excerpt shows the "
        "computation. Computed figures never add up figures of different scope."
    ),
}

INTRO = """\
This dashboard collects the casualty figures of the 2001–2021 war in Afghanistan that the public
debate cites, and shows each one with the document that published it. It does not produce
figures of its own: it shows what the sources say, how they counted, and why their numbers differ.
"""

DEFINITIONS = """\
### Definitions

**Documented count and estimate.** A *documented count* lists deaths case by case (UNAMA for
civilians, the US Department of Defense for US troops, iCasualties.org for coalition troops,
national name lists, journalists' tallies). It is a minimum: deaths that could not be verified
are left out. An *estimate* models what documentation misses (Costs of War, UCDP best
estimates). An *official statement* is a total announced by an official or a government without
a published case list.
Documented minimums and estimates are shown side by side, never added up.

**Direct deaths and all deaths.** Costs of War counts *direct* deaths: deaths caused by war
violence. It leaves out *indirect* deaths (from loss of access to food, water, health care or
infrastructure, from war-related disease, or from displacement), which it says are usually more
numerous. Its totals are therefore not "all deaths" of the war. UCDP and ACLED count conflict
deaths of all parties together (combatants and civilians) under their own rules.

**Operation Enduring Freedom in all locations, and Afghanistan only.** The US Department of
Defense counted Operation Enduring Freedom (OEF, 7 Oct 2001 – 31 Dec 2014) in many places besides
Afghanistan, such as Guantánamo, Djibouti and the Philippines. Its headline total for the war adds
OEF in all locations and Operation Freedom's Sentinel (OFS, 1 Jan 2015 – 30 Aug 2021). Its
Afghanistan-only count is lower. Figures from 2011 that cover "in and around Afghanistan"
(Afghanistan, Pakistan, Uzbekistan) are not comparable with later "Afghanistan only" figures.
Some totals also cover Afghanistan *and Pakistan*; the geography of every figure is stated.

**Hostile and non-hostile deaths.** The Defense Department calls a death *hostile* when it
results from combat, attack or terrorist activity, and *non-hostile* when it is not directly
attributable to hostile action (accidents, illness, self-inflicted wounds). "Killed in action"
totals count hostile deaths only, so they are lower than totals of all deaths. US "wounded in
action" counts hostile wounds only.

**Killed and casualties.** In UNAMA's reports, *civilian casualties* means civilians killed
*plus* civilians injured. Several Afghan government and SIGAR figures also give killed and wounded
together. Every figure here says what it counts: killed, injured, or killed and injured together.

**Editions and revisions.** Publishers revise their numbers: UNAMA restates earlier years in each
annual report, Costs of War re-estimates every category in each edition, and Defense Department
totals grow as late deaths are added. Every published value is kept as its own row; a revision
names the value it replaces (the `supersedes` column). Charts show the latest revision by default.
Editions are not a time series: subtracting one edition from another does not give the deaths in
between, because definitions and sources change between editions.

**Statuses.** Every figure has a status that says how far it was checked:

- **PRIMARY**: {PRIMARY}
- **SECONDARY**: {SECONDARY}
- **DERIVED**: {DERIVED}

Figures the dossier marks **UNCONFIRMED** (not seen in any source, or seen only on a page too
unreliable to count as a secondary source) are never published here.

**Qualifiers and ranges.** A number the source qualifies ("more than", "at least", "about",
"nearly", "up to") keeps its qualifier. Where a source gives a range, both ends are kept and drawn;
no midpoint is invented.
""".format(**STATUS_EXPLANATIONS)

SOURCING = """\
### How the figures were sourced

Every figure comes from the project's source dossier, a research record that gives, for each
number, the public address where it can be read, the date of that page, a short quote showing the
number as printed, and a status. The dataset was built from the dossier one file at a time, and
every row was checked against the dossier's text.

- Numbers are copied as the source states them: never rounded, corrected or invented. The only
  computed figures are marked DERIVED and show their computation.
- A range stays a range; a qualifier ("more than") stays with its number.
- Figures marked UNCONFIRMED in the dossier are never published. Figures the dossier says not to
  use (misprints, totals that mix different scopes) were left out.
- First-published values and later revisions are both kept, linked to each other.

Every row of the data names its publisher, the document's title and address, its publication
date, the excerpt, and the caveats a reader needs. The *Data & sources* page lists them all and
shows the full record of any one figure.
"""

CITING = """\
### How to cite

When you use a figure, cite its publisher and document (every row names them and links to the
document). To cite this compilation, use the citation below or the BibTeX on the *Data & sources*
page; a shared link to any page of this dashboard reopens the same view.
"""

LICENCE = """\
### Licence

The code is released under the MIT licence. The compiled dataset (`casualties.csv` and
`datapackage.json`) is released under the Creative Commons Attribution 4.0 licence (CC BY 4.0).
The figures themselves are facts reported by their publishers, who are credited in every row; the
excerpts are short quotations that show each number as printed.
"""

REPORTING = """\
### Reporting an error in a figure

If a figure looks wrong, open an issue on the project's public issue tracker (the Issues tab of
its repository), or tell the maintainers through the address the hosted copy gives, and give:

1. the figure's id (the `figure_id` column, shown on the *Data & sources* page);
2. the source you checked (publisher and document);
3. the correct value, with a link to the page or document where it can be read.

A figure is changed only when the correction can be read in a source. A new edition of a figure is
added as a new row that supersedes the old value, which stays in the data.
"""

MAINTAINERS = """\
### Who maintains it

The dashboard and its data are maintained by the casualty-figures project's maintainers, in the
project's public repository. Every change to a figure is made there, reviewed against the cited
source, and recorded in the corrections log below.
"""

#: The date of the data's last change (the re-sourcing below) and of its newest source document.
DATA_DATE = "26 November 2026"
NEWEST_SOURCE = "20 December 2025"

DATA_AS_OF = f"""\
### The data's date

The data was last changed on {DATA_DATE}. Its newest source document was published on
{NEWEST_SOURCE}; each figure counts up to the end of its own period, shown beside it.
"""

CORRECTIONS = """\
### Corrections log

- **26 November 2026: every figure re-sourced.** Each figure now cites the strongest source that
  could be read (the publisher's own document, a faithful copy of it, a news report naming the
  original, and a reference compilation only where nothing better exists), with a verbatim quote.
  Pages a news desk rejects (blogs, forums, scrapers, wiki mirrors) and placeholder quotes were
  removed; 533 figures became 430, duplicates of one statement being merged into one figure.
- **26 November 2026: fixes from the review.** UK seriously injured (616) now covers Operation
  Herrick, 2002–2014, armed forces and civilian personnel. The undated Bundeswehr article (27
  killed) is dated 27 Aug 2008, its newest event. UNAMA's 3,774 civilian casualties (15 Aug 2021 –
  30 May 2023) is cited on UNAMA's own press release. A rounded statement ("more than 20,000"
  wounded) no longer supersedes a documented count; the Joint Chiefs' 20,698 is the current US
  wounded figure. Periods that ended after their document's publication were corrected, and
  documents known only to the month are dated to the earliest day their figures allow.
"""

#: What the page shows under "Reporting an error": the maintainers, how to report, the data's
#: date and the corrections log (the page renders ``REPORTING``; each part is also its own name).
REPORTING = "\n".join([REPORTING, MAINTAINERS, DATA_AS_OF, CORRECTIONS])

SECTIONS: tuple[str, ...] = (DEFINITIONS, SOURCING, CITING, LICENCE, REPORTING)


def status_explanation(status: str) -> str:
    """What a status value means for a reader ('Seen on the publisher's own document …')."""
    return STATUS_EXPLANATIONS.get(status, S.value_label(S.STATUS, status))


def markdown() -> str:
    """The whole About text (without the citation, which depends on the address and the date)."""
    return "\n".join([INTRO, *SECTIONS])
