"""A citizen's phone in headless Chromium: the ballot is checked before it is sent, a code votes once and gets a
receipt, the second try is refused, and the page stays readable at a large font size on a small screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pbtools.hearings.codes import code_hash, code_key
from pbtools.hearings.model import Ballot
from pbtools.i18n import Msg, N_
from tests.fixtures.browser import Server, free_port, local_page
from tests.server.hall import ballot_seq, hearing_state, make_hall

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (Linux; Android 8.1.0; SM-J260F) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/70.0.3538.110 Mobile Safari/537.36"}


@pytest.fixture(scope="module")
def hall(shared_server):
    """The shared server and a hearing of the module's own, which the phones' addresses name."""
    hearing, codes = make_hall(shared_server.workspace, codes=3)
    return {"server": shared_server, "workspace": shared_server.workspace, "hearing": hearing, "codes": codes}


@pytest.fixture
def phone(chromium):
    """A phone-sized page that may only reach 127.0.0.1."""
    with local_page(chromium, **PHONE) as page:
        yield page


def test_a_phone_votes_with_a_code_once(hall, phone):
    url = f"{hall['server'].url}/vote/{hall['hearing']}/single?lang=ky"
    code = hall["codes"][0]
    posts: list[str] = []
    phone.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    phone.goto(url)
    phone.wait_for_selector("#ballot")

    # checked in the page before anything is sent: nothing chosen, and a code with two characters swapped
    phone.fill("#code", code[1] + code[0] + code[2:] if code[0] != code[1] else code[:-1])
    phone.click("#submit")
    problems = phone.locator("#problems")
    problems.wait_for(state="visible")
    assert Msg(N_("No option is chosen")).render("ky") in problems.inner_text()
    assert not posts

    phone.check("input[name=choice][value=P3]")
    phone.fill("#code", code.lower().replace("-", " "))  # typed loosely: lower case, spaces
    phone.click("#submit")
    receipt = phone.wait_for_selector("#receipt").inner_text()
    assert re.fullmatch(r"[2-9a-z]{4}-[2-9a-z]{4}", receipt)
    st = hearing_state(hall["workspace"], hall["hearing"])
    seq = ballot_seq(hall["workspace"], hall["hearing"], receipt)
    assert st.ballots[seq].ballot == Ballot((("P3", 1),)) and st.ballots[seq].channel == "phone"
    assert st.used_codes[f"single:{code_hash(hall['hearing'], code, code_key(hall['workspace']))}"] == seq

    phone.goto(url)
    phone.check("input[name=choice][value=P1]")
    phone.fill("#code", code)
    phone.click("#submit")
    phone.wait_for_selector("#problems:not([hidden])")
    assert Msg(N_("This voting code has already been used for this question")).render("ky") in phone.inner_text("#problems")
    st = hearing_state(hall["workspace"], hall["hearing"])
    assert len(st.ballots_for("single")) == 1


def test_the_code_card_qr_fills_the_code_and_leaves_no_trace(hall, phone):
    code = hall["codes"][1]
    phone.goto(f"{hall['server'].url}/vote/{hall['hearing']}/motion?lang=ru#code={code}")
    phone.wait_for_selector("#ballot")
    assert phone.input_value("#code") == code
    assert "#" not in phone.url  # the code does not stay in the history


def test_points_are_counted_as_they_are_typed(hall, phone):
    phone.goto(f"{hall['server'].url}/vote/{hall['hearing']}/points?lang=en")
    phone.fill("input[name=points-P1]", "4")
    phone.fill("input[name=points-P2]", "3")
    expect(phone.locator("#status")).to_have_text(Msg(N_("Points given: {total} of {points}"), total=7, points=5).render("en"))
    phone.fill("#code", hall["codes"][2])
    phone.click("#submit")
    phone.wait_for_selector("#problems:not([hidden])")
    assert Msg(N_("Points add up to {total}, more than {points}"), total=7, points=5).render("en") in phone.inner_text("#problems")


def test_readable_at_a_large_font_on_a_small_screen(hall, phone):
    phone.set_viewport_size({"width": 320, "height": 568})
    phone.goto(f"{hall['server'].url}/vote/{hall['hearing']}/knapsack?lang=ky")
    phone.wait_for_selector("#ballot")
    phone.evaluate("document.documentElement.style.fontSize = '200%'")  # the phone's largest font setting
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways at a large font: {width}"
    size = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.opt .title')).fontSize)")
    assert size >= 32  # 1.1rem at 200 %


def test_the_code_card_qr_of_a_hearing_with_several_questions_carries_the_code(hall, phone):
    """The card points at the hearing (six questions here): the code follows to the question the voter picks,
    and is gone from the address bar at once."""
    code = hall["codes"][1]
    phone.goto(f"{hall['server'].url}/vote/{hall['hearing']}?lang=ky#code={code}")
    phone.wait_for_selector("a.question")
    phone.wait_for_function("() => !location.hash")  # the page's script has run (the links appear before it)
    assert "#" not in phone.url
    phone.click("a.lang[hreflang=ru]")  # switching language on the way keeps it too
    phone.wait_for_selector("html[lang=ru] a.question")
    phone.wait_for_function("() => !location.hash")
    assert "#" not in phone.url
    phone.click("a.question[href*='/approval']")
    phone.wait_for_selector("#ballot")
    assert phone.input_value("#code") == code and "#" not in phone.url
    phone.check("input[name=choice][value=P2]")
    phone.click("#submit")
    receipt = phone.wait_for_selector("#receipt").inner_text()
    assert "/receipt/" in phone.url and code not in phone.url
    phone.reload()  # POST/redirect/GET: a reload shows the receipt again and sends nothing
    assert phone.wait_for_selector("#receipt").inner_text() == receipt
    phone.click("a.lang[hreflang=en]")
    phone.wait_for_selector("html[lang=en] #receipt")
    assert phone.inner_text("#receipt") == receipt
    st = hearing_state(hall["workspace"], hall["hearing"])
    assert len(st.ballots_for("approval")) == 1


def test_a_preheated_app_still_learns_its_language(chromium, tmp_path):
    """Kernels fetch their page's request over /voila/query on a secret route, now that the public one needs the
    login: a preheated app opened with ?lang=ru speaks Russian."""
    import subprocess
    import sys

    workspace = tmp_path / "workspace"
    subprocess.run([sys.executable, "-m", "pbtools", "demo", "--workspace", str(workspace)], check=True,
                   capture_output=True)
    # a server of its own: it asks for a password (the shared one asks for none)
    server = Server(workspace, free_port(), tmp_path / "serve.log", ("--password", "hall-secret-42"))
    try:
        token = (workspace / "facilitator-link.txt").read_text().strip().split("token=")[1]
        with local_page(chromium, viewport={"width": 1366, "height": 900}) as page:
            page.set_default_timeout(90_000)  # a preheated kernel on a loaded 2-core machine
            page.goto(f"{server.url}/voila/render/budget.ipynb?lang=ru&token={token}")
            page.get_by_text(Msg(N_("Revenue by source")).render("ru")).first.wait_for()
    finally:
        server.stop()
