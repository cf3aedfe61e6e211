"""A real JupyterHub (Debian's proxy, PostgreSQL behind it): accounts made with the operator's invitation codes, each
role logs in through the hub's login page in Chromium, opens the apps it may, and is refused what it may not."""

from __future__ import annotations

import re

import pytest

from pbtools.demo import create_demo
from pbtools.reports.audit import write_audit
from pbtools.storage import open_workspace
from tests.fixtures.browser import local_page
from tests.hub.conftest import CODE, NO_GRANT, OTHER_PLACE, ROLES, UNINVITED, log_in, municipality_name

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.hub]
SEED = 2027  # the module's own hearing (sample-2027), handed in by aida first here whatever else the hub holds


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    """The demo's closed hearing of a laptop of this module's own, as it hands it in (the hub's own ``hub.audit``
    is another hearing, which other modules hand in)."""
    demo = tmp_path_factory.mktemp("roles-laptop") / "ws"
    create_demo(demo, seed=SEED, practice=False)  # a practice hearing is never handed in
    with open_workspace(demo) as d:
        return write_audit(d, f"sample-{SEED}", demo.parent / "hand-in.jsonl")


def hand_in(page, url: str, text: str) -> tuple[int, dict]:
    """POST an audit file from the page, as the app's upload would (with the page's XSRF cookie)."""
    status, body = page.evaluate("""async ([url, text]) => {
        const xsrf = (document.cookie.match(/(?:^|; )_xsrf=([^;]+)/) || [])[1] || "";
        const r = await fetch(url, {method: "POST", body: text, headers: {"X-XSRFToken": decodeURIComponent(xsrf)}});
        return [r.status, await r.text()];
    }""", [url, text])
    import json

    try:
        return status, json.loads(body)
    except ValueError:
        return status, {"raw": body}


@pytest.mark.parametrize("name", ["aida", "meder", "saule", "olga"])
def test_each_role_logs_in_opens_the_apps_and_is_refused_the_console_unless_it_runs_hearings(hub, chromium, accounts, audit,
                                                                                            name):
    role = ROLES[name]
    with local_page(chromium, viewport={"width": 1366, "height": 900}) as page:
        page.set_default_timeout(120_000)
        log_in(page, hub, name)
        page.wait_for_url(f"**/user/{name}/**")  # the hub started this user's server and logged them in to it
        page.locator("#app-results").wait_for()  # pbtools' home page, with the municipality's apps
        # in the language chosen on the hub's login page (log_in: English; it opened in Kyrgyz, s26 trial M8)
        assert municipality_name("en") in page.content() and '<html lang="en">' in page.content()
        page.goto(f"{hub.url}/user/{name}/voila/render/results.ipynb?lang=ky")
        page.get_by_text("Жыйынтыктар").first.wait_for()
        answer = page.goto(f"{hub.url}/user/{name}/voila/render/console.ipynb?lang=ru")
        if role == "facilitator":
            assert answer.status == 200
            page.get_by_text("Пульт ведущего слушаний").first.wait_for()
        else:
            assert answer.status == 403
            assert f"{name} (" in page.content() and "не может изменять слушания" in page.content()
            assert page.locator("h1#refused").inner_text() == "Это приложение вам недоступно"  # a page, not a bare line
            page.locator("a#home").click()  # and the way back to this role's apps, in the same language
            page.locator("#app-results").wait_for()
            assert page.url.endswith(f"/user/{name}/?lang=ru") and "Результаты" in page.content()
        # handing a laptop's hearing in through the user's server: facilitators only; twice is once; a changed
        # file is refused, all said in the page's language
        sent = hand_in(page, f"{hub.url}/user/{name}/pbtools/sync?lang=ru&name=hand-in.jsonl", audit.read_text(encoding="utf-8"))
        if role == "facilitator":
            records = len(audit.read_text(encoding="utf-8").splitlines()) - 1
            assert sent[0] == 200 and sent[1]["appended"] == records, sent
            again = hand_in(page, f"{hub.url}/user/{name}/pbtools/sync?lang=ky", audit.read_text(encoding="utf-8"))
            assert again[0] == 200 and again[1]["appended"] == 0 and "эч нерсе кошулган жок" in again[1]["message"]
            changed = audit.read_text(encoding="utf-8").replace('"actor":"Каттоо 1"', '"actor":"Каттоо 2"', 1)
            refused = hand_in(page, f"{hub.url}/user/{name}/pbtools/sync?lang=ru", changed)
            assert refused[0] == 422 and "ничего не изменено" in refused[1]["error"]
        else:
            assert sent[0] == 403 and f"{name} (" in sent[1]["error"] and "не может сдавать записи" in sent[1]["error"], sent
        # a running server of another user (the administrator's) does not let this one in
        assert page.request.get(f"{hub.url}/user/root/voila/render/results.ipynb").status == 403
        # no JupyterLab, no terminal, no notebook tree: the user's server has none of them
        for path in ("lab", "terminals/1", "tree", "api/contents"):
            assert page.request.get(f"{hub.url}/user/{name}/{path}").status == 404, path


def test_no_account_without_an_invitation_code(hub, chromium, accounts):
    assert all("The account was created" in accounts[name] for name in [*ROLES, NO_GRANT, OTHER_PLACE]), accounts
    assert "The invitation code is not valid for eve" in accounts[UNINVITED]
    with local_page(chromium) as page:
        log_in(page, hub, UNINVITED)
        page.wait_for_load_state()
        assert "/hub/login" in page.url and "/user/" not in page.url


def test_no_grant_no_server_and_no_other_municipality(hub, chromium, accounts):
    with local_page(chromium) as page:
        page.set_default_timeout(120_000)
        log_in(page, hub, NO_GRANT)
        page.locator("#no-municipality h1").get_by_text("No municipality is granted to you yet").wait_for()  # s26 M5
        assert page.request.get(f"{hub.url}/user/{NO_GRANT}/").status != 200
    with local_page(chromium) as page:
        page.set_default_timeout(120_000)
        log_in(page, hub, OTHER_PLACE)
        page.wait_for_url(f"**/user/{OTHER_PLACE}/**")
        assert "Kara-Too" in page.content()  # its own municipality, in the language of the login (log_in: English)
        page.goto(f"{hub.url}/hub/spawn/{OTHER_PLACE}/{CODE}")
        page.get_by_text(f"has no access to the municipality {CODE}").first.wait_for()


def test_roles_are_the_hubs_groups_and_the_culler_runs(hub, accounts):
    # of this module's users (others of the shared hub are in these groups too)
    mine = {*ROLES, NO_GRANT, OTHER_PLACE, UNINVITED}
    groups = {group: users & mine for group, users in hub.groups().items()}
    assert not any(NO_GRANT in users or UNINVITED in users for users in groups.values())
    assert groups["pbtools-facilitator"] == {"aida", OTHER_PLACE}
    assert groups["pbtools-monitor"] == {"meder"} and groups["pbtools-observer"] == {"olga"}
    assert groups["pbtools-trainer"] == {"saule"} and groups["pbtools-admin"] == {"root"}
    assert re.search(r"200 GET /hub/api/users\S* \(idle-culler@", hub.log_text())
