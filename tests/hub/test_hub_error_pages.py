"""What a refused user sees on the hub (new-user trial s26 M5): a user with no municipality at all who asks for
her server gets a page saying so and whom to ask, not a failed start with "try restarting your server"; and the
hub's error pages (403, 404) keep her name, the log-out button and the language switch, in the page's language.
Over the shared real hub (tests/hub/conftest.py) with a plain HTTP client."""

from __future__ import annotations

import html
import re

import pytest

from pbtools.i18n import gettext
from tests.hub.conftest import PASSWORD
from tests.hub.hubhttp import Client

pytestmark = [pytest.mark.postgres, pytest.mark.hub]
ZARINA = "zarina_e"  # invited, never granted a municipality
LANGS = ("ky", "ru", "en")


@pytest.fixture(scope="module")
def zarina(hub):
    client = Client(hub, "127.0.0.70")
    assert client.sign_up(ZARINA, hub.invite(ZARINA)) == "The account was created. You can log in now."
    assert client.log_in(ZARINA).status_code == 302
    return client


def text(answer) -> str:
    return html.unescape(answer.content.decode("utf-8"))


def header(page: str) -> str:
    """The page's login widget: her name and the log-out button."""
    found = re.search(r'<span id="login_widget">(.*?</a>)', page, re.S)
    assert found, page[-1500:]
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.mark.parametrize("lang", LANGS)
def test_her_server_without_any_municipality_says_whom_to_ask(hub, zarina, lang):
    # her spawn, and her server's address itself (JupyterHub's "not running, start it?" page came first there)
    for path in ("/hub/spawn", f"/hub/spawn/{ZARINA}", f"/user/{ZARINA}/", f"/hub/user/{ZARINA}/lab"):
        answer = zarina.get(f"{path}?lang={lang}", allow_redirects=path.startswith("/user/"))  # to /hub/user/
        page = text(answer)
        assert answer.status_code == 403, page[-1000:]
        assert gettext(lang, "No municipality is granted to you yet") in page
        assert gettext(lang, "Your account works, but no server can be started for you until a municipality is "
                             "granted to you. Ask the hub's administrator (the person who gave you the invitation "
                             "code) to grant you one, then log in again.") in page
        assert "restarting your server" not in page and "spawn-pending" not in page
        assert 'id="home"' in page and 'href="/hub/home"' in page and 'href="/hub/logout"' in page
        assert ZARINA in header(page) and gettext(lang, "Log out") in header(page)
    # nothing started, nothing failed: her server's record says no start was ever tried
    me = zarina.me()
    assert not me.get("server") and not me.get("pending"), me
    assert all(not s.get("pending") and not s.get("started") for s in (me.get("servers") or {}).values()), me


def test_her_log_in_ends_on_that_page(hub, zarina):
    """As in the trial: logged in without a ``next``, the hub takes her to her server, i.e. to this page."""
    again = Client(hub, "127.0.0.70")
    answer = again.post("/hub/login?lang=ru", {"_xsrf": again.xsrf("/hub/login?lang=ru"), "username": ZARINA,
                                              "password": PASSWORD})
    page = text(answer)
    assert gettext("ru", "No municipality is granted to you yet") in page, page[-1500:]
    assert "restarting your server" not in page


@pytest.mark.parametrize("lang", LANGS)
def test_the_hubs_error_pages_keep_her_name_and_the_log_out_button(hub, zarina, lang):
    forbidden = zarina.get(f"/hub/admin?lang={lang}")
    page = text(forbidden)
    assert forbidden.status_code == 403
    assert ZARINA in header(page) and gettext(lang, "Log out") in header(page)
    assert gettext(lang, "Only the hub's administrator may open this page.") in page
    assert "requires any of" not in page  # JupyterHub's English wording of its scopes
    missing = zarina.get(f"/hub/no-such-page?lang={lang}")
    page = text(missing)
    assert missing.status_code == 404
    assert ZARINA in header(page) and gettext(lang, "Log out") in header(page)
    assert gettext(lang, "This page does not exist.") in page
    assert 'id="lang-switch"' in page
    # another user's server, and a user who does not exist (alike, so as not to tell which): said in her language
    for path in (f"/user/{ZARINA}x/", "/user/root_e/"):
        answer = zarina.get(f"{path}?lang={lang}")
        page = text(answer)
        assert answer.status_code == 404, page[-1000:]
        assert gettext(lang, "This server does not exist, or it is not yours to open.") in page, page[-1500:]
        assert "No access to resources" not in page
        assert ZARINA in header(page)


def test_a_refused_start_gives_no_advice_to_restart_it(hub):
    """The hub's administrator starting the server of a user with no municipality (the pre-spawn hook's refusal):
    said in the page's language, without JupyterHub's English "You can try restarting your server"."""
    from pbtools.central.registry import Central
    from pbtools.roles import ADMIN
    from tests.hub.conftest import OPERATOR

    root, yuri = "root_e", "yuri_e"
    with Central(hub.db_url, hub.folder / "municipalities") as central:
        central.grant(root, "*", ADMIN, OPERATOR)
    for name, source in ((yuri, "127.0.0.71"), (root, "127.0.0.72")):
        client = Client(hub, source)
        assert client.sign_up(name, hub.invite(name)) == "The account was created. You can log in now."
        assert client.log_in(name).status_code == 302
    assert client.me().get("admin") is True
    for lang in LANGS:
        answer = client.get(f"/hub/spawn/{yuri}?lang={lang}")
        page = text(answer)
        assert answer.status_code == 403, page[-1000:]
        assert gettext(lang, "{user}: no municipality is granted to this user").format(user=yuri) in page
        assert "restarting your server" not in page
        assert gettext(lang, "You can try starting your server again from the home page.") not in page
        assert root in header(page)
        # the administrator may open any user's server: one that does not exist is named
        missing = client.get(f"/user/nobody_e/?lang={lang}")
        assert missing.status_code == 404
        assert gettext(lang, "There is no user {user} on this hub.").format(user="nobody_e") in text(missing)
