"""The counting commission at the console in a real browser, in Russian: too many women's hands are warned about
before anything is saved and saved only when confirmed, the count is numbered as the question's first; a question
counted by Equal Shares refuses hands as soon as it is chosen."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings.model import Hearing, Option, Participant, Question
from pbtools.hearings.store import HearingStore, create_hearing
from pbtools.storage import open_workspace
from tests.fixtures.browser import demo_server_with


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
        store.open(actor="test")
        for sex in "ffmm":
            store.register(Participant(sex, "30_44", "Көк-Талаа"), actor="door")
        return store.id


@pytest.fixture(scope="module")
def console_server(tmp_path_factory):
    with demo_server_with(tmp_path_factory, "hands", open_hearing) as served:
        yield served


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
