"""Taking a copy of a municipality's data to a laptop before going out (offline afterwards).

    copied = take_copy(server_ws, laptop_ws, Actor("aida", FACILITATOR))

What is copied follows the role (``roles.offline_writes``): the copy is for what the role writes offline.
Everyone who takes one gets the municipality and its villages and every budget (one already on the laptop is not
stored twice). For running hearings (HEARING): each hearing that is not closed (its agenda draft, questions and any
participants registered ahead). For monitoring (MONITORING): the municipality's monitoring streams (its projects,
its group, its acts, its budget matches: ``pull_monitoring``) with the photos and documents their records name, and
the closed hearings, whose outcomes the projects come from (the handover, "did the budget follow the hearing?").
Records are copied as the server made them, with its hashes, so that the laptop carries on the very same chains and
hands in their continuation later (``push.hand_in``). A stream the laptop already has is brought up to the server's
records; one the laptop has carried on further is left as it is; one whose records differ from the server's is left
untouched and named.

All or nothing: ``check_copy`` reads and checks everything first and writes nothing (a record changed on the server
refuses the whole copy: ``PullRefused``, naming it), then ``write_copy`` stores the photos and documents and writes
everything else in one transaction of the laptop's workspace: the very records that were checked, so a change made
on the server after the check never reaches the laptop, and a laptop written to meanwhile gets nothing. Nothing is
copied into a workspace of the demo or of another municipality (``PullRefused``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pbtools.budget.place import PlaceName
from pbtools.hearings import records as R
from pbtools.hearings.fold import fold
from pbtools.hearings.model import CLOSED
from pbtools.hearings.store import hearing_ids
from pbtools.i18n import N_, Msg
from pbtools.roles import HEARING, MONITORING, Actor, offline_writes
from pbtools.storage.adopt import ChainMismatch, append_verified_all
from pbtools.storage.budgets import BudgetAlreadyStored, stored_copy
from pbtools.storage.errors import StreamSealed
from pbtools.sync.pull_monitoring import PullRefused, plan_monitoring, store_files, verified
from pbtools.sync.push import same_place

__all__ = ["Copied", "Plan", "PullRefused", "check_laptop", "check_copy", "write_copy", "take_copy"]


@dataclass
class Copied:
    budgets: int = 0  # budgets stored on the laptop by this copy
    hearings: list[str] = field(default_factory=list)  # hearings copied or brought up to date
    records: int = 0
    streams: list[str] = field(default_factory=list)  # monitoring streams copied or brought up to date
    stream_records: int = 0  # their records copied
    files: int = 0  # photos and documents copied with them
    problems: list[Msg] = field(default_factory=list)  # what was left as it is, and why


@dataclass
class Plan:
    """A copy checked whole, nothing written yet: what ``write_copy`` writes."""

    copied: Copied  # what it copies (counts) and leaves (problems)
    municipality: Any
    budgets: list[Any] = field(default_factory=list)  # those the laptop has not stored
    batches: dict[str, list] = field(default_factory=dict)  # stream -> the server's records the laptop lacks
    files: dict[str, Any] = field(default_factory=dict)  # stored path -> sync.pack.NamedFile the records name
    folder: Any = None  # the server's workspace folder, where those files are


def check_laptop(server: Any, laptop: Any) -> None:
    """``PullRefused`` when ``laptop`` holds the demo or another municipality than ``server``'s."""
    from pbtools.demo import demo_parts

    if any(demo_parts(laptop)):
        raise PullRefused(Msg(N_("This workspace holds the demo (a fictional municipality): nothing was copied. Take "
                                 "the copy into a new folder: pbtools sync pull ... --workspace NEW_FOLDER")))
    mine, theirs = laptop.municipality(), server.municipality()
    if mine is not None and theirs is not None and not any(same_place(n, theirs.names.values()) for n in mine.names.values()):
        raise PullRefused(Msg(N_("This workspace is {mine}'s, not {theirs}'s: nothing was copied. Take the copy into a "
                                 "new folder: pbtools sync pull ... --workspace NEW_FOLDER"),
                              mine=PlaceName(mine.names), theirs=PlaceName(theirs.names)))


def check_copy(server: Any, laptop: Any, actor: Actor) -> Plan:
    """What a copy from workspace ``server`` into ``laptop`` writes (the module's text), read and checked; writes
    nothing. ``NoCopy`` (a ``NotAllowed``) when ``actor``'s role takes no copy, ``PullRefused`` when no copy may be
    taken (the demo's or another municipality's workspace, a record changed on the server)."""
    writes = offline_writes(actor)
    check_laptop(server, laptop)
    plan = Plan(Copied(), server.municipality(), folder=server.path)
    for budget_id, *_ in server.list_budgets():
        budget = server.load_budget(budget_id)
        if stored_copy(laptop.engine, budget) is None:
            plan.budgets.append(budget)
    for hearing_id in hearing_ids(server):
        stream = R.stream_of(hearing_id)
        theirs = server.ledger.records(stream)
        # an open hearing is run offline; a closed one's outcome is where monitored projects come from
        if (MONITORING if fold(theirs, hearing_id=hearing_id).status == CLOSED else HEARING) not in writes:
            continue
        verified(server, stream)  # a record changed on the server is never taken out, nor carried on from
        mine = laptop.ledger.records(stream)
        if any(a.hash != b.hash for a, b in zip(mine, theirs)):
            plan.copied.problems.append(Msg(N_("The hearing {hearing} on this laptop differs from the server's: it was "
                                               "left as it is"), hearing=hearing_id))
            continue
        if len(theirs) > len(mine):
            plan.batches[stream] = theirs[len(mine):]
            plan.copied.hearings.append(hearing_id)
            plan.copied.records += len(theirs) - len(mine)
    if MONITORING in writes:
        plan_monitoring(server, laptop, plan)
    return plan


def write_copy(laptop: Any, plan: Plan) -> Copied:
    """Write ``plan`` (``check_copy``'s) into ``laptop``: the photos and documents first, all or none (a record never
    names a file the laptop lacks), then the records, the municipality and the budgets in one transaction.
    ``PullRefused`` when it cannot be written whole; then no record, municipality or budget was written (files
    stored before a refused transaction stay, content-addressed and named by no record)."""
    copied = plan.copied
    copied.files = store_files(laptop, plan)

    def rest(conn: Any) -> None:
        if plan.municipality is not None:
            laptop.save_municipality(plan.municipality, conn)
        for budget in plan.budgets:
            try:
                laptop.save_budget(budget, conn)
                copied.budgets += 1
            except BudgetAlreadyStored:  # imported on the laptop since the check: it is there
                pass

    try:
        append_verified_all(laptop.ledger, plan.batches, rest)
    except (ChainMismatch, StreamSealed) as e:  # e.g. a record written on the laptop since the check
        raise PullRefused(Msg(N_("Nothing was copied: {problem}. This workspace was written to during the copy (is an "
                                 "app open on it?): take the copy again"), problem=e.message)) from None
    return copied


def take_copy(server: Any, laptop: Any, actor: Actor) -> Copied:
    """Copy from workspace ``server`` into ``laptop`` what ``actor``'s role takes (the module's text), all or
    nothing. Raises ``NoCopy`` (a ``NotAllowed``) unless the role takes a copy, ``PullRefused`` before anything is
    written (``check_copy``, ``write_copy``)."""
    return write_copy(laptop, check_copy(server, laptop, actor))

