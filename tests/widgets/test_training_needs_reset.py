"""Two Training tabs on one sandbox: tab A resets it while tab B shows its needs lists. What is typed in tab B was
meant for the lists it shows: refused, said as the screen says it (session №1, not the record's id "s1"), nothing
written into the reset sandbox, and the lists shown as they are now (finding s28 M3: «Встречи s1 нет», the old
lists left on screen, and «Добавить проблему» wrote into the reset sandbox)."""

from __future__ import annotations

import pytest

from pbtools.hearings.store import state
from pbtools.storage import open_workspace
from pbtools_widgets.training.app import TrainingApp


@pytest.fixture
def tabs(demo_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("PBTOOLS_SANDBOXES", str(tmp_path / "sandboxes"))
    with open_workspace(demo_copy) as ws:
        a = TrainingApp(ws, lang="ru", root=tmp_path / "sandboxes")
        a.tabs[0].open_button.click()
        b = TrainingApp(ws, lang="ru", root=tmp_path / "sandboxes")
        b.tabs[0].open_button.click()
        yield a, b
        a.service.close()
        b.service.close()


def test_what_a_stale_tab_types_after_a_reset_is_refused_and_its_lists_shown_anew(tabs):
    a, b = tabs
    na, nb = a.tabs[1], b.tabs[1]
    na.render()
    na.problem.value = "Питьевая вода"
    na.add_problem.click()
    na.session_village.value, na.group.value = "Көк-Талаа", "Женщины"
    na.add_session.click()
    nb.render()  # tab B shows problem 1 and session №1
    assert "Питьевая вода" in nb.lists.value and nb.session.value == "s1"

    a.service.reset(a.service.contents())
    a.changed()  # as its Reset button does: tab A shows the reset sandbox; tab B does not know
    nb.ranking.value = "1"  # the box saves when typing ends
    assert "Рейтинг встречи №1 не сохранён: записи изучения нужд заменены" in nb.status.value
    assert "s1" not in nb.status.value and "pb-error" in nb.status.value
    assert "Питьевая вода" not in nb.lists.value and nb.session.options == ()  # shown as it is now

    na.problem.value = "Дорога"  # tab B shows it, then tab A resets again: tab B's lists are stale again
    na.add_problem.click()
    nb.render()
    assert "Дорога" in nb.lists.value
    a.service.reset(a.service.contents())
    a.changed()  # as its Reset button does: tab A shows the reset sandbox; tab B does not know
    nb.problem.value = "Баня"
    nb.add_problem.click()
    assert "Проблема «Баня» не добавлена" in nb.status.value and nb.problem.value == "Баня"
    assert a.tabs[1].service.state.problems == {}  # nothing written into the reset sandbox
    nb.add_problem.click()  # on the lists as they are now: added
    assert "pb-ok" in nb.status.value and [p.title("ru") for p in a.tabs[1].service.state.problems.values()] == ["Баня"]


def _rank(svc, actor, ranking, times=1):
    for _ in range(times):
        svc.set_ranking(svc.add_session("Көк-Талаа", "women", actor).id, ranking, actor)


def test_a_stale_tab_s_draft_hearing_buttons_do_what_its_screen_showed_or_nothing(tabs):
    """Tab B showed "Питьевая вода" on top; tab A's rankings put "Дорога" there: «Сделать главные проблемы его
    вариантами» in tab B writes nothing, says why under its buttons, and shows the results as they are; clicked
    again, it carries what it now shows. After tab A resets the sandbox, tab B's «Новый черновик слушаний» makes
    no draft, said; a draft the reset took away is taken off tab B's list."""
    a, b = tabs
    na, nb, actor = a.tabs[1], b.tabs[1], a.service.actor
    nb.render()  # first, no problem typed yet: a draft the reset takes away is said, and taken off tab B's list
    nb.new_hearing.click()
    gone = nb.hearing.value
    a.service.reset(a.service.contents())
    a.changed()
    nb.carry.click()
    assert gone and "pb-error" in nb.carried.value and gone in nb.carried.value  # «Слушаний … нет»
    assert gone not in [v for _k, v in nb.hearing.options]  # it kept offering it

    svc = na.service
    for title in ("Питьевая вода", "Дорога"):
        svc.add_problem(title, "ru", actor)
    _rank(svc, actor, "1 2")
    nb.render()
    nb.new_hearing.click()
    draft, nb.places.value = nb.hearing.value, "1"
    assert draft and "pb-ok" in nb.carried.value
    _rank(na.service, actor, "2 1", times=2)  # tab A: "Дорога" on top now; tab B still shows "Питьевая вода"
    assert "1. Питьевая вода" in nb.result.value.split("</tr>")[1]
    nb.carry.click()
    assert f"В повестку слушаний {draft} ничего не добавлено: главные проблемы изменились" in nb.carried.value
    assert "pb-error" in nb.carried.value and "2. Дорога" in nb.result.value.split("</tr>")[1]  # shown as it is
    assert state(a.service.ws, draft).options == {}
    nb.carry.click()  # on the results as they are now
    assert "pb-ok" in nb.carried.value
    assert [o.titles["ru"] for o in state(a.service.ws, draft).options.values()] == ["Дорога"]

    nb.render()
    a.service.reset(a.service.contents())
    a.changed()  # as its Reset button does: tab B does not know
    nb.new_hearing.click()
    assert "Черновик слушаний не создан: записи изучения нужд заменены" in nb.carried.value
    assert na.service.hearings("ru") == [] and nb.hearing.options == ()  # no draft made; the list shown anew
    assert "Питьевая вода" not in nb.lists.value

