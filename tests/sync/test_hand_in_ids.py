"""A hearing's id names files and addresses: a hand-in, a copy to the hall and the command line take only ids pbtools
makes (s23 F5: a handed-in id "../../../tmp/x" made the console's Pabulib export write /tmp/x-q1.pb)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings import records as R
from pbtools.hearings.model import PB_VOTE, Hearing
from pbtools.hearings.store import hearing_ids
from pbtools.i18n import Msg, N_
from pbtools.storage import open_workspace
from pbtools.sync.pull import take_copy
from pbtools.hearings.hand_in_log import SYNC_LOG
from pbtools.sync.push import SyncRefused, hand_in
from tests.sync.conftest import CODE
from tests.sync.forge import forged

pytestmark = pytest.mark.postgres
NOT_AN_ID = N_('{id} is not a hearing id: an id has only Latin letters, digits, "-" and "_" (at most 64)')
BAD_IDS = ["../../../../../../../../tmp/pbtools-s23-deep", "ak_suu/../../kara_too/reports/x", "..", "x\0y",
           "Бюджет 2026", "a" * 100_000]


def test_a_hearing_whose_id_is_no_hearing_id_is_refused_and_nothing_is_stored(central, laptop, tmp_path):
    hid = hearing_ids(laptop)[0]
    aida = central.actor("aida", CODE)
    with central.workspace(CODE) as ws:
        before = ws.ledger.streams()
        for n, bad in enumerate(BAD_IDS):
            with pytest.raises(SyncRefused) as refused:
                hand_in(ws, forged(laptop, hid, tmp_path / f"{n}.jsonl", bad), aida)
            for lang in ("ky", "ru", "en"):
                assert Msg(NOT_AN_ID, id=R.shown(bad)).render(lang) in refused.value.render(lang)
        assert ws.ledger.streams() == before and not ws.ledger.records(SYNC_LOG)
        # the same forged file under an id pbtools makes is stored: it is the id that was refused
        assert hand_in(ws, forged(laptop, hid, tmp_path / "ok.jsonl", "2026-04-18-beef"), aida).appended > 0


def test_a_stream_whose_name_holds_no_hearing_id_is_not_a_hearing_and_never_goes_to_a_laptop(central, tmp_path):
    bad = "../../../../tmp/pbtools-s23-pulled"
    with central.workspace(CODE) as server:
        # as a hand-in stored it before ids were checked
        hearing = Hearing(bad, server.municipality().name("ky"), PB_VOTE, "2026-05-14", budget=Decimal(1))
        server.ledger.append(R.stream_of(bad), R.HEARING_CREATED, R.to_json(hearing), actor="aida", key="created")
        assert bad not in hearing_ids(server, include_deleted=True)
        with open_workspace(tmp_path / "hall") as hall:
            take_copy(server, hall, central.actor("aida", CODE))
            assert R.stream_of(bad) not in hall.ledger.streams()
