"""The audit's findings on the facilitator's side, probed over HTTP against a real `pbtools serve`: the request-info
websocket and the kernels' channels need the login, the facilitator's POSTs need XSRF, /logout is a POST with
XSRF (its GET a page with the button), a new password logs everyone out (but phones that voted in open mode stay known), and --public-address is
checked before anything starts."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from pbtools.i18n import Msg, N_
from pbtools.phones.mode import OPEN, set_phone_mode
from pbtools.storage import open_workspace
from tests.fixtures.browser import Server, free_port
from tests.server.client import Browser
from tests.server.hall import make_hall

PASSWORD = "hall-secret-42"
KERNEL = "00000000-0000-4000-8000-000000000000"


def logged_in(server: Server, password: str = PASSWORD) -> Browser:
    b = Browser(server.url)
    b.get("/login")
    status, page, _ = b.post("/login?next=%2F", {"password": password})
    assert status == 200 and 'id="app-console"' in page
    return b


def cookie_header(b: Browser) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in b.cookies)


def ws_status(url: str, cookie: str = "") -> int:
    """101 when the websocket opens, else the HTTP status that refused it."""

    async def attempt() -> int:
        headers = {"Cookie": cookie} if cookie else {}
        try:
            conn = await websocket_connect(HTTPRequest(url, headers=headers, follow_redirects=False))
        except HTTPClientError as e:
            return e.code
        conn.close()
        return 101

    # in a thread of its own: the browser tests' Playwright keeps an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, attempt()).result()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("security") / "workspace"
    make_hall(workspace, codes=1)
    server = Server(workspace, free_port(), tmp_path_factory.mktemp("logs") / "serve.log", ("--no-preheat", "--password", PASSWORD))
    yield server
    server.stop()


def test_the_request_info_websocket_needs_the_login(server):
    url = server.url.replace("http", "ws") + f"/voila/query/{KERNEL}"
    assert ws_status(url) in (302, 403)  # anyone in the hall: refused
    assert ws_status(url, cookie=f"username-127-0-0-1-{server.port}=forged") in (302, 403)
    assert ws_status(url, cookie=cookie_header(logged_in(server))) == 101


def test_the_kernels_channels_need_the_login(server):
    url = server.url.replace("http", "ws") + f"/api/kernels/{KERNEL}/channels"
    assert ws_status(url) in (302, 403)
    # logged in, the same unknown kernel is refused for not existing (404), not for the login
    assert ws_status(url, cookie=cookie_header(logged_in(server))) == 404


def test_the_facilitators_posts_need_xsrf(server):
    anonymous = Browser(server.url)
    anonymous.get("/login")
    status, _, _ = anonymous.post("/login?next=%2F", {"password": PASSWORD}, xsrf=False)
    assert status == 403 and not any(c.name.startswith("username-") for c in anonymous.cookies)  # no login cookie
    facilitator = logged_in(server)
    facilitator.get("/")
    status, _, _ = facilitator.post(f"/voila/api/shutdown/{KERNEL}", {}, xsrf=False)
    assert status == 403
    xsrf = facilitator.cookie("_xsrf")
    status, _, _ = facilitator.post(f"/voila/api/shutdown/{KERNEL}", [("_xsrf", xsrf)], xsrf=False)
    assert status != 403  # the same request with the token passes the XSRF check (then finds no such kernel)


def test_logout_answers_a_plain_page_and_ends_the_login(server):
    facilitator = logged_in(server)
    assert facilitator.get("/voila/tree")[0] == 200
    status, page, headers = facilitator.get("/logout?lang=ru")  # a GET asks, with a button: it logs nobody out
    assert status == 200 and 'id="logout"' in page and 'method="post"' in page and 'name="_xsrf"' in page
    assert Msg(N_("Log out")).render("ru") in page and 'id="logged-out"' not in page
    assert facilitator.get("/voila/tree")[0] == 200 and 'id="password_input"' not in facilitator.get("/voila/tree")[1]
    status, page, headers = facilitator.post("/logout?lang=ru", {})  # the button: the form with its XSRF token
    assert status == 200 and 'id="logged-out"' in page and Msg(N_("You are logged out.")).render("ru") in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert 'id="password_input"' in facilitator.get("/voila/tree")[1]  # back to the login page
    assert Browser(server.url).get("/logout")[0] == 200  # nobody logged in: still a page, not a 500


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_a_link_to_logout_or_a_post_without_the_token_logs_nobody_out(server, lang):
    """A link (or an image) to /logout on any page of the hall network, or a form posted from another site."""
    facilitator = logged_in(server)
    home = facilitator.get(f"/?lang={lang}")[1]  # the home page's logout is a small form, never a link
    assert re.search(r'<form method="post" action="logout\?lang=' + lang + r'" id="logout"', home)
    assert 'name="_xsrf"' in home and 'href="logout' not in home and Msg(N_("Log out")).render(lang) in home
    for _ in range(2):
        assert facilitator.get("/logout")[0] == 200
    status, _, _ = facilitator.post("/logout", {}, xsrf=False)
    assert status == 403
    status, _, _ = facilitator.post("/logout", [("_xsrf", "forged|0|0")], xsrf=False)
    assert status == 403
    status, page, _ = facilitator.get("/voila/tree")
    assert status == 200 and 'id="password_input"' not in page  # still logged in
    facilitator.get("/logout")  # the page's own token
    assert facilitator.post("/logout", {})[0] == 200
    assert 'id="password_input"' in facilitator.get("/voila/tree")[1]


def test_a_new_password_logs_everyone_out_but_phones_stay_known(tmp_path):
    workspace = tmp_path / "workspace"
    hearing, _ = make_hall(workspace, codes=1)
    with open_workspace(workspace, create=False) as ws:
        set_phone_mode(ws, hearing, OPEN, actor="test")
    path = f"/vote/{hearing}/motion?lang=ru"
    server = Server(workspace, free_port(), tmp_path / "serve1.log", ("--no-preheat", "--password", PASSWORD))
    try:
        facilitator = logged_in(server)
        phone = Browser(server.url)
        phone.get(path)
        assert phone.post(path, {"answer": "yes"})[0] == 200
        port = server.port
    finally:
        server.stop()

    # the same password again: the login survives the restart
    server = Server(workspace, port, tmp_path / "serve2.log", ("--no-preheat", "--password", PASSWORD))
    try:
        assert facilitator.get("/voila/tree")[0] == 200
    finally:
        server.stop()

    server = Server(workspace, port, tmp_path / "serve3.log", ("--no-preheat", "--password", "a-new-one-77"))
    try:
        status, page, _ = facilitator.get("/voila/tree")
        assert 'id="password_input"' in page  # the old login cookie opens nothing now
        logged_in(server, "a-new-one-77")
        phone.get(path)
        status, page, _ = phone.post(path, {"answer": "no"})
        assert status == 409 and Msg(N_("This phone has already voted on this question")).render("ru") in page
    finally:
        server.stop()
    secrets = (workspace / "server-secrets.json").read_text()
    assert PASSWORD not in secrets and "a-new-one-77" not in secrets


def serve_refused(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", "serve", "--workspace", str(tmp_path / "ws"),
                           "--port", str(free_port()), "--no-preheat", *args],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("value, msgid", [
    ("192.168.1.5:8866", N_("--public-address {value}: give the address without a port; the port is set with --port")),
    ("http://192.168.1.5", N_("--public-address {value}: give only the address (like 192.168.1.5), without http://")),
    ("0.0.0.0", N_("--public-address {value}: phones cannot reach this address; give the laptop's address on the "
                   "hall network (like 192.168.1.5)")),
    ("hall laptop", N_("--public-address {value} is not an IP address or a host name (like 192.168.1.5)")),
])
def test_a_bad_public_address_is_refused_before_anything_starts(tmp_path, value, msgid):
    done = serve_refused(tmp_path, "--host", "0.0.0.0", "--public-address", value, "--lang", "ky")
    assert done.returncode == 2
    assert Msg(msgid, value=value).render("ky") in done.stderr
    assert not (tmp_path / "ws").exists()  # nothing was created


def test_an_app_page_opened_directly_sets_the_xsrf_cookie_so_closing_it_frees_its_kernel(server):
    facilitator = logged_in(server)
    for c in [c for c in facilitator.cookies if c.name == "_xsrf"]:
        facilitator.cookies.clear(c.domain, c.path, c.name)  # as when the app's address is opened directly
    status, page, _ = facilitator.get("/voila/render/budget.ipynb")
    kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', page).group(1)
    token = facilitator.cookie("_xsrf")
    assert status == 200 and token
    # what Voila's page sends when its tab closes: refused without the token, accepted with it
    assert facilitator.post(f"/voila/api/shutdown/{kernel}", {}, xsrf=False)[0] == 403
    assert facilitator.post(f"/voila/api/shutdown/{kernel}", [("_xsrf", token)], xsrf=False)[0] in (200, 204)


def test_logout_ends_the_session_on_the_server_and_the_cookie_is_samesite_for_a_day(server):
    from tests.server.source import Device

    facilitator = Device(server.port)
    facilitator.get("/login")
    status, _, headers = facilitator.post("/login?next=%2F", {"password": PASSWORD})
    assert status == 302
    login_cookie = next(v for k, v in headers if k.lower() == "set-cookie" and v.startswith("username-"))
    assert "SameSite=Lax" in login_cookie and "HttpOnly" in login_cookie
    expires = re.search(r"expires=([^;]+)", login_cookie, re.I).group(1)
    from email.utils import parsedate_to_datetime
    from datetime import datetime, timezone
    hours = (parsedate_to_datetime(expires) - datetime.now(timezone.utc)).total_seconds() / 3600
    assert 12 <= hours <= 24  # a hearing day, not jupyter's 30 days

    copy = Device(server.port)
    copy.cookies = dict(facilitator.cookies)  # the cookie as someone who saw it would keep it
    assert copy.get("/voila/tree")[0] == 200
    assert facilitator.get("/logout")[0] == 200  # the page with the button
    assert copy.get("/voila/tree")[0] == 200  # a GET ends nothing
    assert facilitator.post("/logout", {})[0] == 200
    status, page, _ = copy.get("/voila/tree")
    assert status == 302 or 'id="password_input"' in page  # the old cookie opens nothing any more
    sessions = server.workspace / "server-sessions.json"
    assert sessions.stat().st_mode & 0o777 == 0o600


# -- the facilitator's side needs the password (moved here from test_vote_http.py: it reads the printed log)

PROTECTED = ["/", "/voila/tree", "/voila/render/console.ipynb", "/voila/api/contents", "/voila/files/logo.png",
             "/api/kernels/00000000-0000-4000-8000-000000000000"]


@pytest.mark.parametrize("path", PROTECTED + ["/api/kernels", "/api/contents", "/voila/api/shutdown/x"])
def test_without_password_the_apps_are_refused(server, path):
    status, _, headers = Browser(server.url, follow_redirects=False).get(path)
    if status == 302:
        assert headers["Location"].startswith("/login")
    else:
        assert status in (403, 404, 405), status


def test_with_the_password_the_apps_open(server):
    facilitator = Browser(server.url)
    facilitator.get("/login")
    status, page, _ = facilitator.post("/login?next=%2F", {"password": "wrong"})
    assert status == 401 and 'id="login-error"' in page
    status, page, _ = facilitator.post("/login?next=%2F", {"password": PASSWORD})
    assert status == 200 and 'id="app-console"' in page  # the home page, with its app cards
    for path in ("/voila/tree", "/voila/api/contents"):
        assert facilitator.get(path)[0] == 200, path
    status, page, _ = facilitator.get("/voila/render/budget.ipynb")  # a real render: a kernel over IPC runs it
    assert status == 200 and "application/vnd.jupyter.widget-view+json" in page


def test_the_token_is_never_printed_but_saved_for_the_owner_and_opens_the_apps(server):
    log = server.log_path.read_text()
    link = server.workspace / "facilitator-link.txt"
    assert str(link) in log and link.stat().st_mode & 0o077 == 0
    token = re.fullmatch(rf"{server.url}/\?token=([\w-]+)\n", link.read_text()).group(1)
    assert token not in log and PASSWORD not in log  # the terminal may be on the projector
    assert Browser(server.url).get(f"/voila/tree?token={token}")[0] == 200
    assert Browser(server.url).get("/voila/tree?token=not-it")[1].count('id="password_input"') == 1


def test_the_password_is_kept_hashed(server):
    secrets = (server.workspace / "server-secrets.json")
    assert PASSWORD not in secrets.read_text() and "argon2" in secrets.read_text()
    assert secrets.stat().st_mode & 0o077 == 0


def test_a_short_chosen_password_is_refused_before_anything_starts(tmp_path):
    """Lockouts are per address: a crowd of addresses guesses ~1,500 passwords a minute, so a chosen password is at
    least as long as a generated one. Given on the command line or in $PBTOOLS_PASSWORD alike."""
    from pbtools.server.logins import MIN_PASSWORD, PasswordError, check_password

    msgid = N_("The facilitator's password needs at least {minimum} characters; the one given has {n}. A few words "
               "and a number are easy to type and hard to guess.")
    done = serve_refused(tmp_path, "--password", "1234", "--lang", "ru")
    assert done.returncode == 2
    assert Msg(msgid, minimum=MIN_PASSWORD, n=4).render("ru") in done.stderr
    assert not (tmp_path / "ws").exists()  # nothing was created
    env = {**os.environ, "PBTOOLS_PASSWORD": "x" * (MIN_PASSWORD - 1)}
    done = subprocess.run([sys.executable, "-m", "pbtools", "serve", "--workspace", str(tmp_path / "ws"), "--port",
                           str(free_port()), "--no-preheat", "--lang", "ky"], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2 and Msg(msgid, minimum=MIN_PASSWORD, n=MIN_PASSWORD - 1).render("ky") in done.stderr
    assert check_password("y" * MIN_PASSWORD) == "y" * MIN_PASSWORD
    with pytest.raises(PasswordError):
        check_password("")
