"""Amounts no municipality's project has are refused by name (a typo or a wrong unit), and an actual cost far beyond
the plan is stored only once confirmed (``checks.MOST_COST``, ``progress.FAR``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.monitoring import CostQuestioned, Funding, InvalidValue, PlanRefused
from pbtools.monitoring.checks import MOST_COST
from pbtools.monitoring.progress import FAR
from tests.monitoring.conftest import MEMBER, STAFF
from tests.monitoring.test_plan_io import PLAN

WATER = Decimal(2400000)


@pytest.fixture
def water(svc):
    return svc.add_project(STAFF, {"ru": "Питьевая вода для Жаны-Айыла"}, planned=Funding(WATER))


def test_a_trillion_som_is_refused_naming_the_field_and_the_most_taken(svc, water):
    head = svc.project(water.id).seq
    for confirmed in (False, True):  # no confirmation makes it a cost
        with pytest.raises(InvalidValue) as refused:
            svc.set_status(MEMBER, water.id, "in_progress", reason="Начали", actual_cost=Decimal(10) ** 12, confirmed=confirmed)
        assert not isinstance(refused.value, CostQuestioned)
        ru = refused.value.render("ru")
        assert ru.startswith("Фактическая стоимость: 1\xa0000\xa0000\xa0000\xa0000 сом") and "10\xa0000\xa0000\xa0000" in ru
        assert "Actual cost: 1,000,000,000,000 som" in refused.value.render("en") and "сом" in refused.value.render("ky")
    with pytest.raises(InvalidValue) as refused:
        svc.add_project(STAFF, {"ru": "Мост"}, planned=Funding(MOST_COST + 1))
    assert "Плановая стоимость" in refused.value.render("ru")
    assert svc.project(water.id).seq == head and len(svc.projects()) == 1
    assert svc.add_project(STAFF, {"ru": "Дорога"}, planned=Funding(MOST_COST)).planned.total == MOST_COST  # the most is taken


def test_a_plan_in_thousands_past_the_most_is_refused_by_row_and_column(svc, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(PLAN.replace(";300;300;", ";999999999999;300;"), encoding="utf-8")
    with pytest.raises(PlanRefused) as refused:
        svc.import_plan(MEMBER, path)
    assert ("plan.csv", 6, "Жалпы наркы") in {(p.file, p.row, p.column) for p in refused.value.file_problems}
    assert "999\xa0999\xa0999\xa0999\xa0000 сом" in refused.value.render("ru") and svc.projects() == []


def test_an_actual_cost_far_beyond_the_plan_is_stored_only_once_confirmed(svc, water):
    head = svc.project(water.id).seq
    far = WATER * 20
    with pytest.raises(CostQuestioned) as asked:
        svc.set_status(MEMBER, water.id, "in_progress", reason="Начали", percent=30, actual_cost=far)
    said = {lang: asked.value.render(lang) for lang in ("ky", "ru", "en")}
    assert "48\xa0000\xa0000 сом" in said["ru"] and "в 20 раз" in said["ru"] and "2\xa0400\xa0000 сом" in said["ru"] and "подтвердите" in said["ru"]
    assert "20 times the planned cost" in said["en"] and "ырастаңыз" in said["ky"]
    assert svc.project(water.id).seq == head  # nothing stored, not even the status and percent given with it
    stored = svc.set_status(MEMBER, water.id, "in_progress", reason="Начали", percent=30, actual_cost=far, confirmed=True)
    assert (stored.actual.total, stored.status, stored.percent) == (far, "in_progress", 30)
    # an overrun short of FAR times the plan is a cost like any other; a cost already confirmed is not asked again
    assert svc.set_status(MEMBER, water.id, "in_progress", actual_cost=WATER * FAR).actual.total == WATER * FAR
    assert svc.set_status(MEMBER, water.id, "in_progress", actual_cost=far, confirmed=True).actual.total == far
    assert svc.set_status(MEMBER, water.id, "in_progress", percent=40, actual_cost=far).percent == 40
