"""The s22 trial's disputed pile, in a real browser, in Russian: two clerks type pile 1 and disagree on ballot 2.
The Paper ballots tab says the pile is not settled, closing is refused naming the question, pile and ballot, and
once the ballot is corrected from the paper the hearing closes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings.model import CLOSED, OPEN, Hearing, Option, Question
from pbtools.hearings.store import HearingStore, create_hearing
from pbtools.storage import open_workspace
from tests.fixtures.shared_server import own_hearing


def open_hearing(workspace) -> str:
    with open_workspace(workspace) as ws:
        store = create_hearing(ws, Hearing(id="", municipality="Көк-Талаа", type="pb_vote", date="2026-05-14",
                                           villages=("Көк-Талаа",), budget=Decimal(1_000_000), practice=True), actor="test")
        store.add_options([Option(id="p1", number=1, titles={"ru": "Проект 1"}, cost=Decimal(400_000))], actor="test")
        store.define_question(Question(id="q1", kind="motion", titles={"ru": "Одобрить план", "ky": "Планды бекитүү"}),
                              actor="test")
        store.open(actor="test")
        return store.id


@pytest.fixture(scope="module")
def console_server(shared_server):
    return shared_server, own_hearing(shared_server, open_hearing)


def status(server, hearing_id: str) -> str:
    with open_workspace(server.workspace, create=False) as ws:
        return HearingStore(ws, hearing_id).state.status


def test_a_disputed_pile_is_said_and_refuses_closing_until_it_is_corrected(console_server, page):
    server, hearing_id = console_server
    page.goto(server.url + "/voila/render/console.ipynb?lang=ru")
    page.locator("#pb-console-summary").wait_for()
    page.get_by_role("tab", name="Бумажные бюллетени").click()
    page.get_by_role("checkbox", name="Двойной ввод").check()
    box = page.locator(".pb-ballot-entry input")
    for entry, typed in (("1", "1 1 2"), ("2", "1 2 2")):  # the trial's pile: ballot 2 is За in one, Против in the other
        page.locator(".widget-toggle-buttons:visible button", has_text=entry).click()
        box.click()
        for i, text in enumerate(typed.split(), 1):
            page.keyboard.type(text)
            page.keyboard.press("Enter")
            page.locator("#pb-ballot-count", has_text=f"ввод {entry}: введено бюллетеней — {i}").wait_for()
    disputed = page.locator("#pb-pile-disputes")
    disputed.wait_for()
    assert "«Одобрить план», пачка 1" in disputed.inner_text() and "(№ 2)" in disputed.inner_text()
    assert "учитывается ввод 1" in disputed.inner_text()

    page.get_by_role("tab", name="Слушания", exact=True).click()
    page.locator("#pb-close-disputes", has_text="Слушания нельзя закрыть").wait_for()  # said before trying
    page.get_by_role("checkbox", name="Да, закрыть: после этого ничего нельзя добавить").check()
    page.get_by_role("button", name="Закрыть слушания").click()
    refusal = page.locator(".pb-problems:visible")  # the refusal's line, then each disputed pile under it
    refusal.wait_for()
    text = refusal.inner_text()
    page.locator(".pb-error:visible", has_text="Слушания нельзя закрыть").wait_for()
    assert "«Одобрить план», пачка 1" in text and "(№ 2)" in text
    assert status(server, hearing_id) == OPEN

    page.get_by_role("tab", name="Бумажные бюллетени").click()
    page.get_by_role("button", name="Сравнить два ввода").click()
    page.get_by_placeholder("Что на бумажном бюллетене").fill("2")  # the paper says Против: entry 1 was wrong
    page.get_by_role("button", name="Исправить бюллетень 2").click()
    page.locator(".pb-ok", has_text="Оба ввода пачки 1 совпадают").wait_for()
    assert page.locator("#pb-pile-disputes").count() == 0

    page.get_by_role("tab", name="Слушания", exact=True).click()
    page.get_by_role("checkbox", name="Да, закрыть: после этого ничего нельзя добавить").check()
    page.get_by_role("button", name="Закрыть слушания").click()
    page.locator(".pb-ok", has_text="Слушания закрыты.").wait_for()
    assert page.locator("#pb-close-disputes").count() == 0
    assert status(server, hearing_id) == CLOSED
    with open_workspace(server.workspace, create=False) as ws:
        st = HearingStore(ws, hearing_id).state
    assert sorted(b.ballot.answer for b in st.ballots_for("q1")) == ["no", "no", "yes"]  # the paper's ballot 2
