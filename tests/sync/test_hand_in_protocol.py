"""The protocol printed on the central server for a hearing handed in from a laptop (new-user trial s26 M1: it lost
section 4's budget lines yet printed the laptop's head hash as if it were the same document). The budget is not one
of the hearing's records, so it is not handed in (docs/deployment.md): the protocol says so, in the user's language."""

from __future__ import annotations

import pytest

from pbtools.hearings.store import hearing_ids
from pbtools.i18n import translator
from pbtools.reports.audit import write_audit
from pbtools.reports.document import Fields, Heading
from pbtools.reports.make import protocol_document
from pbtools.sync.push import hand_in
from tests.sync.conftest import CODE

pytestmark = pytest.mark.postgres


def budget_rows(ws, hid: str, lang: str) -> dict[str, str]:
    """Section 4 of the protocol ("The budget presented"): label -> value."""
    blocks = protocol_document(ws, hid, lang, charts=False).blocks
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == translator(lang)("The budget presented"))
    fields = blocks[at + 1]
    assert isinstance(fields, Fields)
    return dict(fields.rows)


def test_the_central_protocol_says_the_budget_was_not_handed_in(central, laptop, tmp_path):
    hid = hearing_ids(laptop)[0]
    with central.workspace(CODE) as ws:
        hand_in(ws, write_audit(laptop, hid, tmp_path / "a.jsonl"), central.actor("aida", CODE))
        for lang in ("ky", "ru", "en"):
            _ = translator(lang)
            hall, here = budget_rows(laptop, hid, lang), budget_rows(ws, hid, lang)
            assert _("Budget year") in hall and _("Budget year, revenue, expenditure") not in hall  # the laptop's own
            assert _("Budget year") not in here
            assert here[_("Budget year, revenue, expenditure")] == _(
                "not handed in with the hearing: they are in the protocol printed on the laptop")
            # what the records carry is the same on both
            assert here[_("Budget for projects")] == hall[_("Budget for projects")]
        assert "не сданы вместе со слушаниями" in budget_rows(ws, hid, "ru")["Бюджетный год, доходы, расходы"]
        # a budget imported on the server is printed, said to be the server's and not covered by the hash
        ws.save_budget(laptop.load_budget())
        for lang in ("ky", "ru", "en"):
            _ = translator(lang)
            here = budget_rows(ws, hid, lang)
            assert here[_("Budget year")] == budget_rows(laptop, hid, lang)[_("Budget year")]
            assert _("from the budget stored on this server, not handed in with the hearing: the hash at the end does "
                     "not cover them, and the protocol printed on the laptop may show others") in here.values()
