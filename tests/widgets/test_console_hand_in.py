"""The console's Reports tab on a central server: a facilitator uploads the audit file a hall laptop (SQLite)
exported, and the hearing is stored in the municipality's PostgreSQL workspace, or refused in their language."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from pbtools.central.hub import ROLE_ENV, USER_ENV
from pbtools.hearings import records as R
from pbtools.hearings.store import hearing_ids, state
from pbtools.i18n import plural_translator, translator
from pbtools.reports.audit import write_audit
from pbtools.roles import FACILITATOR, OBSERVER, Actor, NotAllowed
from pbtools.hearings.hand_in_log import SYNC_LOG
from pbtools_widgets.console import ConsoleApp
from tests.sync.conftest import CODE, central, laptop  # noqa: F401  (the fixtures: a central server, a laptop)
from tests.widgets.test_console import open_tab

pytestmark = pytest.mark.postgres


def upload(section, path, name=None) -> None:
    """Choose a file in the section's upload button, as the browser hands it to the kernel."""
    data = path.read_bytes()
    section.upload.value = ({"name": name or path.name, "type": "", "size": len(data), "content": memoryview(data),
                             "last_modified": datetime.now(timezone.utc)},)


def hub_user(monkeypatch, name: str, role: str) -> None:
    """The environment the hub gives this user's server (``central.hub.spawn_environment``)."""
    monkeypatch.setenv(USER_ENV, name)
    monkeypatch.setenv(ROLE_ENV, role)


def reports(ws, lang="ky"):
    app = ConsoleApp(ws, lang=lang)
    return app, open_tab(app, "reports").hand_in


@pytest.fixture
def audit(laptop, tmp_path):  # noqa: F811
    hid = hearing_ids(laptop)[0]
    return hid, write_audit(laptop, hid, tmp_path / "hearing.jsonl")


def test_a_facilitator_hands_in_a_hearing_once_and_sees_it(central, laptop, audit, monkeypatch):  # noqa: F811
    hid, path = audit
    hub_user(monkeypatch, "aida", FACILITATOR)
    theirs = laptop.ledger.records(R.stream_of(hid))
    with central.workspace(CODE) as ws:
        app, section = reports(ws)
        assert section.shown and section.box.layout.display != "none"
        assert hid not in [v for _, v in app.choice.options]
        upload(section, path)
        assert "pb-ok" in section.result.value, section.result.value
        assert section.upload.value == ()  # let go, ready for the next file
        stored = ws.ledger.records(R.stream_of(hid))
        assert stored == theirs  # the laptop's own records, hashes and actors
        assert state(ws, hid).counters == state(laptop, hid).counters
        log = ws.ledger.records(SYNC_LOG)
        assert len(log) == 1 and log[0].actor == "aida"
        assert hid in [v for _, v in app.choice.options]  # the console lists it now
        # the same file again: accepted, nothing new stored, said so in Kyrgyz
        upload(section, path)
        nothing = plural_translator("ky")("The server already had every record of the hearing {hearing} ({n} record): "
                                          "nothing was added", "The server already had every record of the hearing "
                                          "{hearing} ({n} records): nothing was added", theirs[-1].seq, hearing=hid)
        assert "Серверде" in nothing
        assert "pb-ok" in section.result.value and nothing in section.result.value, section.result.value
        assert ws.ledger.records(R.stream_of(hid)) == theirs and len(ws.ledger.records(SYNC_LOG)) == 1


def tampered_copy(path, tmp_path):
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[3])
    record["actor"] = "someone else"
    bad = tmp_path / "tampered.jsonl"
    bad.write_text("\n".join(lines[:3] + [json.dumps(record, ensure_ascii=False)] + lines[4:]) + "\n", encoding="utf-8")
    return bad


def test_a_tampered_file_is_refused_in_kyrgyz_and_nothing_is_stored(central, audit, monkeypatch, tmp_path):  # noqa: F811
    hid, path = audit
    hub_user(monkeypatch, "aida", FACILITATOR)
    with central.workspace(CODE) as ws:
        _, section = reports(ws, lang="ky")
        upload(section, tampered_copy(path, tmp_path))
        refused = translator("ky")("{file} was not stored, nothing was changed:", file="tampered.jsonl")
        assert "pb-error" in section.result.value and refused in section.result.value, section.result.value
        assert "was not stored" not in section.result.value  # Kyrgyz, not the English id
        assert ws.ledger.records(R.stream_of(hid)) == [] and ws.ledger.records(SYNC_LOG) == []
        not_audit = tmp_path / "budget.jsonl"
        not_audit.write_bytes(b"\xff\xfe not an audit file")  # not even UTF-8: refused, not a crash
        upload(section, not_audit)
        assert "pb-error" in section.result.value and "budget.jsonl" in section.result.value, section.result.value
        assert "/tmp" not in section.result.value and str(tmp_path) not in section.result.value  # named, not where it was put
        assert ws.ledger.records(SYNC_LOG) == []
        upload(section, path)  # the good file still goes in afterwards
        assert "pb-ok" in section.result.value and ws.ledger.records(R.stream_of(hid))


def test_an_observer_may_not_hand_in(central, audit, monkeypatch):  # noqa: F811
    hid, path = audit
    hub_user(monkeypatch, "olga", OBSERVER)
    with central.workspace(CODE) as ws:
        _, section = reports(ws, lang="ru")
        upload(section, path)
        expected = NotAllowed(Actor("olga", OBSERVER), "sync").render("ru")
        assert "pb-error" in section.result.value and expected in section.result.value, section.result.value
        assert ws.ledger.records(R.stream_of(hid)) == [] and ws.ledger.records(SYNC_LOG) == []


def test_a_laptop_shows_no_hand_in(laptop, audit, monkeypatch):  # noqa: F811
    hid, path = audit
    monkeypatch.delenv(ROLE_ENV, raising=False)
    monkeypatch.delenv(USER_ENV, raising=False)
    _, section = reports(laptop)
    assert not section.shown and section.box.layout.display == "none"
    before = len(laptop.ledger.records(R.stream_of(hid)))
    assert section.hand_in(path.name, path.read_bytes()) is False  # nothing to hand in to itself
    assert section.result.value == "" and len(laptop.ledger.records(R.stream_of(hid))) == before
