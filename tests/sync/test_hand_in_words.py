"""How a hand-in's answer reads (new-user trial s26 L2, L3): counts with their nouns in the language's plural form
("(23 записей)", "на сервере теперь 1 записей" were wrong), and a refusal naming both municipalities in the
user's language when their names in it are known (a Russian refusal named them in Kyrgyz)."""

from __future__ import annotations

import pytest

from pbtools.hearings.store import hearing_ids
from pbtools.reports.audit import write_audit
from pbtools.sync.push import HandedIn, SyncRefused, hand_in
from tests.sync.conftest import CODE, more_ballots, open_hearing


@pytest.mark.parametrize("n, ru, verb", [(1, "1 запись", "сохранена"), (3, "3 записи", "сохранены"),
                                         (5, "5 записей", "сохранено"), (21, "21 запись", "сохранена"),
                                         (23, "23 записи", "сохранены")])
def test_counts_are_said_with_the_plural_form_of_the_number(n, ru, verb):
    nothing = HandedIn("2026-12-07-83a7", 0, n, "ab", True).summary()
    assert f"({ru})" in nothing.render("ru")
    assert f"({n} record{'s' if n != 1 else ''})" in nothing.render("en")
    stored = HandedIn("2026-12-07-83a7", n, 40, "ab", True).summary().render("ru")
    assert f"{ru} слушаний 2026-12-07-83a7" in stored and "всего записей на сервере: 40" in stored, stored
    acts = HandedIn("monitoring:acts", n, 6, "", False, files=2).summary().render("ru")
    assert f"monitoring:acts: {verb} {ru}," in acts, acts
    assert "всего записей на сервере: 6" in acts and "записей — " not in acts
    assert "жазуу" in HandedIn("monitoring:acts", n, 6, "", False).summary().render("ky")


@pytest.mark.postgres
def test_a_hand_in_says_its_counts_in_russian(central, laptop, tmp_path):
    store = open_hearing(laptop)
    with central.workspace(CODE) as ws:
        first = hand_in(ws, write_audit(laptop, store.id, tmp_path / "1.jsonl"), central.actor("aida", CODE))
        more_ballots(store, 1)
        one = hand_in(ws, write_audit(laptop, store.id, tmp_path / "2.jsonl"), central.actor("aida", CODE))
    assert one.appended == 1 and one.summary().render("ru").startswith(f"Сохранена 1 запись слушаний {store.id};")
    assert f"записей на сервере: {first.head_seq + 1}," in one.summary().render("ru")


@pytest.mark.postgres
def test_a_refusal_names_both_municipalities_in_the_users_language(central, laptop, tmp_path, capsys):
    from pbtools.cli import main

    here, there = laptop.municipality(), central.names("kara_too")
    audit = write_audit(laptop, hearing_ids(laptop)[0], tmp_path / "a.jsonl")
    with central.workspace("kara_too") as ws:
        with pytest.raises(SyncRefused) as refused:
            hand_in(ws, audit, central.actor("bakyt", "kara_too"))
        # the server's own municipality in the user's language; the file's as it writes it (its names unknown here)
        ru = refused.value.render("ru")
        assert f"относятся к муниципалитету «{here.name('ky')}», а не «{there['ru']}»" in ru, ru
        with pytest.raises(SyncRefused) as refused:  # its names known (the registry's, as `sync push` gives them)
            hand_in(ws, audit, central.actor("bakyt", "kara_too"), names=central.names(CODE))
        for lang, word in (("ru", "относятся к"), ("en", "is of"), ("ky", "эмес,")):
            text = refused.value.render(lang)
            assert here.name(lang) in text and there[lang] in text, (lang, text)
            assert (here.name("ky") in text) == (lang == "ky") and word in text, (lang, text)
        assert not ws.ledger.streams() or all(not s.startswith("hearing:") for s in ws.ledger.streams())
    # the command finds the file's municipality in the registry and names it in Russian
    assert main(["sync", "push", str(audit), "--db", central.url, "--municipality", "kara_too", "--user", "bakyt",
                 "--lang", "ru"]) == 2
    said = capsys.readouterr().err
    assert f"относятся к муниципалитету «{here.name('ru')}», а не «{there['ru']}»" in said, said
