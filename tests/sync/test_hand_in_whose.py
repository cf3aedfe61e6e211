"""Whose hearing a handed-in file is, beyond the one field that names its municipality (new-user trial s26 L11: a
forged but self-consistent file became another municipality's hearing by editing that field), and which hearings
are never handed in (a practice hearing was accepted)."""

from __future__ import annotations

import pytest

from pbtools.budget.model import Municipality, Village
from pbtools.hearings import records as R
from pbtools.hearings.store import hearing_ids
from pbtools.reports.audit import write_audit
from pbtools.hearings.hand_in_log import SYNC_LOG
from pbtools.sync.push import SyncRefused, hand_in
from tests.sync.conftest import CODE, open_hearing
from tests.sync.forge import forged

pytestmark = pytest.mark.postgres
KARA_TOO = {"ky": "Кара-Тоо айыл аймагы", "ru": "Кара-Тоо", "en": "Kara-Too"}


def now_of(names: dict):
    """A change of the rows: the hearing says it is of the municipality ``names`` (its Kyrgyz name), and is no
    practice hearing (the sample hearing is one)."""
    def change(rows):
        rows[0]["payload"] = {**rows[0]["payload"], "municipality": names["ky"], "practice": False}
        return rows
    return change


def test_a_hearing_whose_villages_are_another_municipalitys_is_refused(central, laptop, tmp_path):
    hid = hearing_ids(laptop)[0]
    theirs = Municipality(KARA_TOO, villages=(Village({"ky": "Кара-Тоо", "ru": "Кара-Тоо", "en": "Kara-Too"}, 900, "kara-too"),
                                              Village({"ky": "Чоң-Дөбө", "ru": "Чон-Дёбё", "en": "Chong-Dobo"}, 400, "chong")))
    path = forged(laptop, hid, tmp_path / "othermun.jsonl", "2026-04-18-0f0f", now_of(KARA_TOO))
    with central.workspace("kara_too") as ws:
        ws.save_municipality(theirs)
        with pytest.raises(SyncRefused) as refused:
            hand_in(ws, path, central.actor("bakyt", "kara_too"))
        assert not ws.ledger.records(R.stream_of("2026-04-18-0f0f")) and not ws.ledger.records(SYNC_LOG)
        villages = laptop.municipality().villages
        for lang, known in (("ru", "Кара-Тоо, Чон-Дёбё"), ("en", "Kara-Too, Chong-Dobo"), ("ky", "Кара-Тоо, Чоң-Дөбө")):
            text = refused.value.render(lang)
            assert villages[0].name("ky") in text and f"({known})" in text and KARA_TOO[lang] in text, (lang, text)
        # were those its villages, the file would go in
        ws.save_municipality(Municipality(KARA_TOO, villages=villages))
        assert hand_in(ws, path, central.actor("bakyt", "kara_too")).appended > 0


def test_a_practice_hearing_is_refused(central, laptop, tmp_path):
    store = open_hearing(laptop, "2026-05-14-dead")
    store.update(actor="Айпери", practice=True)
    path = write_audit(laptop, store.id, tmp_path / "practice.jsonl")
    with central.workspace(CODE) as ws:
        with pytest.raises(SyncRefused) as refused:
            hand_in(ws, path, central.actor("aida", CODE))
        assert not ws.ledger.records(store.stream) and not ws.ledger.records(SYNC_LOG)
        for lang, said in (("ru", "учебные"), ("en", "practice"), ("ky", "машыгуу")):
            assert said in refused.value.render(lang) and store.id in refused.value.render(lang), lang
        store.update(actor="Айпери", practice=False)  # no longer marked: a real hearing, handed in
        assert hand_in(ws, write_audit(laptop, store.id, tmp_path / "real.jsonl"), central.actor("aida", CODE)).appended
