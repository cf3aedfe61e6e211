"""The voting part of a protocol: for each question its ballot, counting and tie rules, the results table, the
allocation chart, the ties and how they were broken, invalid and voided ballots, show-of-hands counts, and a
warning when there were more ballots than registered participants (``pbtools.hearings.turnout``), and one for each
double-entry pile whose two entries still differ (a draft printed before closing: its entry 1 is what is counted).

``question_reports(state)`` gathers the figures (tallies from ``pbtools.hearings.tally``, the outcome from
``pbtools.results``); ``question_blocks`` writes them as document blocks in one language.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pbtools.counting.names import RULE_NAMES
from pbtools.fmt import money, number, percent
from pbtools.hearings.double_entry import dispute_note, disputes
from pbtools.hearings.entry import format_ballot
from pbtools.hearings.fold import CastBallot, HearingState
from pbtools.hearings.model import (
    ANSWERS, APPROVAL, BLANK, INVALID, MOTION, NO, POINTS, RANKING, SPOILED, YES, Option, Question, label,
)
from pbtools.hearings.records import reason_text
from pbtools.hearings.tally import first_preferences, tally_ballots, tally_counts
from pbtools.hearings.turnout import Turnout, turnout
from pbtools.i18n import N_, gettext, plural_translator, translator
from pbtools.reports.document import Fields, Heading, Image, Items, Paragraph, Table
from pbtools.results.count import count_question, how_counted
from pbtools.results.election import ResultsError
from pbtools.results.votes import option_votes

TIE_RULES = {
    "field": N_("The cheaper option first, then the one with more votes, then by lot (seed {seed})"),
    "lexicographic": N_("By option identifier"),
}
SCORES = {"support": N_("the number of votes"), "points": N_("the points given"), "borda": N_("Borda points (rank)")}
CHANNELS = {"paper": N_("paper ballots"), "code": N_("with a voting code"), "phone": N_("by phone")}


@dataclass(frozen=True)
class VoidedBallot:
    seq: int  # the ledger record, for an audit
    number: int  # the ballot's number as the clerk saw it stored
    ballot: Any  # model.Ballot: what was typed (an invalid one: answer spoiled/blank)
    reason: str  # as stored: an app's reason key or the words typed

    def text(self, question: Question, options: dict[str, Option], lang: str) -> str:
        _ = translator(lang)
        if self.ballot.answer in INVALID:
            what = _("invalid ballot {n} ({why})", n=self.number, why=label(self.ballot.answer, lang))
        else:
            shown = label(self.ballot.answer, lang) if question.kind == MOTION else format_ballot(question, options, self.ballot)
            what = _("ballot {n} ({ballot})", n=self.number, ballot=shown)
        return _("{what}, record {seq}: {reason}", what=what, seq=self.seq, reason=reason_text(self.reason, lang))


def _voided(st: HearingState, casts: list[CastBallot]) -> list[VoidedBallot]:
    return [VoidedBallot(b.seq, st.number_when_cast(b), b.ballot, st.voids[b.seq].reason) for b in casts]


@dataclass
class QuestionReport:
    question: Question
    options: dict[str, Option]  # the question's options by id, in ballot-number order
    ballots: int  # counted ballots
    channels: Counter  # "paper"/"code"/"phone" -> ballots
    voided: list[VoidedBallot]  # voided ballots, invalid ones too, by record
    tally: dict[str, int]  # option id (or yes/no/abstain) -> votes or points from ballots
    first: dict[str, int] = field(default_factory=dict)  # ranking: first preferences
    hands: dict[str, dict[str, int]] = field(default_factory=dict)  # show of hands: group -> key -> n ("total" too)
    result: Any = None  # pbtools.counting Result of the question (None: motion, or nothing to count)
    problem: Any = None  # Msg: why the question could not be counted
    invalid: Counter = field(default_factory=Counter)  # spoiled/blank -> invalid paper ballots (never counted)
    turnout: Turnout | None = None  # ballots against registrations (its warning printed when there are too many)
    votes: dict[str, int] = field(default_factory=dict)  # the one number per option: ballots + hands counted
    hands_counted: bool = True  # the hands are votes of this question's count (greedy, a motion)
    disputes: list = field(default_factory=list)  # Msg per double-entry pile whose entries differ (not settled)

    @property
    def motion_adopted(self) -> bool | None:
        """A motion passes with more yes than no (ballots and hands together); None when nobody voted."""
        if self.question.kind != MOTION:
            return None
        yes, no = self.votes.get(YES, 0), self.votes.get(NO, 0)
        return None if yes + no == 0 else yes > no


def question_reports(st: HearingState) -> list[QuestionReport]:
    reports = []
    disputed = disputes(st)  # every pile once (each question's are picked out below)
    for q in st.questions.values():
        casts = st.ballots_for(q.id)
        report = QuestionReport(
            q, {o.id: o for o in st.options_of(q.id)}, len(casts), Counter(c.channel for c in casts),
            _voided(st, st.voided_ballots_for(q.id)), tally_ballots(q, casts),
            first_preferences(q, casts) if q.kind == RANKING else {},
            tally_counts(q, st.counts_for(q.id)) if st.counts_for(q.id) else {},
            invalid=Counter(b.ballot.answer for b in st.invalid_for(q.id)), turnout=turnout(st, q.id),
            disputes=[dispute_note(st, d) for d in disputed if d.question == q.id],
        )
        votes = option_votes(st, q.id)
        report.votes, report.hands_counted = votes.total, votes.hands_counted
        if q.kind != MOTION and (casts or report.hands):
            try:
                report.result = count_question(st, q.id)
            except ResultsError as e:
                report.problem = e.message
        reports.append(report)
    return reports


def ballot_text(q: Question, lang: str) -> str:
    """The ballot kind and its limit, e.g. "approval; up to 3 options"."""
    _, _n = translator(lang), plural_translator(lang)
    text = label(q.kind, lang)
    if q.kind == APPROVAL:
        text += "; " + _n("up to {n} option", "up to {n} options", q.max_choices)
    elif q.kind == RANKING:
        text += "; " + _("the top {k} in order", k=q.max_choices)
    elif q.kind == POINTS:
        text += "; " + _n("{n} point per voter", "{n} points per voter", q.points)
    return text


def _invalid_text(r: QuestionReport, lang: str) -> str:
    """e.g. "3 (spoiled: 2, blank: 1)": invalid ballots are reported, never counted for an option."""
    total = sum(r.invalid.values())
    if not total:
        return number(0, lang)
    parts = ", ".join(f"{label(why, lang).lower()}: {number(r.invalid[why], lang)}" for why in (SPOILED, BLANK) if r.invalid[why])
    return f"{number(total, lang)} ({parts})"


def _fields(r: QuestionReport, lang: str) -> Fields:
    _ = translator(lang)
    channels = ", ".join(gettext(lang, CHANNELS.get(k, k)) + ": " + number(n, lang) for k, n in sorted(r.channels.items()))
    rows = [(_("Ballot"), ballot_text(r.question, lang)),
            (_("Ballots counted"), number(r.ballots, lang) + (f" ({channels})" if channels else "")),
            (_("Invalid ballots"), _invalid_text(r, lang)),
            (_("Ballots voided"), number(len(r.voided), lang))]
    if r.result is not None and r.question.choose_one:  # alternatives: no budget is shared, one option is chosen
        res = r.result
        rows += [(_("Counting rule"), how_counted(r.question, res.rule).render(lang)),
                 (_("Tie rule"), gettext(lang, TIE_RULES.get(res.tie_rule.kind, res.tie_rule.kind)).format(seed=res.tie_rule.seed))]
    elif r.result is not None:
        res = r.result
        rows += [(_("Counting rule"), gettext(lang, RULE_NAMES.get(res.rule, res.rule))),
                 (_("What is counted"), gettext(lang, SCORES.get(res.score, res.score))),
                 (_("Tie rule"), gettext(lang, TIE_RULES.get(res.tie_rule.kind, res.tie_rule.kind)).format(seed=res.tie_rule.seed)),
                 (_("Budget"), money(res.budget, lang))]
    return Fields(tuple(rows))


def _results_table(r: QuestionReport, lang: str) -> Table:
    _ = translator(lang)
    q = r.question
    if q.kind == MOTION:
        hands = r.hands.get("total", {})
        rows = tuple((label(a, lang), number(r.tally.get(a, 0), lang), number(hands.get(a, 0), lang),
                      number(r.tally.get(a, 0) + hands.get(a, 0), lang)) for a in ANSWERS)
        return Table((_("Answer"), _("Ballots"), _("Show of hands"), _("Total")), rows, (False, True, True, True),
                     (4, 2, 2, 2), id=f"results-{q.id}")
    selected = set(r.result.selected) if r.result is not None else set()
    base = sum(r.tally.values()) if q.kind == POINTS else r.ballots  # shares of points given, or of ballots
    votes = _("Points") if q.kind == POINTS else _("Votes")
    # counted hands are in the votes but not in the share of ballots: said, or "3 votes, 0 %" reads as an error
    share = (_("Share of points") if q.kind == POINTS else _("Share of ballots (hands not included)") if r.hands and r.hands_counted
             else _("Share of ballots"))
    header = [_("No."), _("Option"), votes, share]
    if q.kind == RANKING:
        header.append(_("First preferences"))
    if r.hands:  # the votes column counts them (greedy), or they are listed apart, never added (Equal Shares)
        header.append(_("Of which show of hands") if r.hands_counted else _("Show of hands (not counted)"))
    choice = q.choose_one  # alternatives (tariffs): "chosen", and no cost of their own to show or add up
    header += [_("Chosen")] if choice else [_("Cost"), _("Funded")]
    rows = []
    for o in r.options.values():
        n = r.tally.get(o.id, 0)  # on ballots: what the share of ballots is made of
        row = [str(o.number), o.title(lang), number(r.votes.get(o.id, n), lang), percent(Decimal(n) / base, lang) if base else "—"]
        if q.kind == RANKING:
            row.append(number(r.first.get(o.id, 0), lang))
        if r.hands:
            row.append(number(r.hands.get("total", {}).get(o.id, 0), lang))
        if choice:
            row.append(_("chosen") if o.id in selected else "—")
        else:
            row += [money(o.cost, lang), _("funded") if o.id in selected else "—"]
        rows.append(tuple(row))
    if choice:
        numeric = tuple(i == 0 or 2 <= i < len(header) - 1 for i in range(len(header)))
        return Table(tuple(header), tuple(rows), numeric, tuple([1, 8] + [2] * (len(header) - 3) + [2]), id=f"results-{q.id}")
    if r.result is not None:
        pad = [""] * (len(header) - 4)
        funded = _("Funded in total: {n} options", n=number(len(selected), lang))  # the count named, not a bare number
        rows.append(("", funded, *pad, money(r.result.total_cost, lang), ""))
    numeric = tuple(i == 0 or 2 <= i < len(header) - 1 for i in range(len(header)))
    widths = tuple([1, 6] + [2] * (len(header) - 4) + [3, 2])
    return Table(tuple(header), tuple(rows), numeric, widths, total=r.result is not None, id=f"results-{q.id}")


def _hands_table(r: QuestionReport, lang: str) -> Table | None:
    groups = [g for g in r.hands if g not in ("total", "all")]
    if not groups:
        return None
    _ = translator(lang)
    keys = list(ANSWERS) if r.question.kind == MOTION else list(r.options)
    names = {k: label(k, lang) for k in ANSWERS} | {o.id: f"№{o.number} {o.title(lang)}" for o in r.options.values()}
    group_names = [label(g, lang) for g in groups]
    rows = tuple((names[k], *(number(r.hands[g].get(k, 0), lang) for g in groups), number(r.hands["total"].get(k, 0), lang))
                 for k in keys)
    return Table((_("Show of hands"), *group_names, _("Total")), rows, (False,) + (True,) * (len(groups) + 1),
                 (5,) + (2,) * (len(groups) + 1), id=f"hands-{r.question.id}")


def allocation_png(st: HearingState, r: QuestionReport, lang: str) -> bytes:
    """The votes per option over the budget bar filled by the funded options (the board's picture)."""
    from pbtools.charts.results import board_chart  # here, not at the top: matplotlib costs ~0.6-1 s to import

    buffer = io.BytesIO()
    board_chart(st, r.question.id, r.votes, r.result, lang).savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def question_blocks(st: HearingState, r: QuestionReport, index: int, lang: str, charts: bool = True) -> list:
    _ = translator(lang)
    blocks: list = [Heading(_("Question {n}: {title}", n=index, title=r.question.title(lang)), level=2), _fields(r, lang)]
    if r.turnout is not None and r.turnout.warning is not None:
        blocks.append(Paragraph(r.turnout.warning.render(lang), bold=True))
    blocks += [Paragraph(note.render(lang), bold=True) for note in r.disputes]
    if r.ballots or r.hands or r.question.kind == MOTION:
        blocks.append(_results_table(r, lang))
    hands = _hands_table(r, lang)
    if hands is not None:
        blocks.append(hands)
    if r.problem is not None:
        blocks.append(Paragraph(r.problem.render(lang)))
    if r.result is not None:
        choice = r.question.choose_one  # no budget was allocated: no allocation chart, no funding steps
        if charts and r.result.selected and not choice:
            blocks.append(Image(allocation_png(st, r, lang), _("Allocation of the budget")))
        blocks += [Paragraph(note.render(lang)) for note in r.result.options.get("notes", ())]
        if r.result.steps and not choice:
            blocks += [Paragraph(_("How the options were chosen, step by step"), bold=True), Items(tuple(r.result.explain(lang)))]
        ties = [t.message.render(lang) for t in r.result.ties]
        blocks.append(Paragraph(_("Ties and how they were broken"), bold=True))
        blocks.append(Items(tuple(ties)) if ties else Paragraph(_("There was no tie.")))
    if r.voided:
        blocks.append(Paragraph(_("Voided ballots"), bold=True))
        # reasons the app gives are stored as keys (or, in older ledgers, as English text): printed translated
        blocks.append(Items(tuple(v.text(r.question, r.options, lang) for v in r.voided)))
    return blocks
