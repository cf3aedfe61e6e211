"""A survey held by the Services screen (``SurveyFold``) and by the phones' pages (``SurveyDesk``) while the
workspace's database is replaced under them (an older copy put back, another copy's history): the next look shows
the survey on disk, and an answer is taken or refused as the survey on disk says, never as it was before."""

from __future__ import annotations

import pytest

from pbtools.roles import LOCAL
from pbtools.server.survey_pages import SurveyDesk
from pbtools.services.errors import ServiceError
from pbtools.services.phone_survey import phone_survey
from pbtools.services.plan_edit import ActivityForm
from pbtools.services.register_form import ServiceForm
from pbtools.services.service import ServicesService
from pbtools.services.survey_store import surveys
from pbtools.storage import open_workspace
from tests.fixtures.db_copies import before_the_next_write, copy_db, restore_db
from tests.services.helpers import village_water, workspace_with

LINE = "1 1 2 4 2 1"
PHONE = {"village": ["1"], "sex": ["f"], "age": ["30_44"], "q-satisfaction": ["4"]}


@pytest.fixture
def screen(tmp_path):
    """Water's survey with two answers typed, and the Services screen holding it."""
    with workspace_with(tmp_path, village_water()) as ws:
        svc = ServicesService(ws)
        svc.start_survey("water", "2026", "2026-05-14", LOCAL)
        for _ in range(2):
            svc.enter_answer("water", "2026", LINE, LOCAL)
        yield tmp_path / "ws", ws, svc


def test_an_older_copy_put_back_is_what_the_screen_shows_and_takes(screen, tmp_path):
    folder, ws, svc = screen
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    for _ in range(3):
        svc.enter_answer("water", "2026", LINE, LOCAL)
    svc.close_survey("water", "2026", LOCAL)
    assert svc.surveys("water")[0].closed

    restore_db(folder, backup)
    (survey,) = svc.surveys("water")
    assert len(survey.answers) == 2 and not survey.closed
    svc.enter_answer("water", "2026", LINE, LOCAL)  # open on disk: taken
    assert svc.last_read("water", "2026") == surveys(ws, "water")[0] and len(surveys(ws, "water")[0].answers) == 3


def test_another_copys_longer_history_is_read_from_its_start(screen, tmp_path):
    folder, ws, svc = screen
    other = tmp_path / "other"
    other.mkdir()
    copy_db(folder, other / "pbtools.sqlite")
    for _ in range(3):
        svc.enter_answer("water", "2026", LINE, LOCAL)
    assert len(svc.surveys("water")[0].answers) == 5
    with open_workspace(other, create=False) as ows:  # there: one more answer, the survey closed, another started
        there = ServicesService(ows)
        there.enter_answer("water", "2026", LINE, LOCAL)
        there.close_survey("water", "2026", LOCAL)
        there.start_survey("water", "2027", "2027-05-14", LOCAL)
        there.enter_answer("water", "2027", LINE, LOCAL)
    restore_db(folder, other / "pbtools.sqlite")
    assert svc.surveys("water") == surveys(ws, "water")
    first, second = svc.surveys("water")
    assert (len(first.answers), first.closed, len(second.answers)) == (3, True, 1)
    with pytest.raises(ServiceError, match="closed"):  # closed on disk
        svc.enter_answer("water", "2026", LINE, LOCAL)
    assert len(surveys(ws, "water")[0].answers) == 3


def test_the_phones_pages_follow_an_older_copy_put_back(screen, tmp_path):
    folder, ws, svc = screen
    svc.open_to_phones("water", "2026", LOCAL)
    desk = SurveyDesk(folder, None, b"k" * 32)
    assert desk.view("water")[1].id == "2026"
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    svc.open_to_phones("water", "2026", LOCAL, open=False)
    assert desk.view("water")[1] is None

    restore_db(folder, backup)  # open to phones again, as the copy was
    assert desk.view("water")[1].id == "2026"
    (outcome,) = desk.submit_many([("water", PHONE, "phone-1")])
    assert outcome.receipt and len(surveys(ws, "water")[0].answers) == 3


def test_a_survey_closed_or_opened_to_phones_on_answers_put_back_meanwhile_is_not(screen, tmp_path):
    """The clerk closes (or opens to phones) the survey read with 5 answers; a copy with 2 is put back before the
    record is written: refused (ky/ru/en), nothing written, the screen shows the 2 (to type the 3 again). Another
    screen's answer after the read does not refuse it."""
    folder, ws, svc = screen
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    for _ in range(3):
        svc.enter_answer("water", "2026", LINE, LOCAL)
    for write in (lambda: svc.close_survey("water", "2026", LOCAL), lambda: svc.open_to_phones("water", "2026", LOCAL)):
        before_the_next_write(ws, lambda: restore_db(folder, backup))
        with pytest.raises(ServiceError) as e:
            write()
        assert "nothing was written" in e.value.render("en") and "ничего не записано" in e.value.render("ru")
        assert "эч нерсе жазылган жок" in e.value.render("ky")
        (survey,) = surveys(ws, "water")
        assert (len(survey.answers), survey.closed, phone_survey(ws, "water")) == (2, False, None)
        assert svc.surveys("water") == [survey]
        for _ in range(3):
            svc.enter_answer("water", "2026", LINE, LOCAL)
    with open_workspace(folder, create=False) as other:
        before_the_next_write(ws, lambda: ServicesService(other).enter_answer("water", "2026", LINE, LOCAL))
        svc.open_to_phones("water", "2026", LOCAL)
        before_the_next_write(ws, lambda: ServicesService(other).enter_answer("water", "2026", LINE, LOCAL))
        svc.close_survey("water", "2026", LOCAL)
    (survey,) = surveys(ws, "water")
    assert (len(survey.answers), survey.closed) == (7, True)


def test_a_plan_or_a_service_decided_on_a_register_put_back_meanwhile_is_not_stored(screen, tmp_path):
    """An activity added to the plan as read (a1, a2) is not stored into a copy holding a1 alone (it would bring a2
    back with it); two screens adding an activity at once keep both (the second replaced the first's plan); a
    service registered as new is not stored over one of that id another screen registered meanwhile."""
    folder, ws, svc = screen
    svc.start_plan("water", LOCAL)
    svc.add_activity("water", ActivityForm("Replace the pump", "450 000", deadline="30.09.2027"), LOCAL)
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    svc.add_activity("water", ActivityForm("Fence the well", "50 000", deadline="30.09.2027"), LOCAL)
    before_the_next_write(ws, lambda: restore_db(folder, backup))
    with pytest.raises(ServiceError) as e:
        svc.add_activity("water", ActivityForm("Meters", "90 000", deadline="30.09.2027"), LOCAL)
    assert "nothing was written" in e.value.render("en") and "ничего не записано" in e.value.render("ru")
    assert "эч нерсе жазылган жок" in e.value.render("ky")
    assert [a.id for a in svc.plan("water").activities] == ["a1"]
    with open_workspace(folder, create=False) as other:
        before_the_next_write(ws, lambda: ServicesService(other).add_activity(
            "water", ActivityForm("Fence the well", "50 000", deadline="30.09.2027"), LOCAL))
        meters = svc.add_activity("water", ActivityForm("Meters", "90 000", deadline="30.09.2027"), LOCAL)
        assert meters.id == "a3" and [a.id for a in svc.plan("water").activities] == ["a1", "a2", "a3"]

        before_the_next_write(ws, lambda: ServicesService(other).register_form(_waste(), LOCAL))
        with pytest.raises(ServiceError, match="already in the register"):
            svc.register_form(_waste(households="900"), LOCAL)
    assert svc.service("waste").households == 1200


def _waste(**changes) -> ServiceForm:
    values = dict(id="waste", names={"ru": "Вывоз мусора"}, villages="Көк-Талаа", households="1 200",
                  provider="municipality", rate="85 %", costs="зарплата: 480 000", tariffs="контейнер: 50",
                  basis="household-month", lang="ru")
    return ServiceForm(**{**values, **changes})


def test_two_screens_starting_the_plan_at_once_make_one(screen, tmp_path):
    """The second screen found no plan, but the first stored one before it wrote: it is refused (it replaced the
    first's plan, activities and all), nothing written."""
    folder, ws, svc = screen
    with open_workspace(folder, create=False) as other:
        def first():
            there = ServicesService(other)
            there.start_plan("water", LOCAL)
            there.add_activity("water", ActivityForm("Replace the pump", "450 000", deadline="30.09.2027"), LOCAL)
        before_the_next_write(ws, first)
        with pytest.raises(ServiceError, match="has an improvement plan already"):
            svc.start_plan("water", LOCAL)
    assert [a.id for a in svc.plan("water").activities] == ["a1"] and len(ws.ledger.records("services:plan:water")) == 2
