"""A facilitator behind the real hub posts the zip of a laptop's hand-in folder (hearings, monitoring, photos) to
their server's hand-in route from the browser: stored once; a zip whose photo was changed is refused in Russian.

The hub is shared with other modules (tests/hub/conftest.py), which store hearings, monitoring and services in
ak_suu: the folder goes to a municipality of its own (the sample's names under another code), whose facilitator
dinara is this module's own user."""

from __future__ import annotations

import base64
import shutil

import pytest
from PIL import Image

from pbtools.budget.municipality import read_municipality
from pbtools.central.registry import Central
from pbtools.demo import SAMPLE_DIR
from pbtools.i18n import gettext
from pbtools.storage import open_workspace
from pbtools.sync.pack import pack
from tests.fixtures.browser import local_page
from tests.fixtures.demo import copy_demo, laptop_template
from pbtools.roles import FACILITATOR
from tests.hub.conftest import OPERATOR, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.hub]
PLACE, USER = "ak_suu_usb", "dinara"


@pytest.fixture(scope="module")
def facilitator(hub):
    """dinara, facilitator of the module's own municipality (before her sign-up, as the operator grants)."""
    with Central(hub.db_url, hub.folder / "municipalities") as central:
        central.add_municipality(PLACE, read_municipality(SAMPLE_DIR), OPERATOR)
        central.grant(USER, PLACE, FACILITATOR, OPERATOR)
    return USER


def post(page, url: str, data: bytes) -> tuple[int, dict]:
    import json

    status, body = page.evaluate("""async ([url, b64]) => {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const xsrf = (document.cookie.match(/(?:^|; )_xsrf=([^;]+)/) || [])[1] || "";
        const r = await fetch(url, {method: "POST", body: bytes, headers: {"X-XSRFToken": decodeURIComponent(xsrf)}});
        return [r.status, await r.text()];
    }""", [url, base64.b64encode(data).decode()])
    return status, json.loads(body)


@pytest.fixture(scope="module")
def zips(tmp_path_factory):
    """The demo laptop's hand-in folder zipped, and a copy whose first photo was replaced."""
    tmp = tmp_path_factory.mktemp("usb")
    copy_demo(laptop_template(tmp_path_factory), tmp / "laptop")  # no practice hearing, no demo mark
    with open_workspace(tmp / "laptop") as ws:
        folder = pack(ws, tmp / "ak-suu", monitoring=True).path
        bad = pack(ws, tmp / "bad", monitoring=True).path
    photo = next(p for p in sorted((bad / "monitoring-files").rglob("*.jpg")) if "thumbs" not in p.parts)
    Image.new("RGB", (80, 60), "green").save(photo, "JPEG")
    return (open(shutil.make_archive(str(tmp / "good"), "zip", folder), "rb").read(),
            open(shutil.make_archive(str(tmp / "bad"), "zip", bad), "rb").read())


def test_a_zipped_folder_through_the_hub(hub, chromium, zips, facilitator):
    good, bad = zips
    with local_page(chromium) as page:
        page.set_default_timeout(120_000)
        page.goto(hub.url + "/hub/signup?lang=en")  # invited by the operator: approved at once
        page.fill("#username_input", facilitator)
        page.fill("#password_input", PASSWORD)
        page.fill("#password_confirmation_input", PASSWORD)
        page.fill("#invitation_input", hub.invite(facilitator))
        page.click("#signup_submit")
        assert "The account was created" in page.locator(".alert").first.inner_text()
    with local_page(chromium) as page:
        page.set_default_timeout(120_000)
        page.goto(hub.url + "/hub/login")
        page.fill("#username_input", facilitator)
        page.fill("#password_input", PASSWORD)
        page.click("#login_submit")
        page.wait_for_url(f"**/user/{facilitator}/**")
        page.locator("#app-results").wait_for()
        url = f"{hub.url}/user/{facilitator}/pbtools/sync?lang=ru"
        status, refused = post(page, url, bad)
        assert status == 422 and gettext("ru", "{file} was not stored, nothing was changed:").split(" ")[-1] in refused["error"]
        assert "содержимое изменено" in refused["error"], refused
        status, stored = post(page, url, good)
        assert status == 200 and stored["appended"] > 0 and any(h["files"] for h in stored["handed"]), stored
        assert any(h["hearing"].startswith("monitoring:project:") for h in stored["handed"])
        status, again = post(page, url, good)
        assert status == 200 and again["appended"] == 0, again
        for name in ("..", ".", "../../etc/x.zip"):  # the name given is no path: only its suffix is kept
            status, again = post(page, f"{url}&name={name}", good)
            assert status == 200 and again["appended"] == 0, (name, status, again)
