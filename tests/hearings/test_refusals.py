"""Refusals a caller tells apart are typed (a subclass of HearingError), and say what they said before.

Each case is refused by the real store, through what a screen or a phone does; the text is checked against the
catalogs in ky/ru/en, so a caller catching the class and a user reading the message see the same refusal.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from pbtools.hearings.casting import CastItem
from pbtools.hearings.errors import (
    AgendaFixed, AlreadyRecorded, AlreadyVoided, CodeUsed, HearingClosed, HearingError, VotingNotOpen,
)
from pbtools.hearings.model import Ballot
from pbtools.hearings.store import HearingStore
from pbtools.i18n import LANGS, gettext
from tests.hearings.conftest import build
from tests.hearings.helpers import agenda

P1 = Ballot((("P1", 1),))


def says(error: HearingError, msgid: str, **params) -> bool:
    """The error's one message is ``msgid`` and reads, in every language, as the catalog has it."""
    return [p.msgid for p in error.problems] == [msgid] and all(
        error.render(lang) == gettext(lang, msgid).format(**params) for lang in LANGS)


def test_a_voting_code_used_again_is_code_used_even_from_another_screen(store, ws):
    (code,) = store.issue_codes(1, actor="secretary")
    other = HearingStore(ws, store.id)  # another screen (or the phone server) with its own state
    store.cast("single", P1, actor="phone", channel="phone", code=code)
    with pytest.raises(CodeUsed) as again:
        other.cast("single", P1, actor="phone", channel="phone", code=code)
    [in_batch] = other.cast_many([CastItem("single", P1, "phone", "phone", code=code)])
    assert isinstance(in_batch, CodeUsed)
    assert says(again.value, "This voting code has already been used for this question")
    assert other.cast("approval", P1, actor="phone", channel="phone", code=code).number == 1  # another question: fine


def test_a_key_used_again_is_already_recorded(store):
    store.cast("single", P1, actor="phone", channel="phone", key="device:abc:single")
    with pytest.raises(AlreadyRecorded) as again:
        store.cast("single", P1, actor="phone", channel="phone", key="device:abc:single")
    assert not isinstance(again.value, CodeUsed)
    assert says(again.value, "This was already recorded, perhaps from another screen")


def test_ballots_before_the_vote_opens_and_after_it_closes(ws):
    draft = build(ws, open_it=False, id="draft")
    with pytest.raises(VotingNotOpen) as early:
        draft.cast("single", P1, actor="clerk")
    assert says(early.value, "Voting has not been opened yet")
    opened = build(ws, id="closing")
    stale = HearingStore(ws, opened.id)  # a screen that has not seen the close
    opened.close(actor="chair")
    for refused in (lambda: stale.cast("single", P1, actor="clerk"), lambda: opened.close(actor="chair"),
                    lambda: stale.issue_codes(1, actor="secretary")):
        with pytest.raises(HearingClosed) as late:
            refused()
        assert says(late.value, "The hearing is closed; nothing can be changed")


def test_the_agenda_once_voting_is_open(store):
    option = store.state.options["P1"]
    with pytest.raises(AgendaFixed) as cost:
        store.change_option(replace(option, cost=option.cost + 1), actor="secretary")
    assert says(cost.value, "The agenda cannot change once voting is open")
    with pytest.raises(AgendaFixed):
        store.add_option(replace(agenda()["P1"], id="P9", number=9), actor="secretary")
    store.change_option(replace(option, titles={**option.titles, "en": "Clean water"}), actor="secretary")  # texts may
    assert store.state.options["P1"].title("en") == "Clean water"


def test_a_record_voided_twice(store, ws):
    seq = store.cast("single", P1, actor="clerk").seq
    other = HearingStore(ws, store.id)
    store.void(seq, actor="clerk", reason="typed twice")
    with pytest.raises(AlreadyVoided) as twice:
        other.void(seq, actor="clerk 2", reason="typed twice")
    assert twice.value.seq == seq and says(twice.value, "Record {seq} is already voided", seq=seq)
