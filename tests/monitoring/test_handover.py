"""From a closed hearing to monitored projects: the funded options, with their link and votes, once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings.store import state
from pbtools.monitoring import MonitoringService
from pbtools.monitoring import HearingNotClosed, NoSuchHearing, PLANNED
from pbtools.reports.voting import question_reports
from tests.monitoring.conftest import MEMBER, STAFF


def test_funded_options_become_projects_with_their_link_as_the_protocol_says(closed, monkeypatch):
    ws, hearing_id = closed
    svc = MonitoringService(ws)
    reads, read = [], ws.municipality
    monkeypatch.setattr(ws, "municipality", lambda: reads.append(1) or read())
    done = svc.from_hearing(STAFF, hearing_id)
    assert len(reads) == 1  # it names every option's village: read once, not once per option
    st = state(ws, hearing_id)
    # the protocol's own figures: the funded set of each question's count and the one number per option; an
    # option funded by several questions is one project, linked to the first of them
    expected = {}
    for r in question_reports(st):
        for o in (r.result.selected if r.result is not None else ()):
            expected.setdefault((hearing_id, o), (r.question.id, r.votes[o], st.options[o]))
    assert expected and not done.existing
    got = {(p.link.hearing_id, p.link.option_id): p for p in done.created}
    assert set(got) == set(expected) and len(done.created) == len(expected)
    for key, p in got.items():
        question_id, votes, option = expected[key]
        assert p.link.question_id == question_id
        assert p.link.votes == votes and p.link.option_number == option.number
        assert dict(p.titles) == dict(option.titles) and p.planned.total == option.cost
        assert p.sector == option.sector and p.status == PLANNED and p.origin == "hearing"
    assert [p.id for p in svc.projects()] == [p.id for p in done.created]


def test_a_second_handover_adds_nothing(closed):
    ws, hearing_id = closed
    svc = MonitoringService(ws)
    first = svc.from_hearing(STAFF, hearing_id)
    streams = ws.ledger.streams()
    again = svc.from_hearing(MEMBER, hearing_id)
    assert not again.created and {p.id for p in again.existing} == {p.id for p in first.created}
    assert ws.ledger.streams() == streams
    assert all(ws.ledger.head(s) == 1 for s in streams if s.startswith("monitoring:project:"))


def test_progress_is_kept_through_a_second_handover(closed):
    ws, hearing_id = closed
    svc = MonitoringService(ws)
    p = svc.from_hearing(STAFF, hearing_id).created[0]
    svc.set_status(MEMBER, p.id, "in_progress", percent=20, actual_cost=Decimal(1000))
    svc.from_hearing(STAFF, hearing_id)
    assert svc.project(p.id).percent == 20 and svc.project(p.id).actual.total == 1000


def test_an_open_hearing_or_an_unknown_one_hands_nothing_over(ws):
    from tests.hearings.conftest import build

    svc = MonitoringService(ws)
    build(ws)  # an open hearing "h1"
    with pytest.raises(HearingNotClosed):
        svc.from_hearing(STAFF, "h1")
    with pytest.raises(NoSuchHearing):
        svc.from_hearing(STAFF, "nope")
    assert not [s for s in ws.ledger.streams() if s.startswith("monitoring:")]


def test_two_handovers_at_the_same_moment_make_each_project_once(closed):
    import threading

    from pbtools.storage import open_workspace

    ws, hearing_id = closed
    results, failures = [], []

    def hand_over():
        try:
            with open_workspace(ws.path) as own:  # each screen its own connection, as two kernels would
                results.append(MonitoringService(own).from_hearing(STAFF, hearing_id))
        except Exception as e:  # noqa: BLE001 - any failure fails the test below
            failures.append(e)

    threads = [threading.Thread(target=hand_over) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    made = [p.id for r in results for p in r.created]
    assert len(made) == len(set(made)) and set(made) == {p.id for p in MonitoringService(ws).projects()}
    assert all(ws.ledger.head(s) == 1 for s in ws.ledger.streams() if s.startswith("monitoring:project:"))


def test_a_refused_option_hands_over_nothing_and_is_named(ws):
    """An option the hearing funded at more than monitoring believes a project costs: the handover is refused,
    naming the option, and the cheaper funded option is not left handed over alone."""
    from pbtools.hearings.model import APPROVAL, Ballot, Question
    from pbtools.hearings.store import create_hearing
    from pbtools.monitoring import InvalidValue
    from tests.hearings.conftest import new_hearing
    from tests.hearings.helpers import agenda

    options = list(agenda().values())[:2]
    options[1] = options[1].__class__(**{**options[1].__dict__, "cost": Decimal(20_000_000_000)})
    store = create_hearing(ws, new_hearing(budget=Decimal(30_000_000_000)), actor="secretary")
    store.add_options(options, actor="secretary")
    store.define_question(Question("q1", APPROVAL, {"en": "Both"}, tuple(o.id for o in options), max_choices=2),
                          actor="facilitator")
    store.open(actor="chair")
    store.cast("q1", Ballot(tuple((o.id, 1) for o in options)), actor="clerk")
    store.close(actor="chair")
    svc = MonitoringService(ws)
    with pytest.raises(InvalidValue) as refused:
        svc.from_hearing(STAFF, "h1")
    assert refused.value.render("ru").startswith(f"№{options[1].number}:") and "20,000,000,000 som" in str(refused.value)
    assert svc.projects() == []
