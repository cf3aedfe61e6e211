"""Who handed a hearing in, and when, is shown where a reviewer looks at it (s23 F12: a made-up hearing whose records
say root and olga entered them was shown like any other; only the sync log knew who sent it)."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from pbtools.dates import shown_day
from pbtools.hearings.store import hearing_ids
from pbtools.i18n import translator
from pbtools.moments import ZONE_SETTING
from pbtools.reports.audit import write_audit
from pbtools.hearings.hand_in_log import hand_ins
from pbtools.sync.push import hand_in
from tests.sync.conftest import CODE

pytestmark = pytest.mark.postgres


def test_the_console_shows_who_handed_the_hearing_in_and_that_the_records_names_are_the_laptops(central, laptop, tmp_path):
    from pbtools_widgets.console.app import ConsoleApp

    hid = hearing_ids(laptop)[0]
    with central.workspace(CODE) as ws:
        handed = hand_in(ws, write_audit(laptop, hid, tmp_path / "a.jsonl"), central.actor("aida", CODE))
        (note,) = hand_ins(ws, hid)
        assert (note.user, note.first, note.last) == ("aida", 1, handed.head_seq)
        ws.set_setting(ZONE_SETTING, "Asia/Bishkek")  # the municipality's zone: a central server often runs in UTC
        bishkek = note.at.astimezone(timezone.utc) + timedelta(hours=6)
        for lang in ("ky", "ru", "en"):
            app = ConsoleApp(ws, lang=lang)
            app.select(hid)
            app.refresh_panels()
            shown = app.panels["hearing"].details.value
            _ = translator(lang)
            said = _("Handed in from a laptop by {user} on {time} (records {first} to {last}).", user="aida",
                     time=f"{shown_day(bishkek, lang)} {bishkek:%H:%M} (UTC+6)", first=1, last=handed.head_seq)
            assert said in shown, lang
            assert _("Who entered each record, and when, is what the laptop's file says: the server checked that "
                     "pbtools could have written it, not who did.").replace("'", "&#39;") in shown, lang
        # a hearing made on this server says nothing of the kind
        assert hand_ins(laptop, hid) == []
