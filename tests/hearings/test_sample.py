"""The sample hearing: closed, realistic, consistent, the same for the same seed."""

from __future__ import annotations

from pbtools.hearings.sample import create_sample_hearing, sample_setting
from pbtools.hearings.store import HearingStore, state
from pbtools.hearings.tally import summary


def test_sample_hearing(tmp_path):
    from pbtools.storage import open_workspace

    with open_workspace(tmp_path / "a") as ws:
        hid = create_sample_hearing(ws, seed=11)
        st = state(ws, hid)
        data = summary(st)
        assert st.status == "closed" and ws.ledger.verify(f"hearing:{hid}") == []
        c = st.counters
        assert 110 <= c.total <= 130 and 0.40 <= c.women / c.total <= 0.56
        municipality, population, options = sample_setting()  # the demo municipality's data when present
        assert (st.hearing.municipality, st.hearing.villages) == (municipality, tuple(population))
        assert sorted(st.options) == sorted(o.id for o in options)
        assert 4 <= len(st.hearing.villages) <= 6 and set(st.hearing.villages) <= set(c.by_village)
        assert len(c.by_age) >= 4 and len(c.by_category) >= 3
        kinds = {q["kind"]: q for q in data["questions"]}
        # a points question counts the points given and a ranking Borda points, not the number of supporters
        assert {q.kind: q.score for q in st.questions.values()} == {
            "approval": "support", "points": "points", "ranking": "borda", "motion": "support"}
        assert {"approval", "points", "ranking"} <= set(kinds)
        assert all(kinds[k]["ballots"] >= 60 for k in ("approval", "points", "ranking"))
        assert sum(q["voided_ballots"] for q in data["questions"]) >= 2
        assert all(v.reason for v in st.voids.values())
        assert len(st.counts) == 1 and sum(kinds["motion"]["counts"]["total"].values()) == c.total
        assert HearingStore(ws, hid).differences("R1") == []
        assert any(b.channel == "code" for b in st.ballots.values())
    with open_workspace(tmp_path / "b") as ws:
        again = summary(state(ws, create_sample_hearing(ws, seed=11)))
    assert again == data
