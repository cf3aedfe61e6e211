"""Taking a copy of a municipality's data to a laptop before going to the hall (offline afterwards).

    copied = take_copy(server_ws, laptop_ws, Actor("aida", FACILITATOR))

Copied: the municipality and its villages, every budget (one already on the laptop is not stored twice), and each
hearing that is not closed (its agenda draft, questions and any participants registered ahead) record by record
with the server's own hashes, so that the laptop carries on the very same chain and hands in its continuation
later (``push.hand_in``). A hearing the laptop already has is brought up to the server's records; one the laptop
has carried on further is left as it is; one whose records differ from the server's is left untouched and named.
Nothing is copied into a workspace of the demo or of another municipality (``PullRefused``): the server's
municipality was saved over the demo's, its hearings and monitoring mixed with the demo's fictional ones.

And the municipality's monitoring streams (its projects, its group, its acts: ``pull_monitoring``), with the photos
and documents their records name, so that a laptop carries on the server's group and acts rather than starting
its own (which the server would then set aside on hand-in: ``push.StreamDiverged``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pbtools.hearings import records as R
from pbtools.hearings.fold import fold
from pbtools.hearings.model import CLOSED
from pbtools.hearings.store import hearing_ids
from pbtools.budget.place import PlaceName
from pbtools.i18n import N_, Msg
from pbtools.roles import HEARING, Actor
from pbtools.storage.adopt import append_verified
from pbtools.storage.budgets import BudgetAlreadyStored
from pbtools.storage.chain import check_chain
from pbtools.storage.errors import StorageError
from pbtools.sync.pull_monitoring import copy_monitoring
from pbtools.sync.push import same_place


@dataclass
class Copied:
    budgets: int = 0  # budgets stored on the laptop by this copy
    hearings: list[str] = field(default_factory=list)  # hearings copied or brought up to date
    records: int = 0
    streams: list[str] = field(default_factory=list)  # monitoring streams copied or brought up to date
    stream_records: int = 0  # their records copied
    files: int = 0  # photos and documents copied with them
    problems: list[Msg] = field(default_factory=list)  # hearings left untouched, and why


class PullRefused(StorageError):
    """Nothing was copied: ``message`` says why and what to do."""


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


def take_copy(server: Any, laptop: Any, actor: Actor) -> Copied:
    """Copy municipality, budgets, the hearings not yet closed and the monitoring streams from workspace ``server``
    into ``laptop``.
    Raises ``NotAllowed`` unless ``actor`` may run hearings (the copy is for running them offline), ``PullRefused``
    (``check_laptop``) before anything is copied into the demo or another municipality's workspace."""
    actor.require(HEARING)
    check_laptop(server, laptop)
    copied = Copied()
    municipality = server.municipality()
    if municipality is not None:
        laptop.save_municipality(municipality)
    for budget_id, *_ in server.list_budgets():
        try:
            laptop.save_budget(server.load_budget(budget_id))
            copied.budgets += 1
        except BudgetAlreadyStored:
            pass
    for hearing_id in hearing_ids(server):
        stream = R.stream_of(hearing_id)
        theirs = server.ledger.records(stream)
        if fold(theirs, hearing_id=hearing_id).status == CLOSED:
            continue
        check_chain(server.ledger, stream)  # a record changed on the server is never taken to the hall
        mine = laptop.ledger.records(stream)
        if any(a.hash != b.hash for a, b in zip(mine, theirs)):
            copied.problems.append(Msg(N_("The hearing {hearing} on this laptop differs from the server's: it was left as it is"),
                                       hearing=hearing_id))
            continue
        added = append_verified(laptop.ledger, stream, theirs[len(mine):])
        if added:
            copied.hearings.append(hearing_id)
            copied.records += added
    copy_monitoring(server, laptop, copied)
    return copied
