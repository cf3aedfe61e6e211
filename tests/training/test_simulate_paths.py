"""Simulated voters through the real entry paths: the door and paper entry, voting codes and phone forms (in process,
and through the server's own ballot desk); reproducible, refused where a hall must not vote."""

from __future__ import annotations

import pytest

from pbtools.hearings.model import CLOSED, DRAFT, OPEN, PB_VOTE, Hearing
from pbtools.hearings.store import HearingStore, create_hearing, state
from pbtools.results.count import count_question
from pbtools.roles import FACILITATOR, OBSERVER, TRAINER, Actor, NotAllowed
from pbtools.storage import open_workspace
from pbtools.training.errors import SimulationError
from pbtools.training.mock_hearing import create_mock_hearing
from pbtools.training.population import village_populations
from pbtools.training.preferences import ballot_for, simulate_preferences
from pbtools.training.sandbox import create_sandbox
from pbtools.training.simulate import PHONES, simulate_hall, stored_ballots
from tests.training.conftest import TRAINER_ACTOR, snapshot

FACILITATOR_ACTOR = Actor("Aida", FACILITATOR)


def expected_ballots(ws, hearing_id, n, seed):
    """What the simulated hall should have stored: computed from its preferences, without any entry path."""
    st = state(ws, hearing_id)
    hall = simulate_preferences(st, n, seed, village_populations(ws, st.hearing))
    options = {o.id: o for o in hall.options}
    return hall, [(q.id, ballot_for(q, options, v, st.hearing.budget).to_json())
                  for q in st.questions.values() for v in hall.voters]


def by_question(stored):
    """Stored ballots grouped by question (the phone path interleaves questions; paper goes pile by pile)."""
    order = {}
    for question, ballot, _ in stored:
        order.setdefault(question, []).append(ballot)
    return order


def test_the_same_seed_in_two_fresh_sandboxes_stores_the_same_ballots_and_counts_the_same(root):
    boxes = [create_sandbox(name, actor=TRAINER_ACTOR, root=root) for name in ("one", "two")]
    states, reports = [], []
    for box in boxes:
        with open_workspace(box.path) as ws:
            reports.append(simulate_hall(ws, box.open_hearing, 40, 21, actor=TRAINER_ACTOR))
            states.append(state(ws, box.open_hearing))
    one, two = states
    assert reports[0].refused == () and reports[0].registered == 40
    assert reports[0].ballots == {q: 40 for q in one.questions}
    assert one.counters.total == 40 and all(b.channel == "paper" for b in one.ballots.values())
    assert stored_ballots(one) == stored_ballots(two) and reports[0].digest == reports[1].digest
    for question in one.questions.values():
        if question.kind == "motion":
            continue
        first, second = count_question(one, question.id), count_question(two, question.id)
        assert first.selected == second.selected and first.total_cost == second.total_cost
    with open_workspace(boxes[0].path) as ws:
        _, expected = expected_ballots(ws, boxes[0].open_hearing, 40, 21)
        _, another_seed = expected_ballots(ws, boxes[0].open_hearing, 40, 22)
    assert [(q, b) for q, b, _ in stored_ballots(one)] == expected  # typed by clerks, read back as marked
    assert another_seed != expected


def _workspace_with_mock(tmp_path, **kw):
    ws = open_workspace(tmp_path / "ws")
    hearing_id = create_mock_hearing(ws, seed=3, **kw)
    return ws, hearing_id


def test_phones_store_the_same_ballots_with_codes_and_the_voters_groups(tmp_path):
    ws, hearing_id = _workspace_with_mock(tmp_path)
    heard = []
    with ws:
        report = simulate_hall(ws, hearing_id, 30, 4, actor=FACILITATOR_ACTOR, via=PHONES,
                               progress=lambda done, total: heard.append((done, total)))
        st = state(ws, hearing_id)
        hall, expected = expected_ballots(ws, hearing_id, 30, 4)
    assert report.refused == () and report.total_ballots == 30 * len(st.questions)
    assert heard[-1] == (30 * 7, 30 * 7) and [d for d, _ in heard] == sorted({d for d, _ in heard})
    assert all(b.channel == "phone" for b in st.ballots.values())
    assert len(st.codes) == 30 and len(st.used_codes) == 30 * len(st.questions)  # one code each, used per question
    got = by_question(stored_ballots(st))
    want = {}
    for q, b in expected:
        want.setdefault(q, []).append(b)
    assert got == want
    groups = sorted(tuple(sorted(b.voter.items())) for b in st.ballots.values() if b.question == "q1")
    assert groups == sorted(tuple(sorted(v.voter.about().items())) for v in hall.voters)


def test_the_servers_ballot_desk_stores_what_the_in_process_phones_store(tmp_path):
    from pbtools.server.vote import BallotDesk
    from pbtools.training.phone_path import desk_sender

    ws, hearing_id = _workspace_with_mock(tmp_path)
    with ws:
        desk = BallotDesk(ws.path, None)
        report = simulate_hall(ws, hearing_id, 25, 9, actor=FACILITATOR_ACTOR, via=PHONES, phones=desk_sender(desk))
        st = state(ws, hearing_id)
        _, expected = expected_ballots(ws, hearing_id, 25, 9)
    assert report.refused == () and report.total_ballots == 25 * len(st.questions)
    want = {}
    for q, b in expected:
        want.setdefault(q, []).append(b)
    assert by_question(stored_ballots(st)) == want


def test_phones_off_is_refused_before_anything_is_stored(tmp_path):
    from pbtools.phones.mode import OFF, set_phone_mode

    ws, hearing_id = _workspace_with_mock(tmp_path)
    with ws:
        set_phone_mode(ws, hearing_id, OFF, actor="Aida")
        head = _head(ws, hearing_id)
        with pytest.raises(SimulationError) as e:
            simulate_hall(ws, hearing_id, 5, 1, actor=FACILITATOR_ACTOR, via=PHONES)
        assert "not open" in e.value.render("en") and e.value.render("ky") != e.value.render("en")
        assert _head(ws, hearing_id) == head
        simulate_hall(ws, hearing_id, 5, 1, actor=FACILITATOR_ACTOR, via="paper")  # paper still goes
        assert state(ws, hearing_id).ballots


@pytest.mark.parametrize("sender", ["core", "desk"])
def test_phones_in_open_mode_vote_once_per_phone_without_codes(tmp_path, sender):
    from pbtools.phones.mode import OPEN as OPEN_MODE, set_phone_mode
    from pbtools.server.vote import BallotDesk
    from pbtools.training.phone_path import desk_sender

    ws, hearing_id = _workspace_with_mock(tmp_path)
    with ws:
        set_phone_mode(ws, hearing_id, OPEN_MODE, actor="Aida")
        phones = desk_sender(BallotDesk(ws.path, None)) if sender == "desk" else None
        report = simulate_hall(ws, hearing_id, 8, 2, actor=FACILITATOR_ACTOR, via=PHONES, phones=phones)
        st = state(ws, hearing_id)
    assert report.refused == () and report.total_ballots == 8 * 6
    assert not st.codes
    devices = {b.actor for b in st.ballots.values()}
    assert len(devices) == 8 and all(d.startswith("phone:simulated-") for d in devices)


def _head(ws, hearing_id):
    return ws.ledger.head(f"hearing:{hearing_id}")


def test_a_closed_hearing_is_refused_in_each_language_and_nothing_is_stored(root):
    box = create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    before = snapshot(box.path)
    with open_workspace(box.path) as ws:
        with pytest.raises(SimulationError) as e:
            simulate_hall(ws, box.closed_hearing, 10, 1, actor=TRAINER_ACTOR)
        assert state(ws, box.closed_hearing).status == CLOSED
    texts = {lang: e.value.render(lang) for lang in ("ky", "ru", "en")}
    assert "closed" in texts["en"] and "жабык" in texts["ky"] and "закрыты" in texts["ru"]
    assert all(box.closed_hearing in t for t in texts.values())
    assert snapshot(box.path) == before


def test_a_draft_a_real_hearing_and_an_unknown_one_are_refused(tmp_path):
    with open_workspace(tmp_path / "ws") as ws:
        draft = create_hearing(ws, Hearing("draft-1", "X", PB_VOTE, "2026-01-01", villages=("A",), practice=True), actor="a")
        assert draft.state.status == DRAFT
        real_id = create_mock_hearing(ws, seed=1, hearing_id="real-1")
        HearingStore(ws, real_id).update(actor="a", practice=False)
        heads = {h: _head(ws, h) for h in ("draft-1", real_id)}
        with pytest.raises(SimulationError) as e:
            simulate_hall(ws, "draft-1", 10, 1, actor=FACILITATOR_ACTOR)
        assert "draft" in e.value.render("en") and "долбоор" in e.value.render("ky") and "черновик" in e.value.render("ru")
        with pytest.raises(SimulationError) as e:
            simulate_hall(ws, real_id, 10, 1, actor=FACILITATOR_ACTOR)
        assert "not a practice hearing" in e.value.render("en") and "машыгуу" in e.value.render("ky")
        with pytest.raises(SimulationError) as e:
            simulate_hall(ws, "nope", 10, 1, actor=FACILITATOR_ACTOR)
        assert "nope" in e.value.render("ru")
        with pytest.raises(SimulationError):
            simulate_hall(ws, real_id, 10, 1, actor=FACILITATOR_ACTOR, via="carrier pigeon")
        assert {h: _head(ws, h) for h in heads} == heads


def test_who_may_simulate(root, tmp_path):
    box = create_sandbox("a", actor=TRAINER_ACTOR, root=root)
    with open_workspace(box.path) as ws:
        with pytest.raises(NotAllowed):
            simulate_hall(ws, box.open_hearing, 5, 1, actor=Actor("o", OBSERVER))
        assert not state(ws, box.open_hearing).ballots
        simulate_hall(ws, box.open_hearing, 5, 1, actor=TRAINER_ACTOR)  # a trainer, in a sandbox
    ws, hearing_id = _workspace_with_mock(tmp_path)
    with ws:
        with pytest.raises(NotAllowed):  # a trainer may not write to a workspace that is not a sandbox
            simulate_hall(ws, hearing_id, 5, 1, actor=Actor("t", TRAINER))
        assert not state(ws, hearing_id).ballots
        assert state(ws, hearing_id).status == OPEN


@pytest.mark.postgres
def test_a_hall_votes_into_a_postgresql_workspace_as_into_sqlite(tmp_path, pg_fresh_url):
    results = []
    for folder, url in ((tmp_path / "pg", pg_fresh_url), (tmp_path / "lite", None)):
        with open_workspace(folder, db_url=url) as ws:
            hearing_id = create_mock_hearing(ws, seed=3)
            simulate_hall(ws, hearing_id, 15, 8, actor=FACILITATOR_ACTOR)
            simulate_hall(ws, hearing_id, 15, 9, actor=FACILITATOR_ACTOR, via=PHONES)
            results.append(by_question(stored_ballots(state(ws, hearing_id))))
    assert results[0] == results[1] and len(results[0]["q1"]) == 30
