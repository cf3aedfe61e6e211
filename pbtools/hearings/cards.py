"""Voting-code cards as a PDF: ten cards per A4 page, each with the code in large letters and a QR code. With the
hall's voting address, the QR opens the ballot with the code filled in (``address#code=CODE``: the part after "#"
never reaches the server's log) and the address is printed for phones that cannot scan.

The QR modules are drawn as vector rectangles (crisp on any printer). Text uses DejaVuSans, shipped with
matplotlib, so Kyrgyz ң ө ү print.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Sequence

import segno
from fpdf import FPDF

from pbtools.i18n import translator
from pbtools.paths import write_private

COLUMNS, ROWS = 2, 5
CARD_W, CARD_H = 95.0, 55.0  # mm
MARGIN_X, MARGIN_Y = 10.0, 10.0
QR_SIZE = 34.0  # mm, with the quiet zone (a QR with an address is denser: still about 1 mm a module)


def font_path() -> Path:
    import matplotlib  # here, not at the top: ~0.6 s to import, only to find the font it ships

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def _draw_qr(pdf: FPDF, text: str, x: float, y: float, size: float) -> None:
    qr = segno.make_qr(text, error="m")
    rows = [list(row) for row in qr.matrix_iter(border=2)]
    cell = size / len(rows)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):  # one rectangle per horizontal run of dark modules
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + start * cell, y + r * cell, (c - start) * cell, cell, style="F")
            else:
                c += 1


def qr_template_for(address: str) -> str:
    """What a card's QR holds: the voting address with the code after "#code=", or the code alone without one."""
    return f"{address}#code={{code}}" if address else "{code}"


def printed_address(qr_template: str) -> str:
    """The address a card prints: the QR's web address without the code ("" when the QR holds no address)."""
    if not qr_template.startswith(("http://", "https://")):
        return ""
    return qr_template.replace("#code={code}", "").replace("{code}", "…")


def write_cards(codes: Sequence[str], out: Path, title: str = "", lang: str = "ky", qr_template: str = "{code}") -> Path:
    """Print ``codes`` as cut-out cards into the PDF ``out``. ``qr_template`` is what the QR holds, e.g. a URL
    with ``{code}`` (``qr_template_for(address)``; by default the code itself)."""
    _ = translator(lang)
    address = printed_address(qr_template)
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", "", str(font_path()))
    per_page = COLUMNS * ROWS
    for i, code in enumerate(codes):
        if i % per_page == 0:
            pdf.add_page()
        col, row = (i % per_page) % COLUMNS, (i % per_page) // COLUMNS
        x, y = MARGIN_X + col * CARD_W, MARGIN_Y + row * CARD_H
        pdf.set_draw_color(160)
        pdf.set_dash_pattern(dash=1, gap=1)
        pdf.rect(x, y, CARD_W, CARD_H)  # cutting line
        pdf.set_dash_pattern()
        text_w = CARD_W - QR_SIZE - 6
        pdf.set_xy(x + 4, y + 4)
        pdf.set_font("DejaVu", size=8)
        pdf.multi_cell(text_w, 3.8, title or _("Public budget hearing"), align="L")
        pdf.set_xy(x + 4, y + 17)
        pdf.set_font("DejaVu", size=9)
        pdf.cell(text_w, 5, _("Voting code"))
        pdf.set_xy(x + 4, y + 23)
        pdf.set_font("DejaVu", size=17)
        pdf.cell(text_w, 9, code)
        pdf.set_xy(x + 4, y + 35)
        pdf.set_font("DejaVu", size=7)
        pdf.multi_cell(text_w, 3.4, _("Valid once for each question. Keep it to yourself: the vote is secret."), align="L")
        if address:  # under the QR, across the card: long hall addresses fit on one line
            pdf.set_xy(x + 4, y + CARD_H - 9)
            pdf.set_font("DejaVu", size=7)
            pdf.cell(CARD_W - 8, 3.4, _("Scan the QR code or open on your phone:"))
            pdf.set_xy(x + 4, y + CARD_H - 5.5)
            pdf.set_font("DejaVu", size=8)
            pdf.cell(CARD_W - 8, 4, address)
        qr_y = y + 4 if address else y + (CARD_H - QR_SIZE) / 2  # leave the bottom to the address
        _draw_qr(pdf, qr_template.format(code=code), x + CARD_W - QR_SIZE - 3, qr_y, QR_SIZE)
    out = Path(out)
    write_private(out, bytes(pdf.output()))  # codes are secrets: owner-only, wherever they are written
    return out


def code_file_paths(out: Path | str) -> tuple[Path, Path]:
    """(X.csv, X.pdf) from ``out`` whatever its suffix: the list and the cards never overwrite each other."""
    base = Path(out)
    return base.with_suffix(".csv"), base.with_suffix(".pdf")


def write_code_files(codes: Sequence[str], out: Path | str, title: str = "", lang: str = "ky",
                     qr_template: str = "{code}") -> tuple[Path, Path]:
    """The codes as a CSV list (n, code) and as a PDF card sheet, at ``code_file_paths(out)``."""
    csv_path, pdf_path = code_file_paths(out)
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["n", "code"])
    writer.writerows((i, code) for i, code in enumerate(codes, start=1))
    write_private(csv_path, text.getvalue().encode("utf-8"))
    write_cards(codes, pdf_path, title=title, lang=lang, qr_template=qr_template)
    return csv_path, pdf_path
