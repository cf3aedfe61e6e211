"""A project's form, or a write decided on the project as read, when the workspace's database is put back from a
copy under it (a backup restored, another copy's history): nothing is written into records the form was not opened
on; the refusal says so in the user's language, and the form reads the project again (tests/widgets)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.monitoring import Funding, MonitoringService
from pbtools.monitoring.errors import ActsReplaced, GroupReplaced, InvalidValue, ProjectReplaced
from pbtools.roles import MONITOR, Actor
from pbtools.storage import open_workspace
from tests.fixtures.db_copies import before_the_next_write, copy_db, restore_db

AIGUL = Actor("Айгүл Сыдыкова", MONITOR)
CHYNARA = Actor("Чынара Абдыкадырова", MONITOR)


@pytest.fixture
def project(tmp_path):
    """(folder, service, the project, stalled at 20 %)."""
    folder = tmp_path / "ws"
    with open_workspace(folder) as ws:
        svc = MonitoringService(ws)
        p = svc.add_project(AIGUL, {"ru": "Уличное освещение в Кок-Талаа"}, planned=Funding(Decimal(480000)))
        yield folder, svc, svc.set_status(AIGUL, p.id, "stalled", reason="Нет опор", percent=20, on="2026-11-01")


def test_a_form_opened_on_records_another_copy_replaced_saves_nothing(project, tmp_path):
    """The copy put back ends at the same record number as the form's, with another member's change there: by the
    number alone the form's values were written over it, undoing it without a word."""
    folder, svc, p = project
    other = copy_db(folder, tmp_path / "other.sqlite")
    shown = svc.set_status(AIGUL, p.id, "in_progress", reason="Подрядчик вернулся", percent=20, on="2026-11-20")
    with _opened(tmp_path, other) as there:
        MonitoringService(there).set_status(CHYNARA, p.id, "cancelled", reason="Финансирование снято", on="2026-11-21")
    restore_db(folder, tmp_path / "other" / "pbtools.sqlite")
    on_disk = svc.project(p.id)
    assert on_disk.seq == shown.seq and on_disk.hash != shown.hash
    with pytest.raises(ProjectReplaced) as e:
        svc.set_status(AIGUL, p.id, "in_progress", reason="Проверили", percent=40, based_on=shown.seq, based_hash=shown.hash)
    assert "nothing of yours was saved" in e.value.render("en")
    assert "ваши изменения не сохранены" in e.value.render("ru") and "сакталган жок" in e.value.render("ky")
    assert svc.project(p.id) == on_disk  # nothing written: still cancelled
    assert svc.set_status(AIGUL, p.id, "cancelled", percent=40, based_on=on_disk.seq, based_hash=on_disk.hash).percent == 40


def test_a_milestone_marked_done_in_a_history_put_back_meanwhile_is_not_written(project, tmp_path):
    """The copy is put back after the milestone was found on the project, before the record is written: the copy
    has no such milestone."""
    folder, svc, p = project
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    milestone = svc.add_milestone(AIGUL, p.id, "Опоры привезены", "2026-11-15")
    before_the_next_write(svc.ws, lambda: restore_db(folder, backup))
    with pytest.raises(ProjectReplaced):
        svc.milestone_done(AIGUL, p.id, milestone.id, "2026-11-16")
    assert svc.project(p.id) == p and svc.project(p.id).milestones == ()


def _opened(tmp_path, db):
    """A workspace folder around the database file ``db`` (another copy of it)."""
    folder = tmp_path / "other"
    folder.mkdir()
    db.rename(folder / "pbtools.sqlite")
    return open_workspace(folder, create=False)


def test_acts_a_response_or_a_correction_decided_on_what_was_read(project, tmp_path):
    """A response to an act the copy put back meanwhile does not hold is not written (it would answer nothing); two
    screens correcting one act at once: the second is refused, naming the first's correction."""
    folder, svc, p = project
    (member,) = [svc.add_member(AIGUL, "Айгүл Сыдыкова")]
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    act = svc.file_act(AIGUL, p.id, date="2026-11-20", members=[member.id], findings="Опор нет", response_due="2026-12-01")
    before_the_next_write(svc.ws, lambda: restore_db(folder, backup))
    with pytest.raises(ActsReplaced) as e:
        svc.record_response(AIGUL, act.id, "Опоры заказаны", on="2026-11-25")
    assert "ничего не сохранено" in e.value.render("ru") and "сакталган жок" in e.value.render("ky")
    assert svc.acts() == []

    act = svc.file_act(AIGUL, p.id, date="2026-11-20", members=[member.id], findings="Опор нет")
    with open_workspace(folder, create=False) as other:
        there = MonitoringService(other)
        before_the_next_write(svc.ws, lambda: there.file_act(CHYNARA, p.id, date="2026-11-20", members=[member.id],
                                                             findings="Опор нет, 2 шт.", corrects=act.id))
        with pytest.raises(InvalidValue) as e:
            svc.file_act(AIGUL, p.id, date="2026-11-20", members=[member.id], findings="Опор нет, 3 шт.", corrects=act.id)
    assert "A-2026-002" in e.value.render("en")
    assert [a.findings for a in svc.acts()] == ["Опор нет", "Опор нет, 2 шт."]


def test_the_group_changed_on_what_was_read(project, tmp_path):
    """A member removed, or numbered, on the group as read: the copy put back meanwhile holds another person under
    that id (removing them undid another member's work without a word), or fewer members (the new one numbered g3
    beside g1 alone); refused, nothing written. Another screen's member added after the read does not refuse it."""
    folder, svc, _p = project
    svc.add_member(AIGUL, "Айгүл Сыдыкова")
    other = copy_db(folder, tmp_path / "other.sqlite")
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    chynara = svc.add_member(AIGUL, "Чынара Абдыкадырова")
    with _opened(tmp_path, other) as there:
        assert MonitoringService(there).add_member(CHYNARA, "Бакыт Осмонов").id == chynara.id == "g2"
    before_the_next_write(svc.ws, lambda: restore_db(folder, tmp_path / "other" / "pbtools.sqlite"))
    with pytest.raises(GroupReplaced) as e:
        svc.remove_member(AIGUL, chynara.id, "уехала")
    assert "nothing was saved" in e.value.render("en")
    assert "ничего не сохранено" in e.value.render("ru") and "сакталган жок" in e.value.render("ky")
    assert [(m.name, m.active) for m in svc.members(include_removed=True)] == [("Айгүл Сыдыкова", True), ("Бакыт Осмонов", True)]

    restore_db(folder, backup)  # g1 alone
    svc.add_member(AIGUL, "Чынара Абдыкадырова")  # read: g1, g2
    before_the_next_write(svc.ws, lambda: restore_db(folder, backup))
    with pytest.raises(GroupReplaced):
        svc.add_member(AIGUL, "Нурлан Токтогулов")
    assert [m.id for m in svc.members(include_removed=True)] == ["g1"]

    chynara = svc.add_member(AIGUL, "Чынара Абдыкадырова")
    with open_workspace(folder, create=False) as another:
        before_the_next_write(svc.ws, lambda: MonitoringService(another).add_member(CHYNARA, "Нурлан Токтогулов"))
        svc.remove_member(AIGUL, chynara.id, "уехала")
    assert [(m.id, m.active) for m in svc.members(include_removed=True)] == [("g1", True), ("g2", False), ("g3", True)]
