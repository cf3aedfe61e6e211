"""Monitoring acts: filed once, never edited; a correction is a new act; responses are their own records; overdue."""

from __future__ import annotations

from datetime import date

import pytest

from pbtools.dates import shown_day
from pbtools.monitoring import FileRefused, InvalidValue, MonitoringService, NoSuchAct, NoSuchMember, NoSuchProject
from pbtools.monitoring.records import ACTS
from tests.monitoring.conftest import MEMBER, STAFF


@pytest.fixture
def visit(svc):
    p = svc.add_project(STAFF, {"ky": "Суу түтүгү"}, village="Көк-Талаа")
    g1 = svc.add_member(STAFF, "Айгүл Сыдыкова", "депутат")
    g2 = svc.add_member(STAFF, "Нурбек Алиев")
    return p, g1, g2


def test_an_act_is_filed_with_its_members_and_numbered(svc, visit):
    p, g1, g2 = visit
    act = svc.file_act(MEMBER, p.id, date="05.06.2026", members=[g1.id, "нурбек алиев"], findings="Иш жүрүп жатат",
                       recommendations="Мөөнөттү сактоо", response_due="2026-06-20", place="Көк-Талаа")
    assert act.id == "A-2026-001" and act.number == 1 and act.date == "2026-06-05"
    assert act.members == (g1.id, g2.id) and act.filed_by == MEMBER.name and act.response is None
    assert svc.acts(p.id) == [act] and svc.acts("other") == []


def test_acts_are_never_edited_a_correction_is_a_new_act(svc, visit):
    p, g1, _ = visit
    first = svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g1.id], findings="40 %", response_due="2026-06-20")
    record = svc.ws.ledger.records(ACTS)[0]
    fixed = svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g1.id], findings="60 %", response_due="2026-06-20",
                         corrects=first.id)
    old = svc.act(first.id)
    assert old.corrected and old.corrected_by == fixed.id and old.findings == "40 %"  # kept as filed
    assert fixed.corrects == first.id and not fixed.corrected
    assert svc.ws.ledger.records(ACTS)[0] == record  # the first record is untouched
    assert [r.kind for r in svc.ws.ledger.records(ACTS)] == ["act.filed", "act.filed"]
    with pytest.raises(InvalidValue) as e:  # the corrected act is not corrected again: its correction is
        svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g1.id], findings="x", corrects=first.id)
    assert fixed.id in e.value.render("en")
    with pytest.raises(NoSuchAct):
        svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g1.id], findings="x", corrects="A-1999-001")
    assert len(svc.acts()) == 2


def test_a_response_is_its_own_record_and_clears_the_overdue_flag(svc, visit):
    p, g1, _ = visit
    act = svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g1.id], findings="Чуңкур", response_due="2026-06-20")
    assert svc.overdue(date(2026, 6, 20)) == []  # due that day: not yet late
    assert [a.id for a in svc.overdue(date(2026, 6, 21))] == [act.id]
    answered = svc.record_response(STAFF, act.id, "Оңдолду", on="2026-06-25")
    assert answered.response.text == "Оңдолду" and answered.response.date == "2026-06-25"
    assert answered.findings == act.findings and answered.seq == act.seq  # the act itself is as filed
    assert svc.overdue(date(2026, 12, 1)) == []
    assert [r.kind for r in svc.ws.ledger.records(ACTS)] == ["act.filed", "act.response"]


def test_a_corrected_act_is_followed_through_its_correction(svc, visit):
    p, g1, _ = visit
    first = svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g1.id], findings="a", response_due="2026-06-10")
    fixed = svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g1.id], findings="b", response_due="2026-06-30",
                         corrects=first.id)
    assert [a.id for a in svc.overdue(date(2026, 6, 20))] == []
    assert [a.id for a in svc.overdue(date(2026, 7, 1))] == [fixed.id]


def test_an_act_without_a_deadline_is_never_overdue(svc, visit):
    p, g1, _ = visit
    svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g1.id], findings="ok")
    assert svc.overdue(date(2030, 1, 1)) == []


def test_bad_acts_are_refused_naming_each_field_and_nothing_is_stored(svc, visit, tmp_path):
    p, g1, _ = visit
    with pytest.raises(InvalidValue) as e:
        svc.file_act(MEMBER, p.id, date="32.13.2026", members=[g1.id, "Бирөө"], findings=" ",
                     response_due="2026-01-01")
    text = e.value.render("en")
    assert "Бирөө is not a member" in text and "Date of the visit: 32.13.2026" in text and "Findings" in text
    with pytest.raises(InvalidValue) as e:
        svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g1.id], findings="x", response_due="2026-06-01")
    assert "Response deadline" in e.value.render("en")
    with pytest.raises(NoSuchProject):
        svc.file_act(MEMBER, "nope", date="2026-06-05", members=[g1.id], findings="x")
    with pytest.raises(InvalidValue):
        svc.file_act(MEMBER, p.id, date="2026-06-05", members=[], findings="x")
    with pytest.raises(FileRefused):
        svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g1.id], findings="x", photos=[tmp_path / "missing.jpg"])
    assert svc.acts() == [] and ACTS not in svc.ws.ledger.streams()


def test_a_removed_member_is_not_present_at_later_acts_but_stays_in_earlier_ones(svc, visit):
    p, g1, g2 = visit
    act = svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g2.id], findings="ok")
    svc.remove_member(STAFF, g2.id, reason="көчүп кетти")
    assert [m.id for m in svc.members()] == [g1.id]
    assert svc.act(act.id).members == (g2.id,)
    with pytest.raises(InvalidValue) as e:
        svc.file_act(MEMBER, p.id, date="2026-07-05", members=[g2.id], findings="ok")
    assert any(isinstance(x, type(NoSuchMember("x").problems[0])) for x in e.value.problems)
    assert len(svc.acts()) == 1


def test_acts_survive_reopening_the_workspace(tmp_path, visit, svc):
    p, g1, _ = visit
    act = svc.file_act(MEMBER, p.id, date="2026-06-05", members=[g1.id], findings="ok", response_due="2026-06-07")
    from pbtools.storage import open_workspace

    with open_workspace(svc.ws.path) as again:
        assert MonitoringService(again).act(act.id) == act


def test_an_act_records_a_visit_that_happened_and_a_response_comes_after_its_act(svc, visit):
    """The trial: an act dated months ahead was filed (as A-2027-...), and a response dated before its act stored."""
    from datetime import timedelta

    p, g1, _ = visit
    ahead = (date.today() + timedelta(days=150)).isoformat()
    with pytest.raises(InvalidValue) as refused:
        svc.file_act(MEMBER, p.id, date=ahead, members=[g1.id], findings="Иш жүрүп жатат")
    said = refused.value.render("ru")  # the day as the screen writes days
    assert "Дата посещения" in said and shown_day(ahead, "ru") in said and "будущ" in said
    assert "Date of the visit" in refused.value.render("en") and "Баруу күнү" in refused.value.render("ky")
    assert svc.acts() == []
    act = svc.file_act(MEMBER, p.id, date="2026-11-12", members=[g1.id], findings="Иш жүрүп жатат")
    for on, words in (("2026-11-01", "раньше акта A-2026-001 от 12.11.2026"), (ahead, "будущ")):
        with pytest.raises(InvalidValue) as refused:
            svc.record_response(STAFF, act.id, "Оңдолот", on=on)
        assert "Дата ответа" in refused.value.render("ru") and words in refused.value.render("ru")
        assert shown_day(on, "ky") in refused.value.render("ky") and on in refused.value.render("en")
    assert svc.act(act.id).responses == ()
    assert svc.record_response(STAFF, act.id, "Оңдолот", on="2026-11-12").response.date == "2026-11-12"  # the same day is fine


def test_every_date_is_read_as_the_message_asks_for_it(svc, visit):
    """"Write it as 2026-05-14 or 14.05.2026", the refusal said, yet a response dated 01.12.2026 was refused: one
    reading of a typed date (``pbtools.dates.parse_date``) for every date of monitoring."""
    p, g1, _ = visit
    act = svc.file_act(MEMBER, p.id, date="12.11.2026", members=[g1.id], findings="Иш жүрүп жатат")
    assert svc.record_response(STAFF, act.id, "Оңдолот", on="01.12.2026").response.date == "2026-12-01"
    m = svc.add_milestone(STAFF, p.id, "Смета", "14.05.2026")
    assert m.planned == "2026-05-14" and svc.milestone_done(STAFF, p.id, m.id, "20/05/2026").done == "2026-05-20"
    changed = svc.update(STAFF, p.id, planned_start="01.05.2026", planned_finish="30.09.2026", actual_start="14.05.2026")
    assert (changed.planned_start, changed.planned_finish, changed.actual_start) == ("2026-05-01", "2026-09-30", "2026-05-14")
    assert svc.set_status(MEMBER, p.id, "stalled", reason="Нет труб", on="15.11.2026").status_date == "2026-11-15"
    added = svc.add_project(STAFF, {"ru": "Мост"}, planned_start="01.06.2026")
    assert added.planned_start == "2026-06-01"
    with pytest.raises(InvalidValue) as refused:
        svc.record_response(STAFF, act.id, "Оңдолот", on="31.11.2026")
    assert "31.11.2026" in refused.value.render("ky") and "14.05.2026" in refused.value.render("ky")


def test_an_empty_response_is_refused_by_the_field_it_is_about(svc, visit):
    """It was reported as "Findings: the response is empty", a field the response form does not have."""
    p, g1, _ = visit
    act = svc.file_act(MEMBER, p.id, date="2026-11-12", members=[g1.id], findings="Иш жүрүп жатат")
    with pytest.raises(InvalidValue) as refused:
        svc.record_response(STAFF, act.id, "   ", on="2026-11-20")
    said = {lang: refused.value.render(lang) for lang in ("ky", "ru", "en")}
    assert said["ru"].startswith("Ответ: ") and said["ky"].startswith("Жооп: ") and said["en"].startswith("Response: ")
    assert not any(word in text for word, text in zip(("Табылгалар", "Выводы", "Findings"), (said["ky"], said["ru"], said["en"])))
    assert svc.act(act.id).responses == ()


def test_a_members_position_given_in_several_languages_is_shown_in_each_and_one_typed_once_as_it_is(svc, tmp_path):
    """The trial: a Russian screen listed «Айгүл Сыдыкова (айылдык кеңештин депутаты)», the sample's Kyrgyz position."""
    from pbtools.monitoring.print_act import build_act
    from pbtools.storage import open_workspace

    deputy = svc.add_member(STAFF, "Айгүл Сыдыкова", {"ky": " айылдык кеңештин депутаты ", "ru": "депутат айылного кенеша", "xx": "?"})
    typed = svc.add_member(STAFF, "Нурбек Алиев", "  Көк-Талаа айылынын тургуну ")
    nothing = svc.add_member(STAFF, "Азамат Бекмуратов", {"ru": "  "})
    with open_workspace(svc.ws.path) as again:  # as stored, read back
        members = {m.id: m for m in MonitoringService(again).members()}
    deputy, typed, nothing = members[deputy.id], members[typed.id], members[nothing.id]
    assert deputy.position == {"ky": "айылдык кеңештин депутаты", "ru": "депутат айылного кенеша"}
    assert deputy.label("ru") == "Айгүл Сыдыкова (депутат айылного кенеша)"
    assert deputy.label("ky") == "Айгүл Сыдыкова (айылдык кеңештин депутаты)"
    assert deputy.label("en") == deputy.label("ky")  # none in English: the one it was given in
    assert typed.label("ru") == typed.label("en") == "Нурбек Алиев (Көк-Талаа айылынын тургуну)"
    assert nothing.position == "" and nothing.label("ru") == "Азамат Бекмуратов"
    p = svc.add_project(STAFF, {"ky": "Суу түтүгү"})
    act = svc.file_act(MEMBER, p.id, date="2026-06-05", members=[deputy.id], findings="Иш жүрүп жатат")
    fields = dict(next(b for b in build_act(svc, act, "ru").blocks if hasattr(b, "rows")).rows)
    assert "Айгүл Сыдыкова (депутат айылного кенеша)" in fields.values()
