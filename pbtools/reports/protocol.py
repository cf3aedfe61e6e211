"""The protocol (minutes) of a hearing, built once as a ``Document`` in ky, ru or en; ``docx.py`` and ``pdf.py``
render it. Every figure comes from the hearing's folded state and its count; nothing here is stored.

    doc = build_protocol(state, "ky", citizens=citizens_budget(...), head_hash=records[-1].hash)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


from pbtools import __version__
from pbtools.budget.model import EXPENDITURE, REVENUE
from pbtools.dates import long_day
from pbtools.fmt import money, number, percent
from pbtools.hearings.decisions import DECISION_KINDS, LABELS, Minutes
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import CLOSED, EXECUTION, MOTION, alternatives, label, municipality_name, village_name
from pbtools.i18n import check_lang, gettext, translator
from pbtools.reports.document import Document, Fields, Heading, Items, Paragraph, Signatures, Table
from pbtools.reports.participants import participant_breakdowns
from pbtools.reports.voting import QuestionReport, question_blocks, question_reports


def share(part: int, whole: int, lang: str) -> str:
    return percent(Decimal(part) / Decimal(whole), lang) if whole else "—"


def _details(st: HearingState, lang: str, municipality: Any = None) -> Fields:
    _ = translator(lang)
    h = st.hearing
    rows = [
        (_("Municipality"), municipality_name(h.municipality, municipality, lang)),
        (_("Villages"), ", ".join(village_name(v, municipality, lang) for v in h.villages)),
        (_("Type of hearing"), label(h.type, lang)),
        (_("Date"), long_day(h.date, lang)),
        (_("Venue"), h.venue_in(lang)),
        (_("Chair"), h.chair),
        (_("Secretary"), h.secretary),
        (_("Facilitator"), h.facilitator),
        (_("Counting commission"), ", ".join(h.commission)),
    ]
    return Fields(tuple((k, v) for k, v in rows if v))


def _participants(st: HearingState, lang: str, municipality: Any = None) -> list:
    _ = translator(lang)
    c = st.counters
    blocks: list = [Fields((
        (_("Registered participants"), number(c.total, lang)),
        (_("Women"), f"{number(c.women, lang)} ({share(c.women, c.total, lang)})"),
        (_("Men"), f"{number(c.men, lang)} ({share(c.men, c.total, lang)})"),
        *([(_("Sex not given"), f"{number(c.sex_not_given, lang)} ({share(c.sex_not_given, c.total, lang)})")]
          if c.sex_not_given else []),
    ))]
    titles = {"age": _("Age group"), "village": _("Village"), "category": _("Category")}
    for by, rows in participant_breakdowns(st).items():
        body = [(village_name(r.key, municipality, lang) if by == "village" else label(r.key, lang), number(r.total, lang), share(r.total, c.total, lang),
                 number(r.women, lang), number(r.men, lang)) for r in rows]
        body.append((_("Total"), number(c.total, lang), share(c.total, c.total, lang), number(c.women, lang), number(c.men, lang)))
        blocks.append(Table((titles[by], _("Participants"), _("Share"), _("Women"), _("Men")), tuple(body),
                            (False, True, True, True, True), (4, 2, 2, 2, 2), total=True, id=f"participants-{by}"))
    return blocks


def _budget(st: HearingState, lang: str, citizens: Any, handed_in: bool = False) -> Fields:
    """Section 4. A hearing handed in from a laptop came without the budget it was presented with (it is not one
    of the hearing's records, docs/deployment.md): the protocol says so rather than look like the hall's."""
    _ = translator(lang)
    h = st.hearing
    options = st.sorted_options()
    rows = [
        (_("Budget for projects"), money(h.budget, lang)),
        (_("Options on the agenda"), number(len(options), lang)),
        (_("Total cost of the options"), money(_projects_cost(st), lang)),
    ]
    if handed_in and citizens is None:
        rows.append((_("Budget year, revenue, expenditure"),
                     _("not handed in with the hearing: they are in the protocol printed on the laptop")))
    elif handed_in:
        rows.append((_("Budget figures below"),
                     _("from the budget stored on this server, not handed in with the hearing: the hash at the end "
                       "does not cover them, and the protocol printed on the laptop may show others")))
    if citizens is not None:
        rows += [
            (_("Budget year"), str(citizens.year)),
            (_("Revenue"), money(citizens.revenue, lang)),
            (_("Own revenue"), money(citizens.own_revenue, lang)),
            (_("Equalisation grant"), money(citizens.grant, lang)),
            (_("Expenditure"), money(citizens.expenditure, lang)),
        ]
        if h.type == EXECUTION and citizens.execution_year is not None:
            for side, name in ((REVENUE, _("Revenue")), (EXPENDITURE, _("Expenditure"))):
                planned, executed = citizens.execution_totals(side)
                rows.append((_("{what} in {year}: planned / executed", what=name, year=citizens.execution_year),
                             f"{money(planned, lang)} / {money(executed, lang)}"))
    return Fields(tuple(rows))


def _projects_cost(st: HearingState) -> Decimal:
    """What the options on the agenda cost together: alternatives of a choose-one question (tariffs) are no
    project, their cost is what each of them covers, and adding them up would count the same cost again."""
    choices = alternatives(st.questions.values())
    return sum((o.cost for o in st.sorted_options() if o.id not in choices), Decimal(0))


def _options(st: HearingState, lang: str, municipality: Any) -> Table:
    _ = translator(lang)
    options = st.sorted_options()
    choices = alternatives(st.questions.values())
    rows = [(str(o.number), o.title(lang), village_name(o.village, municipality, lang), label(o.sector, lang), label(o.proposer, lang),
             "—" if o.id in choices else money(o.cost, lang)) for o in options]
    rows.append(("", _("Total"), "", "", "", money(_projects_cost(st), lang)))
    return Table((_("No."), _("Option"), _("Village"), _("Sector"), _("Proposed by"), _("Cost")), tuple(rows),
                 (True, False, False, False, False, True), (1, 6, 3, 3, 4, 3), total=True, id="options")


def _results(reports: list[QuestionReport], lang: str) -> list[str]:
    """What the count gave, stated as results: the hearing's decisions are what the secretary recorded."""
    _ = translator(lang)
    items = []
    for r in reports:
        if r.question.kind == MOTION:
            if r.motion_adopted is True:
                items.append(_("{motion}: adopted by the vote", motion=_quoted(r.question.title(lang), lang)))
            elif r.motion_adopted is False:
                items.append(_("{motion}: not adopted by the vote", motion=_quoted(r.question.title(lang), lang)))
        elif r.result is not None and r.result.selected and r.question.choose_one:
            names = "; ".join(f"№{r.options[p].number} {r.options[p].title(lang)}" for p in r.result.selected)
            items.append(_("{question}: chosen by the vote: {option}", question=_quoted(r.question.title(lang), lang), option=names))
        elif r.result is not None and r.result.selected:
            names = "; ".join(f"№{r.options[p].number} {r.options[p].title(lang)}" for p in r.result.selected)
            items.append(_("{question}: funded by the count: {options}; total {total}",
                           question=_quoted(r.question.title(lang), lang), options=names, total=money(r.result.total_cost, lang)))
        elif r.result is not None:
            items.append(_("{question}: the count funded no option", question=_quoted(r.question.title(lang), lang)))
    return items


def _quoted(title: str, lang: str) -> str:
    """A question in quotes, so its own "?" is not followed by the sentence's ":" ("…2027 году?: по итогам")."""
    return f"“{title}”" if lang == "en" else f"«{title}»"


def _proposals(m: Minutes, lang: str) -> Table | Paragraph:
    _ = translator(lang)
    if not m.proposals:
        return Paragraph(_("No proposal from the floor was recorded."))
    rows = tuple((str(i), p.who, p.text, money(p.cost, lang) if p.cost is not None else "—", gettext(lang, LABELS[p.outcome]))
                 for i, p in enumerate(m.proposals, start=1))
    return Table((_("No."), _("Proposed by"), _("Proposal"), _("Estimated cost"), _("Outcome")), rows,
                 (True, False, False, True, False), (1, 4, 8, 3, 3), id="proposals")


def _decisions(m: Minutes, lang: str) -> Items | Paragraph:
    _ = translator(lang)
    if not m.decisions:
        return Paragraph(_("No decision or recommendation was recorded."))
    kinds = {k: gettext(lang, LABELS[k]) for k in DECISION_KINDS}
    return Items(tuple(f"{kinds[d.kind]}: {d.text}" for d in m.decisions))


def build_protocol(st: HearingState, lang: str, *, citizens: Any = None, head_hash: str = "", records: int = 0,
                   charts: bool = True, minutes: Minutes | None = None, municipality: Any = None,
                   handed_in: bool = False) -> Document:
    """The protocol of hearing ``st`` in ``lang``. ``citizens``: the ``CitizensBudget`` presented, if any;
    ``head_hash``/``records``: the ledger's last hash and record count, printed so an audit file can be matched;
    ``minutes``: the proposals and decisions the secretary recorded (``hearings.decisions.minutes``);
    ``municipality``: the workspace's, so that options name their village as people read it; ``handed_in``: the
    hearing came from a laptop (``hearings.hand_in_log``), without the budget it was presented with."""
    lang = check_lang(lang)
    _ = translator(lang)
    h = st.hearing
    doc = Document(lang, _("Protocol of the public budget hearing"), h.title_in(lang) or municipality_name(h.municipality, municipality, lang))
    reports = question_reports(st)
    if st.status != CLOSED:
        doc.add(Paragraph(_("Draft: the hearing is not closed yet; the figures may still change."), bold=True))
    doc.add(Heading(_("General information")), _details(st, lang, municipality))
    doc.add(Heading(_("Participants")), *_participants(st, lang, municipality))
    agenda = [_("Presentation of the budget")] + [q.title(lang) for q in st.questions.values()]
    agenda.append(_("Proposals from the floor"))
    agenda.append(_("Decisions and proposals to the local council"))
    doc.add(Heading(_("Agenda")), Items(tuple(agenda)))
    doc.add(Heading(_("The budget presented")), _budget(st, lang, citizens, handed_in))
    doc.add(Heading(_("Options proposed")), _options(st, lang, municipality))
    doc.add(Heading(_("Voting")))
    for i, report in enumerate(reports, start=1):
        doc.add(*question_blocks(st, report, i, lang, charts=charts))
    results = _results(reports, lang)
    doc.add(Heading(_("Results of the voting")), Items(tuple(results)) if results else Paragraph(_("No question was counted.")))
    m = minutes if minutes is not None else Minutes()
    doc.add(Heading(_("Proposals from the floor")), _proposals(m, lang))
    doc.add(Heading(_("Decisions and proposals to the local council")), _decisions(m, lang))
    signers = [(_("Chair"), h.chair), (_("Secretary"), h.secretary)]
    signers += [(_("Member of the counting commission"), name) for name in h.commission]
    doc.add(Heading(_("Signatures")), Signatures(tuple(signers)))
    if head_hash:
        doc.footer = _("Made by pbtools {version} from {records} ledger records; hash of the last record: {hash}. "
                       "The command pbtools verify checks an audit file against this hash.",
                       version=__version__, records=records, hash=head_hash)
    return doc
