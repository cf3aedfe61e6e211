"""The audit's findings on the voters' side, over HTTP against the server `pbtools serve` runs, served in-process:
a crafted ballot fails only itself even inside a group commit, repeated fields are refused, and the receipt is a
page of its own (POST/redirect/GET) that survives a reload and a language switch without ever showing the code."""

from __future__ import annotations

import html
import re

import pytest

from pbtools.hearings.codes import code_hash, code_key
from pbtools.hearings.store import HearingStore
from pbtools.i18n import Msg, N_
from pbtools.server.vote import UNREADABLE, BallotDesk
from pbtools.storage import open_workspace
from tests.server.client import Browser
from tests.server.hall import ballot_seq, make_hall
from tests.server.inprocess import InProcessServer
from tests.server.test_burst import Phone, burst

RECEIPT = re.compile(r'id="receipt">([^<]+)<')


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("audit") / "workspace"
    hearing, codes = make_hall(workspace, codes=30)
    server = InProcessServer(workspace)
    yield {"server": server, "workspace": workspace, "hearing": hearing, "codes": codes}
    server.stop()


def state(hall):
    with open_workspace(hall["workspace"], create=False) as ws:
        return HearingStore(ws, hall["hearing"]).state


@pytest.mark.parametrize("crafted", ["²", "٣", "３", "+3", "1e3", "3.0", " 2 3"])
def test_a_crafted_number_fails_only_its_own_ballot_in_a_burst(hall, crafted):
    codes = hall["codes"]
    used = len(state(hall).ballots_for("points"))
    good_codes, bad_code = codes[used:used + 3], codes[used + 3]
    good = [Phone(hall, hall["hearing"], "points", [("points-P1", "3"), ("points-P2", "2"), ("code", c)]) for c in good_codes]
    bad = Phone(hall, hall["hearing"], "points", [("points-P1", crafted), ("points-P2", "2"), ("code", bad_code)])
    burst(good + [bad])

    assert all(p.status == 200 and p.receipt for p in good), [p.status for p in good]
    problem = Msg(N_("Option {option}: {value} is not a whole number"), option="№1", value=crafted.strip())
    assert bad.status == 422 and problem.render("ru") in bad.page and bad.receipt is None
    st = state(hall)
    assert len(st.ballots_for("points")) == used + 3
    for phone, code in zip(good, good_codes):
        seq = st.used_codes[f"points:{code_hash(hall['hearing'], code, code_key(hall['workspace']))}"]
        assert ballot_seq(hall["workspace"], hall["hearing"], phone.receipt) == seq and st.ballots[seq].ballot.marks == (("P1", 3), ("P2", 2))
    assert f"points:{code_hash(hall['hearing'], bad_code, code_key(hall['workspace']))}" not in st.used_codes  # the code can still be used


def test_a_form_that_breaks_the_reading_fails_alone_in_its_commit(hall):
    """What no phone can send (a value that is not text) still fails only its own submission of the batch."""
    st = state(hall)
    code = hall["codes"][-1]
    desk = BallotDesk(hall["workspace"], None)
    outcomes = desk._executor.submit(desk.submit_many, [
        (hall["hearing"], "points", {"points-P1": [None], "code": [hall["codes"][-2]]}, None),
        (hall["hearing"], "motion", {"answer": ["yes"], "code": [code]}, None),
    ]).result()
    assert outcomes[0].status == 422 and outcomes[0].problems == [Msg(UNREADABLE)]
    assert outcomes[1].status == 200 and outcomes[1].receipt
    assert len(state(hall).ballots_for("motion")) == len(st.ballots_for("motion")) + 1


@pytest.mark.parametrize("repeated", ["answer", "code"])
def test_repeated_fields_are_refused_and_store_nothing(hall, repeated):
    before = state(hall).seq
    b = Browser(hall["server"].url)
    path = f"/vote/{hall['hearing']}/motion?lang=ky"
    b.get(path)
    fields = {"answer": [("answer", "yes"), ("answer", "no")], "code": [("answer", "yes")]}[repeated]
    codes = {"answer": hall["codes"][-3:-2], "code": hall["codes"][-4:-2]}[repeated]  # two valid codes, both unused
    status, page, _ = b.post(path, fields + [("code", c) for c in codes])
    problem = Msg(N_("The form sent the field {field} more than once; open the ballot again"), field=repeated)
    assert status == 422 and problem.render("ky") in page
    assert state(hall).seq == before


def test_repeated_points_fields_are_refused(hall):
    b = Browser(hall["server"].url)
    path = f"/vote/{hall['hearing']}/points?lang=en"
    b.get(path)
    status, page, _ = b.post(path, [("points-P1", "5"), ("points-P1", "0"), ("code", hall["codes"][-3])])
    problem = Msg(N_("The form sent the field {field} more than once; open the ballot again"), field="points-P1")
    assert status == 422 and problem.render("en") in page


def test_two_xsrf_fields_are_refused(hall):
    b = Browser(hall["server"].url)
    path = f"/vote/{hall['hearing']}/motion?lang=en"
    b.get(path)
    status, _, _ = b.post(path, [("answer", "yes"), ("code", hall["codes"][-3]), ("_xsrf", "x")])
    assert status == 403


def test_the_receipt_is_a_page_of_its_own(hall):
    code = hall["codes"][-5]
    path = f"/vote/{hall['hearing']}/single?lang=ky"
    b = Browser(hall["server"].url, follow_redirects=False)
    b.get(path)
    status, answer, _ = b.post(path, [("choice", "P4"), ("code", code)])
    # the receipt comes at once (one request per voter), naming its own address for the address bar
    assert status == 200
    receipt = RECEIPT.search(answer).group(1)
    location = html.unescape(re.search(r'id="receipt-url" data-url="([^"]+)"', answer).group(1))
    assert location.startswith(f"/vote/{hall['hearing']}/single/receipt/") and location.endswith("?lang=ky")
    assert code not in location and code.replace("-", "") not in location.upper()
    assert f'href="{location.split("?")[0]}?lang=ru"' in answer  # its language links lead to the receipt too
    status, page, _ = b.get(location)
    assert status == 200 and RECEIPT.search(page).group(1) == receipt
    assert location.split("/receipt/")[1].startswith(receipt + ".")
    seq = ballot_seq(hall["workspace"], hall["hearing"], receipt)
    assert state(hall).ballots[seq].ballot.marks == (("P4", 1),)
    assert b.get(location)[1] == page  # a reload shows it again, nothing is sent again
    for lang in ("ru", "en"):
        status, other, _ = b.get(location.split("?")[0] + f"?lang={lang}")
        assert status == 200 and RECEIPT.search(other).group(1) == receipt and f'lang="{lang}"' in other
    forged = location.split("?")[0][:-1] + ("0" if location.split("?")[0][-1] != "0" else "1")
    assert b.get(forged)[0] == 404  # a receipt link the server did not make shows nothing
    made_up = location.replace(f"/receipt/{receipt}.", f"/receipt/{receipt[::-1]}.")
    assert b.get(made_up)[0] == 404


def test_the_audit_file_alone_does_not_tell_whose_ballot_a_receipt_is(hall, tmp_path):
    """A receipt shown to a vote buyer who holds the audit file (an observer, the monitoring group) must not lead to
    the ballot: nothing in the file is the receipt or its start, and the record is found only with the voters' key
    (as the server finds it)."""
    from pbtools.reports.audit import write_audit

    code = hall["codes"][-7]
    path = f"/vote/{hall['hearing']}/motion?lang=ru"
    b = Browser(hall["server"].url)
    b.get(path)
    status, page, _ = b.post(path, [("answer", "yes"), ("code", code)])
    receipt = RECEIPT.search(page).group(1)
    with open_workspace(hall["workspace"], create=False) as ws:
        audit = write_audit(ws, hall["hearing"], tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    # (a receipt made of the record's number and its hash's start, as before, fails here: its hash part is in the file)
    windows = {text[i:i + 6] for text in (receipt, receipt.replace("-", "")) for i in range(len(text) - 5)}
    assert status == 200 and not [w for w in windows if w in audit]
    seq = ballot_seq(hall["workspace"], hall["hearing"], receipt)
    assert seq is not None and state(hall).ballots[seq].ballot.answer == "yes"
