"""A burst of phones voting at the same moment against a real `pbtools serve` (SQLite and PostgreSQL): ballots are
committed together, yet each phone gets its own answer: a receipt for a stored ballot, a refusal for a code used
twice (once by another phone in the same burst), a bad ballot or a phone that already voted."""

from __future__ import annotations

import re
import threading

import pytest

from pbtools.hearings.codes import code_hash, code_key
from pbtools.hearings.store import HearingStore
from pbtools.i18n import N_, Msg
from pbtools.phones.mode import OPEN, set_phone_mode
from pbtools.storage import open_workspace, save_db_url
from tests.fixtures.browser import Server, free_port
from tests.server.client import Browser
from tests.server.hall import ballot_seq, make_hall

RECEIPT = re.compile(r'id="receipt">([^<]+)<')
CODE_USED = Msg(N_("This voting code has already been used for this question"))
DEVICE_USED = Msg(N_("This phone has already voted on this question"))
MISTYPED = Msg(N_("This voting code is mistyped; check it against the card"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def hall(request, tmp_path):
    workspace = tmp_path / "workspace"
    if request.param == "postgresql":
        save_db_url(workspace, request.getfixturevalue("pg_fresh_url"))
    hearing, codes = make_hall(workspace, codes=40)
    open_hearing, _ = make_hall(workspace, codes=1)
    with open_workspace(workspace, create=False) as ws:
        set_phone_mode(ws, open_hearing, OPEN, actor="test")
    server = Server(workspace, free_port(), tmp_path / "serve.log", ("--no-preheat",))
    yield {"server": server, "workspace": workspace, "hearing": hearing, "codes": codes, "open": open_hearing}
    server.stop()


class Phone:
    """One voter's phone: opens the ballot, then posts ``fields`` when the burst starts."""

    def __init__(self, hall, hearing: str, question: str, fields: list[tuple[str, str]], browser: Browser | None = None):
        self.browser = browser or Browser(hall["server"].url)
        self.path, self.fields = f"/vote/{hearing}/{question}?lang=ru", fields
        self.browser.get(self.path)
        self.xsrf = self.browser.xsrf  # a phone posting twice uses the token of its one page
        self.status, self.page = 0, ""

    def post(self, start: threading.Barrier) -> None:
        start.wait(timeout=60)
        self.status, self.page, _ = self.browser.request(self.path, self.fields + [("_xsrf", self.xsrf)])

    @property
    def receipt(self) -> str | None:
        found = RECEIPT.search(self.page)
        return found.group(1) if found else None


def burst(phones: list[Phone]) -> None:
    start = threading.Barrier(len(phones))
    threads = [threading.Thread(target=p.post, args=(start,)) for p in phones]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(p.status for p in phones), "a phone got no answer"


def test_a_burst_with_reused_codes_stores_each_code_once_and_answers_every_phone(hall):
    hearing, codes = hall["hearing"], hall["codes"]
    choices = ["P1", "P2", "P3", "P4"]
    phones = []
    for i, code in enumerate(codes):  # each code from one phone, and the first 15 codes again from a second one
        phones.append(Phone(hall, hearing, "single", [("choice", choices[i % 4]), ("code", code)]))
        if i < 15:
            phones.append(Phone(hall, hearing, "single", [("choice", choices[(i + 1) % 4]), ("code", code)]))
    bad = [Phone(hall, hearing, "single", [("choice", "P1"), ("choice", "P2"), ("code", codes[20 + i])]) for i in range(5)]
    typo = Phone(hall, hearing, "single", [("choice", "P1"), ("code", codes[0][:-1] + ("2" if codes[0][-1] != "2" else "3"))])
    burst(phones + bad + [typo])

    st = HearingStore(open_workspace(hall["workspace"], create=False), hearing).state
    by_code = {}
    for phone in phones:
        by_code.setdefault(dict(phone.fields)["code"], []).append(phone)
    for code, tried in by_code.items():
        ok = [p for p in tried if p.status == 200]
        assert len(ok) == 1, (code, [p.status for p in tried])
        seq = st.used_codes[f"single:{code_hash(hearing, code, code_key(hall['workspace']))}"]
        assert ballot_seq(hall["workspace"], hearing, ok[0].receipt) == seq  # the receipt names the stored ballot
        assert st.ballots[seq].ballot.marks == ((dict(ok[0].fields)["choice"], 1),)  # ... which is that phone's
        for refused in (p for p in tried if p is not ok[0]):
            assert refused.status == 409 and CODE_USED.render("ru") in refused.page and refused.receipt is None
    for phone in bad:
        assert phone.status == 422 and phone.receipt is None
    assert typo.status == 422 and MISTYPED.render("ru") in typo.page
    assert len(st.ballots_for("single")) == len(codes)
    assert {(seq, b.channel) for seq, b in st.ballots.items()} == {(seq, "phone") for seq in st.ballots}
    assert HearingStore(open_workspace(hall["workspace"], create=False), hearing).verify() == []


def test_in_open_mode_a_phone_posting_twice_in_one_burst_is_stored_once(hall):
    hearing = hall["open"]
    twice = Browser(hall["server"].url)
    first = Phone(hall, hearing, "motion", [("answer", "yes")], browser=twice)
    second = Phone(hall, hearing, "motion", [("answer", "no")], browser=twice)
    others = [Phone(hall, hearing, "motion", [("answer", a)]) for a in ("no", "abstain", "yes", "no")]
    burst([first, second] + others)

    assert sorted(p.status for p in (first, second)) == [200, 409]
    refused = first if first.status == 409 else second
    assert DEVICE_USED.render("ru") in refused.page
    assert all(p.status == 200 and p.receipt for p in others)
    st = HearingStore(open_workspace(hall["workspace"], create=False), hearing).state
    stored = sorted(b.ballot.answer for b in st.ballots_for("motion"))
    kept = first if first.status == 200 else second
    assert stored == sorted([dict(kept.fields)["answer"]] + [dict(p.fields)["answer"] for p in others])
    # the same phone cannot vote again later either, nor on a new page
    again = Phone(hall, hearing, "motion", [("answer", "abstain")], browser=twice)
    burst([again])
    assert again.status == 409 and DEVICE_USED.render("ru") in again.page
