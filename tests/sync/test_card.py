"""A facilitator's laptop set up for a real municipality without the operator's database password (new-user trial
s26 M3): `pbtools central card CODE` on the server writes the municipality's card, `pbtools workspace init
--from-card FILE` on the laptop makes a fresh workspace of it, whose hearings the server then takes as its own."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pbtools.cli import main
from pbtools.hearings.model import APPROVAL, PB_VOTE, Ballot, Hearing, Participant, Question
from pbtools.hearings.store import create_hearing, hearing_ids
from pbtools.reports.audit import write_audit
from pbtools.storage import open_workspace
from pbtools.sync.push import hand_in
from tests.hearings.helpers import agenda
from tests.sync.conftest import CODE

pytestmark = pytest.mark.postgres


def test_a_laptop_set_up_from_the_card_hands_in_as_the_municipality(central, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PBTOOLS_CENTRAL_DIR", str(tmp_path / "central"))
    card = tmp_path / "stick" / "ak_suu.json"
    card.parent.mkdir()
    assert main(["central", "card", CODE, "--db", central.url, "--out", str(card), "--lang", "ru"]) == 0
    assert "pbtools workspace init --from-card ak_suu.json" in capsys.readouterr().out
    assert "password" not in card.read_text() and central.url.split("@")[0] not in card.read_text()
    laptop = tmp_path / "new-laptop"  # (tmp_path / "laptop" is the fixtures' laptop, which registered ak_suu)
    assert main(["workspace", "init", "--from-card", str(card), "--workspace", str(laptop), "--lang", "ru"]) == 0
    with central.workspace(CODE) as server:
        theirs = server.municipality()
    assert f"«{theirs.name('ru')}»" in capsys.readouterr().out
    # `make run` (pbtools demo --if-missing) leaves it as it is: no demo laid over the municipality
    assert main(["demo", "--if-missing", "--workspace", str(laptop)]) == 0
    with open_workspace(laptop) as ws:
        assert ws.municipality() == theirs and len(theirs.villages) == 5 and not hearing_ids(ws) and not ws.list_budgets()
        village = theirs.villages[1].name("ky")
        store = create_hearing(ws, Hearing("", theirs.name("ky"), PB_VOTE, "2026-05-14", budget=Decimal(900_000),
                                           villages=(village,)), actor="Айпери")
        store.add_options(list(agenda().values()), actor="Айпери")
        store.define_question(Question("q1", APPROVAL, {"en": "Choose"}, tuple(agenda()), max_choices=2), actor="Айпери")
        store.open(actor="Айпери")
        store.register(Participant("f", "30_44", village), actor="door")
        store.cast("q1", Ballot((("P1", 1),)), actor="clerk")
        audit = write_audit(ws, store.id, tmp_path / "hearing.jsonl")
        records = len(ws.ledger.records(store.stream))
    with central.workspace(CODE) as server:  # the names and the villages are the server's: taken as its own
        assert hand_in(server, audit, central.actor("aida", CODE)).appended == records


def test_a_card_is_refused_unless_it_is_one_and_a_workspace_unless_it_is_empty(central, laptop, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    for text in ("not json", json.dumps({"format": "pbtools-hand-in"}),
                 json.dumps({"format": "pbtools-municipality-card", "format_version": 1, "names": {}}),
                 json.dumps({"format": "pbtools-municipality-card", "format_version": 1, "names": {"ky": "A"},
                             "villages": [{"names": {"ky": "B"}, "population": "many"}]})):
        bad.write_text(text, encoding="utf-8")
        assert main(["workspace", "init", "--from-card", str(bad), "--workspace", str(tmp_path / "w"), "--lang", "ru"]) == 2
        said = capsys.readouterr().err
        assert "bad.json" in said and "Traceback" not in said and not (tmp_path / "w").exists(), said
    assert main(["central", "card", CODE, "--db", central.url, "--out", str(tmp_path / "c.json")]) == 0
    before = laptop.municipality()
    laptop.close()
    assert main(["workspace", "init", "--from-card", str(tmp_path / "c.json"), "--workspace", str(laptop.path),
                 "--lang", "ky"]) == 2
    assert "маалымат бар" in capsys.readouterr().err
    with open_workspace(laptop.path) as ws:
        assert ws.municipality() == before
    assert main(["central", "card", "nowhere", "--db", central.url, "--out", str(tmp_path / "n.json"), "--lang", "ru"]) == 2
    assert "nowhere" in capsys.readouterr().err and not (tmp_path / "n.json").exists()


def test_a_municipality_registered_with_its_villages_from_two_csv_files(central, tmp_path, capsys, monkeypatch):
    import shutil

    from pbtools.demo import SAMPLE_DIR

    monkeypatch.setenv("PBTOOLS_CENTRAL_DIR", str(tmp_path / "central"))
    folder = tmp_path / "tash_kyya"
    folder.mkdir()
    shutil.copyfile(SAMPLE_DIR / "villages.csv", folder / "villages.csv")
    (folder / "municipality.csv").write_text("field,ky,ru,en\nname,Таш-Кыя айыл аймагы,Таш-Кыя,Tash-Kyya\n", encoding="utf-8")
    assert main(["central", "add", "tash_kyya", "--from-folder", str(folder), "--db", central.url]) == 0
    assert main(["central", "card", "tash_kyya", "--db", central.url, "--out", str(tmp_path / "t.json")]) == 0
    card = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert card["names"]["ru"] == "Таш-Кыя" and len(card["villages"]) == 5 and card["villages"][0]["id"] == "kok-talaa"
    (folder / "villages.csv").write_text("id,name_ky,name_ru,name_en,population\nx,Х,Х,X,many\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["central", "add", "jany_jer", "--from-folder", str(folder), "--db", central.url, "--lang", "ru"]) == 2
    said = capsys.readouterr().err
    assert "villages.csv" in said and "many" in said and "Traceback" not in said, said
    assert "jany_jer" not in central.codes()
