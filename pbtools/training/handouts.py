"""The facilitator's guide and the participants' handouts (PDF, ky/ru/en), from the texts the Training app shows
(``texts``), laid out by the protocol's PDF writer."""

from __future__ import annotations

from pathlib import Path

from pbtools.i18n import translator
from pbtools.reports.document import Document, Heading, Items, Paragraph
from pbtools.training.texts import GUIDE_STEPS, sections


def _said(_, paragraph) -> str:
    return _(paragraph[0], **paragraph[1]) if isinstance(paragraph, tuple) else _(paragraph)


def handout_document(lang: str) -> Document:
    _ = translator(lang)
    doc = Document(lang, _("Participatory budgeting: how the counting works"), _("Workshop handout"))
    for heading, paragraphs in sections():
        doc.add(Heading(_(heading)))
        for p in paragraphs:
            doc.add(Paragraph(_said(_, p)))
    return doc


def guide_document(lang: str) -> Document:
    _ = translator(lang)
    doc = Document(lang, _("Facilitator's guide to the training workshop"), _("Workshop guide"))
    doc.add(Heading(_("The workshop, step by step")))
    doc.add(Items(tuple(_(s) for s in GUIDE_STEPS)))
    for heading, paragraphs in sections():
        doc.add(Heading(_(heading)))
        for p in paragraphs:
            doc.add(Paragraph(_said(_, p)))
    return doc


def write_handouts(lang: str, folder: Path | str) -> list[Path]:
    """The guide and the handout in ``lang``, written to ``folder``; their paths."""
    from pbtools.reports.pdf import write_pdf  # here, not at the top: fpdf2 costs ~0.9 s to import

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [write_pdf(guide_document(lang), folder / f"guide-{lang}.pdf"),
            write_pdf(handout_document(lang), folder / f"handout-{lang}.pdf")]
