"""An app's kernel takes only what widgets send over its websocket: someone logged in (anyone who knows the
facilitator's password) cannot run Python in it, and the apps still work in Chromium, sending nothing refused."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.browser import Server, free_port, local_page
from tests.fixtures.kernel_socket import ask_info, run_code, writing
from tests.server.hall import make_hall
from tests.server.test_security_http import PASSWORD, cookie_header, logged_in

REFUSED = "which is not allowed"  # jupyter_server's log line for a message type it drops


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("kernel-messages") / "workspace"
    make_hall(workspace, codes=1)
    server = Server(workspace, free_port(), tmp_path_factory.mktemp("logs") / "serve.log", ("--no-preheat", "--password", PASSWORD))
    yield server
    server.stop()


def test_code_sent_over_an_apps_websocket_is_not_run(server, tmp_path):
    facilitator = logged_in(server)
    status, page, _ = facilitator.get("/voila/render/results.ipynb")
    kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', page).group(1)
    assert status == 200
    proof = tmp_path / "ran.txt"
    url = server.url.replace("http", "ws") + f"/api/kernels/{kernel}/channels"
    replies = run_code(url, cookie_header(facilitator), writing(proof))
    assert replies == ["kernel_info_reply"]  # the kernel answers what a page may ask, and nothing else
    assert not proof.exists()
    assert "execute_request" in server.log_path.read_text() and REFUSED in server.log_path.read_text()


def test_a_message_as_large_as_a_photo_upload_reaches_the_kernel(server):
    """A monitoring photo or a hand-in zip of up to 100 MB travels to the kernel as one websocket message: tornado's
    default (10 MB) closed the socket on it, and the upload vanished with no word on the screen."""
    from pbtools.monitoring.files import MAX_BYTES
    from pbtools.server.limits import WEBSOCKET_MESSAGE

    assert WEBSOCKET_MESSAGE > MAX_BYTES
    facilitator = logged_in(server)
    page = facilitator.get("/voila/render/results.ipynb")[1]
    kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', page).group(1)
    url = server.url.replace("http", "ws") + f"/api/kernels/{kernel}/channels"
    assert ask_info(url, cookie_header(facilitator), 12 * 1024 * 1024) == "kernel_info_reply"
    assert ask_info(url, cookie_header(facilitator), WEBSOCKET_MESSAGE + 1024) is None  # and no larger


def test_the_check_would_see_code_run_if_the_kernel_took_it(tmp_path):
    """The control: the same request to a kernel that takes every message (a plain Jupyter server's) runs the code,
    so the test above would see it run; pbtools' own list is the one in force."""
    from pbtools.server.kernels import WIDGET_MESSAGES
    from tests.server.inprocess import InProcessServer

    workspace = tmp_path / "workspace"
    make_hall(workspace, codes=1)
    server = InProcessServer(workspace, password=PASSWORD)
    try:
        assert server.voila.kernel_manager.allowed_message_types == list(WIDGET_MESSAGES)
        assert "execute_request" not in WIDGET_MESSAGES
        server.voila.kernel_manager.allowed_message_types = []  # everything let through
        facilitator = logged_in(server)
        page = facilitator.get("/voila/render/results.ipynb")[1]
        kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', page).group(1)
        proof = tmp_path / "ran.txt"
        replies = run_code(server.url.replace("http", "ws") + f"/api/kernels/{kernel}/channels", cookie_header(facilitator),
                           writing(proof))
        assert "execute_reply" in replies and proof.read_text() == "ran"
    finally:
        server.stop()


@pytest.mark.browser
def test_the_apps_still_work_and_send_only_what_is_allowed(server, chromium):
    with local_page(chromium) as page:
        page.set_default_timeout(90_000)
        page.goto(server.url + "/login")
        page.fill("#password_input", PASSWORD)
        page.click("#login_submit")
        page.locator("#app-console").wait_for()
        for app, heading in (("results", "Results"), ("budget", "Citizens' budget")):
            before = server.log_path.read_text().count(REFUSED)
            page.goto(f"{server.url}/voila/render/{app}.ipynb?lang=en")
            page.get_by_text(heading).first.wait_for()
            page.locator(".pb-app .widget-toggle-button", has_text="Русский").click()  # a widget's message
            page.get_by_text({"results": "Результаты", "budget": "Бюджет для граждан"}[app]).first.wait_for()
            assert server.log_path.read_text().count(REFUSED) == before, app
