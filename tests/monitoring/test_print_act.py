"""A printed act (DOCX, PDF) whose "photos" include files that are not pictures: the CLI keeps any file."""

from __future__ import annotations

import pytest
from PIL import Image

from pbtools.monitoring.demo_year import draw_photo
from pbtools.monitoring.print_act import build_act, write_document
from tests.monitoring.conftest import MEMBER, STAFF


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_an_act_with_a_document_for_a_photo_prints_its_pictures_and_names_the_rest(svc, tmp_path, fmt, lang):
    p = svc.add_project(STAFF, {"ky": "Суу түтүгү"}, village="Көк-Талаа")
    g = svc.add_member(STAFF, "Айгүл Сыдыкова")
    (tmp_path / "смета.pdf").write_bytes(b"%PDF-1.4 not really a picture")
    (tmp_path / "notes.txt").write_text("жазуу", encoding="utf-8")
    webp = tmp_path / "site.webp"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(webp, "WEBP")  # a picture Word cannot embed as it is
    photos = [draw_photo(tmp_path / "site.jpg", 1), tmp_path / "смета.pdf", webp, tmp_path / "notes.txt"]
    act = svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g.id], findings="Иш жүрүп жатат", photos=photos)
    out = write_document(build_act(svc, act, lang), fmt, tmp_path / f"act.{fmt}")
    if fmt == "docx":
        from docx import Document

        doc = Document(str(out))
        text = "\n".join(par.text for par in doc.paragraphs)
        pictures = len(doc.inline_shapes)
    else:
        from pypdf import PdfReader

        reader = PdfReader(str(out))
        text = "\n".join(page.extract_text() for page in reader.pages)
        pictures = sum(len(page.images) for page in reader.pages)
    assert pictures == 2  # the JPEG and the WebP
    assert "смета.pdf" in text and "notes.txt" in text and "site.jpg" not in text


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_printed_act_is_titled_with_the_id_the_app_and_the_website_use(svc, lang):
    """The trial: the paper said «№ 3» where the app, its corrections and the website say A-2026-003."""
    p = svc.add_project(STAFF, {"ky": "Суу түтүгү"}, village="Көк-Талаа")
    g = svc.add_member(STAFF, "Айгүл Сыдыкова")
    for _n in range(3):
        act = svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g.id], findings="Иш жүрүп жатат")
    title = build_act(svc, act, lang).title
    assert act.id in title and act.number == 3 and "3" not in title.replace(act.id, "")
