"""Settling a double-entry difference: what the paper ballot really says replaces what was typed wrong.

Two clerks type the same pile (entry 1 is counted, entry 2 checks it). Where they differ, someone looks at the
paper ballot and types it once more; each entry that differs from it is voided (never deleted: a void record
with who, when and why) and the right ballot is stored at the same position, so the entries then agree.
"""

from __future__ import annotations

from dataclasses import replace

from pbtools.hearings import records as R
from pbtools.hearings.casting import CastItem, Receipt
from pbtools.hearings.entry import parse_entry, same_ballot
from pbtools.hearings.errors import HearingError
from pbtools.hearings.model import OPEN
from pbtools.hearings.writes import HearingWriter, record_kind, refusal
from pbtools.i18n import N_, Msg
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
    written = store.ws.ledger.append_many(store.stream, entries, all_or_nothing=True)  # no new ballot without its void
    store.refresh()
    for outcome, entry in zip(written, entries):
        if isinstance(outcome, LedgerError):  # e.g. another screen voided that ballot a moment ago
            raise refusal(outcome, entry.key, entry.voids)
    return store.receipts([(written[i], item) for i, item in items])
