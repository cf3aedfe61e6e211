"""The focus groups' paper form (PDF, ky/ru/en): the village, the group and the problems known so far, numbered as
the typed entry reads them, with a column for the place the group gives each, and empty rows for new problems.
Laid out by ``pbtools.reports.pdf`` (the protocol's typesetting, DejaVu Sans: ө ү ң print everywhere)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pbtools.dates import long_day
from pbtools.hearings.model import label
from pbtools.i18n import translator
from pbtools.needs.model import NeedsState, Session, group_label
from pbtools.needs.places import shown
from pbtools.reports.document import Document, Fields, Heading, Items, Paragraph, Table

EMPTY_ROWS = 6  # rows for problems the group names that are not on the list yet


def form_document(st: NeedsState, lang: str, session: Session | None = None, municipality: str = "",
                  villages: Any = None) -> Document:
    """``villages``: the workspace's municipality, whose list of villages names them in ``lang``."""
    _ = translator(lang)
    doc = Document(lang, _("Needs assessment: ranking the problems"), municipality)
    doc.add(Fields((
        (_("Village"), shown(session.village, villages, lang) if session else ""),
        (_("Group"), group_label(session.group, lang) if session else ""),
        (_("Date"), long_day(session.date, lang) if session and session.date else ""),
        (_("People taking part"), str(session.people) if session and session.people else ""),
        (_("Facilitator"), ""),
    )))
    doc.add(Heading(_("How to fill in the form")))
    doc.add(Items((
        _("Read the problems aloud; add those the group names that are not listed, in the empty rows."),
        _("The group agrees on its most important problems and writes their place: 1 for the most important, 2 for the next, and so on."),
        _("Type the result as the problem numbers in order of place, e.g. 3 1 7."),
    )))
    problems = sorted(st.problems.values(), key=lambda p: p.number)
    rows = tuple((str(p.number), p.title(lang), shown(p.village, villages, lang), label(p.sector, lang), "") for p in problems)
    rows += tuple(("", "", "", "", "") for _ in range(EMPTY_ROWS))
    doc.add(Heading(_("Problems")))
    doc.add(Table((_("No."), _("Problem"), _("Village"), _("Sector"), _("Place")), rows,
                  numeric=(True, False, False, False, True), widths=(1, 7, 3, 3, 1.5), id="problems"))
    doc.add(Paragraph(_("Ranking (problem numbers, the most important first):") + " " + "_" * 40))
    return doc


def write_form(st: NeedsState, lang: str, out: Path | str, session: Session | None = None, municipality: str = "",
               villages: Any = None) -> Path:
    from pbtools.reports.pdf import write_pdf  # here, not at the top: fpdf2 costs ~0.9 s to import

    return write_pdf(form_document(st, lang, session, municipality, villages), out)
