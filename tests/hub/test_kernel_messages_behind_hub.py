"""Behind the hub, a logged-in user (an observer, a monitoring group member) cannot run Python in their app's kernel
over its websocket (/user/NAME/api/kernels/ID/channels), which holds the database's URL: the code is dropped, the
kernel still answers what a page may ask, and the app keeps working."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.browser import local_page
from tests.fixtures.kernel_socket import run_code, writing
from tests.hub.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.hub]


@pytest.mark.parametrize("name", ["olga", "meder"])
def test_code_sent_to_an_apps_kernel_through_the_hub_is_not_run(hub, chromium, accounts, name, tmp_path):
    with local_page(chromium) as page:
        page.set_default_timeout(120_000)
        log_in(page, hub, name)
        page.wait_for_url(f"**/user/{name}/**")
        page.goto(f"{hub.url}/user/{name}/voila/render/results.ipynb?lang=ky")
        page.get_by_text("Жыйынтыктар").first.wait_for()
        kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', page.content()).group(1)
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies(hub.url + f"/user/{name}/"))
        logged = len(hub.log_text())  # the shared hub's log: what this test's code made it say
        proof = tmp_path / f"{name}.txt"
        url = hub.url.replace("http", "ws") + f"/user/{name}/api/kernels/{kernel}/channels"
        assert run_code(url, cookie, writing(proof)) == ["kernel_info_reply"]
        assert not proof.exists()
        assert re.search(r'message of type "execute_request", which is not allowed', hub.log_text()[logged:])
        # the app still answers its widgets: the language switch redraws it
        page.locator(".pb-app .widget-toggle-button", has_text="Русский").click()
        page.get_by_text("Результаты").first.wait_for()
