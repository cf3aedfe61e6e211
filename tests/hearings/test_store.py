"""The hearing store on a real workspace ledger: checks before storing, voiding, codes, closing, folding."""

from __future__ import annotations

import dataclasses
import json

import pytest

from pbtools.hearings import records as R
from decimal import Decimal

from pbtools.hearings.model import Ballot, Hearing, Option, Participant, Question
from pbtools.hearings.store import HearingError, HearingStore, create_hearing, hearing_ids, state
from pbtools.hearings.tally import summary, tally_ballots
from tests.hearings.conftest import build, new_hearing


def one(*ids):
    return Ballot(tuple((i, 1) for i in ids))


def head(store):
    return store.ws.ledger.head(store.stream)


def test_registration_counters(store):
    counters = store.register(Participant("f", "30_44", "Ак-Суу"), actor="door")
    assert (counters.total, counters.women, counters.by_village["Ак-Суу"]) == (1, 1, 1)
    store.register(Participant("m", "60_plus", "Кара-Булак", "deputy"), actor="door")
    counters = store.register(Participant("f", "18_29", "Кара-Булак"), actor="door")
    assert (counters.total, counters.women, counters.men) == (3, 2, 1)
    assert dict(counters.by_village) == {"Ак-Суу": 1, "Кара-Булак": 2}
    assert counters.by_category["deputy"] == 1


@pytest.mark.parametrize("participant, expected", [
    (Participant("x", "30_44", "Ак-Суу"), "Choose woman or man"),
    (Participant("f", "under_18", "Ак-Суу"), "Choose an age group"),
    (Participant("f", "30_44", "Бишкек"), "Choose a village of this hearing"),
    (Participant("f", "30_44", "Ак-Суу", name="Айгүл"), "Names are not recorded"),
])
def test_bad_registrations_change_nothing(store, participant, expected):
    before = head(store)
    with pytest.raises(HearingError) as err:
        store.register(participant, actor="door")
    assert expected in str(err.value)
    assert err.value.render("ky") != str(err.value)
    assert head(store) == before


def test_registering_many_stores_all_or_none(store):
    people = [Participant("f", "30_44", "Ак-Суу"), Participant("m", "60_plus", "Кара-Булак", "deputy")]
    one_by_one = build(store.ws, id="h2")
    for person in people:
        one_by_one.register(person, actor="door")
    before = head(store)
    counters = store.register_many(people, actor="door")
    assert counters == one_by_one.state.counters and head(store) == before + len(people)
    before = head(store)
    with pytest.raises(HearingError) as err:  # one stranger among them: none of them is stored
        store.register_many([Participant("f", "18_29", "Ак-Суу"), Participant("f", "30_44", "Бишкек")], actor="door")
    assert "Choose a village of this hearing" in str(err.value) and head(store) == before


def test_answers_not_given_are_recorded_as_not_given(store):
    """A person who gives nothing at the door (or only their sex) is counted, and only what they gave is counted:
    never as a woman, an age group, a village or a category they did not name."""
    from pbtools.fmt import number, percent
    from pbtools.hearings.model import UNKNOWN
    from pbtools.reports.document import Fields, Table
    from pbtools.reports.protocol import build_protocol
    from pbtools.results.groups import participation

    store.register(Participant(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN), actor="door")
    store.register(Participant("f", UNKNOWN, UNKNOWN, UNKNOWN), actor="door")
    counters = store.register(Participant("m", "30_44", "Ак-Суу"), actor="door")
    assert (counters.total, counters.women, counters.men) == (3, 1, 1)
    assert dict(counters.by_age) == {UNKNOWN: 2, "30_44": 1}
    assert dict(counters.by_village) == {UNKNOWN: 2, "Ак-Суу": 1}
    assert dict(counters.by_category) == {UNKNOWN: 2, "resident": 1}
    st = store.state
    assert sorted(p.sex for p in st.participants.values()) == sorted(["f", "m", UNKNOWN])
    shares = {s.key: s.count for s in participation(st).by["sex"]}
    assert shares == {"f": 1, "m": 1, UNKNOWN: 1}
    from pbtools.charts.results import participation_chart

    ticks = {t.get_text() for ax in participation_chart(participation(st), "ru").axes for t in ax.get_yticklabels()}
    assert "Не указано" in ticks and not any("бюллетен" in t for t in ticks)  # people at the door, not secret ballots

    # the protocol: the share of women is of everyone registered, and those who did not say are a line of their own
    doc = build_protocol(st, "ru", charts=False)
    fields = dict(next(b for b in doc.blocks if isinstance(b, Fields) and any(k == "Женщины" for k, _ in b.rows)).rows)
    assert fields["Женщины"] == f"{number(1, 'ru')} ({percent(1 / 3, 'ru')})"
    assert fields["Пол не указан"] == f"{number(1, 'ru')} ({percent(1 / 3, 'ru')})"
    villages = next(b for b in doc.blocks if isinstance(b, Table) and b.id == "participants-village")
    assert [row[0] for row in villages.rows] == ["Ак-Суу", "Не указано", "Всего"]
    assert villages.rows[1][1] == number(2, "ru")


def test_guests_from_elsewhere_and_names_when_turned_on(ws):
    store = build(ws, record_names=True, allow_under_18=True)
    store.register(Participant("m", "45_59", "Көрүнүш", "guest"), actor="door")
    counters = store.register(Participant("f", "under_18", "Ак-Суу", name="Айгүл"), actor="door")
    assert counters.total == 2 and counters.by_age["under_18"] == 1


def test_invalid_ballot_is_never_stored(store):
    before = head(store)
    with pytest.raises(HearingError) as err:
        store.cast("approval", one("P1", "P2", "P3", "P4"), actor="clerk")
    assert "Too many choices: 4, at most 3" in str(err.value)
    with pytest.raises(HearingError):
        store.cast("nope", one("P1"), actor="clerk")
    with pytest.raises(HearingError):
        store.cast_typed("ranking", "1 1", actor="clerk")
    assert head(store) == before and store.refresh().ballots == {}


def test_receipts_running_count_and_tallies(store):
    typed = ["1 3", "2", "1 2 3", "3 5", "1"]
    receipts = [store.cast_typed("approval", text, actor="clerk") for text in typed]
    assert [r.number for r in receipts] == [1, 2, 3, 4, 5]
    assert len({r.seq for r in receipts}) == 5
    st = store.refresh()
    expected = {o: sum(text.split().count(str(n)) for text in typed) for n, o in enumerate(st.questions["approval"].options, 1)}
    assert tally_ballots(st.questions["approval"], st.ballots_for("approval")) == expected


def test_void_keeps_the_record_and_says_who_when_why(store):
    first = store.cast("single", one("P1"), actor="clerk")
    second = store.cast("single", one("P2"), actor="clerk")
    with pytest.raises(HearingError, match="Say why"):
        store.void(second.seq, actor="clerk", reason=" ")
    void_seq = store.void(second.seq, actor="secretary", reason="typed twice")
    st = store.refresh()
    assert list(st.ballots) == [first.seq]
    assert st.voids[second.seq].actor == "secretary" and st.voids[second.seq].reason == "typed twice"
    assert st.voids[second.seq].created_at is not None
    # the voided ballot is still in the ledger, and the void names it
    records = {r.seq: r for r in store.ws.ledger.records(store.stream)}
    assert records[second.seq].kind == R.BALLOT_CAST and records[void_seq].voids == second.seq
    with pytest.raises(HearingError, match="already voided"):
        store.void(second.seq, actor="secretary", reason="again")
    with pytest.raises(HearingError, match="not a ballot"):
        store.void(1, actor="secretary", reason="try to void the hearing itself")


def test_undo_last_voids_only_the_clerks_last_ballot(store):
    a1 = store.cast_typed("single", "1", actor="clerk A")
    b1 = store.cast_typed("single", "2", actor="clerk B")
    a2 = store.cast_typed("single", "3", actor="clerk A")
    assert store.undo_last("single", actor="clerk A") == a2.seq
    assert store.undo_last("single", actor="clerk A") == a1.seq
    with pytest.raises(HearingError, match="no ballot to undo"):
        store.undo_last("single", actor="clerk A")
    assert list(store.state.ballots) == [b1.seq]


def test_double_entry_lists_differences_and_a_correction_closes_them(store):
    pile = ["3 1 2", "1 2 3", "2 3 1", "5 4"]
    second = ["3 1 2", "1 3 2", "2 3 1"]
    for text in pile:
        store.cast_typed("ranking", text, actor="A", pile="p1", entry=1)
    for text in second:
        store.cast_typed("ranking", text, actor="B", pile="p1", entry=2)
    assert [d.position for d in store.differences("p1")] == [2, 4]
    # second entries are never counted
    assert len(store.state.ballots_for("ranking")) == 4
    wrong = next(b for b in store.state.pile("p1", 2) if b.position == 2)
    store.void(wrong.seq, actor="secretary", reason="checked against the paper")
    store.cast_typed("ranking", "1 2 3", actor="B", pile="p1", entry=2, position=2)
    store.cast_typed("ranking", "5 4", actor="B", pile="p1", entry=2)
    assert store.differences("p1") == []
    with pytest.raises(HearingError, match="already typed"):
        store.cast_typed("ranking", "1 2 3", actor="B", pile="p1", entry=2, position=2)


def test_show_of_hands_counts(store):
    seq = store.enter_count("motion", {"f": {"yes": 30, "no": 2, "abstain": 1}, "m": {"yes": 25, "no": 5, "abstain": 0}},
                            actor="commission", group_by="sex")
    store.enter_count("approval", {"Ак-Суу": {"P1": 12, "P2": 4}, "Кара-Булак": {"P1": 3}}, actor="commission",
                      group_by="village", method="stickers")
    data = summary(store.refresh())
    motion = next(q for q in data["questions"] if q["id"] == "motion")
    assert motion["counts"]["total"] == {"yes": 55, "no": 7, "abstain": 1}
    approval = next(q for q in data["questions"] if q["id"] == "approval")
    assert approval["counts"]["total"]["P1"] == 15
    for counts, kw, expected in (
        ({"f": {"maybe": 1}}, {"group_by": "sex"}, "Option maybe is not on this ballot"),
        ({"x": {"yes": 1}}, {"group_by": "sex"}, "Unknown group x"),
        ({"all": {"yes": -1}}, {}, "-1 is not a count"),
        ({"all": {"yes": 1}}, {"method": "guess"}, "Unknown way of counting"),
    ):
        with pytest.raises(HearingError, match=expected):
            store.enter_count("motion", counts, actor="commission", **kw)
    store.void(seq, actor="chair", reason="recounted")
    assert "counts" not in next(q for q in summary(store.refresh())["questions"] if q["id"] == "motion")


def test_a_corrected_count_replaces_the_saved_one_in_one_step(store):
    first = store.enter_count("motion", {"all": {"yes": 30, "no": 2}}, actor="commission")
    other = store.enter_count("approval", {"all": {"P1": 5}}, actor="commission")
    before = store.refresh().seq
    for wrong in (other, 9999):  # another question's count, or no count at all: refused, nothing written
        with pytest.raises(HearingError, match="is not a saved count of this question"):
            store.enter_count("motion", {"all": {"yes": 29}}, actor="commission", replaces=wrong)
    with pytest.raises(HearingError, match="is not a count"):  # a bad figure: the old count is not voided either
        store.enter_count("motion", {"all": {"yes": -1}}, actor="commission", replaces=first)
    assert store.refresh().seq == before and first not in store.state.voids
    second = store.enter_count("motion", {"all": {"yes": 29, "no": 2}}, actor="chair", replaces=first)
    st = store.refresh()
    assert [c.seq for c in st.counts_for("motion")] == [second] and st.voids[first].reason == "count-replaced"
    assert st.seq == before + 2  # the void and the new count, written together
    with pytest.raises(HearingError, match="is not a saved count"):  # replaced already (another screen, say)
        store.enter_count("motion", {"all": {"yes": 1}}, actor="commission", replaces=first)


def test_voting_code_is_used_once_per_question(store):
    code, other = store.issue_codes(2, actor="secretary")
    store.cast("single", one("P1"), actor="tablet", channel="code", code=code)
    with pytest.raises(HearingError, match="already been used"):
        store.cast("single", one("P2"), actor="tablet", channel="code", code=code.lower())
    store.cast("approval", one("P2"), actor="tablet", channel="code", code=code)  # another question
    with pytest.raises(HearingError, match="mistyped"):
        store.cast("single", one("P2"), actor="tablet", code=other[:-1] + ("2" if other[-1] != "2" else "3"))
    with pytest.raises(HearingError, match="not issued"):
        from pbtools.hearings.codes import new_code

        store.cast("single", one("P2"), actor="tablet", code=new_code())
    assert len(store.refresh().ballots) == 2
    # a voided ballot does not free its code: the use stays recorded
    used = store.state.used_codes
    store.void(max(store.state.ballots), actor="secretary", reason="wrong question")
    with pytest.raises(HearingError, match="already been used"):
        store.cast("approval", one("P2"), actor="tablet", code=code)
    assert store.refresh().used_codes == used


def test_codes_are_not_stored_in_clear(store):
    codes = store.issue_codes(5, actor="secretary")
    text = repr([r.payload for r in store.ws.ledger.records(store.stream)])
    assert not any(c in text or c.replace("-", "") in text for c in codes)
    assert len(store.state.codes) == 5


def test_agenda_is_fixed_once_voting_is_open(store):
    p1 = store.state.options["P1"]
    with pytest.raises(HearingError, match="agenda cannot change"):
        store.add_option(Option("P9", 9, {"en": "Late"}), actor="secretary")
    with pytest.raises(HearingError, match="agenda cannot change"):
        store.change_option(dataclasses.replace(p1, cost=p1.cost + 1), actor="secretary")
    store.change_option(dataclasses.replace(p1, titles={"en": "Water pipe, corrected"}), actor="secretary")
    assert store.state.options["P1"].title("en") == "Water pipe, corrected"
    store.cast("knapsack", one("P1"), actor="clerk")
    with pytest.raises(HearingError, match="already has ballots"):
        store.define_question(store.state.questions["knapsack"], actor="facilitator")


def test_nothing_before_opening_and_nothing_after_closing(ws):
    store = build(ws, open_it=False)
    with pytest.raises(HearingError, match="not been opened"):
        store.cast("single", one("P1"), actor="clerk")
    store.open(actor="chair")
    receipt = store.cast("single", one("P1"), actor="clerk")
    store.close(actor="chair", reason="done")
    before = head(store)
    for action in (
        lambda: store.cast("single", one("P2"), actor="clerk"),
        lambda: store.register(Participant("f", "30_44", "Ак-Суу"), actor="door"),
        lambda: store.void(receipt.seq, actor="chair", reason="late"),
        lambda: store.issue_codes(1, actor="secretary"),
        lambda: store.update("chair", venue="elsewhere"),
    ):
        with pytest.raises(HearingError, match="closed"):
            action()
    # the stream itself is sealed: even a direct append is refused
    from pbtools.storage import StreamSealed

    with pytest.raises(StreamSealed):
        ws.ledger.append(store.stream, R.BALLOT_CAST, {"question": "single", "ballot": one("P2").to_json()})
    assert head(store) == before
    assert store.verify() == []
    assert state(ws, "h1").status == "closed"


def test_incremental_refresh_equals_a_full_fold_and_sees_other_writers(ws):
    store = build(ws)
    other = HearingStore(ws, "h1")  # a second screen, or the phone process
    store.register(Participant("f", "30_44", "Ак-Суу"), actor="door")
    other.cast_typed("points", "1:3 2:2", actor="phone")
    r = store.cast_typed("approval", "1 2", actor="clerk")
    other.void(r.seq, actor="chair", reason="wrong pile")
    store.enter_count("motion", {"all": {"yes": 3}}, actor="commission")
    incremental = store.refresh()
    assert summary(incremental) == summary(state(ws, "h1"))
    assert incremental.seq == ws.ledger.head(store.stream)
    assert summary(other.refresh()) == summary(incremental)


def test_create_checks_the_hearing(ws):
    with pytest.raises(HearingError) as err:
        create_hearing(ws, new_hearing(type="party", date="31.02.2026", municipality=""), actor="x")
    text = err.value.render("en")
    assert "Unknown type of hearing party" in text and "Date: 31.02.2026 is not a date" in text and "municipality" in text
    build(ws, open_it=False)
    with pytest.raises(HearingError, match="already exists"):
        create_hearing(ws, new_hearing(), actor="x")
    auto = create_hearing(ws, new_hearing(id=""), actor="x")
    assert auto.id.startswith("2026-05-14-") and hearing_ids(ws) == sorted(["h1", auto.id])


def test_a_changed_ballot_is_detected(store):
    from sqlalchemy import update

    from pbtools.storage.schema import ledger_records as T

    receipt = store.cast_typed("single", "1", actor="clerk")
    store.cast_typed("single", "2", actor="clerk")
    assert store.verify() == []
    forged = Ballot((("P5", 1),)).to_json()
    with store.ws.engine.begin() as conn:  # someone edits the database behind pbtools' back
        conn.execute(update(T).where(T.c.stream == store.stream, T.c.seq == receipt.seq)
                     .values(payload=json.dumps({"ballot": forged, "channel": "paper", "question": "single"})))
    assert [p.seq for p in store.verify()][:1] == [receipt.seq]


def test_question_keeps_its_counting_rule_and_a_recorded_lot(tmp_path):
    from dataclasses import replace as _replace

    from pbtools.storage import open_workspace as _open

    with _open(tmp_path / "ws") as ws:
        store = create_hearing(ws, Hearing(id="h", municipality="M", type="pb_vote", date="2026-05-14"), actor="t")
        store.add_options([Option(id="a", number=1, titles={"en": "A"}, cost=Decimal(10))], actor="t")
        q = Question(id="q", kind="approval", titles={"en": "Q"}, options=("a",), max_choices=1, rule="mes")
        store.define_question(q, actor="t")
        stored = store.state.questions["q"]
        assert (stored.rule, stored.tie_rule) == ("mes", "field") and isinstance(stored.seed, int)
        with pytest.raises(HearingError):
            store.define_question(_replace(q, id="q2", rule="nonsense"), actor="t")
        assert "q2" not in store.refresh().questions


def test_places_are_stored_by_their_kyrgyz_names_whatever_language_they_came_in(demo_copy):
    from pbtools.storage import open_workspace

    with open_workspace(demo_copy) as ws:
        m = ws.municipality()
        village = next(v for v in m.villages if v.name("ru") != v.name("ky"))
        hearing = Hearing("", m.name("ru"), "pb_vote", "2026-06-01", villages=(village.name("ru"), "Көрүнүш"))
        s = create_hearing(ws, hearing, actor="secretary")
        assert (s.state.hearing.municipality, s.state.hearing.villages) == (m.name("ky"), (village.name("ky"), "Көрүнүш"))
        s.add_options([Option("x", 1, {"ky": "Суу"}, Decimal(100), village=village.id)], actor="secretary")  # by id, as files do
        assert s.state.options["x"].village == village.name("ky")


def test_a_draft_option_is_corrected_or_taken_off_the_agenda(ws):
    """A typo in a draft agenda is fixed by a record, and an option no question lists can be taken off; one that a
    question's ballot lists cannot (the question would change unseen). A new option may then take its number."""
    store = create_hearing(ws, new_hearing(), actor="secretary")
    store.add_options([Option("1", 1, {"ky": "Суу түтүгү"}, Decimal(500_000), village="Ак-Суу"),
                       Option("2", 2, {"ky": "Мектеп"}, Decimal(300_000))], actor="secretary")
    store.change_option(dataclasses.replace(store.state.options["1"], cost=Decimal(450_000), number=3), actor="secretary")
    assert (store.state.options["1"].number, store.state.options["1"].cost) == (3, 450_000)
    store.define_question(Question("q", "approval", {"en": "Which?"}, ("1",), max_choices=1), actor="secretary")
    before = store.refresh().seq
    with pytest.raises(HearingError, match="is on the ballot of the question «Which\\?»") as refused:
        store.remove_option("1", actor="secretary")
    assert "сначала уберите" in refused.value.render("ru") and "Which?" in refused.value.render("ky")
    with pytest.raises(HearingError, match="There is no option 9"):
        store.remove_option("9", actor="secretary")
    assert store.refresh().seq == before
    removed = store.remove_option("2", actor="secretary")
    assert removed.number == 2 and set(store.refresh().options) == {"1"}
    assert [r.kind for r in ws.ledger.records(store.stream)][-1] == R.OPTION_REMOVED
    assert set(state(ws, store.id).options) == {"1"}  # folded from the ledger anew, too
    store.add_option(Option("2", 2, {"ky": "Оорукана"}, Decimal(100_000)), actor="secretary")  # number 2 again
    again = store.refresh().options
    assert {o.number for o in again.values()} == {2, 3} and "2" not in again  # a fresh id: the old one's key is used
    assert next(o for o in again.values() if o.number == 2).title("ky") == "Оорукана"


def test_once_voting_is_open_only_an_options_texts_change(store):
    p1 = store.state.options["P1"]
    for change in ({"village": "Кара-Булак"}, {"sector": "water"}, {"number": 42}):
        with pytest.raises(HearingError, match="agenda cannot change"):
            store.change_option(dataclasses.replace(p1, **change), actor="secretary")
    with pytest.raises(HearingError, match="agenda cannot change"):
        store.remove_option("P1", actor="secretary")
    assert store.refresh().options["P1"] == p1


def test_a_date_changed_as_typed_is_kept_in_iso_as_at_creation(ws):
    store = build(ws, open_it=False)
    assert store.update("secretary", date="21.05.2026").date == "2026-05-21"
    with pytest.raises(HearingError, match="31.02.2026 is not a date"):
        store.update("secretary", date="31.02.2026")
