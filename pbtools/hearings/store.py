"""Hearings kept in a workspace's ledger: every change is one appended record, durable before the call returns.

    store = create_hearing(ws, Hearing(...), actor="Aida")
    store.add_option(Option(...), actor="Aida"); store.define_question(Question(...), actor="Aida")
    store.open(actor="Aida")
    counters = store.register(Participant("f", "30_44", "Ak-Suu"), actor="door")
    receipt = store.cast("q1", ballot, actor="clerk 1")          # validates, then appends
    results = store.cast_many([CastItem("q1", ballot, "phone", code=...), ...])  # one commit for them all
    store.void(receipt.seq, actor="clerk 1", reason="typed twice")  # never deletes
    store.cast("q1", ballot, actor="clerk 1", pile="women", voter={"sex": "f"})  # a pile sorted by group
    store.record_invalid("q1", actor="clerk 1", why=BLANK)        # a spoiled or blank paper ballot, never counted
    # a paper against its rules recorded as spoiled, an earlier ballot voided by its number: see paper_fixes
    store.correct("q1", "women", 3, "1 4", actor="chair")  # double entry: the right ballot at position 3
    store.close(actor="Aida")                                       # seals the stream: nothing more can be added
    state = store.refresh()                                         # folds only the new records

Bad input raises ``HearingError`` whose ``problems`` are ``Msg`` (render them in the user's language); nothing is
stored then; refusals a caller tells apart are its subclasses (``errors``: ``CodeUsed``, ``HearingClosed``...).
Another process (phone voting) may append to the same stream at the same time: a voting code is used once per
question even then, because the ballot carries the ledger key ``code:<question>:<hash>``.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import replace
from typing import Any, Iterable, Mapping

from pbtools.dates import as_typed
from pbtools.hearings import agenda_changes, double_entry, records as R
from pbtools.hearings.casting import CastItem, Receipt
from pbtools.hearings.checks import check_hearing, check_participant
from pbtools.hearings.codes import code_hash, new_codes
from pbtools.hearings.entry import Difference, parse_entry
from pbtools.hearings.errors import HearingError, NoSuchHearing, PilesDisputed
from pbtools.hearings.fold import Counters, HearingState, fold
from pbtools.hearings.hand_counts import count_payload
from pbtools.hearings.model import (
    CLOSED, DRAFT, OPEN, SPOILED, Ballot, Hearing, Option, Participant, Question,
    municipality_name, stored_village,
)
from pbtools.hearings.rules import opening_problems, question_problems, require_voidable, update_problems
from pbtools.hearings.writes import HearingWriter, allowed, record_kind, refusal
from pbtools.roles import HEARING, signed
from pbtools.i18n import N_, Msg
from pbtools.storage import Check, Entry, LedgerError, Locked, StreamRewound


def new_hearing_id(day: str) -> str:
    """The day (ISO, checked by ``check_hearing``) and four hex digits: an id of ``records.HEARING_ID_PATTERN``."""
    return f"{day}-{secrets.token_hex(2)}"


def create_hearing(ws: Any, hearing: Hearing, actor: str, *, check: Check | None = None) -> "HearingStore":
    """Store a new hearing (status draft). ``hearing.id`` may be empty: one is made from the date. The workspace's
    municipality and villages are stored by their Kyrgyz names, whatever language they were given in (screens show
    them in the reader's: ``model.village_name``, ``model.municipality_name``)."""
    hearing = replace(hearing, date=as_typed(hearing.date))  # as typed (14.05.2026): kept in ISO, its id made of it
    if not hearing.id:
        hearing = replace(hearing, id=new_hearing_id(hearing.date))
    m = ws.municipality()
    if m is not None:
        place = municipality_name(hearing.municipality, m, "ky")
        hearing = replace(hearing, municipality=place, villages=tuple(stored_village(v, m) for v in hearing.villages))
    problems = check_hearing(hearing)
    if R.stream_of(hearing.id) in ws.ledger.streams():
        problems.append(Msg(N_("A hearing with id {id} already exists"), id=hearing.id))
    if problems:
        raise HearingError(problems)
    ws.ledger.append(R.stream_of(hearing.id), R.HEARING_CREATED, R.to_json(hearing), actor=signed(actor, HEARING),
                     key="created", check=check)  # check: e.g. a draft made for records a screen showed
    return HearingStore(ws, hearing.id)


def hearing_ids(ws: Any, include_deleted: bool = False) -> list[str]:
    """The workspace's hearings, deleted ones left out unless asked for (see ``deletion``). A stream whose name
    holds no hearing id (only a hand-in stored before ids were checked can have made one) is no hearing: no screen,
    report or copy names a file or an address after it."""
    streams = ws.ledger.streams()
    ids = sorted(i for i in (s[len(R.STREAM_PREFIX):] for s in streams if s.startswith(R.STREAM_PREFIX))
                 if R.is_hearing_id(i))
    if include_deleted:
        return ids
    deleted = R.deleted_ids(ws, streams)  # no query more unless a hearing was ever deleted
    return [i for i in ids if i not in deleted]


UNDER_WAY_ORDER = {OPEN: 0, DRAFT: 1, CLOSED: 2}  # voting under way first, else one being prepared


def hearing_under_way(states: Iterable[HearingState]) -> str | None:
    """The hearing a console or a board opens on: an open one, else a draft, else a closed one; the newest."""
    newest_first = sorted(states, key=lambda st: (st.hearing.date, st.id), reverse=True)
    best = min(newest_first, key=lambda st: UNDER_WAY_ORDER.get(st.status, len(UNDER_WAY_ORDER)), default=None)  # first of equals
    return best.id if best is not None else None


def state(ws: Any, hearing_id: str) -> HearingState:
    """The current state of one hearing, folded from all its records."""
    return fold(ws.ledger.records(R.stream_of(hearing_id)), hearing_id=hearing_id)


def _unvoted_since(st: HearingState, question_id: str, then: Check | None) -> Check:
    """A check: no ballot or count of ``question_id`` came after ``st`` (a question is replaced only while nothing
    was voted or counted on it: ``rules.question_problems`` said so of ``st``); then ``then``."""
    def check(locked: Locked) -> LedgerError | None:
        if any(r.kind in (R.BALLOT_CAST, R.BALLOT_INVALID, R.COUNT_ENTERED) and r.payload.get("question") == question_id
               for r in locked.records(st.seq, st.hash)):
            return LedgerError(Msg(N_("Question {id} already has ballots; it cannot change"), id=question_id))
        return then(locked) if then is not None else None
    return check


class HearingStore(HearingWriter):
    """One hearing in a workspace. ``state`` is the last folded state; ``refresh()`` brings it up to date."""

    def __init__(self, ws: Any, hearing_id: str) -> None:
        super().__init__(ws, hearing_id)
        self.last_registration: int | None = None
        self.refresh()
        if self.state.hearing is None:
            raise NoSuchHearing(hearing_id)

    # -- the hearing and its agenda
    def update(self, actor: str, **changes: Any) -> Hearing:
        st = self.require(DRAFT, OPEN)
        problems = update_problems(changes)
        if problems:
            raise HearingError(problems)
        if isinstance(changes.get("date"), str):
            changes["date"] = as_typed(changes["date"])  # as create_hearing: 14.05.2026 kept as 2026-05-14
        changed = replace(st.hearing, **changes)
        problems = check_hearing(changed)
        if problems:
            raise HearingError(problems)
        self.write(R.HEARING_UPDATED, {k: v for k, v in R.to_json(changed).items() if k in changes}, actor)
        return self.state.hearing

    # options: see agenda_changes
    def add_options(self, options: list[Option], actor: str, *, check: Check | None = None) -> None:
        agenda_changes.add_options(self, options, actor, check)

    def add_option(self, option: Option, actor: str) -> None:
        agenda_changes.add_options(self, [option], actor)

    def change_option(self, option: Option, actor: str) -> None:
        agenda_changes.change_option(self, option, actor)

    def remove_option(self, option_id: str, actor: str) -> Option:
        return agenda_changes.remove_option(self, option_id, actor)

    def define_question(self, question: Question, actor: str, *, check: Check | None = None) -> None:
        """Add a question, or replace one that has no ballots or counts yet. ``check``: asked under the hearing's
        write lock, as the ledger's (e.g. that no other window put the same question meanwhile)."""
        st = self.require(DRAFT, OPEN)
        problems = question_problems(st, question)
        if problems:
            raise HearingError(problems)
        if question.tie_rule == "field" and question.seed is None:
            question = replace(question, seed=secrets.randbelow(2**31))  # the lot, drawn now and kept on record
        kind = R.QUESTION_CHANGED if question.id in st.questions else R.QUESTION_DEFINED
        if kind == R.QUESTION_CHANGED:  # voting may be open: a ballot may come between the look and the write
            check = _unvoted_since(st, question.id, check)
        self.write(kind, R.to_json(question), actor, check=check)

    def open(self, actor: str) -> None:
        problems = opening_problems(self.require(DRAFT))
        if problems:
            raise HearingError(problems)
        self.write(R.HEARING_OPENED, {}, actor, key="opened")

    def close(self, actor: str, reason: str = "", *, disputed_piles: bool = False) -> None:
        """Close the hearing and seal its stream: from now on nothing can be added, voided or changed. Refused
        (``PilesDisputed``, nothing stored) while a double-entry pile's two entries differ, unless
        ``disputed_piles`` (a practice hearing being deleted: nobody counts it).

        The closing record and the seal are one transaction, and the piles are checked inside it with the
        hearing's write lock held: a second clerk's ballot saved a moment before is seen by the check, and one
        saved a moment after is refused as closed (the seal); none can come in between."""
        name = signed(actor, HEARING)  # the role checked before anything is written
        seen = self.refresh()
        # closed but not sealed: a crash between the two, when they were two transactions; seal now
        closing = [] if seen.status == CLOSED else [Entry(R.HEARING_CLOSED, {}, name, "closed", reason=reason)]

        def check(locked: Locked) -> None:  # what other screens wrote since ``seen``, read under the lock
            # StreamRewound (raised, nothing written) when ``seen`` is no longer on disk: decided on again after a look
            st = fold(locked.records(after_seq=seen.seq, after_hash=seen.hash), self.state)
            if closing:
                allowed(st, DRAFT, OPEN)
                problems = [] if disputed_piles else double_entry.close_problems(st)
                if problems:
                    raise PilesDisputed(problems)

        try:
            self.ws.ledger.seal(self.stream, actor=name, reason=reason or "hearing closed", entries=closing,
                                check=check)
        except LedgerError as e:  # StreamSealed: closed by another screen a moment ago
            if isinstance(e, StreamRewound):
                self.refresh()  # the screen shows what is on disk now
            raise refusal(e, "closed") from None
        self.refresh()

    # -- participants and codes
    def register(self, participant: Participant, actor: str) -> Counters:
        """Register one person at the door; returns the counters after it (total, women, per village...). The
        record's seq is kept in ``last_registration`` (the door's "cancel the last one" voids it). Sex, age group,
        village and category may each be UNKNOWN (not given): only what the person said is recorded."""
        st = self.require(DRAFT, OPEN)
        problems = check_participant(st.hearing, participant)
        if problems:
            raise HearingError(problems)
        self.last_registration = self.write(R.PARTICIPANT_REGISTERED, R.to_json(participant), actor).seq
        return self.state.counters

    def register_many(self, participants: Iterable[Participant], actor: str) -> Counters:
        """Register several people at once (a simulated hall): each checked as ``register`` does, and all stored
        in one transaction, or none when any is refused (the problems of all of them are raised)."""
        st = self.require(DRAFT, OPEN)
        people = list(participants)
        problems = [problem for person in people for problem in check_participant(st.hearing, person)]
        if problems:
            raise HearingError(problems)
        entries = [Entry(R.PARTICIPANT_REGISTERED, R.to_json(person), signed(actor, HEARING)) for person in people]
        for outcome in self.ws.ledger.append_many(self.stream, entries, check=self.decided()):
            if isinstance(outcome, LedgerError):  # none carries a key: only a ledger that refuses everything
                raise self.refused(outcome, None)
        self.refresh()
        return self.state.counters

    def issue_codes(self, count: int, actor: str) -> list[str]:
        """``count`` fresh voting codes. Only their hashes are stored; print the returned codes now."""
        st = self.require(DRAFT, OPEN)
        if not 1 <= count <= 10000:
            raise HearingError(Msg(N_("Ask for between 1 and {max} codes"), max=10000))
        while True:  # 44 random bits: a clash with an earlier code is practically impossible, but never reissue one
            codes = new_codes(count)
            hashes = [code_hash(self.id, c, self.code_key) for c in codes]
            if not set(hashes) & st.codes:
                break
        self.write(R.CODES_ISSUED, {"hashes": hashes}, actor)
        return codes

    # -- ballots and counts
    def cast(self, question_id: str, ballot: Ballot, actor: str, *, channel: str = "paper", code: str | None = None,
             key: str | None = None, pile: str = "", entry: int = 1, position: int | None = None,
             voter: Mapping[str, str] | None = None) -> Receipt:
        """Check ``ballot`` completely and store it; the receipt is returned only once it is committed.

        ``code``: the voter's one-time code (used once per question). ``key``: when there is no code, a ledger key
        that only one ballot may carry, even across processes (e.g. one ballot per phone). ``pile``/``entry``:
        double entry, where two clerks type the same pile; entry 2 is kept for comparison only and never counted.
        ``position``: the ballot's place in the pile, by default the next one; give it to retype a voided ballot
        in its place. ``voter``: the group the ballot is known to come from (a pile of women's ballots:
        ``{"sex": "f"}``; also age, village, category), kept in the record; empty or missing = not known."""
        item = CastItem(question_id, ballot, actor, channel, code, key, pile, entry, position, voter)
        payload, key = self.prepare(self.require(OPEN), item, {})
        record = self.write(record_kind(ballot), payload, actor, key=key)
        return self.receipts([(record, item)])[0]

    def record_invalid(self, question_id: str, actor: str, why: str = SPOILED, **kw: Any) -> Receipt:
        """Store a spoiled or blank paper ballot of ``question_id`` (its own record, counted as invalid and never
        for an option); ``kw`` as for ``cast`` (pile, entry, position, voter). The receipt's number is the
        question's running count of invalid ballots (of the pile's ballots, in double entry)."""
        return self.cast(question_id, Ballot(answer=why), actor, **kw)

    def cast_many(self, items: Iterable[CastItem]) -> list[Receipt | HearingError]:
        """Check each ballot as ``cast`` does and store the accepted ones together: one transaction, one commit
        (a burst of phone ballots). One result per item, in order: its receipt, or the ``HearingError`` that
        refused it; a refused ballot does not stop the others. The results are those of casting the items one by
        one. Returns only once the accepted ballots are committed."""
        items = list(items)
        results: list[Receipt | HearingError] = []
        start = 0
        while start < len(items):
            # A pile ballot with a code or key may be refused by the ledger itself; the pile positions given
            # after it depend on that, so it ends its group and the next group is checked knowing the outcome.
            end = next((i + 1 for i in range(start, len(items))
                        if items[i].pile and (items[i].code is not None or items[i].key is not None)), len(items))
            results += self._cast_group(items[start:end])
            start = end
        return results

    def _cast_group(self, items: list[CastItem]) -> list[Receipt | HearingError]:
        try:
            st = self.require(OPEN)
        except HearingError as e:
            return [e] * len(items)
        results: list[Any] = []
        entries, slots, positions = [], [], {}
        for i, item in enumerate(items):
            try:
                payload, key = self.prepare(st, item, positions)
            except HearingError as e:
                results.append(e)
                continue
            results.append(None)
            entries.append(Entry(record_kind(item.ballot), payload, signed(item.actor, HEARING), key))
            slots.append(i)
        if not entries:
            return results
        written = self.ws.ledger.append_many(self.stream, entries, check=self.decided())
        stored = []
        for i, entry, outcome in zip(slots, entries, written):
            if isinstance(outcome, LedgerError):  # StreamRewound: the state is read again below
                results[i] = refusal(outcome, entry.key)
            else:
                stored.append((i, outcome))
        # From here the ballots are committed: whatever fails in reading them back, each still gets its receipt
        # (a caller that cast them again would be told its code was used, and lose the receipt).
        try:
            records = [record for _, record in stored]
            if records and records[0].prev_hash == self.state.hash and records[0].seq == self.state.seq + 1:
                fold(records, self.state)  # they follow the fold's last record: fold them rather than read them back
            else:
                self.refresh()
            receipts = self.receipts([(record, items[i]) for i, record in stored])
        except Exception:  # noqa: BLE001 - e.g. the database went away after the commit
            logging.getLogger(__name__).exception("ballots committed, but reading them back failed")
            self.state = HearingState(self.id)  # perhaps folded halfway: read it all again next time
            receipts = [Receipt(r.seq, r.hash, items[i].question_id, 0, r.created_at) for i, r in stored]  # 0: not counted yet
        for (i, _), receipt in zip(stored, receipts):
            results[i] = receipt
        return results

    def cast_typed(self, question_id: str, text: str, actor: str, **kw: Any) -> Receipt:
        """A paper ballot as the clerk typed it (see ``entry``): parsed, checked, stored."""
        question = self.refresh().questions.get(question_id)
        if question is None:
            raise HearingError(Msg(N_("There is no question {id}"), id=question_id))
        ballot, problems = parse_entry(question, self.state.options, text)
        if ballot is None:
            raise HearingError(problems)
        return self.cast(question_id, ballot, actor, **kw)

    def undo_last(self, question_id: str, actor: str, reason: str = R.UNDO_LAST, *, pile: str = "", entry: int = 1) -> int:
        """Void the last ballot ``actor`` typed for this question (and pile), an invalid one too; returns the voided
        seq (``state.voided[seq]`` is the ballot). The reason stored is the key ``records.UNDO_LAST`` unless one is
        given (``records.reason_text`` shows it)."""
        st = self.refresh()
        source = [*st.ballots.values(), *st.invalid.values()] if entry == 1 else list(st.checks.values())
        mine = [b for b in source if b.question == question_id and b.actor == actor and b.pile == pile]
        if not mine:
            raise HearingError(Msg(N_("There is no ballot to undo")))
        target = max(b.seq for b in mine)
        self.void(target, actor, reason or R.UNDO_LAST)
        return target

    def enter_count(self, question_id: str, counts: Mapping[str, Mapping[str, int]], actor: str, *,
                    group_by: str = "", method: str = "hands", replaces: int | None = None) -> int:
        """Store a show of hands or sticker count: ``counts[group][option id or yes/no/abstain] = n``.

        ``group_by``: "" (one group "all"), "sex" (groups "f", "m") or "village". ``replaces``: the seq of a saved
        count of the same question that this one corrects; it is voided in the same transaction (both or
        neither are stored). Counts not replaced add up (several tables counting parts of the hall). Returns the
        new record's seq."""
        st = self.require(OPEN)
        payload = count_payload(st, question_id, counts, group_by, method, replaces)
        if replaces is None:
            return self.write(R.COUNT_ENTERED, payload, actor).seq
        written = self.ws.ledger.append_many(self.stream, [
            Entry(R.RECORD_VOIDED, {}, signed(actor, HEARING), voids=replaces, reason=R.COUNT_REPLACED),
            Entry(R.COUNT_ENTERED, payload, signed(actor, HEARING)),
        ], all_or_nothing=True, check=self.decided())
        self.refresh()  # a stream replaced underneath: read again from its start
        if isinstance(written[0], LedgerError):
            raise refusal(written[0], None, replaces)
        return written[1].seq

    # -- corrections
    def void(self, seq: int, actor: str, reason: str) -> int:
        """Void a ballot, count or registration: a new record naming who, when and why. Returns its seq."""
        require_voidable(self.require(DRAFT, OPEN), seq, reason)
        return self.write(R.RECORD_VOIDED, {}, actor, voids=seq, reason=reason).seq

    # -- double entry
    def differences(self, pile: str) -> list[Difference]:
        """Ballot positions where the two clerks who typed ``pile`` differ (both entries, voids applied)."""
        return double_entry.differences(self.refresh(), pile)

    def correct(self, question_id: str, pile: str, position: int, text: str, actor: str,
                reason: str = R.DOUBLE_ENTRY_FIX) -> list[Receipt]:
        """Settle a double-entry difference with what the paper ballot says (see ``double_entry.correct``)."""
        return double_entry.correct(self, question_id, pile, position, text, actor, reason)

    def verify(self) -> list[Any]:
        """Problems the ledger finds in this hearing's hash chain (empty: nothing was edited or deleted)."""
        return self.ws.ledger.verify(self.stream)
