"""pbtools central add/grant/list/revoke and hub init: the registry edited from the command line, bad input refused
in the user's language with nothing changed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pbtools.central.registry import Central, NoAccess

pytestmark = pytest.mark.postgres


def pbtools(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pbtools", *args], capture_output=True, text=True)


def test_the_registry_from_the_command_line(pg_fresh_url, tmp_path):
    done = pbtools("central", "add", "tash_bulak", "--name-ky", "Таш-Булак", "--name-ru", "Таш-Булак", "--db", pg_fresh_url, "--lang", "ru")
    assert done.returncode == 0 and "tash_bulak" in done.stdout, done.stderr
    bad = pbtools("central", "add", "Таш Булак", "--name-ky", "x", "--db", pg_fresh_url, "--lang", "ky")
    assert bad.returncode == 2 and "муниципалитеттин коду эмес" in bad.stderr
    assert pbtools("central", "grant", "aida", "tash_bulak", "facilitator", "--db", pg_fresh_url).returncode == 0
    wrong = pbtools("central", "grant", "aida", "tash_bulak", "mayor", "--db", pg_fresh_url, "--lang", "ru")
    assert wrong.returncode == 2 and "не роль" in wrong.stderr
    nowhere = pbtools("central", "grant", "aida", "kara_suu", "facilitator", "--db", pg_fresh_url, "--lang", "en")
    assert nowhere.returncode == 2 and "There is no municipality kara_suu" in nowhere.stderr
    listed = pbtools("central", "list", "--db", pg_fresh_url, "--lang", "ky")
    assert "tash_bulak\tТаш-Булак" in listed.stdout and "aida\ttash_bulak\tfacilitator" in listed.stdout
    with Central(pg_fresh_url, tmp_path) as central:
        assert central.actor("aida", "tash_bulak").role == "facilitator"
        assert pbtools("central", "revoke", "aida", "tash_bulak", "--db", pg_fresh_url).returncode == 0
        with pytest.raises(NoAccess):
            central.actor("aida", "tash_bulak")


def test_hub_init_writes_an_owner_only_config_and_refuses_a_database_it_cannot_open(pg_fresh_url, tmp_path):
    done = pbtools("hub", "init", str(tmp_path / "hub"), "--db", pg_fresh_url, "--port", "18123")
    assert done.returncode == 0, done.stderr
    config = tmp_path / "hub" / "jupyterhub_config.py"
    assert oct(config.stat().st_mode & 0o777) == "0o600" and "configure(c, db_url=" in config.read_text()
    compile(config.read_text(), str(config), "exec")
    gone = pbtools("hub", "init", str(tmp_path / "other"), "--db", "postgresql://nobody@127.0.0.1:1/none", "--lang", "ru")
    assert gone.returncode == 2 and "Не удаётся открыть базу данных" in gone.stderr, gone.stderr
    assert not (tmp_path / "other" / "jupyterhub_config.py").exists()


def test_hub_init_takes_the_public_address_phones_are_given_and_refuses_one_that_is_not(pg_fresh_url, tmp_path):
    done = pbtools("hub", "init", str(tmp_path / "hub"), "--db", pg_fresh_url, "--public-url", "https://pb.example.kg")
    assert done.returncode == 0, done.stderr
    config = (tmp_path / "hub" / "jupyterhub_config.py").read_text()
    assert "public_url='https://pb.example.kg/'" in config
    for bad in ("pb.example.kg", "ftp://pb.example.kg/", "https://pb.example.kg/hub/", "https://pb.example.kg:port/"):
        refused = pbtools("hub", "init", str(tmp_path / "bad"), "--db", pg_fresh_url, "--public-url", bad, "--lang", "ru")
        assert refused.returncode == 2 and f"--public-url {bad}: укажите адрес" in refused.stderr, (bad, refused.stderr)
        assert not (tmp_path / "bad" / "jupyterhub_config.py").exists()


def test_adding_a_registered_code_again_is_refused_and_rename_keeps_the_villages(pg_fresh_url, tmp_path, demo_template):
    # s26 H1: `central add CODE --name-ky X` on a registered code said "registered", replaced every name and dropped
    # the villages, and every later hand-in of that municipality was refused
    from tests.fixtures.demo import copy_demo

    laptop = copy_demo(demo_template, tmp_path / "laptop")
    assert pbtools("central", "add", "ak_suu", "--from-workspace", str(laptop), "--db", pg_fresh_url).returncode == 0
    with Central(pg_fresh_url, tmp_path / "c") as central, central.workspace("ak_suu") as ws:
        names, villages = central.names("ak_suu"), ws.municipality().villages
    assert len(names) == 3 and len(villages) == 5
    for again in (["--name-ky", "X"], ["--from-workspace", str(laptop)]):
        refused = pbtools("--lang", "ru", "central", "add", "ak_suu", *again, "--db", pg_fresh_url)
        assert refused.returncode == 2 and "ak_suu уже зарегистрирован" in refused.stderr, refused
        assert "central rename ak_suu" in refused.stderr and "Traceback" not in refused.stderr
        with Central(pg_fresh_url, tmp_path / "c") as central, central.workspace("ak_suu") as ws:
            assert central.names("ak_suu") == names and ws.municipality().villages == villages
    renamed = pbtools("--lang", "en", "central", "rename", "ak_suu", "--name-ru", "Кок-Талаа (новое)", "--db", pg_fresh_url)
    assert renamed.returncode == 0 and f"{names['ru']} -> Кок-Талаа (новое)" in renamed.stdout, renamed
    with Central(pg_fresh_url, tmp_path / "c") as central, central.workspace("ak_suu") as ws:
        assert central.names("ak_suu") == {**names, "ru": "Кок-Талаа (новое)"}
        assert ws.municipality().names == central.names("ak_suu") and ws.municipality().villages == villages
    nothing = pbtools("--lang", "ky", "central", "rename", "ak_suu", "--db", pg_fresh_url)
    assert nothing.returncode == 2 and "Жаңы аталышты бериңиз" in nothing.stderr
    unknown = pbtools("--lang", "en", "central", "rename", "kara_suu", "--name-ky", "Y", "--db", pg_fresh_url)
    assert unknown.returncode == 2 and "There is no municipality kara_suu" in unknown.stderr


def test_central_commands_say_a_bad_database_or_folder_in_a_line_and_revoke_says_what_it_did(pg_fresh_url, tmp_path):
    # s26 M6/L5: `central list` with a bad database and `add --from-workspace` of a missing folder printed English
    # tracebacks; `revoke` printed nothing, for a grant that did not exist either
    gone = "postgresql://nobody@127.0.0.1:1/none"
    for args in (["list"], ["revoke", "aida", "ak_suu"], ["rename", "ak_suu", "--name-ky", "X"]):
        said = pbtools("--lang", "ru", "central", *args, "--db", gone)
        assert said.returncode == 2 and "Не удаётся открыть базу данных" in said.stderr, (args, said.stderr)
        assert "Traceback" not in said.stderr and len(said.stderr.strip().splitlines()) == 1, said.stderr
    missing = pbtools("--lang", "ky", "central", "add", "ak_suu", "--from-workspace", str(tmp_path / "nowhere"), "--db", pg_fresh_url)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr and str(tmp_path / "nowhere") in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1, missing.stderr
    with Central(pg_fresh_url, tmp_path / "c") as central:
        assert central.codes() == []
    assert pbtools("central", "add", "ak_suu", "--name-ky", "Ак-Суу", "--db", pg_fresh_url).returncode == 0
    assert pbtools("central", "grant", "olga", "ak_suu", "observer", "--db", pg_fresh_url).returncode == 0
    revoked = pbtools("--lang", "ru", "central", "revoke", "olga", "ak_suu", "--db", pg_fresh_url)
    assert revoked.returncode == 0 and "Отозван доступ: olga (наблюдатель) к ak_suu" in revoked.stdout, revoked
    again = pbtools("--lang", "en", "central", "revoke", "olga", "ak_suu", "--db", pg_fresh_url)
    assert again.returncode == 2 and "olga had no grant on ak_suu: nothing was revoked" in again.stderr, again


def test_a_municipality_registered_without_villages_gets_them_from_a_folder(pg_fresh_url, tmp_path):
    """Registered by its names alone, a municipality has no villages to check a hand-in's hearing against: `add`
    says so, and `rename --from-folder` adds the folder's villages (only those it lacks; registered ones stay)."""
    from pbtools.budget.municipality import read_municipality
    from pbtools.demo import SAMPLE_DIR

    sample = read_municipality(SAMPLE_DIR)
    added = pbtools("--lang", "ru", "central", "add", "ak_suu", *(f"--name-{k}={v}" for k, v in sample.names.items()),
                    "--db", pg_fresh_url)
    assert added.returncode == 0 and "У него нет сёл" in added.stdout and "central rename ak_suu --from-folder" in added.stdout
    with Central(pg_fresh_url, tmp_path / "c") as central, central.workspace("ak_suu") as ws:
        assert ws.municipality().villages == ()
    renamed = pbtools("--lang", "ru", "central", "rename", "ak_suu", "--from-folder", str(SAMPLE_DIR), "--db", pg_fresh_url)
    assert renamed.returncode == 0, renamed
    assert "Добавлены сёла: " + ", ".join(v.name("ru") for v in sample.villages) in renamed.stdout
    with Central(pg_fresh_url, tmp_path / "c") as central, central.workspace("ak_suu") as ws:
        assert ws.municipality().villages == sample.villages and central.names("ak_suu") == dict(sample.names)
    # another municipality's folder (a wrong path): its villages would stay for good and pass hand-ins' checks
    other = tmp_path / "tash-kyya"
    other.mkdir()
    (other / "municipality.csv").write_text("field,ky,ru,en\nname,Таш-Кыя айыл аймагы,Таш-Кыинский айылный аймак,"
                                            "Tash-Kyya ayil aimak\n", encoding="utf-8")
    (other / "villages.csv").write_text("id,name_ky,name_ru,name_en,population\ntash-kyya,Таш-Кыя,Таш-Кыя,Tash-Kyya,900\n",
                                        encoding="utf-8")
    wrong = pbtools("--lang", "ru", "central", "rename", "ak_suu", "--from-folder", str(other), "--db", pg_fresh_url)
    assert wrong.returncode == 2 and "Таш-Кыинский айылный аймак" in wrong.stderr and "ничего не изменено" in wrong.stderr, wrong
    again = pbtools("--lang", "en", "central", "rename", "ak_suu", "--from-folder", str(SAMPLE_DIR), "--db", pg_fresh_url)
    assert again.returncode == 0 and "No village added" in again.stdout, again
    with Central(pg_fresh_url, tmp_path / "c") as central, central.workspace("ak_suu") as ws:
        assert ws.municipality().villages == sample.villages
