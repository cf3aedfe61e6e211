"""A service registered from a form (the Services app, ``pbtools services add``) and a survey closed: each wrong
field named in the user's language, nothing stored; a closed survey takes no answer, typed or from a phone."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pbtools.roles import LOCAL
from pbtools.services.errors import ServiceError
from pbtools.services.phone_survey import phone_survey
from pbtools.services.register_form import ServiceForm
from pbtools.services.service import ServicesService
from tests.services.helpers import village_water, workspace_with


def _form(**changes) -> ServiceForm:
    values = dict(id="waste", names={"ru": "Вывоз мусора"}, villages="Көк-Талаа, Жаңы-Айыл", households="1 200",
                  provider="municipality", rate="85 %", lines="7063", costs="зарплата: 480 000\nтопливо 120 000,50",
                  tariffs="контейнер: 50", basis="household-month", lang="ru")
    values.update(changes)
    return ServiceForm(**values)


def test_a_typed_service_is_stored_with_its_costs_and_tariffs(tmp_path):
    with workspace_with(tmp_path) as ws:
        stored = ServicesService(ws).register_form(_form(), LOCAL)
    with workspace_with(tmp_path) as ws:  # on disk: read back by a new opening
        s = ServicesService(ws).service("waste")
    assert s == stored
    assert (s.villages, s.households, s.collection_rate, s.budget_lines) == (("Көк-Талаа", "Жаңы-Айыл"), 1200, D("0.85"), ("7063",))
    assert [(c.name("ru"), c.amount) for c in s.costs] == [("зарплата", D(480_000)), ("топливо", D("120000.50"))]
    (t,) = s.tariffs
    assert (t.name("ru"), t.amount, t.payer, t.period, t.yearly()) == ("контейнер", D(50), "household", "month", D(600))


@pytest.mark.parametrize("lang, words", [
    ("ru", ["Код", "Сёла", "Уровень собираемости", "Годовые затраты", "строка 2"]),
    ("ky", ["Код", "Айылдар", "жыйноо деңгээли", "Жылдык чыгым", "2-сап"]),
    ("en", ["Code", "Villages", "Collection rate", "Yearly cost", "line 2"]),
])
def test_each_wrong_field_is_named_and_nothing_is_stored(tmp_path, lang, words):
    with workspace_with(tmp_path) as ws:
        svc = ServicesService(ws)
        with pytest.raises(ServiceError) as e:
            svc.register_form(_form(id="вода мусор", villages=" , ", rate="сто", costs="зарплата: 1\nтопливо: -5"), LOCAL)
        text = e.value.render(lang)
        assert len(e.value.problems) == 4 and all(w in text for w in words), text
        assert "-5" in text and "сто" in text
        assert svc.services() == []


def test_a_form_never_replaces_a_registered_service(tmp_path):
    with workspace_with(tmp_path, village_water()) as ws:
        svc = ServicesService(ws)
        with pytest.raises(ServiceError) as e:
            svc.register_form(_form(id="water"), LOCAL)
        assert "water" in e.value.render("en") and "already" in e.value.render("en")
        assert svc.service("water") == village_water()


def test_a_closed_survey_takes_no_answer_until_reopened(tmp_path):
    with workspace_with(tmp_path, village_water()) as ws:
        svc = ServicesService(ws)
        survey = svc.start_survey("water", "2026", "14.05.2026", LOCAL)  # the date as the monitoring forms take it
        assert survey.date == "2026-05-14" and not survey.closed
        svc.enter_answer("water", "2026", "1 1 2 4 2 1", LOCAL)
        svc.open_to_phones("water", "2026", LOCAL)
        assert svc.close_survey("water", "2026", LOCAL).closed
        assert phone_survey(ws, "water") is None  # phones stop with it
        with pytest.raises(ServiceError) as e:
            svc.enter_answer("water", "2026", "1 1 2 5 2 1", LOCAL)
        assert "2026" in e.value.render("ru") and "закрыт" in e.value.render("ru")
        with pytest.raises(ServiceError):
            svc.open_to_phones("water", "2026", LOCAL)
        assert len(svc.surveys("water")[0].answers) == 1
        assert not svc.close_survey("water", "2026", LOCAL, closed=False).closed
        svc.enter_answer("water", "2026", "1 1 2 5 2 1", LOCAL)
        assert len(svc.surveys("water")[0].answers) == 2
