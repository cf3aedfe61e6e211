"""The Monitoring app's forms as the core reads them (``pbtools.monitoring.forms``): what is typed becomes the
service's values, or a refusal naming the field in each language; an upload that is no picture is refused by name."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image

from pbtools.monitoring import FileRefused, InvalidValue, Project
from pbtools.monitoring.forms import ANY, Progress, check_photo, filtered, read_progress
from pbtools.monitoring.places import village_choices

STALLED = Project(id="p1", titles={"ky": "Суу"}, village="Көк-Талаа", sector="water", status="stalled", percent=20)


@pytest.mark.parametrize("percent, cost, expected", [
    ("45", "1 250 000,50", Progress("stalled", 45, Decimal("1250000.50"))),
    (" 45 % ", "", Progress("stalled", 45, None)),
    ("", "1 200 000 сом", Progress("stalled", None, Decimal("1200000"))),
    ("0", "0", Progress("stalled", 0, Decimal(0))),
])
def test_progress_as_typed(percent, cost, expected):
    assert read_progress("stalled", percent, cost, "", STALLED) == expected


@pytest.mark.parametrize("percent, cost, words", [
    ("101", "", {"ru": "101 — не целое число от 0 до 100", "ky": "101", "en": "101 is not a whole number from 0 to 100"}),
    ("4.5", "", {"ru": "4.5", "ky": "4.5", "en": "4.5 is not a whole number"}),
    ("5²", "", {"ru": "5² — не целое число от 0 до 100", "ky": "5²", "en": "5² is not a whole number from 0 to 100"}),
    ("١٠", "", {"ru": "١٠ — не целое", "ky": "١٠", "en": "١٠ is not a whole number"}),
    ("５０", "", {"ru": "５０ — не целое", "ky": "５０", "en": "５０ is not a whole number"}),
    ("", "сто", {"ru": "сто — не сумма в сомах", "ky": "сто", "en": "сто is not an amount in som"}),
    ("", "-5", {"ru": "-5", "ky": "-5", "en": "-5 is not an amount in som"}),
])
def test_bad_progress_is_refused_naming_the_field(percent, cost, words):
    with pytest.raises(InvalidValue) as refused:
        read_progress("stalled", percent, cost, "", STALLED)
    for lang, text in words.items():
        assert text in refused.value.render(lang)


def test_a_new_status_needs_a_reason():
    with pytest.raises(InvalidValue) as refused:
        read_progress("in_progress", "30", "", "  ", STALLED)
    assert "say why the status changes" in refused.value.render("en")
    assert read_progress("in_progress", "30", "", "The contractor is back", STALLED).status == "in_progress"


def test_only_pictures_are_photos():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG")
    check_photo("a.png", out.getvalue())  # no refusal
    for name, content in (("a.png", b""), ("smeta.xlsx", b"PK\x03\x04..."), ("cut.png", out.getvalue()[:40])):
        with pytest.raises(FileRefused) as refused:
            check_photo(name, content)
        assert name in refused.value.render("ru") and name in refused.value.render("ky")


def test_filters_keep_what_they_name():
    other = Project(id="p2", titles={"ru": "Свет"}, village="", sector="lighting", status="planned")
    assert village_choices([STALLED, other], None, "ru") == [("Көк-Талаа", "Көк-Талаа")]  # "" is every village, not one
    assert filtered([STALLED, other]) == [STALLED, other]
    assert filtered([STALLED, other], village="Көк-Талаа") == [STALLED]
    assert filtered([STALLED, other], status="planned", sector="lighting") == [other]
    assert filtered([STALLED, other], ANY, "completed") == []


def test_the_reports_period_names_each_bad_day_by_its_field():
    """The trial: «С 01.13.2026, По 2026-02-30» said only «Дата: 01.13.2026 …»."""
    from datetime import date

    from pbtools.monitoring.forms import read_period

    with pytest.raises(InvalidValue) as refused:
        read_period("01.13.2026", "2026-02-30")
    ru = refused.value.render("ru")
    assert "С: 01.13.2026" in ru and "По: 2026-02-30" in ru and "Дата" not in ru
    assert "Башталышы: 01.13.2026" in refused.value.render("ky") and "To: 2026-02-30" in refused.value.render("en")
    with pytest.raises(InvalidValue) as refused:
        read_period("01.12.2026", "2026-11-30")
    assert "По: период заканчивается (30.11.2026) раньше, чем начинается (01.12.2026)" in refused.value.render("ru")  # days as ru writes them
    assert read_period("01.10.2026", "") == (date(2026, 10, 1), None) and read_period("", "") == (None, None)


def test_a_village_stored_as_typed_before_is_one_choice_with_all_its_projects():
    """Projects made before villages were stored by their Kyrgyz name kept them as typed (Russian «Кок-Талаа»):
    the filter offers the village once, and it finds both."""
    from pbtools.budget.municipality import read_municipality
    from pbtools.demo import SAMPLE_DIR

    municipality = read_municipality(SAMPLE_DIR)
    village = municipality.villages[0]
    typed_ru = Project(id="p2", titles={"ru": "Свет"}, village=village.name("ru"), sector="lighting", status="planned")
    stored = Project(id="p3", titles={"ru": "Вода"}, village=village.name("ky"), sector="water", status="planned")
    assert village.name("ru") != village.name("ky")
    choices = village_choices([typed_ru, stored], municipality, "ru")
    assert choices == [(village.name("ru"), village.name("ky"))]
    assert filtered([typed_ru, stored], village=choices[0][1], municipality=municipality) == [typed_ru, stored]
