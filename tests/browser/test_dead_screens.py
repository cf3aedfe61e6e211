"""No dead screens, in Chromium against a real server whose idle culler runs every 2 s (kernels idle for 8 s
are shut down): a preheated kernel that sat idle past the cull time still serves the page that takes it; a page
whose kernel dies says so in its language and reloads; the server's error pages exist, need no internet, and speak
the language asked."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import jinja2
import pytest

from pbtools.i18n import gettext
from pbtools.server.kernels import PAGE_MESSAGES, TEMPLATE_DIR, page_messages_html
from pbtools.server.settings import CULL_ENV
from tests.fixtures.browser import Server, free_port

CULL_SECONDS = 8  # short, yet longer than a loaded machine takes between running a page's notebook and its websocket


@pytest.fixture(scope="module")
def culling_server(tmp_path_factory):
    from tests.fixtures.demo import copy_demo, template

    # a server of its own: its culler frees any kernel idle for 8 s
    workspace = copy_demo(template(tmp_path_factory), tmp_path_factory.mktemp("cull") / "ws")
    os.environ[CULL_ENV] = str(CULL_SECONDS)  # the server's kernels inherit it
    try:
        server = Server(workspace, free_port(), tmp_path_factory.mktemp("logs") / "serve.log")
    finally:
        del os.environ[CULL_ENV]
    yield server
    server.stop()


def log(server) -> str:
    return Path(server.log_path).read_text(errors="replace")


def wait_for_log(server, text: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while text not in log(server):
        assert time.monotonic() < deadline, f"{text!r} not in the server's log"
        time.sleep(0.2)


def kernel_pid(kernel_id: str) -> int:
    """The process of a kernel, found by its connection file on its command line."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if f"kernel-{kernel_id}.json" in cmdline:
                return int(entry.name)
    raise AssertionError(f"no process for kernel {kernel_id}")


def test_the_page_texts_are_the_catalogs(tmp_path):
    assert (Path(TEMPLATE_DIR) / "pb-messages.html").read_text(encoding="utf-8") == page_messages_html()
    for lang in ("ky", "ru"):
        assert all(gettext(lang, m) != m for m in PAGE_MESSAGES.values()), lang


def test_a_preheated_kernel_idle_past_the_cull_time_still_serves_its_page(culling_server, page):
    server = culling_server
    # The console's preheated kernel is ready, then sits idle well past the cull time while cull passes run.
    wait_for_log(server, "Culling")  # the culler is running (it has culled some other idle kernel)
    time.sleep(CULL_SECONDS + 4)  # idle past the cull time, as the laptop sat for 10 minutes in the hall
    page.goto(server.url + "/voila/render/console.ipynb?lang=ky")
    page.locator("#pb-console-summary").wait_for(timeout=60_000)
    assert "Using pre-heated kernel" in log(server)
    # connected: never culled, however long it stays idle; it still answers
    time.sleep(CULL_SECONDS + 4)
    page.get_by_role("tab", name="Каттоо").click()
    page.get_by_role("button", name="Каттоо", exact=True).wait_for()
    assert page.locator("#pb-kernel-dead").count() == 0


def test_a_page_whose_kernel_dies_says_so_in_its_language_and_reloads(culling_server, page):
    server = culling_server
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(server.url + "/voila/render/console.ipynb?lang=ru")
    page.locator("#pb-console-summary").wait_for(timeout=60_000)
    [kernel_id] = {url.split("/api/kernels/")[1].split("/")[0] for url in sockets if "/api/kernels/" in url}
    os.kill(kernel_pid(kernel_id), signal.SIGKILL)
    banner = page.locator("#pb-kernel-dead")
    banner.wait_for(timeout=30_000)
    assert banner.get_attribute("lang") == "ru"
    assert gettext("ru", PAGE_MESSAGES["dead"]) in banner.inner_text()
    page.locator("#pb-kernel-reload", has_text=gettext("ru", PAGE_MESSAGES["reload"])).click()
    page.locator("#pb-console-summary").wait_for(timeout=60_000)
    page.get_by_role("tab", name="Регистрация").click()
    assert page.locator("#pb-kernel-dead").count() == 0


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_a_missing_page_says_so_in_the_language_asked(culling_server, page, lang):
    response = page.goto(culling_server.url + f"/voila/render/nope.ipynb?lang={lang}")
    assert response.status == 404
    text = page.locator("#pb-error-page").inner_text()
    assert gettext(lang, PAGE_MESSAGES["not_found"]) in text and gettext(lang, PAGE_MESSAGES["home"]) in text
    other = "ru" if lang == "ky" else "ky"
    assert gettext(other, PAGE_MESSAGES["not_found"]) not in text


def test_the_500_page_exists_and_speaks_the_language_asked(culling_server, page):
    """Voila renders "<status>.html" from the template folders, ours first (the error that was "500.html not
    found"): rendered here through the same folders, and shown in Chromium under the server's address."""
    voila_share = Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates"
    roots = [Path(TEMPLATE_DIR), voila_share / "lab", voila_share / "base"]  # as Voila's loader searches them
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(p) for p in roots]), autoescape=True,
                             extensions=["jinja2.ext.i18n"])
    env.install_null_translations()
    html = env.get_template("500.html").render(status_code=500, status_message="Internal Server Error", base_url="/")
    assert "cdn" not in html.lower()  # nothing from the internet (Voila's own page loads Font Awesome from a CDN)
    page.route("**/pb-failed*", lambda route: route.fulfill(status=500, body=html, content_type="text/html"))
    page.goto(culling_server.url + "/pb-failed?lang=ru")
    text = page.locator("#pb-error-page").inner_text()
    assert gettext("ru", PAGE_MESSAGES["failed"]) in text and gettext("ru", PAGE_MESSAGES["reload"]) in text
