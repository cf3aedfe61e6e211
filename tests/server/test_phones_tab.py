"""The console's Phone voting tab: the address and QR code for the projector, the mode on record, never a code."""

from __future__ import annotations

import html

import pytest

from pbtools.hearings.codes import normalize
from pbtools.phones.mode import CODES, OFF, OPEN, ModeChanged, mode_read, phone_mode, set_phone_mode, stream_of
from pbtools.storage import open_workspace
from tests.server.hall import make_hall


@pytest.fixture
def console(tmp_path, monkeypatch):
    monkeypatch.setenv("PBTOOLS_PUBLIC_URL", "http://192.168.43.10:8866")
    monkeypatch.setenv("PBTOOLS_SERVE_HOST", "0.0.0.0")
    hearing, codes = make_hall(tmp_path / "ws", codes=5)
    from pbtools_widgets.console.app import ConsoleApp

    ws = open_workspace(tmp_path / "ws", create=False)
    app = ConsoleApp(ws, lang="ky")
    app.operator.value = "Айгүл"
    yield app, hearing, codes
    ws.close()


def shown(panel) -> str:
    return " ".join(str(getattr(w, "value", "")) for w in panel.box.children)


def test_the_projector_shows_the_address_and_no_code(console):
    app, hearing, codes = console
    app.tabs.selected_index = list(app.panels).index("phones")  # the facilitator opens the tab
    panel = app.panels["phones"]
    text = shown(panel)
    assert f"http://192.168.43.10:8866/vote/{hearing}" in text and 'id="pb-phone-qr"' in text
    flat = text.upper().replace("-", "")
    assert not any(c in text or normalize(c) in flat for c in codes)
    assert app.tabs.get_title(list(app.panels).index("phones")) == "Телефондон добуш берүү"


def test_the_mode_is_recorded_with_who_set_it(console):
    app, hearing, _ = console
    app.tabs.selected_index = list(app.panels).index("phones")  # the facilitator opens the tab
    panel = app.panels["phones"]
    assert panel.mode.value == CODES
    panel.mode.value = OPEN
    panel.apply_mode()
    assert phone_mode(app.ws, hearing) == OPEN
    record = app.ws.ledger.records(stream_of(hearing))[-1]
    assert record.actor == "Айгүл" and record.payload == {"mode": OPEN}
    assert "pb-error" in shown(panel)  # open mode is flagged as informal


def test_a_server_on_loopback_is_flagged(console, monkeypatch):
    app, _, _ = console
    monkeypatch.setenv("PBTOOLS_SERVE_HOST", "127.0.0.1")
    app.tabs.selected_index = list(app.panels).index("phones")  # the facilitator opens the tab
    panel = app.panels["phones"]
    panel.render()
    assert "--host 0.0.0.0" in shown(panel)


def test_without_an_address_from_the_server_it_is_detected_now_or_flagged(console, monkeypatch):
    """`pbtools serve` found no hall network: the tab looks again (the hotspot may be up now) with the server's
    port, and without any address says so instead of a QR code for http://0.0.0.0."""
    from pbtools.phones.address import hall_address

    app, hearing, _ = console
    monkeypatch.delenv("PBTOOLS_PUBLIC_URL")
    monkeypatch.setenv("PBTOOLS_SERVE_PORT", "8999")
    app.tabs.selected_index = list(app.panels).index("phones")
    panel = app.panels["phones"]
    panel.render()
    text = shown(panel)
    address = hall_address()
    assert "0.0.0.0" not in text and "192.168.43.10" not in text  # not the address the fixture gave
    if address:
        assert f"http://{address}:8999/vote/{hearing}" in text and 'id="pb-phone-qr"' in text
    else:
        assert 'id="pb-phone-no-address"' in text and 'id="pb-phone-qr"' not in text


def test_a_mode_chosen_on_what_another_screen_changed_since_is_refused(console, tmp_path):
    """Two facilitators' consoles: Бакыт turns phones off (votes coming from outside the hall); Айгүл, whose tab still
    shows codes, chooses open mode: refused (in her language, naming who turned it off), phones stay off, and her tab
    shows the mode on record. Choosing what is on record already writes nothing."""
    from pbtools_widgets.console.app import ConsoleApp

    app, hearing, _ = console
    phones = list(app.panels).index("phones")
    app.tabs.selected_index = phones
    with open_workspace(tmp_path / "ws", create=False) as other:
        second = ConsoleApp(other, lang="ru")
        second.operator.value = "Бакыт"
        second.tabs.selected_index = phones
        second.panels["phones"].mode.value = OFF
        second.panels["phones"].apply_mode()
    panel = app.panels["phones"]
    assert panel.mode.value == CODES  # her tab as it was drawn
    panel.mode.value = OPEN
    panel.apply_mode()
    said = html.unescape(shown(panel))
    assert "pb-error" in said and "Бакыт" in said and "эч нерсе жазылган жок" in said
    assert phone_mode(app.ws, hearing) == OFF and panel.mode.value == OFF
    records = len(app.ws.ledger.records(stream_of(hearing)))
    app.lang_switch.value = "en"
    assert "Бакыт set the way of voting from phones to «Off" in html.unescape(shown(panel))

    with open_workspace(tmp_path / "ws", create=False) as other:  # both turn phones on with codes at once
        _, seen = mode_read(app.ws, hearing)
        assert set_phone_mode(other, hearing, CODES, actor="Бакыт", based_on=mode_read(other, hearing)[1])
        assert not set_phone_mode(app.ws, hearing, CODES, actor="Айгүл", based_on=seen)  # what she chose: said, not written
    assert len(app.ws.ledger.records(stream_of(hearing))) == records + 1


def test_a_mode_decided_on_records_put_back_from_a_copy_is_refused(console, tmp_path):
    from tests.fixtures.db_copies import copy_db, restore_db

    app, hearing, _ = console
    backup = copy_db(tmp_path / "ws", tmp_path / "backup.sqlite")  # phones with codes (no record)
    set_phone_mode(app.ws, hearing, OFF, actor="Бакыт")
    _, seen = mode_read(app.ws, hearing)  # her screen: off
    restore_db(tmp_path / "ws", backup)
    with pytest.raises(ModeChanged) as e:
        set_phone_mode(app.ws, hearing, OPEN, actor="Айгүл", based_on=seen)
    assert "«С кодами для голосования" in e.value.render("ru") and "records put back from a copy" in e.value.render("en")
    assert phone_mode(app.ws, hearing) == CODES and app.ws.ledger.records(stream_of(hearing)) == []
