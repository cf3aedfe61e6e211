"""A hand-in folder naming one hearing twice (s23 F13: a.jsonl and b.jsonl of the same new hearing stored a.jsonl's
records and then said "nothing was changed") is refused before anything is stored, naming both files."""

from __future__ import annotations

import json
import shutil

import pytest

from pbtools.hearings.store import hearing_ids
from pbtools.i18n import Msg, N_
from pbtools.sync.folder import hand_in_folder
from pbtools.sync.pack import MANIFEST, pack
from pbtools.hearings.hand_in_log import SYNC_LOG
from pbtools.sync.push import SyncRefused
from tests.sync.conftest import CODE

pytestmark = pytest.mark.postgres


def test_a_folder_naming_one_hearing_twice_is_refused_and_nothing_is_stored(central, laptop, tmp_path):
    hid = hearing_ids(laptop)[0]
    folder = pack(laptop, tmp_path / "stick", hearings=[hid]).path
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    (first,) = manifest["hearings"]
    shutil.copyfile(folder / first, folder / "b.jsonl")
    manifest["hearings"] = [first, "b.jsonl"]
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with central.workspace(CODE) as ws:
        before = ws.ledger.streams()
        with pytest.raises(SyncRefused) as refused:
            hand_in_folder(ws, folder, central.actor("aida", CODE))
        assert ws.ledger.streams() == before and not ws.ledger.records(SYNC_LOG)  # nothing, as it says
        said = Msg(N_("{file} and {other} both hold {stream}: a hand-in folder holds each once"), file="b.jsonl",
                   other=first, stream=hid)
        assert said in refused.value.problems
        for lang in ("ky", "ru", "en"):
            text = refused.value.render(lang)
            assert said.render(lang) in text
            assert Msg(N_("{file} was not stored, nothing was changed:"), file="stick").render(lang) in text
        # the folder as packed hands in
        manifest["hearings"] = [first]
        (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        handed = {h.hearing: h for h in hand_in_folder(ws, folder, central.actor("aida", CODE))}
        assert handed[hid].appended == len(laptop.ledger.records(f"hearing:{hid}"))
