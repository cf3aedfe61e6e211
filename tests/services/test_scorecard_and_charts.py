"""The one-page scorecard, read back from the Kyrgyz PDF and from the DOCX; the projector's charts."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from docx import Document as Docx
from pypdf import PdfReader

from pbtools.charts.results import MIN_GROUP
from pbtools.fmt import money, percent
from pbtools.i18n import gettext
from pbtools.roles import LOCAL
from pbtools.services.chart import satisfaction_chart, tariff_chart
from pbtools.services.service import ServicesService
from pbtools.services.survey import Answer, Respondent
from pbtools.services.tariffs import covering_tariff, tariff_options
from tests.services.helpers import village_water, workspace_with


@pytest.fixture
def surveyed(tmp_path):
    ws = workspace_with(tmp_path, village_water())
    svc = ServicesService(ws)
    svc.start_survey("water", "2025", "2025-03-01", LOCAL)
    svc.record_answers("water", "2025", [Answer(Respondent("Көк-Талаа", "f", "18_29"), {"satisfaction": 2})] * 10, LOCAL)
    svc.start_survey("water", "2026", "2026-03-01", LOCAL)
    answers = [Answer(Respondent("Көк-Талаа", "f", "30_44"), {"satisfaction": 5, "failures": 2, "priority": 1})] * 12
    answers += [Answer(Respondent("Жаңы-Айыл", "m", "60_plus"), {"satisfaction": 1, "failures": 5, "priority": 3})] * (MIN_GROUP - 1)
    svc.record_answers("water", "2026", answers, LOCAL)
    yield svc
    ws.close()


def test_kyrgyz_scorecard_pdf_reads_back(surveyed, tmp_path):
    out = surveyed.write_scorecard("water", "ky", tmp_path / "card.pdf")
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Кызматтын баалоо баракчасы: Ичүүчү суу" in text
    assert "Чыгымды жабуучу тариф" in text
    t = covering_tariff(village_water())
    assert " ".join(money(t.monthly, "ky").split()) in text.replace("\u00a0", " ")
    assert "Канааттангандар" in text and "жооптор өтө аз" in text  # 4 answers from Жаңы-Айыл: too few
    assert "16 жооп" in text  # 12 + 4 answers
    assert "+75 пункт" in text  # satisfied 0 % in 2025, 12/16 = 75 % in 2026


def test_russian_and_english_docx(surveyed, tmp_path):
    for lang, words in (("ru", ("Оценочная карта услуги: Питьевая вода", "слишком мало ответов")),
                        ("en", ("Service scorecard: Drinking water", "too few answers"))):
        doc = Docx(str(surveyed.write_scorecard("water", lang, tmp_path / f"card-{lang}.docx")))
        text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
        assert all(w in text for w in words), lang


def test_the_scorecard_says_the_survey_s_day_as_its_language_writes_days(surveyed, tmp_path):
    """It said «опрос 2026 от 2026-03-01» in a Russian scorecard."""
    for lang, day in (("ky", "01.03.2026"), ("ru", "01.03.2026"), ("en", "2026-03-01")):
        doc = Docx(str(surveyed.write_scorecard("water", lang, tmp_path / f"card-{lang}.docx")))
        text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
        assert day in text and (lang == "en" or "2026-03-01" not in text), lang


def test_charts_are_figures_without_pyplot(surveyed):
    import sys

    options = tariff_options(village_water(), D("0.95"), D(300_000))
    figure = tariff_chart(village_water(), options, "ky")
    texts = " ".join(t.get_text() for t in figure.findobj(match=lambda a: hasattr(a, "get_text")))
    assert money(options[0].monthly, "ky") in texts and money(options[0].current_monthly, "ky") in texts
    result = surveyed.results("water").questions[0]
    figure = satisfaction_chart(result, "village", "ru")
    texts = " ".join(t.get_text() for t in figure.findobj(match=lambda a: hasattr(a, "get_text")))
    assert "(n=12)" in texts and f"(n={MIN_GROUP - 1})" in texts and "слишком мало ответов" in texts
    assert "matplotlib.pyplot" not in sys.modules


def test_the_scorecard_says_why_its_year_is_not_twelve_months(surveyed, tmp_path):
    from pbtools.services.tariffs import rounding_note

    t = covering_tariff(village_water())
    for lang in ("ky", "ru", "en"):
        doc = Docx(str(surveyed.write_scorecard("water", lang, tmp_path / f"card-{lang}.docx")))
        text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t_ in doc.tables for r in t_.rows for c in r.cells])
        assert money(t.monthly, lang) in text and rounding_note([t]).render(lang) in text, lang


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_tariff_bar_labels_clear_their_bars_and_today_s_label_sits_inside_the_chart(lang):
    """s23 finding 28: the labels ran into the bars' ends (a wrapped second line "0 сом" started on the bar) and
    "today: 150 som" sat under the axis."""
    from matplotlib.patches import Rectangle

    options = tariff_options(village_water(), D("0.95"), D(300_000))
    figure = tariff_chart(village_water(), options, lang)
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    (ax,) = figure.axes
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() > 0.5]
    assert len(bars) == len(options)
    today_text = gettext(lang, "today: {amount}").format(amount=money(options[0].current_monthly, lang))
    (today,) = [t for t in ax.texts if t.get_text().strip() == today_text]
    labels = [next(t for t in ax.texts if money(o.monthly, lang) in t.get_text() and t.get_text() != today.get_text()) for o in options]
    for bar, label in zip(bars, labels):
        end = bar.get_window_extent(renderer).x1
        box = label.get_window_extent(renderer)
        assert box.x0 >= end + 5, (label.get_text(), box.x0, end)  # every line of it, clear of the bar's end
        assert box.x1 <= figure.bbox.width
    inside, plot = today.get_window_extent(renderer), ax.get_window_extent(renderer)
    assert plot.y0 <= inside.y0 and inside.y1 <= plot.y1  # above the axis line, not under it
    first = bars[0].get_window_extent(renderer)
    assert inside.y0 >= first.y1 - 1  # in the band above the first bar, not over a bar


def test_the_satisfaction_axis_stops_at_100_percent(surveyed):
    result = surveyed.results("water").questions[0]
    figure = satisfaction_chart(result, "village", "ru")
    figure.draw_without_rendering()
    (ax,) = figure.axes
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    shown = [t.get_text() for t in ax.get_xticklabels()]
    assert max(ticks) == 1 and percent(D(1), "ru", digits=0) in shown and not any("120" in t for t in shown)
