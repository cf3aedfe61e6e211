"""s28 H1: a trainer opens a sandbox in the Training app, follows its link to the sandbox's practice console (a new
tab) and types a paper ballot there: it is in the sandbox's mock hearing, and nowhere in the real workspace."""

from __future__ import annotations

from pbtools.hearings.store import hearing_ids, state
from pbtools.storage import open_workspace
from pbtools.training.sandbox import get_sandbox

NAME = "практика-пульт"  # this module's own sandbox on the shared server
CLERK = "Айгуль Практика"


def paper_ballots_by(workspace, actor: str) -> int:
    with open_workspace(workspace, create=False) as ws:
        return sum(1 for h in hearing_ids(ws) for b in state(ws, h).ballots.values() if b.actor == actor)


def test_the_training_apps_link_opens_the_sandboxs_console_and_a_typed_ballot_goes_into_the_sandbox(shared_server, page):
    server = shared_server
    page.goto(server.url + "/voila/render/training.ipynb?lang=ru")
    page.locator(".pb-app .pb-title", has_text="Обучение").wait_for(timeout=90_000)
    page.get_by_label("Песочница", exact=True).fill(NAME)
    page.locator(".pb-train-open button, button.pb-train-open").first.click()
    page.locator(".pb-train-mock-status", has_text=f"Создана новая песочница {NAME}").wait_for()
    link = page.locator("#pb-train-console-link")
    assert link.get_attribute("target") == "_blank"
    with page.context.expect_page() as opened:
        link.click()
    console = opened.value  # the practice console, in a new tab: the Training app stays open
    console.locator(".pb-app .pb-title", has_text=f"Учебный пульт песочницы «{NAME}»").wait_for(timeout=90_000)
    console.locator("#pb-practice-note").wait_for()
    console.locator("#pb-console-summary").wait_for()
    console.get_by_label("Ваше имя").fill(CLERK)
    console.get_by_role("tab", name="Бумажные бюллетени").click()
    console.locator(".pb-ballot-entry input").click()
    console.keyboard.type("1 2")
    console.keyboard.press("Enter")
    console.locator(".pb-ok", has_text="сохранён").wait_for()

    sandbox = get_sandbox(NAME, server.sandboxes)
    with open_workspace(sandbox.path, create=False) as ws:
        ballots = [b for b in state(ws, sandbox.open_hearing).ballots.values() if b.actor == CLERK]
    assert [(b.question, b.channel) for b in ballots] == [("q1", "paper")]
    assert paper_ballots_by(server.workspace, CLERK) == 0  # never the real municipality's
    console.close()
