"""The console's service, driven directly (no widgets): the chooser's list, the age groups a hearing takes, the
budget typed for a new hearing, the next question id and option number, noticing records stored elsewhere; and
the one money parser the forms, the agenda and the decisions share."""

from __future__ import annotations


import pytest

from pbtools.budget.model import Municipality, Village
from pbtools.budget.numbers import NotANumber, parse_som
from pbtools.hearings.agenda_io import option_from_form, parse_money
from pbtools.hearings.console_service import (
    ConsoleService, allowed_age_groups, list_hearings, next_option_number, next_question_id, parse_budget,
)
from pbtools.hearings.decisions import parse_cost
from pbtools.hearings.deletion import delete_hearing
from pbtools.hearings.errors import HearingError
from pbtools.hearings.model import AGE_GROUPS, CATEGORIES, SEXES, Participant, Question, label
from pbtools.hearings.store import HearingStore, create_hearing
from pbtools.hearings.voters import check_voter
from pbtools.i18n import translator
from pbtools.storage import open_workspace
from tests.hearings.conftest import VILLAGES, build, new_hearing


@pytest.fixture
def ws(tmp_path):
    with open_workspace(tmp_path / "ws") as workspace:
        yield workspace


def test_the_chooser_lists_hearings_oldest_first_named_in_the_readers_language(ws):
    titled = create_hearing(ws, new_hearing(id="", date="2026-04-01", titles={"ky": "Бюджет 2027", "ru": "Бюджет 2027 (ру)"}),
                            actor="t")
    untitled = build(ws, open_it=False, id="", date="2026-05-14")  # a draft with questions
    empty = create_hearing(ws, new_hearing(id="", date="2026-06-01", practice=True), actor="t")  # a draft, no questions
    for lang, (april, may) in {"ky": ("01.04.2026", "14.05.2026"), "ru": ("01.04.2026", "14.05.2026"),
                               "en": ("2026-04-01", "2026-05-14")}.items():  # each day as the reader's language writes it
        listed = list_hearings(ws, lang)
        assert [h.id for h in listed.items] == [titled.id, untitled.id, empty.id]
        assert listed.items[0].label == f"{april} · {titled.state.hearing.title_in(lang)}"
        assert listed.items[1].label == f"{may} · {label(untitled.state.hearing.type, lang)}"
    assert listed.ids == tuple(sorted(h.id for h in listed.items))
    # the console opens on the newest draft; a board on a hearing with questions
    assert (listed.under_way, listed.to_show) == (empty.id, untitled.id)
    assert [h.has_questions for h in listed.items] == [False, True, False]
    untitled.open(actor="chair")
    assert list_hearings(ws, "en").under_way == untitled.id  # an open hearing before any draft
    delete_hearing(ws, empty.id, actor="t")  # a practice hearing leaves the list
    assert [h.id for h in list_hearings(ws, "en").items] == [titled.id, untitled.id]


def test_the_age_groups_shown_are_those_the_store_and_the_ballot_groups_accept(ws):
    for allow in (False, True):
        store = build(ws, id="", allow_under_18=allow)
        hearing = store.state.hearing
        allowed = allowed_age_groups(hearing)
        assert ("under_18" in allowed) is allow and set(allowed) <= set(AGE_GROUPS)
        for age in AGE_GROUPS:
            assert (check_voter({"age": age}, hearing)[1] == []) is (age in allowed)
            try:
                store.register(Participant(SEXES[0], age, VILLAGES[0], CATEGORIES[0]), actor="door")
                registered = True
            except HearingError:
                registered = False
            assert registered is (age in allowed), age
    assert allowed_age_groups(None) == tuple(a for a in AGE_GROUPS if a != "under_18")


@pytest.mark.parametrize("typed", ["1 200 000", "1200000", "1 200 000,50", "1200000.50", "1.200.000", "250 000 сом",
                                   "\u00a0300\u00a0000 ", "0"])
def test_a_typed_budget_is_read_by_the_one_parser(typed):
    assert parse_budget(typed) == parse_som(typed) and parse_budget(typed) is not None


@pytest.mark.parametrize("typed", ["", "  ", "-", "—", "abc", "12 34", "1e6", "NaN", "1,2,3.4.5"])
@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_a_budget_that_is_no_amount_is_refused_naming_what_was_typed(typed, lang):
    with pytest.raises(HearingError) as refused:
        parse_budget(typed)
    assert refused.value.render(lang) == translator(lang)("{value} is not an amount in som", value=typed)


# what the agenda, the decisions and a form accept as an amount in som: the same reading everywhere
AMOUNTS = ["150 000", "150000", "1 200 000,50", "1200000.50", "1.200.000", "1,200,000", "1,5", "1'200'000",
           "150 000 сом", "150000 som", "2 000 KGS", "12 34", "1e6", "abc", "(5)", "-5"]


@pytest.mark.parametrize("typed", AMOUNTS)
def test_agenda_decisions_and_forms_read_amounts_alike(typed):
    try:
        expected = parse_som(typed)
    except NotANumber:
        expected = None
    assert parse_money(typed) == expected
    amount, problem = parse_cost(typed)
    if expected is None:
        assert amount is None and problem is not None
    elif expected < 0:
        assert amount is None and problem is not None  # an estimated cost cannot be negative
    else:
        assert (amount, problem) == (expected, None)
    option, problems = option_from_form("1", {"en": "A well"}, typed)
    assert (option.cost if option else None) == (expected if expected is not None and expected >= 0 else None)
    assert bool(problems) is (option is None)


def test_a_dash_is_no_cost_on_the_agenda_and_an_unknown_one_in_the_decisions():
    assert parse_som("-") == 0
    assert parse_money("-") is None  # an option's cost must be given
    assert parse_cost("-") == (None, None)  # a proposal's cost may be not known


def test_the_next_question_id_and_option_number(ws):
    store = build(ws, open_it=False)
    st = store.state
    assert next_question_id(st) == f"q{len(st.questions) + 1}"
    assert next_option_number(st) == max(o.number for o in st.options.values()) + 1
    taken = next_question_id(st)
    store.define_question(Question(taken, "motion", {"en": "Another"}), actor="f")
    assert next_question_id(store.refresh()) == f"q{len(store.state.questions) + 1}" != taken
    # a question id already taken out of turn is skipped
    later = f"q{len(store.state.questions) + 2}"
    store.define_question(Question(later, "motion", {"en": "Later"}), actor="f")
    assert next_question_id(store.refresh()) == f"q{len(store.state.questions) + 2}"
    empty = create_hearing(ws, new_hearing(id=""), actor="t")
    assert (next_question_id(empty.state), next_option_number(empty.state)) == ("q1", 1)


def test_the_service_notices_records_stored_by_another_writer(ws, tmp_path):
    store = build(ws)
    service = ConsoleService(ws)
    assert service.state is None and not service.has_news() and service.refresh() is None
    st = service.choose(store.id)
    assert st is service.state and st.id == store.id
    assert not service.has_news()
    assert service.choose(store.id) is st  # the same hearing again: nothing read again
    before = st.counters.total
    with open_workspace(tmp_path / "ws") as elsewhere:  # the phones' server writes through its own workspace
        HearingStore(elsewhere, store.id).register(Participant(SEXES[0], "30_44", VILLAGES[0]), actor="door")
    assert service.has_news()
    assert service.refresh().counters.total == before + 1
    assert not service.has_news()
    assert service.age_groups() == allowed_age_groups(service.state.hearing)
    assert service.next_question_id() == next_question_id(service.state)
    assert service.next_option_number() == next_option_number(service.state)
    assert service.choose(None) is None and service.store is None and not service.has_news()


def test_the_service_needs_nothing_of_jupyter():
    import subprocess
    import sys

    code = ("import sys, pbtools.hearings.console_service; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'IPython', 'widgets')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- what the console does, through the service


def service_on(ws, store) -> ConsoleService:
    service = ConsoleService(ws)
    service.choose(store.id)
    return service


def test_a_hearing_is_created_from_the_form_with_its_budget_read_as_typed(ws):
    ws.save_municipality(Municipality({"ky": "Ак-Суу айыл аймагы"}, (Village({"ky": "Ак-Суу"}, 900),)))
    service = ConsoleService(ws)
    hearing_id = service.create_hearing(type="pb_vote", date=" 2026-07-01 ", venues={"ky": " Мектеп ", "ru": "", "en": "School"},
                                        villages=["Ак-Суу"], budget="1 200 000,50 сом", practice=True, actor="f")
    h = service.choose(hearing_id).hearing
    assert h.municipality == "Ак-Суу айыл аймагы"
    assert (h.date, h.budget, h.villages, h.practice) == ("2026-07-01", parse_som("1 200 000,50"), ("Ак-Суу",), True)
    assert dict(h.venues) == {"ky": "Мектеп", "en": "School"} and h.venue == "Мектеп"
    with pytest.raises(HearingError):
        service.create_hearing(type="pb_vote", date="2026-07-02", venues={}, villages=[], budget="12 34",
                               practice=False, actor="f")
    assert [i.id for i in list_hearings(ws, "en").items] == [hearing_id]  # the refused one is not stored


def test_details_are_saved_only_when_changed_and_refused_whole(ws):
    store = build(ws, open_it=False)
    service = service_on(ws, store)
    form = {"titles": {"ky": "Жаңы аталыш"}, "chair": "Асель", "commission": "А\nБ"}
    changes = service.save_details(form, actor="f")
    assert set(changes) >= {"titles", "chair", "commission"}
    h = service.refresh().hearing
    assert (h.titles["ky"], h.chair, h.commission) == ("Жаңы аталыш", "Асель", ("А", "Б"))
    seq = service.state.seq
    assert service.save_details(form, actor="f") == {} and service.refresh().seq == seq  # nothing new: no record
    with pytest.raises(HearingError):
        service.save_details({"chair": "x" * 10_000}, actor="f")
    assert service.refresh().seq == seq


def test_a_question_is_added_under_the_next_id_and_changed_under_its_own(ws):
    store = build(ws, open_it=False)
    service = service_on(ws, store)
    expected = service.next_question_id()
    common = dict(max_choices=2, points=5, stacking=True, rule="greedy", score="support", tie_rule="field", actor="f")
    assert service.define_question(picked="", kind="motion", titles={"en": " Send it ", "ru": " "}, options=["P1"], **common)
    q = service.refresh().questions[expected]
    assert (dict(q.titles), q.options, q.points) == ({"en": "Send it"}, (), 0)  # a motion lists no options
    assert not service.define_question(picked=expected, kind="approval", titles={"en": "Pick two"}, options=["P1", "P2"],
                                       **common)
    q = service.refresh().questions[expected]
    assert (q.kind, q.options, q.points, q.max_choices) == ("approval", ("P1", "P2"), 0, 2)  # points only on a points ballot


def test_options_by_hand_imported_and_exported(ws, tmp_path):
    store = create_hearing(ws, new_hearing(id=""), actor="t")
    service = service_on(ws, store)
    first = service.save_option(picked="", number="", titles={"en": "A well"}, cost="150 000", village="", sector="water",
                                proposer="citizens", actor="f")
    assert (first.number, first.cost) == (1, parse_som("150 000"))  # no number typed: the next one
    second = service.save_option(picked="", number=" ", titles={"ky": "Жол"}, cost="1.200.000", village="", sector="roads",
                                 proposer="citizens", actor="f")
    assert second.number == 2 == service.refresh().options[second.id].number
    changed = service.save_option(picked=first.id, number="1", titles={"en": "A deep well"}, cost="160 000", village="",
                                  sector="water", proposer="citizens", actor="f")
    assert changed.id == first.id and service.refresh().options[first.id].titles["en"] == "A deep well"
    with pytest.raises(HearingError):
        service.save_option(picked="", number="", titles={}, cost="12 34", village="", sector="water",
                            proposer="citizens", actor="f")
    path = service.export_agenda("csv", tmp_path)
    other = service_on(ws, create_hearing(ws, new_hearing(id=""), actor="t"))
    imported = other.import_agenda(path, actor="f")
    assert sorted((o.number, o.cost) for o in imported) == sorted((o.number, o.cost) for o in service.state.options.values())
    assert service.remove_option(second.id, actor="f").id == second.id and second.id not in service.refresh().options


def test_registration_undone_decisions_recorded_and_a_practice_hearing_deleted(ws):
    store = build(ws, practice=True)
    service = service_on(ws, store)
    assert service.undo_registration(actor="door") is None  # nothing registered here yet
    service.store.register(Participant(SEXES[0], "30_44", VILLAGES[0]), actor="door")
    assert service.undo_registration(actor="door") is not None and service.refresh().counters.total == 0
    with pytest.raises(HearingError) as refused:
        service.issue_codes(0, actor="door")
    assert refused.value.render("en") == "Ask for between 1 and 10000 codes" and not service.refresh().codes
    codes = service.issue_codes(3, actor="door")
    assert len(set(codes)) == 3 == len(service.refresh().codes)
    proposal = service.add_proposal("Айгүл", "A bridge", "150 000 сом", "accepted", actor="s")
    decision = service.add_decision("Send it to the council", "decision", actor="s")
    service.refresh()
    m = service.minutes()
    assert [(p.seq, p.cost) for p in m.proposals] == [(proposal, parse_som("150 000"))]
    assert [d.seq for d in m.decisions] == [decision]
    service.strike(decision, "typed twice", actor="s")
    service.refresh()
    assert service.minutes().decisions == []
    with pytest.raises(HearingError):
        service.add_proposal("", "", "abc", "accepted", actor="s")
    assert service.deletion_problems() == []
    assert service.delete_hearing(actor="f") == store.id and service.store is None
    assert store.id not in list_hearings(ws, "en").ids


def test_a_ballot_is_voided_by_the_number_typed(ws):
    store = build(ws)
    service = service_on(ws, store)
    service.store.cast_typed("single", "1", actor="clerk")
    for typed in ("", "four", "-1"):
        with pytest.raises(HearingError) as refused:
            service.void_numbered("single", typed, "wrong", actor="clerk")
        assert refused.value.render("en") == "Type the number of the ballot to void, e.g. 4"
    assert service.void_numbered("single", " №1 ", "typed wrong", actor="clerk").ballot is not None
    assert service.refresh().ballots_for("single") == []


@pytest.mark.parametrize("typed", ["1 ²", "١", "１", "1:١"])
def test_a_typed_paper_ballot_with_digits_that_are_not_ascii_is_refused_and_nothing_stored(ws, typed):
    store = build(ws)
    question = "points" if ":" in typed else "approval"
    before = len(store.refresh().ballots_for(question))
    with pytest.raises(HearingError) as refused:
        store.cast_typed(question, typed, actor="clerk")
    said = {lang: refused.value.render(lang) for lang in ("en", "ky", "ru")}
    odd = next(t for t in typed.split() if not t.isascii())
    assert all(odd in text for text in said.values()) and len(set(said.values())) == 3
    assert len(store.refresh().ballots_for(question)) == before


@pytest.mark.parametrize("typed", ["²", "١", "１"])
def test_a_ballot_number_to_void_in_digits_that_are_not_ascii_is_refused(ws, typed):
    store = build(ws)
    service = service_on(ws, store)
    service.store.cast_typed("single", "1", actor="clerk")
    with pytest.raises(HearingError) as refused:
        service.void_numbered("single", typed, "wrong", actor="clerk")
    assert refused.value.render("en") == "Type the number of the ballot to void, e.g. 4"
    assert len(service.refresh().ballots_for("single")) == 1
