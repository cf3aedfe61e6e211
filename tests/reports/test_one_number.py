"""One number per option, everywhere: one hearing with paper ballots and a show of hands on a greedy question,
and an Equal Shares question that refuses hands up front; the same per-option votes and the same funded options
on the board, the groups breakdown and chart, the protocol, the xlsx and csv exports, the .pb export recounted,
and ``pbtools verify`` of the audit file."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from pbtools.hearings.errors import HearingError
from pbtools.hearings.model import APPROVAL, MOTION, PB_VOTE, Ballot, Hearing, Option, Participant, Question
from pbtools.hearings.store import create_hearing
from pbtools.storage import open_workspace

ROOT = Path(__file__).resolve().parents[2]
COSTS = {"a": 500_000, "b": 300_000, "c": 250_000, "d": 400_000}
PAPER = [("f", ("a", "b")), ("f", ("b",)), ("m", ("c", "d")), ("m", ("a",)), ("f", ("d",)), ("", ("b", "c"))]
HANDS = {"f": {"c": 7, "d": 1}, "m": {"c": 3, "a": 2}}  # by sex, on the greedy question


@pytest.fixture
def hearing(tmp_path):
    with open_workspace(tmp_path / "ws") as ws:
        s = create_hearing(ws, Hearing("h1", "Ак-Суу айыл аймагы", PB_VOTE, "2026-05-14", villages=("Ак-Суу",),
                                       budget=Decimal(1_000_000)), actor="secretary")
        s.add_options([Option(o, n, {"ky": f"Долбоор {o}", "ru": f"Проект {o}", "en": f"Project {o}"}, Decimal(c))
                       for n, (o, c) in enumerate(COSTS.items(), start=1)], actor="secretary")
        ids = tuple(COSTS)
        s.define_question(Question("g", APPROVAL, {"en": "Greedy", "ru": "Жадный", "ky": "Ач көз"}, ids, max_choices=2), actor="f")
        s.define_question(Question("m", APPROVAL, {"en": "Shares", "ru": "Доли", "ky": "Үлүштөр"}, ids, max_choices=2, rule="mes"), actor="f")
        s.define_question(Question("mo", MOTION, {"en": "Send to the council"}), actor="f")
        s.open(actor="chair")
        for sex in "ffffffmmmmmm":
            s.register(Participant(sex, "30_44", "Ак-Суу"), actor="door")
        for question in ("g", "m"):
            for sex, marks in PAPER:
                s.cast(question, Ballot(tuple((o, 1) for o in marks)), actor="clerk", voter={"sex": sex} if sex else None)
        s.enter_count("g", HANDS, actor="commission", group_by="sex")
        s.enter_count("mo", {"all": {"yes": 9, "no": 2}}, actor="commission")
        yield ws, s


def expected(question: str, with_hands: bool) -> dict[str, int]:
    """The reference, from the figures typed above: each ballot's marks, plus the hands where they count."""
    votes = Counter(dict.fromkeys(COSTS, 0))
    for _sex, marks in PAPER:
        votes.update(marks)
    if with_hands:
        for per_option in HANDS.values():
            votes.update(per_option)
    return dict(votes)


@pytest.mark.parametrize("lang, words", [("en", "whole ballot"), ("ru", "бюллетен"), ("ky", "бюллетен")])
def test_equal_shares_refuses_a_show_of_hands_before_anything_is_stored(hearing, lang, words):
    ws, s = hearing
    head = ws.ledger.head(s.stream)
    with pytest.raises(HearingError) as refused:
        s.enter_count("m", {"all": {"a": 5}}, actor="commission")
    text = " ".join(p.render(lang) for p in refused.value.problems)
    assert words in text.lower() and ("Доли" if lang == "ru" else "Үлүштөр" if lang == "ky" else "Shares") in text
    assert ws.ledger.head(s.stream) == head and s.refresh().counts_for("m") == []


def test_every_view_shows_the_same_votes_per_option(hearing, tmp_path):
    from openpyxl import load_workbook

    from pbtools.charts.results import groups_chart
    from pbtools.counting import count
    from pbtools.counting.pabulib import read_pb
    from pbtools.counting.tallies import option_counts
    from pbtools.counting.ties import TieRule
    from pbtools.results.election import rule_of, tie_rule_of
    from pbtools.reports.audit import write_audit
    from pbtools.reports.pb import write_pb_export
    from pbtools.reports.protocol import build_protocol
    from pbtools.reports.workbook import workbook_sheets, write_csv_zip, write_xlsx
    from pbtools.results.board import snapshot
    from pbtools.results.groups import GROUPINGS, breakdown

    ws, s = hearing
    st = s.refresh()
    for q, with_hands in (("g", True), ("m", False)):
        want = expected(q, with_hands)
        board = snapshot(st, q, hidden=False)
        assert board.tally == want, q
        funded = list(board.result.selected)
        for by in GROUPINGS:  # the groups add up to the board's votes, whatever the grouping
            total = Counter()
            for g in breakdown(st, q, by):
                total.update(g.tally)
            assert {k: total[k] for k in COSTS} == want, (q, by)
        # the groups chart writes "votes of size" on each bar: summed over the groups, the board's votes
        chart = groups_chart(st, q, breakdown(st, q, "sex"), "sex", "en")
        options = list(reversed(st.questions[q].options))  # drawn bottom-up, one label per option and group
        drawn = Counter(dict.fromkeys(COSTS, 0))
        texts = [t.get_text() for t in chart.axes[0].texts]
        per_group = len(options)
        for i, text in enumerate(texts):
            drawn[options[i % per_group]] += int(text.split(" of ")[0].replace("\u202f", "").replace("\xa0", ""))
        assert dict(drawn) == want, q
        for lang in ("en", "ru", "ky"):  # the protocol's results table: the votes column
            doc = build_protocol(st, lang, charts=False)
            (table,) = [b for b in doc.blocks if getattr(b, "id", "") == f"results-{q}"]
            rows = [r for r in table.rows if r[0]]
            assert {o: int(r[2].replace("\xa0", "").replace(" ", "")) for o, r in zip(COSTS, rows)} == want, (q, lang)
            marked = [o for o, r in zip(COSTS, rows) if r[-1] != "—"]
            assert sorted(marked) == sorted(funded)
            # the share column is of ballots only: where hands are in the votes, its header says they are not in it
            from pbtools.i18n import translator
            _ = translator(lang)
            assert table.header[3] == (_("Share of ballots (hands not included)") if with_hands else _("Share of ballots")), (q, lang)
        # xlsx and csv: the "Votes or points" column
        sheets = workbook_sheets(st, "en")
        xlsx = write_xlsx(sheets, tmp_path / "h.xlsx")
        book = load_workbook(xlsx)
        counts = [row for row in book["Counts"].iter_rows(min_row=2, values_only=True) if row[0] == st.questions[q].title("en")]
        assert {o: row[4] for o, row in zip(COSTS, counts)} == want
        zipped = write_csv_zip(sheets, tmp_path / "h.zip")
        with zipfile.ZipFile(zipped) as z:
            rows = list(csv.reader(io.StringIO(z.read("counts.csv").decode("utf-8-sig"))))
        assert {o: int(r[4]) for o, r in zip(COSTS, [r for r in rows[1:] if r[0] == st.questions[q].title("en")])} == want
        # the .pb export, read back and recounted as anyone else would
        pb = write_pb_export(st, tmp_path / f"{q}.pb", q)
        election = read_pb(pb)
        assert {p: c.votes for p, c in option_counts(election, by=()).items()} == want
        kind, seed = tie_rule_of(st.questions[q])
        assert list(count(election, rule_of(st.questions[q]), tie_rule=TieRule(kind, seed)).selected) == funded
    # verify, from the audit file alone, as a user runs it
    audit = write_audit(ws, "h1", tmp_path / "h1.audit.jsonl")
    done = subprocess.run([sys.executable, "-m", "pbtools", "verify", str(audit), "--open", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    out = json.loads(done.stdout)
    by_id = {item["id"]: item for item in out["questions"]}
    for q, with_hands in (("g", True), ("m", False)):
        assert by_id[q]["votes"] == expected(q, with_hands)
        assert by_id[q]["result"]["selected"] == list(snapshot(st, q, hidden=False).result.selected)
    assert by_id["mo"]["votes"]["yes"] == 9 and by_id["g"]["hands_counted"] is True
    text = subprocess.run([sys.executable, "-m", "pbtools", "verify", str(audit), "--open", "--lang", "en"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300).stdout
    lines = [line.split() for line in text.splitlines() if re.match(r"^ +\d+  №\d Project", line)]
    assert [int(line[0]) for line in lines] == [*expected("g", True).values(), *expected("m", False).values()]


def test_hands_in_an_older_ledger_of_an_equal_shares_question_are_added_nowhere(hearing):
    """A ledger written before hands were refused: the figures are listed apart as not counted, and no view adds them."""
    from pbtools.reports.voting import question_blocks, question_reports
    from pbtools.reports.workbook import workbook_sheets
    from pbtools.results.board import snapshot
    from pbtools.results.groups import breakdown

    _ws, s = hearing
    st = s.refresh()
    st.questions["g"] = replace(st.questions["g"], rule="mes")  # as if the count was entered under Equal Shares
    want = expected("g", with_hands=False)
    assert snapshot(st, "g", hidden=False).tally == want
    total = Counter()
    for g in breakdown(st, "g", "sex"):
        total.update(g.tally)
    assert {k: total[k] for k in COSTS} == want
    (report,) = [r for r in question_reports(st) if r.question.id == "g"]
    assert report.votes == want and report.hands_counted is False
    table = next(b for b in question_blocks(st, report, 1, "en", charts=False) if getattr(b, "id", "") == "results-g")
    assert "Show of hands (not counted)" in table.header
    counts = next(sh for sh in workbook_sheets(st, "en") if sh.key == "counts")
    rows = [r for r in counts.rows if r[0] == "Greedy"]
    assert [r[4] for r in rows] == [want[o] for o in COSTS] and rows[2][8] == 10  # c: 7 + 3 hands, not counted
