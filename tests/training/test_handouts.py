"""The handouts print the texts the Training app shows (one place for both), in each language."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from pbtools.i18n import translator
from pbtools.training.handouts import write_handouts
from pbtools.training.texts import MES_INTRO, NEEDS_INTRO


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_guide_and_handout_hold_the_apps_texts(lang, tmp_path):
    guide, handout = write_handouts(lang, tmp_path)
    _ = translator(lang)
    for path in (guide, handout):
        text = words(" ".join(p.extract_text() for p in PdfReader(path).pages))
        for msgid in (MES_INTRO, NEEDS_INTRO):
            assert words(_(msgid))[:60] in text
