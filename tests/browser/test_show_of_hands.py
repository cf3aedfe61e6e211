"""The counting commission at the console in a real browser, in Russian: too many women's hands are warned about
before anything is saved and saved only when confirmed, the count is numbered as the question's first; a question
counted by Equal Shares refuses hands as soon as it is chosen; a second count (stickers after hands) is added, and
a count is replaced only when the commission chooses it, the screen naming it before saving."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings.model import Hearing, Option, Participant, Question
from pbtools.hearings.store import HearingStore, create_hearing
from pbtools.storage import open_workspace
from tests.fixtures.shared_server import own_hearing


def open_hearing(workspace) -> str:
    with open_workspace(workspace) as ws:
        store = create_hearing(ws, Hearing(id="", municipality="Көк-Талаа", type="pb_vote", date="2026-05-14",
                                           villages=("Көк-Талаа",), budget=Decimal(3_000_000)), actor="test")
        store.add_options([Option(id=f"p{i}", number=i, titles={"ru": f"Проект {i}", "ky": f"Долбоор {i}"},
                                  cost=Decimal(400_000 * i)) for i in range(1, 4)], actor="test")
        ids = ("p1", "p2", "p3")
        store.define_question(Question(id="q1", kind="approval", titles={"ru": "Жадный вопрос"}, options=ids, max_choices=2), actor="test")
        store.define_question(Question(id="q2", kind="approval", titles={"ru": "Вопрос долей"}, options=ids, max_choices=2,
                                       rule="mes"), actor="test")
        store.define_question(Question(id="q3", kind="motion", titles={"ru": "Одобрить план"}), actor="test")
        store.open(actor="test")
        for sex in "ffmm":
            store.register(Participant(sex, "30_44", "Көк-Талаа"), actor="door")
        return store.id


@pytest.fixture(scope="module")
def console_server(shared_server):
    return shared_server, own_hearing(shared_server, open_hearing)


def test_too_many_hands_are_confirmed_before_saving_and_equal_shares_refuses_hands(console_server, page):
    server, hearing_id = console_server
    page.goto(server.url + "/voila/render/console.ipynb?lang=ru")
    page.locator("#pb-console-summary").wait_for()
    page.get_by_role("tab", name="Поднятие рук").click()
    page.get_by_role("button", name="Женщины и мужчины").click()
    grid = page.locator(".widget-gridbox input")
    page.wait_for_function("() => document.querySelectorAll('.widget-gridbox input').length === 6")  # 3 options x women, men
    grid.first.fill("5")  # 5 women's hands for №1, 2 women registered
    grid.first.press("Tab")
    page.get_by_role("button", name="Сохранить подсчёт").click()
    page.locator("#pb-counts-confirm", has_text="5").wait_for()
    with open_workspace(server.workspace, create=False) as ws:
        assert HearingStore(ws, hearing_id).state.counts_for("q1") == []  # warned first: nothing saved
    page.get_by_role("button", name="Всё равно сохранить").click()
    page.locator("#pb-counts li", has_text="№1").wait_for()
    with open_workspace(server.workspace, create=False) as ws:
        (saved,) = HearingStore(ws, hearing_id).state.counts_for("q1")
    assert saved.counts["f"]["p1"] == 5 and saved.seq > 1  # numbered 1 on screen, whatever its record number
    assert page.locator("#pb-counts-confirm").count() == 0
    page.locator(".pb-counts-question select").select_option(label="Вопрос долей")
    page.locator("#pb-hands-refused", has_text="Вопрос долей").wait_for()
    assert page.get_by_role("button", name="Сохранить подсчёт").is_disabled()


def saved_counts(server, hearing_id: str, question: str) -> list[dict]:
    with open_workspace(server.workspace, create=False) as ws:
        st = HearingStore(ws, hearing_id).state
    return [(c.method, c.counts["all"]) for c in sorted(st.counts_for(question), key=lambda c: c.seq)]


def test_the_next_count_is_added_and_one_is_replaced_only_when_chosen(console_server, page):
    server, hearing_id = console_server
    page.goto(server.url + "/voila/render/console.ipynb?lang=ru")
    page.locator("#pb-console-summary").wait_for()
    page.get_by_role("tab", name="Поднятие рук").click()
    # through the Equal Shares question, whose refusal goes away last when another is chosen: then the form is
    # drawn for good (it is drawn twice on a change of question) and typing lands in it
    questions = page.locator(".pb-counts-question select")
    questions.select_option(label="Вопрос долей")
    page.locator("#pb-hands-refused").wait_for()
    questions.select_option(label="Одобрить план")
    page.locator("#pb-hands-refused").wait_for(state="detached")
    page.wait_for_function("() => document.querySelectorAll('.widget-gridbox input').length === 3")  # За, Против, Возд.
    target = page.locator(".pb-counts-target select")
    chosen = lambda: target.locator("option:checked").inner_text().replace("\xa0", " ")  # noqa: E731 - ipywidgets' nbsp
    grid = page.locator(".widget-gridbox input")
    grid.first.fill("3")  # За 3, everyone together (4 registered)
    grid.first.press("Tab")
    page.get_by_role("button", name="Сохранить подсчёт").click()
    page.locator(".pb-ok", has_text="Подсчёт №1 сохранён.").wait_for()
    # the trial's finding: the mode silently became "replace count 1"; it stays "a new count"
    assert chosen() == "Новый подсчёт, прибавляется к сохранённым"
    assert page.locator("#pb-counts-replacing").count() == 0
    page.get_by_role("button", name="Наклейки").click()
    grid.first.fill("2")
    grid.first.press("Tab")
    page.get_by_role("button", name="Сохранить подсчёт").click()
    page.locator(".pb-ok", has_text="Подсчёт №2 сохранён.").wait_for()
    assert saved_counts(server, hearing_id, "q3") == [("hands", {"yes": 3, "no": 0, "abstain": 0}),
                                                      ("stickers", {"yes": 2, "no": 0, "abstain": 0})]  # added

    target.select_option(label="Заменить подсчёт №1 (исправление)")  # a correction, chosen for this save
    replacing = page.locator("#pb-counts-replacing")
    replacing.wait_for()
    assert "подсчёт №1 (Поднятие рук · Все: 3 · " in replacing.inner_text().replace("\xa0", " ")
    page.wait_for_function("() => document.querySelector('.widget-gridbox input').value === '3'")  # its figures
    grid.first.fill("4")
    grid.first.press("Tab")
    page.get_by_role("button", name="Заменить подсчёт №1 (исправление)").click()
    page.locator(".pb-ok", has_text="Подсчёт №3 сохранён; он заменяет подсчёт №1.").wait_for()
    assert saved_counts(server, hearing_id, "q3") == [("stickers", {"yes": 2, "no": 0, "abstain": 0}),
                                                      ("hands", {"yes": 4, "no": 0, "abstain": 0})]
    assert chosen() == "Новый подсчёт, прибавляется к сохранённым"
    assert page.locator("#pb-counts-replacing").count() == 0
    page.get_by_role("button", name="Сохранить подсчёт").wait_for()
