"""A monitoring act as a document to print and sign (DOCX, PDF) in ky/ru/en: what was visited and found, what the
group recommends, the municipality's response and its deadline, the photos, and a line to sign for every member
present. Built as a ``reports.document.Document`` so that the Word file and the PDF say the same thing."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from PIL import Image as PILImage

from pbtools.dates import long_day
from pbtools.i18n import check_lang, translator
from pbtools.monitoring.model import PHOTO, Act, is_overdue
from pbtools.monitoring.places import project_village
from pbtools.reports.document import Document, Fields, Heading, Image, Items, Paragraph, Signatures

ACT_FORMATS = ("docx", "pdf")


def municipality_title(ws: Any, lang: str) -> str:
    m = ws.municipality()
    return m.name(lang) if m is not None else ""


def build_act(service: Any, act: Act, lang: str, today: date | None = None, photos: bool = True) -> Document:
    """The act ``act`` of ``service`` (a ``MonitoringService``) in ``lang``."""
    lang = check_lang(lang)
    _ = translator(lang)
    today = today or date.today()
    project = service.project(act.project_id)
    members = {m.id: m for m in service.members(include_removed=True)}
    present = [members[i] for i in act.members if i in members]
    doc = Document(lang, _("Monitoring act {id}", id=act.id), municipality_title(service.ws, lang))
    rows = [
        (_("Act"), act.id),
        (_("Date of the visit"), long_day(act.date, lang)),
        (_("Object visited"), project.title(lang)),
        (_("Village"), project_village(project, service.ws.municipality(), lang)),
        (_("Place visited"), act.place),
        (_("Members present"), "; ".join(m.label(lang) for m in present)),
        (_("Corrects act"), act.corrects),
        (_("Corrected by act"), act.corrected_by),
    ]
    doc.add(Fields(tuple((k, v) for k, v in rows if v)))
    doc.add(Heading(_("Findings")), Paragraph(act.findings or "—"))
    doc.add(Heading(_("Recommendations")), Paragraph(act.recommendations or "—"))
    doc.add(Heading(_("Response of the municipality")))
    response = [(_("Response due by"), long_day(act.response_due, lang))] if act.response_due else []
    for r in act.responses:
        response.append((_("Response of {date}", date=long_day(r.date, lang)), r.text))
    if response:
        doc.add(Fields(tuple(response)))
    if not act.responses:
        doc.add(Paragraph(_("No response recorded yet."), bold=is_overdue(act, today)))
    if is_overdue(act, today):
        doc.add(Paragraph(_("The response is overdue: it was due by {date}.", date=long_day(act.response_due, lang)), bold=True))
    signers = [(_("Member of the monitoring group"), m.name) for m in present]
    signers.append((_("For the ayil okmotu"), ""))
    doc.add(Heading(_("Signatures")), Signatures(tuple(signers)))
    if photos and act.photos:
        doc.add(Heading(_("Photos")))  # an annex: the signatures stay with the text
        # the CLI keeps any file as an act's "photo": only pictures are drawn, the others named
        others = [f for f in act.photos if f.kind != PHOTO]
        for n, photo in enumerate((f for f in act.photos if f.kind == PHOTO), start=1):
            path = service.file_path(photo)
            picture = _printable(path.read_bytes()) if path.exists() else None
            if picture is None:
                others.append(photo)
            else:
                doc.add(Image(picture, photo.caption or _("Photo {n}", n=n)))
        if others:
            doc.add(Paragraph(_("Files kept with the act (not pictures):")),
                    Items(tuple(f"{f.name} — {f.caption}" if f.caption else f.name for f in others)))
    return doc


def _printable(data: bytes) -> bytes | None:
    """A picture both writers embed: JPEG and PNG as they are, any other picture Pillow reads (WebP, TIFF...) as
    PNG; None when ``data`` is no picture."""
    if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n":
        return data
    try:
        with PILImage.open(io.BytesIO(data)) as image:
            out = io.BytesIO()
            image.convert("RGBA" if "A" in image.getbands() else "RGB").save(out, "PNG")
            return out.getvalue()
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return None


def write_document(doc: Document, fmt: str, out: Path | str) -> Path:
    """``doc`` as ``fmt`` (docx or pdf) at ``out``, through the protocol's writers."""
    # the writers here, not at the top: fpdf2 costs ~0.9 s to import and python-docx ~0.1 s (with lxml); only
    # writing the document needs one of them
    if fmt == "docx":
        from pbtools.reports.docx import write_docx

        return write_docx(doc, out)
    from pbtools.reports.pdf import write_pdf

    return write_pdf(doc, out)
