"""A service's villages in the reader's language wherever the services name them: the scorecard (PDF/DOCX), the
survey chart, the paper-entry hint and the phone's form. The register keeps the names the file wrote (Kyrgyz in
data/sample); the municipality knows each village's name in ky, ru and en, as the hearings' screens use them."""

from __future__ import annotations

import pytest
from docx import Document as Docx

from pbtools.budget.municipality import read_municipality
from pbtools.roles import LOCAL
from pbtools.dates import shown_day
from pbtools.server.survey_pages import form_page
from pbtools.phones.urls import ROOT
from pbtools.services.chart import satisfaction_chart
from pbtools.services.service import ServicesService
from pbtools.services.survey import Answer, Respondent
from pbtools.services.survey_entry import entry_hint
from tests.services.helpers import SAMPLE, village_water, workspace_with

MUNICIPALITY = read_municipality(SAMPLE.parent)


@pytest.fixture
def svc(tmp_path):
    ws = workspace_with(tmp_path, village_water())
    ws.save_municipality(MUNICIPALITY)
    s = ServicesService(ws)
    s.start_survey("water", "2026", "2026-03-01", LOCAL)
    s.record_answers("water", "2026", [Answer(Respondent(v, "f", "30_44"), {"satisfaction": 4}) for v in village_water().villages] * 6, LOCAL)
    yield s
    ws.close()


def names(lang: str) -> list[str]:
    by_ky = {v.names["ky"]: v.name(lang) for v in MUNICIPALITY.villages}
    return [by_ky[v] for v in village_water().villages]


def kyrgyz_only() -> list[str]:
    """The service's villages whose Kyrgyz name differs from the Russian and English ones (what a test can tell)."""
    return [v for v, ru, en in zip(village_water().villages, names("ru"), names("en")) if v not in (ru, en)]


def test_the_sample_villages_differ_by_language():
    assert kyrgyz_only() == list(village_water().villages)  # Көк-Талаа / Кок-Талаа / Kok-Talaa ...


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_scorecard_names_villages_in_its_language(svc, tmp_path, lang):
    doc = Docx(str(svc.write_scorecard("water", lang, tmp_path / f"card-{lang}.docx")))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert ", ".join(names(lang)) in text  # the villages served
    assert all(n in text for n in names(lang)) and not any(v in text for v in kyrgyz_only())
    assert MUNICIPALITY.name(lang) in text


def test_chart_hint_and_phone_form_name_villages_in_their_language(svc):
    result = svc.results("water").questions[0]
    for lang in ("ru", "en"):
        figure = satisfaction_chart(result, "village", lang, svc.municipality())
        texts = " ".join(t.get_text() for t in figure.findobj(match=lambda a: hasattr(a, "get_text")))
        hint = entry_hint(result_villages(svc), lang, svc.municipality())
        page = form_page(svc.service("water"), svc.surveys("water")[-1], lang, "/survey/water", ROOT, "", municipality=svc.municipality())
        for shown in (texts, hint, page):
            assert all(n in shown for n in names(lang)) and not any(v in shown for v in kyrgyz_only()), (lang, shown[:300])
        assert f"1 {names(lang)[0]}, 2 {names(lang)[1]}" in hint  # the numbers the clerk types stay the same
        day = svc.surveys("water")[-1].date  # the phone form's line: the survey's day as the page's language writes it
        assert f'<p class="hearing">{shown_day(day, lang)}</p>' in page and (lang == "en") == (shown_day(day, lang) == day)


def result_villages(svc) -> tuple[str, ...]:
    return svc.surveys("water")[-1].villages
