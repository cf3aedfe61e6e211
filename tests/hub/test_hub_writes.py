"""The kinds of writes the apps offer, in Chromium through a real hub (PostgreSQL behind it): the role that may, does,
and the record is in PostgreSQL afterwards; the role that may not is refused by its server (the app's page is a 403
in the user's language, or the write is refused on the screen with the role's message, nothing stored) and by the
database its server connects with.

Per app: the console (hearings), the Services app (the survey opened to phones) and the Training app (sandboxes,
needs assessments in them) are refused to a role that may not make their writes; the Budget and Monitoring apps
show what they hold to every role and refuse the store or the progress on the screen. One page per role drives
them; a kernel is started per app opened (no warm kernels on a hub), some five seconds each, so not every role
opens every app (``APPS``): each write is made by a role that may and refused on the screen to one that may not,
and every refusal that needs no kernel is checked for every role. Every role's database login against every kind
of write: test_database_rights.py."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy.exc import DBAPIError

from pbtools.budget.service import BudgetService
from pbtools.central.hub import sandboxes_folder, spawn_environment
from pbtools.central.registry import Central
from pbtools.demo import SAMPLE_DIR
from pbtools.hearings.store import hearing_ids
from pbtools.monitoring import MonitoringService
from pbtools.monitoring.demo_year import create_monitoring_year
from pbtools.monitoring.model import IN_PROGRESS
from pbtools.needs.service import NeedsService
from pbtools.roles import BUDGET, HEARING, LOCAL, MONITORING, SANDBOX, SERVICES, SYNC, Actor, NotAllowed
from pbtools.services import records as SR
from pbtools.services.phone_survey import phone_survey
from pbtools.storage import open_workspace
from pbtools.sync.push import hand_in as hand_in_file
from tests.fixtures.browser import local_page
from tests.hub.conftest import CODE, OPERATOR, ROLES, log_in, with_services
from tests.hub.test_hub_roles import hand_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.hub]
PERCENT = {name: 11 * (i + 1) for i, name in enumerate(ROLES)}  # each role's progress differs from the others'


@pytest.fixture(scope="module")
def central(hub):
    """The operator's view of the hub's database; the municipality has the demo's hearing (handed in), its
    monitored projects and its services, as a municipality in its first year would."""
    with Central(hub.db_url, hub.folder / "municipalities") as c:
        with c.workspace(CODE) as ws:
            handed = hand_in_file(ws, hub.audit, OPERATOR)
            create_monitoring_year(ws, handed.hearing)
        with_services(hub)
        c.handed = handed.hearing
        yield c


@contextmanager
def workspace(central):
    with central.workspace(CODE, create=False) as ws:
        yield ws


def refusal(name: str, write: str, lang: str, shown: str | None = None) -> str:
    """What the role of user ``name`` is told (as ``shown``, the name typed in an app, when given)."""
    return NotAllowed(Actor(shown or name, ROLES[name]), write).render(lang)


def answered(form):
    """The form's answer to a click, whatever it says (a test waiting for one message would time out without
    saying what the screen said instead)."""
    line = form.locator(".pb-ok, .pb-warning, .pb-error").first
    line.wait_for()
    return line


def database_refuses(central, name: str, write, tmp_path) -> None:
    """The same write through the database connection this user's server is given, the core's check left out
    (as if an app forgot it): PostgreSQL refuses it."""
    env = spawn_environment(central, name, CODE)
    with open_workspace(tmp_path / f"db-{name}", db_url=env["PBTOOLS_DB"], create=False) as ws:
        with pytest.raises(DBAPIError, match="may not write|read-only|permission denied"):
            write(ws)


def budget_app(page, base, name, central, tmp_path):
    may = Actor(name, ROLES[name]).may(BUDGET)
    with workspace(central) as ws:
        before = list(ws.list_budgets())
    page.goto(f"{base}/voila/render/budget.ipynb?lang=ru")
    page.locator(".pb-app .pb-title", has_text="Бюджет для граждан").wait_for()
    with page.expect_file_chooser() as chooser:
        page.locator(".pb-upload").click()
    file = "budget.csv"
    chooser.value.set_files(str(SAMPLE_DIR / file))
    page.locator(".pb-preview").get_by_text(f"Что прочитано из {file}").wait_for()
    page.get_by_role("button", name="Сохранить этот бюджет").click()
    if may:
        page.locator(".pb-ok", has_text=file).wait_for()
        with workspace(central) as ws:
            assert len(ws.list_budgets()) == len(before) + 1
    else:
        page.locator(".pb-error", has_text=refusal(name, BUDGET, "ru")).wait_for()
        with workspace(central) as ws:
            assert list(ws.list_budgets()) == before
            preview = BudgetService(ws).preview(SAMPLE_DIR / "budget.csv")
        # a year the database has no budget for: else the core's "already stored" would answer first
        other = replace(preview, budget=replace(preview.budget, year=1999))
        database_refuses(central, name, lambda ws: BudgetService(ws).store(other, LOCAL), tmp_path)


def console(page, base, name, central, tmp_path):
    if not Actor(name, ROLES[name]).may(HEARING):
        answer = page.goto(f"{base}/voila/render/console.ipynb?lang=ky")
        assert answer.status == 403 and refusal(name, HEARING, "ky") in page.content()
        database_refuses(central, name, lambda ws: ws.ledger.append("hearing:x", "note", {}, actor=name), tmp_path)
        return
    with workspace(central) as ws:
        before = set(hearing_ids(ws))
    page.goto(f"{base}/voila/render/console.ipynb?lang=en")
    page.locator(".pb-app .pb-title", has_text="Hearing console").wait_for()
    page.get_by_text("New hearing", exact=True).click()
    # the new hearing's form comes after the chosen hearing's details (hidden), which have a venue too
    page.get_by_label("Venue (Кыргызча)").last.fill(f"Мектеп {name}")
    page.get_by_label("Budget, som").last.fill("3 000 000")
    page.get_by_role("button", name="Create hearing").click()
    page.get_by_text("Hearing created.").wait_for()
    with workspace(central) as ws:
        assert len(set(hearing_ids(ws)) - before) == 1


def monitoring_app(page, base, name, central, tmp_path):
    may = Actor(name, ROLES[name]).may(MONITORING)
    typed = f"{name} (группа)"
    page.goto(f"{base}/voila/render/monitoring.ipynb?lang=ru")
    page.locator(".pb-app .pb-title", has_text="Мониторинг проектов").wait_for()
    page.locator(".pb-mon-projects").wait_for()  # every role reads the projects
    page.locator(".pb-operator input").fill(typed)
    with workspace(central) as ws:
        svc = MonitoringService(ws)
        # a project under way: a completed one is 100 % by monitoring's own rule, whoever types another percent
        pid = next(p.id for p in svc.projects() if p.status == IN_PROGRESS)
        before, acts, member = len(svc.history(pid)), len(svc.acts()), svc.members()[0]
    page.get_by_role("tab", name="Проект", exact=True).click()
    choice = page.locator(".pb-project-choice select")
    choice.select_option(label=next(t for t in choice.locator("option").all_text_contents() if t.endswith(pid)))
    page.locator(f'.pb-mon-project[data-project="{pid}"]').wait_for()
    page.locator(".pb-progress-percent input").fill(str(PERCENT[name]))
    page.locator("button.pb-progress-save").click()
    form = page.locator(".pb-progress-form")
    said = refusal(name, MONITORING, "ru", shown=typed)
    answer = answered(form)
    if may:
        assert "pb-ok" in answer.get_attribute("class"), answer.inner_text()
        with workspace(central) as ws:
            svc = MonitoringService(ws)
            assert len(svc.history(pid)) == before + 1 and svc.history(pid)[-1].actor == typed
            assert svc.project(pid).percent == PERCENT[name]
    else:
        assert said in answer.inner_text()
        with workspace(central) as ws:
            assert len(MonitoringService(ws).history(pid)) == before
        database_refuses(central, name, lambda ws: ws.ledger.append(f"monitoring:project:{pid}", "note", {}, actor=name),
                         tmp_path)
    # a monitoring act on the same project
    act = page.locator(".pb-act-form")
    act.locator(f".pb-member-{member.id} input").check()
    act.locator(".pb-act-date input").fill("02.12.2026")
    act.locator(".pb-act-findings textarea").fill(f"Осмотр участка ({name})")
    act.get_by_role("button", name="Оформить акт").click()
    assert ("оформлен" if may else said) in answered(act).inner_text()
    with workspace(central) as ws:
        filed = MonitoringService(ws).acts()
        assert len(filed) == acts + may and (not may or filed[-1].findings == f"Осмотр участка ({name})")
    if not may:
        database_refuses(central, name, lambda ws: ws.ledger.append("monitoring:acts", "note", {}, actor=name), tmp_path)


def services_app(page, base, name, central, tmp_path):
    stream = SR.survey_stream("water")
    if not Actor(name, ROLES[name]).may(SERVICES):
        answer = page.goto(f"{base}/voila/render/services.ipynb?lang=ru")
        assert answer.status == 403 and refusal(name, SERVICES, "ru") in page.content()
        database_refuses(central, name, lambda ws: ws.ledger.append(stream, "note", {}, actor=name), tmp_path)
        return
    with workspace(central) as ws:
        before = ws.ledger.head(stream)
    page.goto(f"{base}/voila/render/services.ipynb?lang=en")
    page.locator(".pb-app .pb-title", has_text="Municipal services").wait_for()
    page.get_by_role("tab", name="Survey board").click()
    with workspace(central) as ws:
        was_open = phone_survey(ws, "water") is not None
    says = {True: "Stop answers from phones", False: "Open to phones"}
    page.locator(".pb-svc-phones", has_text=says[was_open]).click()
    page.locator(".pb-svc-phones", has_text=says[not was_open]).wait_for()
    with workspace(central) as ws:
        assert ws.ledger.head(stream) == before + 1
        assert ws.ledger.records(stream)[-1].kind == SR.SURVEY_PHONES and (phone_survey(ws, "water") is None) == was_open


def training_app(page, base, name, central, tmp_path):
    folder = sandboxes_folder(central, name)
    if not Actor(name, ROLES[name]).may(SANDBOX):
        answer = page.goto(f"{base}/voila/render/training.ipynb?lang=ru")
        assert answer.status == 403 and refusal(name, SANDBOX, "ru") in page.content()
        assert not folder.exists()
        return
    page.goto(f"{base}/voila/render/training.ipynb?lang=en")
    page.locator(".pb-app .pb-title", has_text="Training").wait_for()
    page.locator(".pb-train-open button, button.pb-train-open").first.click()
    page.get_by_role("tab", name="Needs assessment").click()
    problem = f"Water for {name}"
    page.get_by_label("Problem", exact=True).fill(problem)
    page.get_by_role("button", name="Add the problem").click()
    page.locator(".pb-ok", has_text=problem).wait_for()
    [sandbox] = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]  # this user's own
    with open_workspace(sandbox, create=False) as ws:
        assert problem in [row.title for row in NeedsService(ws).problems("en")]


def hand_in_app(page, base, name, central, tmp_path):
    records = len(hub_audit(central).read_text(encoding="utf-8").splitlines()) - 1
    sent = hand_in(page, f"{base}/pbtools/sync?lang=ru&name=hand-in.jsonl", hub_audit(central).read_text(encoding="utf-8"))
    with workspace(central) as ws:
        assert ws.ledger.head(f"hearing:{central.handed}") >= records  # it is there (the operator handed it in)
    if Actor(name, ROLES[name]).may(SYNC):
        assert sent[0] == 200 and sent[1]["appended"] == 0, sent  # the same file again: nothing twice
    else:
        assert sent[0] == 403 and sent[1]["error"] == refusal(name, SYNC, "ru"), sent


def hub_audit(central):
    return central.folder.parent / "hand-in.jsonl"


EVERY_APP = (budget_app, console, monitoring_app, services_app, training_app, hand_in_app)
APPS = {
    "aida": EVERY_APP,  # the facilitator makes every write
    "olga": EVERY_APP,  # the observer is refused every one, the budget's and the progress's on the screen
    "meder": (console, monitoring_app, services_app, training_app, hand_in_app),  # the monitor records progress
    "saule": (console, services_app, training_app, hand_in_app),  # the trainer's own sandbox
    "root": (hand_in_app,),  # the administrator's server (a '*' grant) takes a hand-in
}


@pytest.mark.parametrize("name", list(ROLES))
def test_each_role_may_make_the_writes_its_role_allows_and_no_other(hub, chromium, accounts, central, name, tmp_path):
    with local_page(chromium, viewport={"width": 1366, "height": 900}) as page:
        page.set_default_timeout(120_000)
        log_in(page, hub, name)
        page.wait_for_url(f"**/user/{name}/**")
        base = f"{hub.url}/user/{name}"
        for app in APPS[name]:
            app(page, base, name, central, tmp_path)
