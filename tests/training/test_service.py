"""The Training app's service without widgets: a sandbox, simulated voters, what-if, the rounds, needs in a sandbox."""

from __future__ import annotations

from fractions import Fraction

import pytest

from pbtools.hearings.errors import AgendaFixed
from pbtools.roles import MONITOR, Actor, NotAllowed
from pbtools.hearings.records import stream_of
from pbtools.training.errors import SandboxError, SimulationError
from pbtools.training.preferences import hall_ballots
from pbtools.training.service import PICTURE_QUESTION, TrainingService
from pbtools.training.simulate import hall_of


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    service = TrainingService(tmp_path_factory.mktemp("sandboxes"))
    service.open("workshop")
    service.simulate(82, seed=5)
    yield service
    service.close()


def test_simulated_ballots_are_stored_and_counted_by_three_rules(simulated):
    assert simulated.ballots() == 82
    what = simulated.what_if("ru")
    st = simulated.state()
    assert len(what.rules) == 3 and len(what.rows) == len(st.options)
    assert what.rule_sentences and all(s.strip() for s in what.rule_sentences)
    assert len(what.kinds) == 4 and len(what.kind_sentences) == 3
    # a reopened service (a reloaded page) still knows the hall whose kinds of ballot it compares
    again = TrainingService(simulated.root)
    again.open("workshop", create=False)
    assert again.what_if("en").kind_rows == simulated.what_if("en").kind_rows
    again.close()


def test_what_if_recounts_the_very_ballots_stored(simulated):
    """The kinds table's approval column is the stored approval ballots counted again (same people, same rule):
    it funds what the rules table's Equal Shares column funds, and its ballots are the stored ones, in order."""
    st = simulated.state()
    stored = [b.ballot for b in sorted(st.ballots.values(), key=lambda b: b.seq) if b.question == PICTURE_QUESTION]
    hall = hall_of(simulated.ws, st, simulated.hall_size, simulated.seed)
    assert hall_ballots(hall, st.questions[PICTURE_QUESTION], st.hearing.budget) == stored
    what = simulated.what_if("en")
    mes = what.rules.index("Method of Equal Shares, completed by greedy")
    approval = what.kinds.index("Approval")
    assert [marks[mes] for _name, marks in what.rows] == [marks[approval] for _name, marks in what.kind_rows]
    assert any(marks[mes] for _name, marks in what.rows)


def test_a_second_hall_is_said_to_make_the_approval_columns_differ(tmp_path):
    service = TrainingService(tmp_path / "sandboxes")
    service.open("twice")
    service.simulate(61, seed=2)
    assert not any("last simulated hall" in s for s in service.what_if("en").kind_sentences)
    service.simulate(72, seed=3)  # the stored ballots are now two halls; "what if" recasts the last one only
    said = service.what_if("en").kind_sentences
    assert said[0] == ("The first table counts every ballot stored (133 ballots), this one only the people of the last "
                       "simulated hall (72 people), so their approval columns can fund different options.")
    assert len(said) == 4
    # each number with its own plural form: «все 302 сохранённых бюллетеней» was wrong Russian
    said = service.what_if("ru").kind_sentences[0]
    assert "(133 бюллетеня)" in said and "(72 человека)" in said, said
    service.close()


def test_round_pictures_follow_the_replay(simulated):
    rounds = simulated.rounds()
    start = simulated.round_picture(0, "ky")
    assert start.number == 0 and set(start.keep) == {float(rounds.share)} and not any(start.pay)
    # the start says budget ÷ voters, and the raised share the rounds start from when the completion raised it
    n = len(rounds.voters)
    assert rounds.even == Fraction(simulated.state().hearing.budget) / n
    words = simulated.round_picture(0, "en").caption
    if rounds.share > rounds.even:
        assert f"{n} voters. The budget divided among them is" in words and "raised step by step" in words
    else:
        assert words.startswith(f"Start: {n} voters, each with a share of")
    # «Начало: 302 избирателей» was wrong Russian: the number's own form (82: "few")
    assert n == 82 and simulated.round_picture(0, "ru").caption.startswith("Начало: 82 избирателя")
    for k, r in enumerate(rounds.rounds, start=1):
        pic = simulated.round_picture(k, "en")
        assert pic.pay == tuple(float(p) for p in r.paid) and pic.keep == tuple(float(a) for a in r.after)
        assert (f"{r.payers} supporters pay" if r.payers != 1 else "1 supporter pays") in pic.caption
        if r.payers % 10 in (2, 3, 4) and r.payers % 100 not in (12, 13, 14):  # "234 сторонника", not "сторонников"
            assert f"Платят {r.payers} сторонника," in simulated.round_picture(k, "ru").caption
        assert pic.last == (k == len(rounds.rounds))
    assert sum(Fraction(p) for r in rounds.rounds for p in r.paid) == sum(r.cost for r in rounds.rounds)
    assert simulated.round_picture(99, "en").number == len(rounds.rounds)  # past the end: the last round


def test_the_kyrgyz_caption_says_what_an_option_is_bought_for_in_the_dative(simulated):
    """s23-27: "720 000 сом сатылып алынат" lacks the dative; with the glossary's "сумма" (amount) as the counting
    explanations say it: "720 000 сом суммасына сатылып алынат" (no suffix to fit to a number)."""
    from pbtools.counting.result import Amount

    for k, r in enumerate(simulated.rounds().rounds, start=1):
        assert f"{Amount(r.cost, 'KGS').render('ky')} суммасына сатылып алынат." in simulated.round_picture(k, "ky").caption


def test_needs_in_the_sandbox_and_carry_over(simulated):
    needs = simulated.needs()
    needs.add_problem("Суу жок", "ky", simulated.actor, sector="water")
    s = needs.add_session("Көк-Талаа", "Аялдар", simulated.actor)
    needs.set_ranking(s.id, "1", simulated.actor)
    assert needs.next_unranked() is None
    with pytest.raises(AgendaFixed):  # the mock hearing is open: its agenda is fixed
        needs.to_hearing(simulated.sandbox.open_hearing, 1, simulated.actor)
    draft = simulated.new_draft_hearing()
    assert [h for h, _ in needs.hearings("en")] == [draft]
    assert len(needs.to_hearing(draft, 1, simulated.actor).added) == 1
    with pytest.raises(NotAllowed):
        needs.add_problem("Жол", "ky", Actor("x", MONITOR))


def test_reset_says_what_goes_resets_only_what_was_said_and_can_be_undone(tmp_path):
    """s23-3: one click wiped a workshop. The trainer is told every count of what goes first; a reset confirmed
    for other contents (phones voted since) is refused; and the sandbox as it was comes back with ``restore``."""
    service = TrainingService(tmp_path)
    service.open("reset-me")
    seen, asked = service.reset_question("en")
    assert seen.empty and asked.startswith("Reset sandbox reset-me? Nothing has been done in it yet")
    service.simulate(60, seed=2)
    needs = service.needs()
    needs.add_problem("Суу жок", "ky", service.actor)
    session = needs.add_session("Көк-Талаа", "Аялдар", service.actor)
    needs.set_ranking(session.id, "1", service.actor)
    service.new_draft_hearing()
    questions = len(service.state().questions)
    seen, asked = service.reset_question("en")
    assert (seen.voters, seen.ballots, seen.hearings, seen.needs) == (60, 60 * questions, 1, 3)
    # every question's ballots, said so (beside "60 ballots on question 1" elsewhere it read as a wrong count)
    assert (f"Everything done in it goes: {60 * questions} ballots (all questions together) from 60 registered "
            "voters, 1 hearing made in it, 3 needs assessment entries (problems, sessions, rankings).") in asked
    assert (f"{60 * questions} бюллетеней (все вопросы вместе) от 60 зарегистрированных участников, созданных в ней "
            "слушаний: 1, 3 записи изучения нужд") in service.reset_question("ru")[1]
    assert f"60 катталган катышуучудан {60 * questions} бюллетень (бардык суроолор чогуу)" in service.reset_question("ky")[1]

    service.simulate(60, seed=3)  # phones (here: a second hall) voted after the question was asked
    with pytest.raises(SandboxError) as refused:
        service.reset(seen)
    assert "nothing was reset" in refused.value.render("en")
    assert service.ballots() == 120 and service.kept() is None
    seen, _asked = service.reset_question("en")
    service.reset(seen)
    assert service.ballots() == 0 and not service.needs().problems("en") and service.hall_size == 0
    assert service.state().questions[PICTURE_QUESTION]
    assert service.kept() is not None
    service.restore()  # the workshop back: its ballots, its needs assessment, its hall
    assert service.ballots() == 120 and len(service.needs().problems("en")) == 1 and service.hall_size == 60
    service.close()


@pytest.mark.parametrize("voters", [-5, 0, 59, 351, 1_000_000_000])
def test_a_hall_outside_the_apps_sizes_is_refused_by_name_and_stores_nothing(tmp_path, voters):
    """s23-12: -5 ran 60 voters and 1 000 000 000 ran 350, both stored (the box clamped them without a word)."""
    service = TrainingService(tmp_path)
    service.open("sizes")
    head = service.ws.ledger.head(stream_of(service.sandbox.open_hearing))
    with pytest.raises(SimulationError) as refused:
        service.simulate(voters, seed=1)
    assert refused.value.render("en") == f"Voters: give a number of voters from 60 to 350, not {voters}; nothing was simulated"
    assert refused.value.render("ru").startswith("Избиратели: ") and "от 60 до 350" in refused.value.render("ru")
    assert refused.value.render("ky").startswith("Шайлоочулар: ") and "60" in refused.value.render("ky")
    assert service.ws.ledger.head(stream_of(service.sandbox.open_hearing)) == head and service.hall_size == 0
    service.close()


@pytest.mark.parametrize("voters, seed, read", [
    ("-5", "1", (-5, 1)), ("− 5", "1", (-5, 1)), ("150", "-3", (150, -3)),  # a minus, of any kind: a number
    ("--5", "1", "«--5»"), ("150", "--3", "«--3»"), ("+5", "1", "«+5»"), ("５", "1", "«５»"),  # none
])
def test_the_hall_s_boxes_are_read_by_the_number_reader(voters, seed, read):
    """read_hall stripped minus signs by hand: «--3» was the hall variant -3, «− 5» (a typographic minus) was no
    number while «-5» was -5. The number reader takes one minus of any kind; what it does not read is refused, the
    box named."""
    if isinstance(read, tuple):
        assert TrainingService.read_hall(voters, seed) == read
        return
    with pytest.raises(SimulationError) as refused:
        TrainingService.read_hall(voters, seed)
    field = "Voters" if read.strip("«»") == voters else "Hall variant"
    assert refused.value.render("en").startswith(f"{field}: {read} is not a whole number")


def test_removing_a_sandbox_asks_what_goes_and_needs_the_sandbox_right(tmp_path):
    root = tmp_path / "sandboxes"
    service = TrainingService(root)
    service.open("gone")
    assert service.created
    seen, question = service.remove_question("en")
    assert "Remove sandbox gone for good?" in question
    service.simulate(60, seed=1)
    with pytest.raises(SandboxError):  # it holds more than the trainer was told: nothing removed
        service.remove(seen)
    assert (root / "gone").is_dir() and service.ballots() == 60
    monitor = TrainingService(root, actor=Actor("M", MONITOR))
    monitor.open("gone", create=False)
    assert not monitor.created
    with pytest.raises(NotAllowed):
        monitor.remove(monitor.contents())
    monitor.close()
    assert service.remove(service.contents()) == "gone"
    assert not (root / "gone").exists() and service.sandbox is None and service.sandboxes() == []
