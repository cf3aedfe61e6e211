"""Exports: the Excel workbook and CSV tables hold the count's figures; the .pb file counts the same in pabutools."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, fields
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from pbtools.counting.pabulib import read_pb
from pbtools.counting.ties import TieRule
from pbtools.hearings.fold import CastBallot
from pbtools.hearings.model import MOTION, POINTS
from pbtools.hearings.tally import tally_ballots
from pbtools.i18n import translator
from pbtools.reports.make import write_export
from pbtools.reports.pb import pb_election
from pbtools.results import count_question
from pbtools.results.votes import option_votes
from tests.counting.reference import reference
from tests.reports.conftest import pbtools


@pytest.fixture(scope="module")
def exported(sample, tmp_path_factory):
    from pbtools.storage import open_workspace

    folder = tmp_path_factory.mktemp("exports")
    with open_workspace(sample[0], create=False) as ws:
        return {
            "xlsx": write_export(ws, sample[1], "xlsx", folder / "h.xlsx", "ru"),
            "csv": write_export(ws, sample[1], "csv", folder / "h.zip", "ru"),
            **{q: write_export(ws, sample[1], "pb", folder / f"{q}.pb", question=q) for q in ("q1", "q2", "q3")},
        }


def sheet_rows(path, title) -> list[tuple]:
    return list(load_workbook(path, read_only=True)[title].iter_rows(values_only=True))


def test_workbook_counts_and_allocation_match_the_count(exported, sample_state):
    st, _ = sample_state, translator("ru")
    counts = sheet_rows(exported["xlsx"], _("Counts"))[1:]
    allocation = sheet_rows(exported["xlsx"], _("Allocation"))[1:]
    for q in st.questions.values():
        tally = tally_ballots(q, st.ballots_for(q.id))
        votes = option_votes(st, q.id).total  # the one number: ballots, and hands where the count takes them
        rows = [r for r in counts if r[0] == q.title("ru")]
        if q.kind == MOTION:
            assert [r[4] for r in rows] == [votes[a] for a in ("yes", "no", "abstain")]
            assert [r[5] for r in rows] == [tally[a] for a in ("yes", "no", "abstain")]
            continue
        by_number = {int(r[2]): r for r in rows}
        result = count_question(st, q.id)
        for o in st.options_of(q.id):
            assert by_number[o.number][4] == votes[o.id] and by_number[o.number][5] == tally[o.id]
            assert by_number[o.number][9] == (result.selected.index(o.id) + 1 if o.id in result.selected else None)
        funded = [r for r in allocation if r[0] == q.title("ru")]
        assert [st.options[p].number for p in result.selected] == [r[3] for r in funded]
        assert Decimal(str(funded[-1][6])) == result.total_cost and Decimal(str(funded[-1][7])) == result.budget


def test_workbook_ballots_are_anonymous_and_add_up(exported, sample_state):
    st, _ = sample_state, translator("ru")
    rows = sheet_rows(exported["xlsx"], _("Ballots"))
    header, body = rows[0], rows[1:]
    column = {name: i for i, name in enumerate(header)}
    for q in st.questions.values():
        mine = [r for r in body if r[0] == q.title("ru")]
        assert len(mine) == len(st.ballots_for(q.id))
        if q.kind == POINTS:
            tally = tally_ballots(q, st.ballots_for(q.id))
            for o in st.options_of(q.id):
                assert sum(r[column[f"№{o.number}"]] or 0 for r in mine) == tally[o.id]
    cells = {str(c) for r in body for c in r}
    actors = {b.actor for b in st.ballots.values()}
    assert not actors & cells  # no clerk, tablet or code in the ballots sheet


def test_participants_sheet_adds_up(exported, sample_state):
    _ = translator("ru")
    rows = sheet_rows(exported["xlsx"], _("Participants"))[1:]
    c = sample_state.counters
    for grouping in (_("Age group"), _("Village"), _("Category")):
        mine = [r for r in rows if r[0] == grouping]
        assert sum(r[2] for r in mine) == c.total and sum(r[3] for r in mine) == c.women and sum(r[4] for r in mine) == c.men


def test_the_hearing_s_day_is_a_date_cell_shown_as_the_language_writes_days(exported, sample_state):
    """It was ISO text on a Russian workbook; the CSV keeps the day ISO (a machine reads it)."""
    from datetime import datetime

    _ = translator("ru")
    sheet = load_workbook(exported["xlsx"])[_("Hearing")]
    (day,) = [value for field, value in sheet.iter_rows(min_row=2) if field.value == _("Date")]
    assert isinstance(day.value, datetime) and day.value.date().isoformat() == sample_state.hearing.date
    assert day.number_format == "dd.mm.yyyy"
    with zipfile.ZipFile(exported["csv"]) as z:
        rows = list(csv.reader(io.StringIO(z.read("hearing.csv").decode("utf-8-sig"))))
    assert [_("Date"), sample_state.hearing.date] in rows


def test_csv_zip_holds_the_same_tables(exported):
    _ = translator("ru")
    with zipfile.ZipFile(exported["csv"]) as z:
        names = set(z.namelist())
        assert {"options.csv", "counts.csv", "participants.csv", "allocation.csv", "ballots.csv", "breakdowns.csv"} <= names
        text = z.read("counts.csv").decode("utf-8-sig")
    from_csv = list(csv.reader(io.StringIO(text)))
    from_xlsx = sheet_rows(exported["xlsx"], _("Counts"))
    assert from_csv == [["" if v is None else str(v) for v in row] for row in from_xlsx]


CASES = [("q1", "greedy"), ("q1", "mes"), ("q1", "phragmen"), ("q2", "greedy"), ("q2", "mes"), ("q3", "greedy")]


@pytest.mark.parametrize("question,rule", CASES)
def test_pb_export_counts_the_same_in_pabutools(exported, sample_state, question, rule):
    st = sample_state
    q = st.questions[question]
    ours = count_question(st, question, rule=rule, tie_rule=TieRule("lexicographic"))  # pabutools breaks ties by id
    theirs = reference(exported[question], rule, ours.score)
    assert (sorted(theirs) if rule == "phragmen" else theirs) == (sorted(ours.selected) if rule == "phragmen" else list(ours.selected))
    election = read_pb(exported[question])
    assert len(election.ballots) == len(st.ballots_for(question))
    assert {p.id: p.cost for p in election.projects} == {o.id: o.cost for o in st.options_of(question)}
    assert election.vote_type == {"approval": "approval", "points": "cumulative", "ranking": "ordinal"}[q.kind]


@pytest.mark.parametrize("question", ["q1", "q2", "q3"])
def test_pb_export_says_what_the_hearing_funded_and_a_recount_of_it_agrees(exported, sample_state, question):
    """The export had no ``selected`` column (the Pabulib app showed no official outcome to compare with) and only the
    Kyrgyz names (new-user trial s27 M2)."""
    from pbtools.results import pabulib as pb

    st = sample_state
    funded = count_question(st, question).selected
    election = read_pb(exported[question])
    assert set(pb.facts(election).official) == set(funded) and funded
    assert set(pb.count_file(election).selected) == set(funded)  # the file's rule and threshold: the hearing's outcome
    names = {o.id: o.titles for o in st.options_of(question)}
    for p in election.projects:  # the file's name_ru and name_en columns read as the names in ru and en (s27 note)
        assert tuple(p.name(lang) for lang in ("ky", "ru", "en")) == tuple(names[p.id][k] for k in ("ky", "ru", "en"))
        assert p.name("") == names[p.id]["ky"] and not {"name_ru", "name_en"} & set(p.attributes)
    assert ";name;category;district;name_en;name_ru;" in exported[question].read_text(encoding="utf-8")  # as pabulib names them


@dataclass(frozen=True)
class LinkedBallot(CastBallot):
    """A ballot that names its participant (as phone voting after registration does)."""

    participant: int = 0


def test_pb_voters_carry_sex_age_and_village_as_district(sample_state):
    st = sample_state
    people = sorted(st.participants)
    linked = {}
    for i, (seq, cast) in enumerate(sorted(st.ballots.items())):
        linked[seq] = LinkedBallot(**{f.name: getattr(cast, f.name) for f in fields(CastBallot)}, participant=people[i % len(people)])
    original, st.ballots = st.ballots, linked
    try:
        election = pb_election(st, "q1")
    finally:
        st.ballots = original
    for ballot in election.ballots:
        person = st.participants[linked[int(ballot.voter_id)].participant]
        assert ballot.voter == {"sex": person.sex, "age": person.age, "district": person.village, "category": person.category}


def test_export_command(sample, sample_state, tmp_path):
    ws = ("--workspace", str(sample[0]))
    several = pbtools("export", sample[1], "--format", "pb", "--out", str(tmp_path / "x.pb"), "--lang", "ru", *ws)
    assert several.returncode == 0, several.stderr
    _ = translator("ru")
    countable = [q.id for q in sample_state.questions.values() if q.kind != MOTION]
    paths = [tmp_path / f"x-{q}.pb" for q in countable]
    assert several.stdout.splitlines() == [_("The hearing has {n} questions with options: one Pabulib file for each", n=len(paths))] + [
        _("Export written to {path}", path=path) for path in paths]
    for q, path in zip(countable, paths):  # each file is its own question's election
        assert read_pb(path).meta["instance"] == f"{sample[1]}/{q}"
    assert not (tmp_path / "x.pb").exists()
    zipped = pbtools("export", sample[1], "--format", "csv", "--out", str(tmp_path / "t.csv"), "--lang", "ky", *ws)
    assert zipped.returncode == 0, zipped.stderr
    assert zipped.stdout.splitlines()[0] == translator("ky")(
        "CSV tables are written as a zip of CSV files, so the file is named {path}", path=tmp_path / "t.zip")
    assert zipfile.is_zipfile(tmp_path / "t.zip") and not (tmp_path / "t.csv").exists()
    done = pbtools("export", sample[1], "--format", "pb", "--question", "q2", "--out", str(tmp_path / "q2.pb"), *ws)
    assert done.returncode == 0, done.stderr
    assert read_pb(tmp_path / "q2.pb").vote_type == "cumulative"
    audit = pbtools("export", sample[1], "--format", "audit", "--out", str(tmp_path / "a.jsonl"), *ws)
    assert audit.returncode == 0 and pbtools("verify", str(tmp_path / "a.jsonl")).returncode == 0


def test_pb_vote_types_of_single_choice_and_knapsack_count_the_same_in_pabutools(tmp_path):
    from pbtools.hearings.model import Participant
    from pbtools.hearings.store import state
    from pbtools.reports.errors import ReportError
    from pbtools.storage import open_workspace
    from tests.hearings.conftest import build

    with open_workspace(tmp_path / "ws") as ws:
        store = build(ws)  # budget 1 000 000; costs 400, 250, 600, 150, 300 thousand
        for i, (one, fit) in enumerate([("1", "1 2"), ("3", "3 4"), ("3", "2 4 5"), ("2", "1 4"), ("5", "5"), ("1", "2")]):
            store.register(Participant("fm"[i % 2], "30_44", "Ак-Суу"), actor="door")
            store.cast_typed("single", one, actor="clerk")
            store.cast_typed("knapsack", fit, actor="clerk")
        st = state(ws, "h1")
        for question, vote_type in (("single", "choose-1"), ("knapsack", "approval")):
            out = write_export(ws, "h1", "pb", tmp_path / f"{question}.pb", question=question)
            assert read_pb(out).vote_type == vote_type
            ours = count_question(st, question, rule="greedy", score="support", tie_rule=TieRule("lexicographic"))
            assert reference(out, "greedy", "support") == list(ours.selected)
        with pytest.raises(ReportError) as refused:
            write_export(ws, "h1", "pb", tmp_path / "motion.pb", question="motion")
        assert "single" in refused.value.render("ky") and not (tmp_path / "motion.pb").exists()


def test_pb_districts_of_projects_and_voters_match_however_the_agenda_named_villages(ws, sample_state):
    from dataclasses import replace as copy

    st, m = sample_state, ws.municipality()
    by_name = {v.name("ky"): v for v in m.villages}
    original = dict(st.options)
    st.options = {oid: copy(o, village=by_name[o.village].id) if o.village in by_name else o for oid, o in original.items()}
    try:  # the agenda named villages by id ("kok-talaa"), as a projects file may
        assert any(o.village not in by_name for o in st.options.values() if o.village)
        election = pb_election(st, "q1", m)
    finally:
        st.options = original
    districts = {p.area for p in election.projects if p.area}
    assert districts and districts <= set(by_name)  # Kyrgyz names, as the hearing stores its villages
    assert {b.voter.get("district") for b in election.ballots} - {None} <= set(by_name)
