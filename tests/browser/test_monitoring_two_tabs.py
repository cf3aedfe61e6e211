"""Two members of the group with the same project open in two browsers (two pages, two kernels, one database): the
trial's lost update. The second save changes only what that member changed, and is refused, naming who changed what,
when both changed the same thing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.fmt import percent
from pbtools.i18n import translator
from pbtools.monitoring import MonitoringService
from pbtools.storage import open_workspace
from tests.fixtures.browser import local_page


@pytest.fixture(scope="module")
def server(shared_server):
    return shared_server


def open_project(page, url: str, name: str, project_id: str) -> None:
    page.goto(url + "/voila/render/monitoring.ipynb?lang=ru")
    page.locator(".pb-app .pb-title", has_text="Мониторинг проектов").wait_for(timeout=90_000)
    page.locator(".pb-operator input").fill(name)
    page.get_by_role("tab", name="Проект", exact=True).click()
    choice = page.locator(".pb-project-choice select")
    choice.select_option(label=next(t for t in choice.locator("option").all_text_contents() if t.endswith(project_id)))
    page.locator(f'.pb-mon-project[data-project="{project_id}"]').wait_for()


def save(page) -> None:
    page.locator(".pb-progress-save").click()


def test_two_members_one_project_no_change_silently_undone(server, chromium):
    with open_workspace(server.workspace) as ws:
        stalled = next(p for p in MonitoringService(ws).projects() if p.status == "stalled")
    viewport = {"viewport": {"width": 1366, "height": 900}}
    with local_page(chromium, **viewport) as a, local_page(chromium, **viewport) as b:
        open_project(a, server.url, "Айгүл Сыдыкова", stalled.id)
        open_project(b, server.url, "Чынара Абдыкадырова", stalled.id)
        # B: the contractor is back
        b.locator(".pb-progress-status select").select_option(label="Выполняется")
        b.locator(".pb-progress-reason textarea").fill("Подрядчик вернулся на объект")
        save(b)
        b.locator(".pb-progress-form .pb-ok").wait_for()
        # A, on the page as it was (still «Приостановлен»), changes only the percent
        assert a.locator(".pb-progress-status select").input_value() == "Приостановлен"
        a.locator(".pb-progress-percent input").fill("40")
        a.locator(".pb-progress-reason textarea").fill("Проверили опоры")
        save(a)
        a.locator(".pb-progress-form .pb-ok", has_text="Выполняется").wait_for()
        with open_workspace(server.workspace) as ws:
            svc = MonitoringService(ws)
            now, last = svc.project(stalled.id), svc.history(stalled.id)[-1]
        assert (now.status, now.status_reason, now.percent) == ("in_progress", "Подрядчик вернулся на объект", 40)
        assert last.actor == "Айгүл Сыдыкова" and set(last.after) == {"percent"}
        # B, whose page still says 25 %, sets the percent A has just changed: refused, named, and shown as it is
        b.locator(".pb-progress-percent input").fill("50")
        save(b)
        refusal = b.locator(".pb-progress-form .pb-error", has_text="Айгүл Сыдыкова")
        refusal.wait_for()
        assert f"{percent(Decimal(stalled.percent) / 100, 'ru', 0)} → {percent(Decimal('0.4'), 'ru', 0)}" in refusal.inner_text()
        b.wait_for_function("() => document.querySelector('.pb-progress-percent input').value === '40'")
        with open_workspace(server.workspace) as ws:
            assert MonitoringService(ws).project(stalled.id).percent == 40
        assert translator("ru")("Percent complete") in refusal.inner_text()
