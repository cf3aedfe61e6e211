"""The protocol (minutes) of a hearing, built once as a ``Document`` in ky, ru or en; ``docx.py`` and ``pdf.py``
render it. Every figure comes from the hearing's folded state and its count; nothing here is stored.

    doc = build_protocol(state, "ky", citizens=citizens_budget(...), head_hash=records[-1].hash)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date

from pbtools import __version__
from pbtools.budget.model import EXPENDITURE, REVENUE
from pbtools.fmt import money, number, percent
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import CLOSED, EXECUTION, MOTION, label
from pbtools.i18n import check_lang, translator
from pbtools.reports.document import Document, Fields, Heading, Items, Paragraph, Signatures, Table
from pbtools.reports.participants import participant_breakdowns
from pbtools.reports.voting import QuestionReport, question_blocks, question_reports


def share(part: int, whole: int, lang: str) -> str:
    return percent(Decimal(part) / Decimal(whole), lang) if whole else "—"


def _details(st: HearingState, lang: str) -> Fields:
    _ = translator(lang)
    h = st.hearing
    rows = [
        (_("Municipality"), h.municipality),
        (_("Villages"), ", ".join(h.villages)),
        (_("Type of hearing"), label(h.type, lang)),
        (_("Date"), format_date(date.fromisoformat(h.date), "long", locale=lang)),
        (_("Venue"), h.venue),
        (_("Chair"), h.chair),
        (_("Secretary"), h.secretary),
        (_("Facilitator"), h.facilitator),
        (_("Counting commission"), ", ".join(h.commission)),
    ]
    return Fields(tuple((k, v) for k, v in rows if v))


def _participants(st: HearingState, lang: str) -> list:
    _ = translator(lang)
    c = st.counters
    blocks: list = [Fields((
        (_("Registered participants"), number(c.total, lang)),
        (_("Women"), f"{number(c.women, lang)} ({share(c.women, c.total, lang)})"),
        (_("Men"), f"{number(c.men, lang)} ({share(c.men, c.total, lang)})"),
    ))]
    titles = {"age": _("Age group"), "village": _("Village"), "category": _("Category")}
    for by, rows in participant_breakdowns(st).items():
        body = [(r.key if by == "village" else label(r.key, lang), number(r.total, lang), share(r.total, c.total, lang),
                 number(r.women, lang), number(r.men, lang)) for r in rows]
        body.append((_("Total"), number(c.total, lang), share(c.total, c.total, lang), number(c.women, lang), number(c.men, lang)))
        blocks.append(Table((titles[by], _("Participants"), _("Share"), _("Women"), _("Men")), tuple(body),
                            (False, True, True, True, True), (4, 2, 2, 2, 2), total=True, id=f"participants-{by}"))
    return blocks


def _budget(st: HearingState, lang: str, citizens: Any) -> Fields:
    _ = translator(lang)
    h = st.hearing
    options = st.sorted_options()
    rows = [
        (_("Budget for projects"), money(h.budget, lang)),
        (_("Options on the agenda"), number(len(options), lang)),
        (_("Total cost of the options"), money(sum((o.cost for o in options), Decimal(0)), lang)),
    ]
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


def _options(st: HearingState, lang: str) -> Table:
    _ = translator(lang)
    options = st.sorted_options()
    rows = [(str(o.number), o.title(lang), o.village, label(o.sector, lang), label(o.proposer, lang), money(o.cost, lang))
            for o in options]
    rows.append(("", _("Total"), "", "", "", money(sum((o.cost for o in options), Decimal(0)), lang)))
    return Table((_("No."), _("Option"), _("Village"), _("Sector"), _("Proposed by"), _("Cost")), tuple(rows),
                 (True, False, False, False, False, True), (1, 7, 3, 3, 3, 3), total=True, id="options")


def _decisions(reports: list[QuestionReport], lang: str) -> list[str]:
    _ = translator(lang)
    items = []
    for r in reports:
        if r.question.kind == MOTION:
            if r.motion_adopted is True:
                items.append(_("Adopted: {motion}", motion=r.question.title(lang)))
            elif r.motion_adopted is False:
                items.append(_("Not adopted: {motion}", motion=r.question.title(lang)))
        elif r.result is not None and r.result.selected:
            names = "; ".join(f"№{r.options[p].number} {r.options[p].title(lang)}" for p in r.result.selected)
            items.append(_("To propose to the local council for funding ({question}): {options}; total {total}",
                           question=r.question.title(lang), options=names, total=money(r.result.total_cost, lang)))
    return items


def build_protocol(st: HearingState, lang: str, *, citizens: Any = None, head_hash: str = "", records: int = 0,
                   charts: bool = True) -> Document:
    """The protocol of hearing ``st`` in ``lang``. ``citizens``: the ``CitizensBudget`` presented, if any;
    ``head_hash``/``records``: the ledger's last hash and record count, printed so an audit file can be matched."""
    lang = check_lang(lang)
    _ = translator(lang)
    h = st.hearing
    doc = Document(lang, _("Protocol of the public budget hearing"), h.title or h.municipality)
    reports = question_reports(st)
    if st.status != CLOSED:
        doc.add(Paragraph(_("Draft: the hearing is not closed yet; the figures may still change."), bold=True))
    doc.add(Heading(_("General information")), _details(st, lang))
    doc.add(Heading(_("Participants")), *_participants(st, lang))
    agenda = [_("Presentation of the budget")] + [q.title(lang) for q in st.questions.values()]
    agenda.append(_("Decisions and proposals to the local council"))
    doc.add(Heading(_("Agenda")), Items(tuple(agenda)))
    doc.add(Heading(_("The budget presented")), _budget(st, lang, citizens))
    doc.add(Heading(_("Options proposed")), _options(st, lang))
    doc.add(Heading(_("Voting")))
    for i, report in enumerate(reports, start=1):
        doc.add(*question_blocks(st, report, i, lang, charts=charts))
    decisions = _decisions(reports, lang)
    doc.add(Heading(_("Decisions and proposals to the local council")),
            Items(tuple(decisions)) if decisions else Paragraph(_("No decision was taken.")))
    signers = [(_("Chair"), h.chair), (_("Secretary"), h.secretary)]
    signers += [(_("Member of the counting commission"), name) for name in h.commission]
    doc.add(Heading(_("Signatures")), Signatures(tuple(signers)))
    if head_hash:
        doc.footer = _("Made by pbtools {version} from {records} ledger records; hash of the last record: {hash}. "
                       "The command pbtools verify checks an audit file against this hash.",
                       version=__version__, records=records, hash=head_hash)
    return doc
