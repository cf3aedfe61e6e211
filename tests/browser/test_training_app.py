"""A trainer opens the Training app, makes a sandbox, simulates a hall of 150 voters, and steps through Equal Shares
with Next and Back; what the pictures say is the exact replay of the count of the ballots stored."""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pbtools.hearings.store import state
from pbtools.storage import open_workspace


def test_simulate_150_voters_and_step_through_equal_shares(shared_server, page):
    server, sandboxes = shared_server, shared_server.sandboxes  # where the server's kernels make their sandboxes
    page.goto(server.url + "/voila/render/training.ipynb?lang=en")
    page.locator(".pb-app .pb-title", has_text="Training").wait_for(timeout=90_000)
    page.get_by_label("Sandbox", exact=True).fill("training")
    page.locator(".pb-train-open button, button.pb-train-open").first.click()
    page.locator(".pb-train-mock-status", has_text="New sandbox training created").wait_for()
    page.locator(".pb-train-simulate button, button.pb-train-simulate").first.click()
    page.locator(".pb-train-mock-status", has_text="150 simulated voters have voted").wait_for(timeout=180_000)

    # stored before the screen said so: 150 ballots on the approval question of the sandbox's open hearing
    from pbtools.training.sandbox import get_sandbox
    from pbtools.training.service import PICTURE_QUESTION, TrainingService

    sandbox = get_sandbox("training", sandboxes)
    with open_workspace(sandbox.path, create=False) as ws:
        st = state(ws, sandbox.open_hearing)
    assert sum(1 for b in st.ballots.values() if b.question == PICTURE_QUESTION) == 150
    service = TrainingService(sandboxes)
    service.open("training", create=False)
    rounds = service.rounds()
    total = len(rounds.rounds)
    assert total >= 1
    first = st.options[rounds.rounds[0].option]

    page.get_by_role("tab", name="Equal Shares step by step").click()
    where = page.locator(".pb-train-round")
    where.get_by_text(f"Round 0 of {total}").wait_for()
    next_button = page.locator(".pb-train-next button, button.pb-train-next").first
    back_button = page.locator(".pb-train-back button, button.pb-train-back").first
    next_button.click()
    where.get_by_text(f"Round 1 of {total}").wait_for()
    caption = page.locator(".pb-train-caption")
    caption.get_by_text(f"№{first.number} {first.title('en')}", exact=False).wait_for()
    assert f"{rounds.rounds[0].payers} supporters pay" in caption.inner_text()
    if total > 1:
        next_button.click()
        where.get_by_text(f"Round 2 of {total}").wait_for()
    back_button.click()
    where.get_by_text(f"Round {1 if total > 1 else 0} of {total}").wait_for()
    # a projector, and a laptop's 1366x768 screen (s23: there the picture was cut): the caption, Back/Next and
    # the whole picture in sight at once, no scrolling at each step; checked at the last round, whose caption
    # is the longest (it says the rounds end there)
    for k in range(1 if total > 1 else 0, total):
        next_button.click()
        where.get_by_text(f"Round {k + 1} of {total}").wait_for()
    page.locator(".pb-train-caption").locator("xpath=..").locator("img").wait_for()
    for lang, said in (("en", f"Round {total} of {total}"), ("ru", f"Раунд {total} из {total}")):  # ru runs longer
        page.get_by_role("button", name={"en": "English", "ru": "Русский"}[lang], exact=True).click()
        where.get_by_text(said).wait_for()
        caption.get_by_text(said.split()[0] + f" {total}:", exact=False).wait_for()  # "Раунд 3: ..." drawn
        page.wait_for_function("""() => { const img = document.querySelector('.pb-train-caption').parentElement.querySelector('img');
            return img && img.complete && img.naturalHeight > 0; }""")
        for width in (1024, 1366):
            page.set_viewport_size({"width": width, "height": 768})
            bottom = page.evaluate("""() => { window.scrollTo(0, 0);
                const img = document.querySelector('.pb-train-caption').parentElement.querySelector('img');
                return img.complete && img.naturalHeight > 0 ? img.getBoundingClientRect().bottom : -1; }""")
            assert 0 < bottom <= 768, (lang, width, bottom)
    page.get_by_role("button", name="English", exact=True).click()
    where.get_by_text(f"Round {total} of {total}").wait_for()
    page.set_viewport_size({"width": 1366, "height": 900})

    # the needs assessment: problems typed once, a session's ranking typed as on paper and saved with Enter
    page.get_by_role("tab", name="Needs assessment").click()
    page.set_viewport_size({"width": 1024, "height": 768})  # a projector: every button whole and in sight
    page.get_by_role("button", name="Add the problem").wait_for()
    cut_js = """() => [...document.querySelectorAll('.pb-train button, .pb-train .widget-checkbox')]
        .filter(b => b.offsetParent).map(b => [b.innerText.trim(), b.getBoundingClientRect().right, b.scrollWidth > b.clientWidth + 1])
        .filter(([, right, clipped]) => right > 1024 || clipped)"""
    try:  # the page lays itself out again after the resize: wait for that, not for a fixed time
        page.wait_for_function(f"() => ({cut_js})().length === 0", timeout=10_000)
    except PlaywrightTimeout:
        pass  # said below, with what is cut
    cut = page.evaluate(cut_js)
    assert cut == [], cut
    problem = page.get_by_label("Problem", exact=True)
    # double clicks (s24-4): each problem stored once, and its second click never answered "needs a title"
    page.evaluate("""() => { window.pbSaid = []; const s = document.querySelector('.pb-train-needs-status');
        new MutationObserver(() => window.pbSaid.push(s.innerText)).observe(s, {subtree: true, childList: true, characterData: true}); }""")
    for title in ("Drinking water", "Road to school", "Street lights"):
        problem.fill(title)
        page.get_by_role("button", name="Add the problem").dblclick()
        page.locator(".pb-ok", has_text=title).wait_for()
    problem.fill("drinking  WATER!")
    page.get_by_role("button", name="Add the problem").click()
    page.locator(".pb-error", has_text="is already problem 1").wait_for()
    said = page.evaluate("window.pbSaid")
    assert not any("needs a title" in t for t in said), said
    village = page.get_by_label("Village", exact=True).nth(1)
    village.fill("Ak-Suu")  # not a village of the sample municipality: refused, naming it
    page.get_by_label("Group", exact=True).fill("Women")
    page.get_by_role("button", name="Add the session").click()
    page.locator(".pb-error", has_text="Ak-Suu").wait_for()
    village.fill("Kok-Talaa")
    page.get_by_role("button", name="Add the session").dblclick()  # one session (it made two): the next is s2
    page.locator(".pb-ok", has_text="Session №1").wait_for()
    ranking = page.get_by_label("Ranking", exact=True)
    ranking.fill("3 9")
    ranking.press("Enter")
    page.locator(".pb-error", has_text="there is no problem number 9").wait_for()
    ranking.fill("3 1 2")
    ranking.press("Enter")
    page.locator(".pb-ok", has_text="Session №1: 3 1 2").wait_for()
    first_row = page.locator(".pb-train-needs tr").nth(1)
    assert "Street lights" in first_row.inner_text() and "3" in first_row.inner_text()
    # s24-10: "By village" was 1296x793 px on a 1366x768 laptop, blurred (72 dpi stretched to the tab's width)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("button", name="By village").click()
    page.locator(".pb-train-needs th", has_text="Kok-Talaa").wait_for()
    page.wait_for_function("""() => { const i = document.querySelector('img.pb-train-needs-chart');
        return i && i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0; }""")
    size = page.evaluate("""() => { const i = document.querySelector('img.pb-train-needs-chart');
        const r = i.getBoundingClientRect(); return [i.naturalWidth, r.width, r.height]; }""")
    assert size[2] <= 600 and size[0] >= 1.9 * size[1], size
    page.get_by_role("button", name="By group").click()
    page.set_viewport_size({"width": 1024, "height": 768})

    # s23-14: typed, then saved with the button (the box is left for it: it saves, then the click arrives).
    # Every line the status shows is kept, up to the answer to a later action (all before it are in)
    page.get_by_label("Group", exact=True).fill("Men")
    page.get_by_role("button", name="Add the session").click()
    page.locator(".pb-ok", has_text="Session №2").wait_for()
    page.evaluate("""() => { window.pbSaid = []; const s = document.querySelector('.pb-train-needs-status');
        new MutationObserver(() => window.pbSaid.push(s.innerText)).observe(s, {subtree: true, childList: true, characterData: true}); }""")
    ranking.fill("1 2")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".pb-ok", has_text="Session №2: 1 2").wait_for()
    problem.fill("Bridge over the canal")
    page.get_by_role("button", name="Add the problem").click()
    page.locator(".pb-ok", has_text="Bridge over the canal").wait_for()
    said = page.evaluate("window.pbSaid")
    assert any("Session №2: 1 2" in t for t in said), said
    assert not any("Type the numbers of the problems" in t for t in said), said

    # s23-19: the answer to "Make the top problems its options" (at the foot of the tab) is where it was clicked
    page.set_viewport_size({"width": 1366, "height": 768})
    page.get_by_role("button", name="New draft hearing").click()
    page.locator(".pb-train-carried .pb-ok", has_text="is ready for the top problems").wait_for()
    page.get_by_role("button", name="Make the top problems its options").click()
    answer = page.locator(".pb-train-carried .pb-ok", has_text="Options added to the agenda")
    answer.wait_for()
    box = answer.bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 768, box  # in sight, not scrolled away
    service.close()


def test_workshop_participants_vote_in_the_mock_hearing_from_their_phones(shared_server, page, chromium):
    """s23-13: the tab said participants could vote on their phones, but /vote/mock-2026 was a 404 (the server
    serves the real workspace). The trainer lets phones in; the address the tab shows opens the sandbox's mock
    hearing on a phone, marked as practice, and the ballot is stored in the sandbox, not in the real workspace."""
    from urllib.parse import urlsplit

    from pbtools.hearings.store import hearing_ids
    from pbtools.training.sandbox import get_sandbox
    from tests.fixtures.browser import local_page

    server, sandboxes, workspace = shared_server, shared_server.sandboxes, shared_server.workspace
    page.goto(server.url + "/voila/render/training.ipynb?lang=ru")
    page.locator(".pb-app .pb-title", has_text="Обучение").wait_for(timeout=90_000)
    page.get_by_label("Песочница", exact=True).fill("семинар-1")
    page.locator(".pb-train-open button, button.pb-train-open").first.click()
    page.locator(".pb-train-mock-status", has_text="Создана новая песочница семинар-1").wait_for()
    page.locator(".pb-train-phones button, button.pb-train-phones").first.click()
    shown = page.locator("#pb-phone-url")
    shown.wait_for()
    page.locator("#pb-phone-qr").wait_for()
    path = urlsplit(shown.inner_text().strip()).path  # the hall address may be another of this machine's: its path
    sandbox = get_sandbox("семинар-1", sandboxes)
    assert path == "/practice/семинар-1/vote/" + sandbox.open_hearing  # as typed on a phone (which encodes it)

    with local_page(chromium, viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True) as phone:
        phone.goto(f"{server.url}{path}?lang=ky")
        assert "Машыгуу:" in phone.locator("#practice").inner_text()
        phone.locator("a.question").nth(4).click()  # the single choice question
        phone.wait_for_selector("#ballot")
        assert phone.locator("#practice").is_visible()
        # its stylesheet and script load (they were 404s: options ran together as bare text, nothing checked)
        assert phone.evaluate("getComputedStyle(document.querySelector('label.opt')).display") == "block"
        assert phone.evaluate("typeof document.getElementById('ballot').onsubmit") == "function"  # vote.js ran
        phone.locator("input[name=choice]").first.check()
        phone.click("#submit")
        phone.wait_for_selector("#receipt")
    with open_workspace(sandbox.path, create=False) as ws:
        stored = list(state(ws, sandbox.open_hearing).ballots.values())
    assert [(b.question, b.channel) for b in stored] == [("q5", "phone")]
    with open_workspace(workspace, create=False) as ws:
        assert sandbox.open_hearing not in hearing_ids(ws)
