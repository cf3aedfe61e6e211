"""The facilitator's token link: it logs the laptop's own browser in, and the token then leaves the address bar at
once (the screen is on the projector: anyone could photograph the address and log in from a phone). Another device
cannot use the token at all, in the address or typed as the password: it logs in with the password."""

from __future__ import annotations

import http.client
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from pbtools.phones.address import candidate_addresses
from pbtools.server import auth
from tests.fixtures.browser import Server, free_port
from tests.server.hall import make_hall
from tests.server.inprocess import InProcessServer

PASSWORD = "hall-secret-42"
PHONE = "192.168.8.20"  # another device on the hall's Wi-Fi, named by the trusted proxy in front (as behind a hub)


def request(server: InProcessServer | Server, method: str, path: str, headers: dict | None = None,
            body: str | None = None, host: str = "127.0.0.1"):
    """From ``host`` to the server listening there."""
    conn = http.client.HTTPConnection(host, server.port, timeout=30, source_address=(host, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Location"), response.getheader("Set-Cookie") or "", response.read().decode()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("token") / "workspace"
    make_hall(workspace, codes=1)
    # the loopback proxy is trusted, so a request it forwards comes from the address it names
    server = InProcessServer(workspace, password=PASSWORD, trusted_proxies="127.0.0.1")
    yield server
    server.stop()


def test_the_link_logs_the_laptop_in_and_leaves_the_address_bar(server):
    token = server.voila.access.token
    status, location, cookie, _ = request(server, "GET", f"/?token={token}&lang=ru")
    assert status == 302 and location == "/?lang=ru"  # the same page, without the token
    assert "username-" in cookie  # logged in by the cookie now
    status, _, _, page = request(server, "GET", "/?lang=ru", {"Cookie": cookie.split(";", 1)[0]})
    assert status == 200 and 'id="app-console"' in page
    # an app's page too, and a link with the token alone
    status, location, _, _ = request(server, "GET", f"/voila/render/console.ipynb?token={token}")
    assert status == 302 and location == "/voila/render/console.ipynb"
    # the redirect stays on this server, whatever the path ("//host/" would be another site's address)
    status, location, _, _ = request(server, "GET", f"//evil.example/?token={token}")
    assert status in (302, 404) and not (location or "").startswith("//")
    # a wrong token changes nothing: the login page, as without one
    status, location, _, _ = request(server, "GET", "/?token=wrong")
    assert status == 302 and location.startswith("/login")


def test_another_device_cannot_use_the_token(server):
    token = server.voila.access.token
    phone = {"X-Forwarded-For": PHONE}
    status, location, cookie, _ = request(server, "GET", f"/?token={token}", phone)
    assert status == 302 and location.startswith("/login") and "username-" not in cookie
    # nor typed as the password; the password itself works from there
    status, _, _, login_page = request(server, "GET", "/login", phone)
    xsrf = login_page.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
    form = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"_xsrf={xsrf}", **phone}
    status, _, cookie, _ = request(server, "POST", "/login", form, f"_xsrf={quote(xsrf)}&password={quote(token)}")
    assert status == 401 and "username-" not in cookie
    status, location, cookie, _ = request(server, "POST", "/login?next=%2F", form, f"_xsrf={quote(xsrf)}&password={PASSWORD}")
    assert status == 302 and location == "/" and "username-" in cookie


def test_a_server_on_one_hall_address_takes_its_link_from_the_laptop_there(tmp_path):
    """`pbtools serve --host 192.168.x.y` listens on that address only: its link names it (127.0.0.1 does not answer
    there), and the laptop's browser opening it connects from that address, the laptop's own, where the token is
    taken as on loopback. The address must be one of this machine's interfaces': another loopback address
    (127.0.0.2) is loopback still, and a dummy interface needs privileges a test does not have."""
    address = next(iter(candidate_addresses()), None)
    if address is None:
        pytest.skip("this machine has no address but loopback (no network)")
    workspace = tmp_path / "workspace"
    make_hall(workspace, codes=1)
    server = Server(workspace, free_port(), tmp_path / "serve.log", ("--no-preheat", "--password", PASSWORD),
                    host=address)
    try:
        link = urlsplit((workspace / auth.LINK_FILE).read_text().strip())
        assert (link.hostname, link.port) == (address, server.port)
        status, location, cookie, _ = request(server, "GET", f"{link.path}?{link.query}", host=address)
        assert status == 302 and location == "/" and "username-" in cookie
        status, _, _, page = request(server, "GET", "/", {"Cookie": cookie.split(";", 1)[0]}, host=address)
        assert status == 200 and 'id="app-console"' in page
        # pasted as the password there, too
        status, _, _, login_page = request(server, "GET", "/login", host=address)
        xsrf = login_page.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
        form = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"_xsrf={xsrf}"}
        token = parse_qs(link.query)["token"][0]
        status, location, cookie, _ = request(server, "POST", "/login?next=%2F", form,
                                              f"_xsrf={quote(xsrf)}&password={quote(token)}", host=address)
        assert status == 302 and location == "/" and "username-" in cookie
    finally:
        server.stop()


def test_the_home_page_speaks_the_language_chosen_before_in_this_browser(server):
    """A new-user trial: logged in on the hub's pages in Russian (their ``pbtools_lang`` cookie), the apps' home page
    opened in Kyrgyz. ``?lang=`` still wins, and is remembered."""
    token = server.voila.access.token
    _, _, cookie, _ = request(server, "GET", f"/?token={token}")
    session = cookie.split(";", 1)[0]
    status, _, _, page = request(server, "GET", "/", {"Cookie": f"{session}; pbtools_lang=ru"})
    assert status == 200 and '<html lang="ru">' in page and "voila/render/console.ipynb?lang=ru" in page
    status, _, said, page = request(server, "GET", "/?lang=en", {"Cookie": f"{session}; pbtools_lang=ru"})
    assert status == 200 and '<html lang="en">' in page and "pbtools_lang=en" in said
    status, _, said, page = request(server, "GET", "/", {"Cookie": session})
    assert status == 200 and '<html lang="ky">' in page and "pbtools_lang" not in said  # nothing chosen: Kyrgyz
