"""Settling a double-entry difference: what the paper ballot really says replaces what was typed wrong.

Two clerks type the same pile (entry 1 is counted, entry 2 checks it). Where they differ, someone looks at the
paper ballot and types it once more; each entry that differs from it is voided (never deleted: a void record
with who, when and why) and the right ballot is stored at the same position, so the entries then agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pbtools.hearings import records as R
from pbtools.hearings.casting import CastItem, Receipt
from pbtools.hearings.entry import Difference, compare_entries, parse_entry, same_ballot
from pbtools.hearings.errors import HearingError
from pbtools.hearings.fold import CastBallot, HearingState
from pbtools.hearings.model import OPEN, question_title
from pbtools.hearings.writes import HearingWriter, record_kind, refusal
from pbtools.i18n import N_, Msg, NMsg
from pbtools.roles import HEARING, signed
from pbtools.storage import Entry, LedgerError


def correct(store: HearingWriter, question_id: str, pile: str, position: int, text: str, actor: str,
            reason: str = R.DOUBLE_ENTRY_FIX) -> list[Receipt]:
    """Make ballot ``position`` of ``pile`` read ``text`` in both entries; returns the receipts of the ballots
    written (none when both already read so). All records go in one transaction: after a crash either the old
    ballots or the corrected ones are there. Raises ``HearingError`` and changes nothing if ``text`` is not a
    valid ballot or the pile has nothing at that position."""
    st = store.require(OPEN)
    question = st.questions.get(question_id)
    if question is None:
        raise HearingError(Msg(N_("There is no question {id}"), id=question_id))
    ballot, problems = parse_entry(question, st.options, text)
    if ballot is None:
        raise HearingError(problems)
    at = {entry: next((b for b in st.pile(pile, entry) if b.position == position and b.question == question_id), None)
          for entry in (1, 2)}
    if at[1] is None and at[2] is None:
        raise HearingError(Msg(N_("Pile {pile} has no ballot {position}"), pile=pile, position=position))
    wrong = {entry for entry, old in at.items() if old is None or not same_ballot(old.ballot, ballot)}
    if not wrong:
        return []
    gone = {at[e].seq for e in wrong if at[e] is not None}
    # checked as if the ballots it replaces were already voided, so their positions are free
    free = replace(st, ballots={s: b for s, b in st.ballots.items() if s not in gone},
                   invalid={s: b for s, b in st.invalid.items() if s not in gone},
                   checks={s: b for s, b in st.checks.items() if s not in gone})
    name = signed(actor, HEARING)  # the role checked before anything is written
    entries, items = [], []
    for entry in sorted(wrong):
        old, other = at[entry], at[3 - entry]
        if old is not None:
            entries.append(Entry(R.RECORD_VOIDED, {}, name, voids=old.seq, reason=reason))
        group = old.voter if old is not None else (other.voter if other is not None else None)  # the pile's group
        item = CastItem(question_id, ballot, name, "paper", pile=pile, entry=entry, position=position, voter=group)
        payload, key = store.prepare(free, item, {})  # raises before anything is written
        entries.append(Entry(record_kind(ballot), payload, name, key))  # the paper may be invalid ("0")
        items.append((len(entries) - 1, item))
    # no new ballot without its void; decided on the state read above (``HearingWriter.decided``)
    written = store.ws.ledger.append_many(store.stream, entries, all_or_nothing=True, check=store.decided())
    store.refresh()  # a stream replaced underneath: read again from its start
    for outcome, entry in zip(written, entries):
        if isinstance(outcome, LedgerError):  # e.g. another screen voided that ballot a moment ago
            raise refusal(outcome, entry.key, entry.voids)
    return store.receipts([(written[i], item) for i, item in items])


def _entries(st: HearingState, pile: str) -> list[dict[int, CastBallot]]:
    return [{b.position: b for b in st.pile(pile, entry)} for entry in (1, 2)]


def _compared(entries: list[dict[int, CastBallot]]) -> list[Difference]:
    size = max((max(e, default=0) for e in entries), default=0)
    first, second = ([e[i].ballot if i in e else None for i in range(1, size + 1)] for e in entries)
    return compare_entries(first, second)


def differences(st: HearingState, pile: str) -> list[Difference]:
    """Ballot positions where the two clerks who typed ``pile`` differ (both entries, voids applied), a ballot only
    one of them typed included."""
    return _compared(_entries(st, pile))


@dataclass(frozen=True)
class Dispute:
    """A double-entry pile whose two entries still differ, for one question: the ballots (their places in the pile)
    not settled yet."""

    question: str
    pile: str
    positions: tuple[int, ...]


def disputes(st: HearingState, question_id: str | None = None) -> list[Dispute]:
    """Every pile (of ``question_id``, or of any question) whose two entries differ somewhere, by question then
    pile. A pile is settled when the compare finds nothing: corrected from the paper (``correct``), or a wrong
    ballot voided and typed again. Hearings without double entry have none. Ballots entry 1 has past the last one
    entry 2 has typed are not differences yet: entry 2 is still being typed (or was never typed: a pile typed once)."""
    piles = sorted({b.pile for source in (st.ballots, st.invalid, st.checks) for b in source.values() if b.pile})
    found: dict[tuple[str, str], list[int]] = {}
    for pile in piles:
        entries = _entries(st, pile)
        typed_twice = max(entries[1], default=0)  # entry 2's last ballot so far
        for d in _compared(entries):
            if d.position > typed_twice:  # (only entry 1 reaches past it: nothing to compare with yet)
                continue
            at = [e[d.position] for e in entries if d.position in e]
            for question in dict.fromkeys(b.question for b in at):  # the question each differing ballot was typed for
                found.setdefault((question, pile), []).append(d.position)
    order = {q: i for i, q in enumerate(st.questions)}
    return [Dispute(q, pile, tuple(positions)) for (q, pile), positions in
            sorted(found.items(), key=lambda item: (order.get(item[0][0], len(order)), item[0][1]))
            if question_id is None or q == question_id]


def dispute_note(st: HearingState, dispute: Dispute) -> Msg:
    """"Question "…", pile 1: the two entries differ on 1 ballot (no. 2); not settled: entry 1 is counted…"."""
    question = st.questions.get(dispute.question)
    return NMsg("Question \"{question}\", pile {pile}: the two entries differ on {n} ballot (no. {positions}); not "
                "settled: entry 1 is counted until it is corrected from the paper ballot.",
                "Question \"{question}\", pile {pile}: the two entries differ on {n} ballots (no. {positions}); not "
                "settled: entry 1 is counted until they are corrected from the paper ballots.",
                len(dispute.positions), pile=dispute.pile, positions=_listed(dispute.positions),
                question=question_title(question) if question is not None else dispute.question)


def _listed(positions: tuple[int, ...], most: int = 10) -> str:
    """"2, 5, 9", or the first ``most`` and "…" (a whole pile typed wrong would list hundreds on the board)."""
    shown = ", ".join(map(str, positions[:most]))
    return shown + ", …" if len(positions) > most else shown


def close_problems(st: HearingState) -> list[Msg]:
    """Why the hearing cannot be closed yet: one line per disputed pile after what to do (empty: it can)."""
    found = disputes(st)
    if not found:
        return []
    return [Msg(N_("The hearing cannot be closed: the two entries of a double-entry pile still differ. On the Paper "
                   "ballots tab, compare the pile's entries and correct each of these ballots from the paper ballot:")),
            *(dispute_note(st, d) for d in found)]
