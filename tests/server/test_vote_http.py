"""Phone voting over HTTP against the server `pbtools serve` runs, served in-process (one for the module): every
ballot kind, codes used once, XSRF, open mode with device cookies, closed hearings. The facilitator's pages behind
the password are tested against a real `pbtools serve` in test_security_http.py."""

from __future__ import annotations

import html
import re

import pytest

from pbtools.hearings.ballots import validate
from pbtools.hearings.codes import code_hash, code_key, new_code, normalize
from pbtools.hearings.store import HearingStore
from pbtools.i18n import Msg, N_
from pbtools.phones.form import parse_ballot
from pbtools.phones.mode import OFF, OPEN, set_phone_mode
from pbtools.storage import open_workspace
from tests.server.client import Browser
from tests.server.hall import QUESTIONS, ballot_seq, make_hall
from tests.server.inprocess import InProcessServer

PASSWORD = "hall-secret-42"
RECEIPT = re.compile(r'id="receipt">([^<]+)<')


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("phones") / "workspace"
    hearing, codes = make_hall(workspace, codes=12)
    open_hearing, _ = make_hall(workspace, codes=1)  # switched to open mode by the tests
    closed, _ = make_hall(workspace, codes=1)
    with open_workspace(workspace) as ws:
        HearingStore(ws, closed).close(actor="test")
    server = InProcessServer(workspace, password=PASSWORD)
    yield {"server": server, "workspace": workspace, "hearing": hearing, "codes": codes, "open": open_hearing,
           "closed": closed}
    server.stop()


def voter(hall) -> Browser:
    return Browser(hall["server"].url)


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def store(hall, hearing: str) -> HearingStore:
    return HearingStore(open_workspace(hall["workspace"], create=False), hearing)


def refused_with(page: str, msg: Msg, lang: str) -> bool:
    return msg.render(lang) in text_of(page)


# -- voters

def test_vote_pages_need_no_login_and_no_outside_assets(hall):
    b = voter(hall)
    status, page, headers = b.get(f"/vote/{hall['hearing']}?lang=ru")
    assert status == 200
    for q in QUESTIONS:
        assert f"/vote/{hall['hearing']}/{q.id}?lang=ru" in page and q.titles["ru"] in html.unescape(page)
    status, page, headers = b.get(f"/vote/{hall['hearing']}/single?lang=ky")
    assert status == 200 and 'name="_xsrf"' in page and "Ичүүчү суу түтүгү" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "a voter's page must not load anything from outside"
    assert len(page.encode()) < 12_000
    assert "no-store" in headers["Cache-Control"] and "default-src 'self'" in headers["Content-Security-Policy"]


def test_a_post_without_xsrf_is_refused_and_stores_nothing(hall):
    before = store(hall, hall["hearing"]).state.seq
    b = voter(hall)
    status, page, _ = b.post(f"/vote/{hall['hearing']}/single", {"choice": "P1", "code": hall["codes"][0]}, xsrf=False)
    assert status == 403
    b.get(f"/vote/{hall['hearing']}/single")
    status, _, _ = b.post(f"/vote/{hall['hearing']}/single", [("choice", "P1"), ("code", hall["codes"][0]), ("_xsrf", "2|00|00|1")], xsrf=False)
    assert status == 403
    assert store(hall, hall["hearing"]).state.seq == before


CASES = {  # question: (a refused form, an accepted form)
    "single": ([("choice", "P1"), ("choice", "P2")], [("choice", "P2")]),
    "approval": ([("choice", "P1"), ("choice", "P2"), ("choice", "P3")], [("choice", "P1"), ("choice", "P3")]),
    "points": ([("points-P1", "3"), ("points-P2", "3")], [("points-P1", "3"), ("points-P2", "2"), ("points-P3", "0")]),
    "ranking": ([("rank-P1", "1"), ("rank-P2", "1")], [("rank-P3", "1"), ("rank-P1", "2"), ("rank-P2", "")]),
    "knapsack": ([("choice", "P1"), ("choice", "P4")], [("choice", "P2"), ("choice", "P3"), ("choice", "P4")]),
    "motion": ([], [("answer", "no")]),
}


@pytest.mark.parametrize("question_id", list(CASES))
def test_every_kind_is_checked_by_the_server_then_stored_once(hall, question_id):
    hearing, code = hall["hearing"], hall["codes"][1]  # one code votes once on each question
    question = next(q for q in QUESTIONS if q.id == question_id)
    path = f"/vote/{hearing}/{question_id}?lang=ru"
    refused, accepted = CASES[question_id]
    st = store(hall, hearing).state
    b = voter(hall)
    b.get(path)

    status, page, _ = b.post(path, refused + [("code", code)])
    ballot, _ = parse_ballot(question, st.options, {k: [v for kk, v in refused if kk == k] for k, _ in refused})
    expected = validate(question, st.options, ballot, st.hearing.budget)
    assert status == 422 and expected and all(refused_with(page, m, "ru") for m in expected)
    assert store(hall, hearing).state.seq == st.seq  # nothing stored, the code still unused

    status, page, _ = b.post(path, accepted + [("code", code)])
    assert status == 200, text_of(page)
    receipt = RECEIPT.search(page).group(1)
    seq = ballot_seq(hall["workspace"], hearing, receipt)
    stored = store(hall, hearing).state.ballots[seq]
    form = {k: [v for kk, v in accepted if kk == k] for k, _ in accepted}
    assert stored.ballot == parse_ballot(question, st.options, form)[0] and stored.channel == "phone"
    assert normalize(code) not in page.upper().replace("-", "")  # the receipt never repeats the code
    assert store(hall, hearing).state.used_codes[f"{question_id}:{code_hash(hearing, code, code_key(hall['workspace']))}"] == seq

    status, page, _ = b.post(path, accepted + [("code", code)])
    assert status == 409
    assert refused_with(page, Msg(N_("This voting code has already been used for this question")), "ru")
    assert len(store(hall, hearing).state.ballots_for(question_id)) == len(st.ballots_for(question_id)) + 1


@pytest.mark.parametrize("typed, problem", [
    ("", Msg(N_("Type the voting code from your card"))),
    ("ABCD-EFGH", Msg(N_("A voting code has {n} characters, this one has {got}"), n=10, got=8)),
])
def test_a_missing_or_short_code_is_named(hall, typed, problem):
    b = voter(hall)
    path = f"/vote/{hall['hearing']}/motion?lang=ky"
    b.get(path)
    status, page, _ = b.post(path, {"answer": "yes", "code": typed})
    assert status == 422 and refused_with(page, problem, "ky")


def test_a_mistyped_code_is_caught_and_a_foreign_one_refused(hall):
    code = hall["codes"][2]
    swapped = code[1] + code[0] + code[2:] if code[0] != code[1] else code[:5] + code[6] + code[5] + code[7:]
    b = voter(hall)
    path = f"/vote/{hall['hearing']}/motion?lang=en"
    b.get(path)
    status, page, _ = b.post(path, {"answer": "yes", "code": swapped})
    assert status == 422 and "mistyped" in page
    status, page, _ = b.post(path, {"answer": "yes", "code": new_code()})  # well formed, never issued here
    assert status == 422 and refused_with(page, Msg(N_("This voting code was not issued for this hearing")), "en")


def test_open_mode_takes_one_ballot_per_phone(hall):
    hearing = hall["open"]
    with open_workspace(hall["workspace"], create=False) as ws:
        set_phone_mode(ws, hearing, OPEN, actor="test")
    path = f"/vote/{hearing}/motion?lang=ky"
    phone = voter(hall)
    status, page, _ = phone.get(path)
    assert status == 200 and 'id="code"' not in page and phone.cookie("pbtools_device")
    status, page, _ = phone.post(path, {"answer": "yes"})
    assert status == 200 and RECEIPT.search(page)
    status, page, _ = phone.get(path)  # said when the ballot is opened again, not after it is filled in
    assert status == 409 and Msg(N_("This phone has already voted on this question")).render("ky") in page
    assert 'id="ballot"' not in page
    status, page, _ = phone.post(path, {"answer": "no"})
    assert status == 409 and refused_with(page, Msg(N_("This phone has already voted on this question")), "ky")
    other = voter(hall)
    other.get(path)
    assert other.post(path, {"answer": "no"})[0] == 200
    forged = voter(hall)
    forged.get(path)
    forged.cookies.clear(domain="127.0.0.1", path="/", name="pbtools_device")
    status, page, _ = forged.post(path, {"answer": "no"})
    assert status == 422 and refused_with(page, Msg(N_("Your browser must accept cookies to vote here")), "ky")
    answers = sorted(b.ballot.answer for b in store(hall, hearing).state.ballots_for("motion"))
    assert answers == ["no", "yes"]

    with open_workspace(hall["workspace"], create=False) as ws:
        set_phone_mode(ws, hearing, OFF, actor="test")
    late = voter(hall)
    status, page, _ = late.get(path)
    assert status == 409 and refused_with(page, Msg(N_("Voting from phones is not open at this hearing")), "ky")


def test_a_closed_hearing_takes_no_ballot(hall):
    b = voter(hall)
    status, page, _ = b.get(f"/vote/{hall['closed']}/single?lang=ru")
    assert status == 409 and refused_with(page, Msg(N_("The hearing is closed; nothing can be changed")), "ru")


def test_unknown_hearing_and_question(hall):
    assert voter(hall).get("/vote/no-such-hearing")[0] == 404
    assert voter(hall).get(f"/vote/{hall['hearing']}/no-such-question")[0] == 404


def test_phone_and_paper_ballots_are_counted_together(hall):
    from collections import Counter

    from pbtools.hearings.model import Ballot
    from pbtools.hearings.tally import tally_ballots

    hearing, code = hall["hearing"], hall["codes"][3]
    b = voter(hall)
    path = f"/vote/{hearing}/approval?lang=en"
    b.get(path)
    assert b.post(path, [("choice", "P4"), ("code", code)])[0] == 200
    s = store(hall, hearing)
    s.cast("approval", Ballot((("P4", 1), ("P2", 1))), actor="clerk 1")  # typed from a paper ballot
    ballots = s.refresh().ballots_for("approval")
    assert {c.channel for c in ballots} == {"phone", "paper"}
    expected = Counter(o for c in ballots for o in c.ballot.option_ids())
    assert {k: v for k, v in tally_ballots(s.state.questions["approval"], ballots).items() if v} == dict(expected)


def test_a_voter_may_say_their_group_and_it_is_stored_with_the_ballot(hall):
    hearing, code = hall["hearing"], hall["codes"][4]
    path = f"/vote/{hearing}/motion?lang=ky"
    b = voter(hall)
    status, page, _ = b.get(path)
    assert status == 200 and 'name="about-sex"' in page and "Өзүңүз жөнүндө" in page
    assert 'value="under_18"' not in page  # this hearing does not allow under-18s
    before = store(hall, hearing).state.seq
    status, page, _ = b.post(path, {"answer": "yes", "code": code, "about-sex": "x", "about-age": "30_44"})
    assert status == 422 and refused_with(page, Msg(N_("The ballot's group: {value} is not woman or man"), value="x"), "ky")
    assert store(hall, hearing).state.seq == before  # refused: nothing stored, the code still unused
    status, page, _ = b.post(path, {"answer": "yes", "code": code, "about-village": "Anywhere at all"})
    assert status == 422 and refused_with(page, Msg(N_("The ballot's group: {value} is not a village of this hearing"),
                                                    value="Anywhere at all"), "ky")  # no villages here: no free text
    status, page, _ = b.post(path, {"answer": "yes", "code": code, "about-sex": "f", "about-age": "30_44", "about-village": ""})
    assert status == 200, text_of(page)
    seq = ballot_seq(hall["workspace"], hearing, RECEIPT.search(page).group(1))
    assert dict(store(hall, hearing).state.ballots[seq].voter) == {"sex": "f", "age": "30_44"}


@pytest.mark.parametrize("accept, lang", [("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"), ("en-GB,en;q=0.9", "en"),
                                          ("de-DE,fr;q=0.8", "ky"), ("de;q=0.9,en;q=0.5,ru;q=0.7", "ru"), ("", "ky")])
def test_a_phone_gets_the_page_in_its_own_language_when_the_address_names_none(hall, accept, lang):
    """A phone set to Russian opened the hearing's address (no ?lang=) in Kyrgyz; the address's choice still wins."""
    import http.client

    def page(path: str) -> str:
        conn = http.client.HTTPConnection("127.0.0.1", hall["server"].port, timeout=30)
        try:
            conn.request("GET", path, headers={"Accept-Language": accept} if accept else {})
            return conn.getresponse().read().decode()
        finally:
            conn.close()

    assert f'<html lang="{lang}"' in page(f"/vote/{hall['hearing']}")
    assert '<html lang="ky"' in page(f"/vote/{hall['hearing']}?lang=ky")
