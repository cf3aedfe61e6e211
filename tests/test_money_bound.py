"""One bound for som, typed or read anywhere (``pbtools.budget.numbers.MAX_SOM``): an amount up to it is taken, one
past it refused with a message saying that limit, in ky/ru/en (a hearing took up to 10^13, a budget file 10^15)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.budget.numbers import MAX_SOM, TooLarge, max_som, parse_som
from pbtools.i18n import LANGS
from pbtools.roles import LOCAL
from pbtools.storage import open_workspace

MOST = "10 000 000 000 000"
PAST = "10 000 000 000 001"


def test_the_bound_is_ten_trillion_as_every_message_says_it():
    assert MAX_SOM == Decimal(10) ** 13 and max_som() == MOST
    assert parse_som(MOST) == MAX_SOM and parse_som("1 200 000,50 сом") == Decimal("1200000.50")
    with pytest.raises(TooLarge) as past:
        parse_som(PAST)
    assert past.value.value == MAX_SOM + 1


def hearing_budget(ws, typed):
    from pbtools.budget.model import Municipality, Village
    from pbtools.hearings.console_service import ConsoleService

    ws.save_municipality(Municipality({"ky": "Ак-Суу айыл аймагы"}, (Village({"ky": "Ак-Суу"}, 900),)))
    service = ConsoleService(ws)
    hearing_id = service.create_hearing(type="pb_vote", date="2026-05-14", venues={"ky": "Мектеп"}, villages=["Ак-Суу"],
                                        budget=typed, practice=False, actor="f")
    return service.choose(hearing_id).hearing.budget


def agenda_option(ws, typed):
    from pbtools.hearings.agenda_io import option_from_form
    from pbtools.hearings.checks import check_option
    from pbtools.hearings.fold import HearingState
    from pbtools.hearings.errors import HearingError

    option, problems = option_from_form(1, {"ky": "Жол"}, typed)
    problems = problems or check_option(option, HearingState("h"), new=True)
    if problems:
        raise HearingError(problems)
    return option.cost


def proposal_cost(ws, typed):
    from pbtools.hearings.decisions import parse_cost
    from pbtools.hearings.errors import HearingError

    amount, problem = parse_cost(typed)
    if problem is not None:
        raise HearingError(problem)
    return amount


def service_costs(ws, typed):
    from pbtools.services.register_form import ServiceForm
    from pbtools.services.service import ServicesService

    form = ServiceForm(id="waste", names={"ru": "Вывоз мусора"}, villages="Көк-Талаа", households="1 200", provider="municipality",
                       rate="85 %", costs=f"зарплата: {typed}", tariffs="контейнер: 50", lang="ru")
    return ServicesService(ws).register_form(form, LOCAL).costs[0].amount


def tariff_subsidy(ws, typed):
    from pbtools.services.tariffs import parse_subsidy

    return parse_subsidy(typed)


ENTRIES = {"hearing budget": hearing_budget, "agenda option": agenda_option, "proposal cost": proposal_cost,
           "service costs": service_costs, "tariff subsidy": tariff_subsidy}


@pytest.mark.parametrize("entry", ENTRIES)
def test_each_entry_takes_the_most_and_refuses_past_it_saying_the_limit(tmp_path, entry):
    with open_workspace(tmp_path / "most") as ws:
        assert ENTRIES[entry](ws, MOST) == MAX_SOM
    with open_workspace(tmp_path / "past") as ws:
        with pytest.raises(Exception) as refused:
            ENTRIES[entry](ws, PAST)
        for lang in LANGS:
            assert MOST in refused.value.render(lang), (entry, lang, refused.value.render(lang))
