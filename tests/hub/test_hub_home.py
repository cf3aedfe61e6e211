"""The hub's home page for a user granted two municipalities, a link to the one whose server is not running, a
spawn refused for want of a grant, a refused sign-up, and what the hub tells a stranger (new-user trial s26 M7, L9,
L6, L12), over the shared real hub (tests/hub/conftest.py): a plain HTTP client (what the browser is sent, in
ky/ru/en), and Chromium for the home page's buttons."""

from __future__ import annotations

import html
import re
import sqlite3
import time

import pytest

from pbtools.budget.model import Municipality
from pbtools.central.registry import Central
from pbtools.i18n import Msg, gettext
from pbtools.roles import FACILITATOR, OBSERVER, ROLE_NAMES
from tests.fixtures.browser import local_page
from tests.hub.conftest import CODE, OPERATOR, log_in, municipality_name
from tests.hub.hubhttp import Client

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.hub]
# the module's own users and municipality on the shared hub
KAMILA, NOBODY, OTHER = "kamila", "timur_h", "tash_kyya"


@pytest.fixture(scope="module")
def kamila(hub):
    """kamila: facilitator of ak_suu and observer of kara_too, signed up and logged in (no server started)."""
    with Central(hub.db_url, hub.folder / "municipalities") as central:
        central.grant(KAMILA, CODE, FACILITATOR, OPERATOR)
        central.grant(KAMILA, "kara_too", OBSERVER, OPERATOR)
        central.grant(NOBODY, CODE, OBSERVER, OPERATOR)
        if OTHER not in central.codes():
            central.add_municipality(OTHER, Municipality({"ky": "Таш-Кыя", "ru": "Таш-Кыя", "en": "Tash-Kyya"}), OPERATOR)
    client = Client(hub, "127.0.0.60")
    assert client.sign_up(KAMILA, hub.invite(KAMILA)) == "The account was created. You can log in now."
    assert client.log_in(KAMILA).status_code == 302
    yield client
    for server in ("servers/kara_too", "server"):  # her servers stopped: the shared hub goes on with other modules
        client.session.delete(f"{hub.url}/hub/api/users/{KAMILA}/{server}", headers={"X-XSRFToken": hub_xsrf(client)},
                              timeout=120)


def hub_xsrf(client: Client) -> str:
    """The hub's own XSRF cookie (each of her servers sets one of that name too, on its own path)."""
    return next((c.value for c in client.session.cookies if c.name == "_xsrf" and c.path.startswith("/hub")), "")


def text(answer) -> str:
    """The page's text (the hub says text/html without a charset, which requests takes for Latin-1)."""
    return html.unescape(answer.content.decode("utf-8"))


def rows(page: str) -> list[dict[str, str]]:
    """The home page's municipalities: code, name, role, and where its buttons go."""
    found = []
    for row in re.findall(r'<tr class="home-server-row"(.*?)</tr>', page, re.S):
        href = dict(re.findall(r'class="[^"]*\b(open|start)-municipality\b[^"]*" href="([^"]+)"', row))
        found.append({"code": re.search(r'data-code="([^"]+)"', row).group(1),
                      "name": html.unescape(re.search(r'class="municipality-name">([^<]+)<', row).group(1)),
                      "role": html.unescape(re.search(r'class="municipality-role">([^<]+)<', row).group(1)),
                      **{k: html.unescape(v) for k, v in href.items()}})
    return found


def wait_ready(client: Client, path: str) -> object:
    """``path`` once the server it is on has started (the hub's pages while it starts)."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        answer = client.get(path)
        if "/hub/" not in answer.url:
            return answer
        time.sleep(1)
    raise TimeoutError(path)


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_home_page_lists_her_municipalities_each_a_button(hub, kamila, lang):
    page = kamila.get(f"/hub/home?lang={lang}").content.decode("utf-8")
    assert rows(page) == [
        {"code": CODE, "name": municipality_name(lang), "role": Msg(ROLE_NAMES[FACILITATOR]).render(lang),
         "open": f"/user/{KAMILA}/", "start": f"/hub/spawn/{KAMILA}"},
        {"code": "kara_too", "name": {"ky": "Кара-Тоо", "ru": "Кара-Тоо", "en": "Kara-Too"}[lang],
         "role": Msg(ROLE_NAMES[OBSERVER]).render(lang), "open": f"/user/{KAMILA}/kara_too/",
         "start": f"/hub/spawn/{KAMILA}/kara_too"}]
    assert gettext(lang, "Your municipalities") in page and gettext(lang, "Start and open the apps") in page
    assert "new-server-name" not in page  # no code to type


def test_a_link_to_a_stopped_municipality_says_so_and_starts_it(hub, kamila):
    wait_ready(kamila, f"/hub/spawn/{KAMILA}")  # her default server (ak_suu) runs, kara_too's does not
    assert hub.running(KAMILA) == {""}
    link = f"/user/{KAMILA}/kara_too/voila/render/results.ipynb?lang=ru"
    answer = kamila.get(link)
    assert answer.status_code == 404 and answer.url.endswith(link)  # answered by her default server, not the hub
    said = text(answer)
    assert "Сервер муниципалитета kara_too не запущен" in said, said[:2000]
    assert 'id="hub-home" href="/hub/home"' in answer.text and gettext("ru", "Back to the hub's home page") in said
    start = html.unescape(re.search(r'id="start"[^>]*href="([^"]+)"', answer.text).group(1))
    assert start.startswith(f"/hub/spawn/{KAMILA}/kara_too?next=")
    for lang, title in (("ky", "kara_too муниципалитетинин сервери иштебей турат"),
                        ("en", "The server of kara_too is not running")):
        assert title in text(kamila.get(link.replace("lang=ru", f"lang={lang}")))
    # the button: the hub starts kara_too's server and opens the address she followed, there (its apps' home)
    apps = f"/user/{KAMILA}/kara_too/?lang=ru"
    start = html.unescape(re.search(r'id="start"[^>]*href="([^"]+)"', kamila.get(apps).text).group(1))
    opened = wait_ready(kamila, start)
    assert opened.status_code == 200 and opened.url.endswith(apps), opened.url
    assert hub.running(KAMILA) == {"", "kara_too"}
    assert "Кара-Тоо" in text(opened)


def named_servers(hub, user: str) -> set[str]:
    """The named servers the hub keeps for ``user`` (what its administration page lists), running or not."""
    with sqlite3.connect(hub.folder / "jupyterhub.sqlite") as db:
        return {name for (name,) in db.execute("SELECT s.name FROM spawners s JOIN users u ON u.id = s.user_id "
                                               "WHERE u.name = ? AND s.name != ''", (user,))}


def test_a_spawn_refused_for_want_of_a_grant_leaves_no_server_behind(hub, kamila):
    before = named_servers(hub, KAMILA)
    for lang in ("ru", "ky", "en"):
        answer = kamila.get(f"/hub/spawn/{KAMILA}/{OTHER}?lang={lang}")
        said = text(answer)
        assert answer.status_code == 403
        assert Msg("{user} has no access to the municipality {code}", user=KAMILA, code=OTHER).render(lang) in said
        assert "restarting your server" not in said  # no advice to retry what no retry mends
    refused = kamila.post(f"/hub/api/users/{KAMILA}/servers/{OTHER}",
                          headers={"X-XSRFToken": hub_xsrf(kamila)})
    assert refused.status_code == 403 and "has no access" in refused.json()["message"], refused.text
    assert kamila.get(f"/hub/spawn/{KAMILA}/no_such_place?lang=en").status_code == 403
    assert named_servers(hub, KAMILA) == before and OTHER not in named_servers(hub, KAMILA)
    assert OTHER not in kamila.get("/hub/home?lang=en").text
    # another user's server: JupyterHub's scope refuses it, saying nothing of that user's grants
    other = kamila.get(f"/hub/spawn/{NOBODY}/{OTHER}?lang=en")
    assert other.status_code in (403, 404) and "has no access to the municipality" not in other.text


def test_a_refused_sign_up_keeps_the_name_and_code_as_typed_and_never_as_markup(hub):
    """s26 L6: the name and the code come back in their fields (escaped: what anyone typed is no page's markup)."""
    client = Client(hub, "127.0.0.61")
    name, code = 'zz"><script>alert(1)</script>', "ABCD-EFGH-JKLM"
    answer = client.post("/hub/signup?lang=en", {"_xsrf": client.xsrf("/hub/signup?lang=en"), "username": name,
                                                 "signup_password": "secret-typed-1", "signup_password_confirmation":
                                                 "secret-typed-1", "invitation": code})
    page = answer.content.decode("utf-8")
    assert "<script>alert(1)" not in page and "secret-typed-1" not in page
    assert html.unescape(re.search(r'id="username_input"[^>]*value="([^"]*)"', page).group(1)) == name
    assert re.search(r'id="invitation_input"[^>]*value="([^"]*)"', page).group(1) == code


def test_without_a_login_nothing_says_which_jupyterhub_runs(hub, kamila):
    """s26 L12: /hub/api answered {"version": "5.5.4"} to anyone, and every answer of the hub had the version in a
    header; a login (or the idle culler's token) still gets it."""
    from jupyterhub import __version__

    stranger = Client(hub, "127.0.0.62")
    for path in ("/hub/api", "/hub/api/", "/hub/login", "/hub/signup", "/hub/home", "/hub/api/users",
                 f"/user/{KAMILA}/", "/hub/health"):
        answer = stranger.get(path, allow_redirects=False)
        assert "X-JupyterHub-Version" not in answer.headers and __version__ not in answer.text, (path, answer.headers)
        if path.startswith("/hub/"):  # the hub's (the users' servers are tornado too, behind the same proxy)
            assert "Server" not in answer.headers, (path, answer.headers)
    assert stranger.get("/hub/api").json() == {}
    assert kamila.get("/hub/api").json() == {"version": __version__}


def test_each_rows_stop_button_stops_that_municipalitys_server(hub, kamila, chromium):
    """Her two servers run (test_a_link_to_a_stopped_municipality_says_so_and_starts_it): Stop on each row."""
    wait_ready(kamila, f"/hub/spawn/{KAMILA}/kara_too")
    wait_ready(kamila, f"/hub/spawn/{KAMILA}")
    assert hub.running(KAMILA) == {"", "kara_too"}
    with local_page(chromium) as page:
        page.set_default_timeout(120_000)
        log_in(page, hub, KAMILA)
        page.goto(f"{hub.url}/hub/home?lang=ky")
        for code, server in (("kara_too", "kara_too"), (CODE, "")):
            row = page.locator(f'tr[data-code="{code}"]')
            assert row.locator(".open-municipality").inner_text().strip() == gettext("ky", "Open the apps")
            row.get_by_text(gettext("ky", "Stop")).click()
            row.locator(".start-municipality").wait_for(state="visible")
            assert row.locator(".open-municipality").is_hidden()
            assert server not in hub.running(KAMILA)
        assert hub.running(KAMILA) == set()
