"""Two members with the same project open in the Monitoring app, each in a session of their own (two apps, each on
the workspace opened for itself, as two kernels have it): the second save never undoes the first one's change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pbtools.monitoring import Funding, MonitoringService
from pbtools.roles import FACILITATOR, Actor
from pbtools.storage import open_workspace
from pbtools_widgets.monitoring.app import MonitoringApp

TODAY = date(2026, 12, 7)


@pytest.fixture
def two_tabs(tmp_path):
    folder = tmp_path / "ws"
    with open_workspace(folder) as ws:
        svc = MonitoringService(ws)
        p = svc.add_project(Actor("Гүлнара", FACILITATOR), {"ru": "Уличное освещение в Кок-Талаа"}, planned=Funding(Decimal(480000)))
        svc.set_status(Actor("Гүлнара", FACILITATOR), p.id, "stalled", reason="Нет опор", percent=20, on="2026-11-01")
    with open_workspace(folder) as a, open_workspace(folder) as b:
        tabs = []
        for ws, name in ((a, "Айгүл Сыдыкова"), (b, "Чынара Абдыкадырова")):
            app = MonitoringApp(ws, lang="ru", today=TODAY)
            app.operator.value = name
            app.page.choice.value = p.id
            tabs.append(app)
        yield p.id, tabs[0], tabs[1]


def test_a_stale_page_that_changed_only_the_percent_keeps_the_other_members_status(two_tabs):
    pid, a, b = two_tabs
    b.page.status.value, b.page.reason.value = "in_progress", "Подрядчик вернулся на объект"
    b.page.save.click()
    assert "pb-ok" in b.page.said.value
    assert a.page.status.value == "stalled"  # A's page was not reloaded
    a.page.percent.value, a.page.reason.value = "40", "Проверили опоры"
    a.page.save.click()
    assert "pb-ok" in a.page.said.value and "Выполняется" in a.page.said.value
    now = MonitoringService(a.ws).project(pid)
    assert (now.status, now.status_reason, now.percent) == ("in_progress", "Подрядчик вернулся на объект", 40)
    last = MonitoringService(a.ws).history(pid)[-1]
    assert last.actor == "Айгүл Сыдыкова" and set(last.after) == {"percent"}
    assert a.page.status.value == "in_progress"  # A's page shows the project as stored


def test_a_stale_page_that_changed_the_status_too_is_told_and_shown_the_current_values(two_tabs):
    pid, a, b = two_tabs
    b.page.status.value, b.page.reason.value = "in_progress", "Подрядчик вернулся на объект"
    b.page.save.click()
    head = MonitoringService(b.ws).project(pid).seq
    a.page.status.value, a.page.percent.value, a.page.reason.value = "cancelled", "20", "Финансирование снято"
    a.page.save.click()
    said = a.page.said.value
    assert "pb-error" in said and "Чынара Абдыкадырова" in said and "Приостановлен → Выполняется" in said
    assert MonitoringService(a.ws).project(pid).seq == head  # nothing written
    assert a.page.status.value == "in_progress" and a.page.reason.value == ""  # the form shows what is stored now
    a.lang_switch.value = "ky"  # said again in the screen's language
    assert "Чынара Абдыкадырова" in a.page.said.value and "Токтоп турат → Аткарылууда" in a.page.said.value


def test_a_stale_page_showing_the_old_actual_cost_keeps_the_cost_another_member_recorded(tmp_path):
    """The progress form starts from the actual cost recorded: left as it was, it is no change of this member's,
    even when the cost was split (local budget, grant) and another member has recorded a new one since."""
    folder = tmp_path / "ws"
    boss = Actor("Гүлнара", FACILITATOR)
    with open_workspace(folder) as ws:
        svc = MonitoringService(ws)
        p = svc.add_project(boss, {"ru": "Питьевая вода"}, planned=Funding(Decimal(2400000)))
        svc.set_status(boss, p.id, "in_progress", reason="Начали", percent=20, on="2026-07-01")
        svc.update(boss, p.id, actual=Funding(Decimal(1300000), local_budget=Decimal(1000000), grant=Decimal(300000)))
    with open_workspace(folder) as a_ws, open_workspace(folder) as b_ws:
        a, b = (MonitoringApp(ws, lang="ru", today=TODAY) for ws in (a_ws, b_ws))
        for app, name in ((a, "Айгүл Сыдыкова"), (b, "Чынара Абдыкадырова")):
            app.operator.value = name
            app.page.choice.value = p.id
        assert a.page.cost.value == b.page.cost.value != ""
        b.page.cost.value = "1 800 000"
        b.page.save.click()
        assert "pb-ok" in b.page.said.value
        a.page.percent.value = "60"  # A's page still shows 1 300 000
        a.page.save.click()
        assert "pb-ok" in a.page.said.value, a.page.said.value
        now = MonitoringService(a_ws).project(p.id)
        assert (now.percent, now.actual.total) == (60, Decimal(1800000))


def test_a_page_whose_records_were_replaced_on_disk_saves_nothing_and_shows_what_is_there(two_tabs, tmp_path):
    """Another copy of the database put back while A's page is open (the same number of records, another member's
    status there): A's save is refused in A's language, nothing is written, and the form shows the project on disk."""
    from tests.fixtures.db_copies import copy_db, restore_db

    pid, a, b = two_tabs
    folder = tmp_path / "ws"
    other = tmp_path / "other"
    other.mkdir()
    copy_db(folder, other / "pbtools.sqlite")
    b.page.status.value, b.page.reason.value = "in_progress", "Подрядчик вернулся на объект"
    b.page.save.click()
    a.reload(select=pid)  # A's page shows B's change, as it would after any look
    with open_workspace(other, create=False) as ws:
        MonitoringService(ws).set_status(Actor("Гүлнара", FACILITATOR), pid, "cancelled", reason="Финансирование снято")
    restore_db(folder, other / "pbtools.sqlite")
    on_disk = MonitoringService(a.ws).project(pid)
    a.page.percent.value, a.page.reason.value = "40", "Проверили опоры"
    a.page.save.click()
    said = a.page.said.value
    assert "pb-error" in said and "ваши изменения не сохранены" in said, said
    assert MonitoringService(a.ws).project(pid) == on_disk  # nothing written
    assert a.page.status.value == "cancelled" and a.page.percent.value == "20"  # the form shows the project on disk
    a.lang_switch.value = "ky"
    assert "сакталган жок" in a.page.said.value
