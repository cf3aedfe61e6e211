"""The one-page scorecard of a service for the hearing and the council (PDF and DOCX, ky/ru/en): what the service
is and costs, the tariff that covers the cost, and what its users said in the latest survey (satisfied share by
village, sex and age group, with the number of answers and a warning where a group is too small), against the
previous survey. Built as a ``pbtools.reports`` ``Document``, laid out by the protocol's own writers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pbtools.dates import shown_day
from pbtools.fmt import money, number, percent
from pbtools.i18n import Msg, translator
from pbtools.reports.document import Document, Fields, Heading, Paragraph, Table
from pbtools.services.places import group_name, villages_text
from pbtools.services.model import HOUSEHOLD, PERSON, PROVIDER_NAMES, YEAR, Service, Tariff
from pbtools.services.survey_results import MIN_GROUP, Shares, SurveyResults, dec, shown
from pbtools.services.tariffs import covering_tariff, rounding_note


def _share(s: Shares, lang: str) -> str:
    value = s.satisfied if s.satisfied is not None else None
    return percent(dec(value), lang, digits=0) if value is not None else "—"


def tariff_amount(t: Tariff, lang: str) -> str:
    """A tariff in force as people read it: "1 800 сом per household a year"."""
    _ = translator(lang)
    per = {(HOUSEHOLD, YEAR): _("per household a year"), (PERSON, YEAR): _("per person a year")}.get(
        (t.payer, t.period), _("per household a month") if t.payer == HOUSEHOLD else _("per person a month"))
    return f"{money(t.amount, lang)} {per}"


def scorecard(service: Service, found: SurveyResults | None, lang: str, municipality: Any = None) -> Document:
    """``municipality``: the workspace's (its name heads the page, its villages are named in ``lang``), or None."""
    _ = translator(lang)
    doc = Document(lang, _("Service scorecard: {service}", service=service.name(lang)), municipality.name(lang) if municipality else "")
    payer, payers = service.payers
    rows = [(_("Delivered by"), Msg(PROVIDER_NAMES[service.provider]).render(lang) if service.provider in PROVIDER_NAMES else service.provider),
            (_("Villages"), villages_text(service.villages, municipality, lang)),
            (_("Households served") if payer == HOUSEHOLD else _("People served"), number(payers, lang)),
            (_("Yearly cost"), money(service.yearly_cost, lang)),
            (_("Collection rate"), percent(service.collection_rate, lang, digits=0))]
    for t in service.tariffs:
        rows.append((_("Tariff: {name}", name=t.name(lang)), tariff_amount(t, lang)))
    if payers and service.yearly_cost:
        c = covering_tariff(service)
        rows.append((_("Tariff that covers the cost"), _("{monthly} a month, {yearly} a year", monthly=money(c.monthly, lang), yearly=money(c.yearly, lang))))
    doc.add(Fields(tuple(rows)))
    rounding = rounding_note([covering_tariff(service)]) if payers and service.yearly_cost else None
    if rounding is not None:
        doc.add(Paragraph(rounding.render(lang)))
    if found is None:
        doc.add(Paragraph(_("No survey of this service yet.")))
        return doc
    doc.add(Heading(_("What users say: survey {id} of {date}, {n} answers", id=found.survey.id, date=shown_day(found.survey.date, lang),
                         n=found.respondents)))  # the day as the services app says the same survey
    summary = []
    trends = {t.question: t for t in found.trends}
    for q in found.questions:
        if q.overall.mean is not None and not shown(q.overall):
            value = _("too few answers (n={n})", n=q.overall.n)
        elif q.overall.mean is not None:
            value = _("{share} satisfied, mean {mean} of 5", share=_share(q.overall, lang), mean=number(dec(q.overall.mean), lang, digits=1))
        else:
            top = max(range(len(q.overall.counts)), key=lambda i: q.overall.counts[i]) + 1 if q.overall.n else None
            value = f"{q.question.choice(top, lang)}: {percent(dec(q.overall.share(top)), lang, digits=0)}" if top else "—"
        t = trends.get(q.question.id)
        change = "—"
        if t is not None and t.change is not None:
            change = _("{sign}{points} points since {survey}", sign="+" if t.change >= 0 else "−",
                       points=number(abs(dec(t.change)) * 100, lang, digits=0), survey=t.previous_survey)
        summary.append((q.question.title(lang), value, number(q.overall.n, lang), change))
    doc.add(Table((_("Question"), _("Answer"), _("Answers"), _("Trend")), tuple(summary), (False, False, True, False), (5, 4, 1.5, 3), id="summary"))
    scale = next((q for q in found.questions if q.overall.mean is not None), None)
    if scale is not None:
        doc.add(Heading(_("Satisfied (4 or 5) by group"), level=2))
        rows2, small = [], False
        names = {"village": _("Village"), "sex": _("Sex"), "age": _("Age group")}
        for grouping, groups in scale.groups.items():
            for g in groups:
                name = group_name(grouping, g.key, municipality, lang)
                warn = _("too few answers") if g.small else ""
                small = small or g.small
                rows2.append((names[grouping], name, number(g.n, lang), "—" if g.small else _share(g, lang), warn))
        doc.add(Table((_("Group"), "", _("Answers"), _("Satisfied"), ""), tuple(rows2), (False, False, True, True, False), (2, 3, 1.5, 1.5, 2.5), id="groups"))
        if small:
            doc.add(Paragraph(_("A group with fewer than {n} answers is too small to say anything: its share is not shown.", n=MIN_GROUP)))
    return doc


def write_scorecard(service: Service, found: SurveyResults | None, lang: str, out: Path | str, municipality: Any = None) -> Path:
    """The scorecard as PDF or DOCX, by ``out``'s suffix."""
    out = Path(out)
    doc = scorecard(service, found, lang, municipality)
    # the writer here, not at the top: fpdf2 costs ~0.9 s to import and python-docx ~0.1 s; a scorecard needs one
    if out.suffix.lower() == ".docx":
        from pbtools.reports.docx import write_docx
        return write_docx(doc, out)
    from pbtools.reports.pdf import write_pdf
    return write_pdf(doc, out)
