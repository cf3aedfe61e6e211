"""Phones in a workshop's mock hearing (s23-13): the Training app promised phone voting, but the server served the
real workspace, where the sandbox's hearing does not exist (/vote/mock-2026 was a 404). A sandbox's practice hearing
is served under /practice/<sandbox>/vote/..., into the sandbox's own database only, and says it is practice."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from pbtools.hearings.store import hearing_ids, state
from pbtools.i18n import Msg, N_
from pbtools.phones.urls import ROOT
from pbtools.phones.mode import OPEN as OPEN_MODE, set_phone_mode
from pbtools.server import practice_vote
from pbtools.server.practice_vote import PracticeDesk
from pbtools.storage import open_workspace
from pbtools.training.sandbox import create_sandbox
from pbtools.training.service import TrainingService
from tests.server.client import Browser
from tests.server.hall import make_hall
from tests.server.inprocess import InProcessServer

RECEIPT = re.compile(r'id="receipt">([^<]+)<')
PRACTICE = Msg(N_("Practice: this is a workshop's mock vote, not a real hearing."))
DEVICE_USED = Msg(N_("This phone has already voted on this question"))


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    base = tmp_path_factory.mktemp("practice")
    workspace, root = base / "workspace", base / "sandboxes"
    real, _codes = make_hall(workspace, codes=1)
    os.environ["PBTOOLS_SANDBOXES"] = str(root)  # where the server looks, as the Training app's kernels do
    server = InProcessServer(workspace)
    training = TrainingService(root)
    yield {"server": server, "workspace": workspace, "root": root, "real": real, "training": training}
    training.close()
    server.stop()
    os.environ.pop("PBTOOLS_SANDBOXES", None)


def ballots(path, hearing: str) -> list:
    with open_workspace(path, create=False) as ws:
        return sorted(state(ws, hearing).ballots.values(), key=lambda b: b.seq)


def vote(b: Browser, path: str, question: str, option: str) -> tuple[int, str]:
    status, page, _ = b.get(f"{path}/{question}?lang=ru")
    assert status == 200, page
    status, page, _ = b.post(f"{path}/{question}?lang=ru", {"choice": option})
    return status, page


def test_a_mock_hearing_takes_phones_into_its_sandbox_only(hall):
    training = hall["training"]
    box = training.open("семинар-1")
    path = training.open_phones()
    assert path == "/practice/%D1%81%D0%B5%D0%BC%D0%B8%D0%BD%D0%B0%D1%80-1/vote/" + box.open_hearing
    with open_workspace(hall["workspace"], create=False) as ws:
        real_before = ws.ledger.head(f"hearing:{hall['real']}")
        assert box.open_hearing not in hearing_ids(ws)

    phone = Browser(hall["server"].url)
    status, page, _ = phone.get(f"{path}?lang=ru")
    assert status == 200 and PRACTICE.render("ru") in page and 'id="practice"' in page
    assert f'href="{path}/q5?lang=ru"' in page  # its questions' links stay under the sandbox's address
    option = sorted(training.state().options)[0]
    status, first_page = vote(phone, path, "q5", option)
    assert status == 200 and RECEIPT.search(first_page), first_page
    assert PRACTICE.render("ru") in first_page
    stored = ballots(box.path, box.open_hearing)
    assert [(b.question, b.channel) for b in stored] == [("q5", "phone")]
    # one vote per phone and question: said when the ballot is opened again, not only after it is sent
    status, page, _ = phone.get(f"{path}/q5?lang=ru")
    assert status == 409 and DEVICE_USED.render("ru") in page and 'id="ballot"' not in page
    assert f'href="{path}?lang=ru"' in page  # back to the other questions
    assert phone.get(f"{path}/q1?lang=ru")[0] == 200  # another question is still open to it
    status, page, _ = phone.post(f"{path}/q5?lang=ru", {"choice": option})
    assert status == 409 and DEVICE_USED.render("ru") in page and len(ballots(box.path, box.open_hearing)) == 1

    # nothing of it in the served workspace: the real hearing's stream is as it was, the mock hearing unknown there
    with open_workspace(hall["workspace"], create=False) as ws:
        assert box.open_hearing not in hearing_ids(ws)
        assert ws.ledger.head(f"hearing:{hall['real']}") == real_before
    assert Browser(hall["server"].url).get(f"/vote/{box.open_hearing}")[0] == 404

    # the receipt's link opens in its own sandbox only (every sandbox has a hearing of that id)
    receipt = re.search(r'id="receipt-url" data-url="([^"?]+)', first_page)
    assert phone.get(receipt.group(1))[0] == 200
    elsewhere = receipt.group(1).replace(path, f"/practice/other/vote/{box.open_hearing}")
    hall["training"].open("other")
    assert Browser(hall["server"].url).get(elsewhere)[0] == 404


def assets(page: str) -> list[str]:
    """The stylesheets and scripts a page loads."""
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"', page)


def test_a_practice_ballot_loads_its_stylesheet_and_script(hall):
    """A workshop's phones got bare pages: the practice ballot named /practice/<sandbox>/pbtools/static/vote.css
    and vote.js, both 404 (the static files are served at /pbtools/static/ only): options ran together as plain
    text, nothing counted the choices. They load from the server's own static address, as a real hearing's do."""
    training = hall["training"]
    training.open("styled")
    path = training.open_phones()
    phone = Browser(hall["server"].url)
    status, page, _ = phone.get(f"{path}/q1?lang=ru")
    assert status == 200
    loaded = [a or b for a, b in assets(page)]
    assert loaded == ["/pbtools/static/vote.css", "/pbtools/static/vote.js"], loaded
    for address in loaded:
        status, body, headers = phone.get(address)
        assert status == 200 and body.strip(), address
    assert ".opt {" in phone.get(loaded[0])[1]


NOT_LET_IN = Msg(N_("The trainer has not opened voting from phones in this practice hearing yet; wait until they do, "
                    "then open this page again."))


def test_until_the_trainer_lets_phones_in_a_phone_is_told_so_and_its_ballot_refused(hall):
    """A phone on a practice page before the trainer let phones in (or after a reset) was asked for a "Voting
    code": workshop participants have no cards. Every page says the trainer has not opened phone voting."""
    training = hall["training"]
    box = training.open("not-yet")
    phone = Browser(hall["server"].url)
    path = training.phone_path()
    for address in (path, f"{path}/q5"):
        status, page, _ = phone.get(f"{address}?lang=ru")
        assert status == 409 and NOT_LET_IN.render("ru") in page and 'name="code"' not in page, address
    # a ballot filled in while phones were let in, sent after the trainer closed them again (as a reset does)
    training.open_phones()
    assert phone.get(f"{path}/q5?lang=ky")[0] == 200
    with open_workspace(box.path, create=False) as ws:
        set_phone_mode(ws, box.open_hearing, "codes", actor=training.actor.name)
    status, page, _ = phone.post(f"{path}/q5?lang=ky", {"choice": sorted(training.state().options)[0]})
    assert status == 409 and NOT_LET_IN.render("ky") in page and 'name="code"' not in page
    assert Msg(N_("Type the voting code from your card")).render("ky") not in page
    assert ballots(box.path, box.open_hearing) == []


def test_only_a_checked_sandboxs_practice_hearings_are_served(hall, tmp_path):
    training, root, url = hall["training"], hall["root"], hall["server"].url
    box = training.open("checked")
    training.open_phones()
    get = lambda p: Browser(url).get(p)[0]  # noqa: E731
    assert get(f"/practice/nobody/vote/{box.open_hearing}") == 404
    assert get(f"/practice/..%2F..%2Fworkspace/vote/{hall['real']}") == 404
    # a copy of the sandbox's folder under another name: its mark names "checked", not the folder
    shutil.copytree(box.path, root / "copied")
    assert get(f"/practice/copied/vote/{box.open_hearing}") == 404
    os.symlink(box.path, root / "linked")
    assert get(f"/practice/linked/vote/{box.open_hearing}") == 404
    # a hearing of the sandbox that is not a practice one is not served as one
    real_looking, _ = make_hall(box.path, codes=1)
    assert get(f"/practice/checked/vote/{real_looking}") == 404
    # the real workspace's hearing is never reached through a sandbox
    assert get(f"/practice/checked/vote/{hall['real']}") == 404
    assert get(f"/practice/checked/vote/{box.open_hearing}") == 200


def test_after_a_reset_phones_vote_into_the_new_sandbox(hall):
    training = hall["training"]
    box = training.open("reset-while-served")
    training.open_phones()
    option = sorted(training.state().options)[0]
    assert vote(Browser(hall["server"].url), training.phone_path(), "q5", option)[0] == 200
    training.reset(training.contents())
    # as new: phones are not let in until the trainer does so again, and a phone left on the page is told so
    phone = Browser(hall["server"].url)
    status, page, _ = phone.get(f"{training.phone_path()}/q5?lang=ru")
    assert status == 409 and NOT_LET_IN.render("ru") in page
    training.open_phones()
    assert vote(Browser(hall["server"].url), training.phone_path(), "q5", option)[0] == 200
    assert len(ballots(box.path, box.open_hearing)) == 1  # the new sandbox's one ballot
    kept = hall["root"] / ".kept-reset-while-served"
    assert len(ballots(kept, box.open_hearing)) == 1  # the first stayed with the sandbox it was cast in


def test_phones_vote_in_more_sandboxes_than_the_server_keeps_desks_for(hall):
    """Each sandbox asked for gets a desk (a worker thread and its database); there used to be no more than 32, and
    the 33rd sandbox's phones got a 404. The least recently used idle desks are closed and made again on demand:
    every sandbox's phones vote, the threads stay bounded."""
    training = hall["training"]

    def desk_threads() -> int:  # practice desks' own (a real hearing's desk has its own name)
        return sum(t.is_alive() and t.name.startswith(PracticeDesk.THREAD) for t in threading.enumerate())

    # in a full run, servers of the worker's earlier test modules may have left desk threads running: not this one's
    earlier = desk_threads()
    training.open("workshop-0")
    option = sorted(training.state().options)[0]

    def sandbox_with_phones(i: int):  # as the Training app's "let phones in", without its screen's look around
        box = create_sandbox(f"workshop-{i}", actor=training.actor, root=hall["root"]) if i else training.sandbox
        with open_workspace(box.path, create=False) as ws:
            set_phone_mode(ws, box.open_hearing, OPEN_MODE, actor=training.actor.name)
        return ROOT.practice(box.name).vote(box.open_hearing), box

    with ThreadPoolExecutor(2) as pool:  # two at a time: much of making one is waiting for the disk
        paths = list(pool.map(sandbox_with_phones, range(practice_vote.MAX_DESKS + 8)))
    def phone_votes(path: str) -> tuple[int, str]:
        return vote(Browser(hall["server"].url), path, "q5", option)

    with ThreadPoolExecutor(4) as pool:  # phones of several sandboxes at once, as in a workshop
        voted = list(pool.map(phone_votes, [path for path, _ in paths]))
    for (status, page), (_, box) in zip(voted, paths):
        assert status == 200 and RECEIPT.search(page), (box.name, status)
    for path, box in paths[:2]:  # desks closed long ago: opened again, their ballots still there
        assert vote(Browser(hall["server"].url), path, "q5", option)[0] == 200
        assert len(ballots(box.path, box.open_hearing)) == 2
    assert all(len(ballots(box.path, box.open_hearing)) >= 1 for _, box in paths)

    deadline = time.monotonic() + 30  # a closed desk's thread ends once its queue is done: slower on a loaded machine
    while desk_threads() > earlier + practice_vote.MAX_DESKS and time.monotonic() < deadline:
        time.sleep(0.05)
    assert desk_threads() <= earlier + practice_vote.MAX_DESKS
