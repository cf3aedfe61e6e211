"""A ballot stored just before the server died: the phone never got its receipt, and sends the same form again
once the server is back. It gets the same receipt ("already received at 14:03"), not "already used"; another form
with the same code (or from the same phone, in open mode) is still refused. Through a real SIGKILL."""

from __future__ import annotations

import re
import time
import urllib.parse

from pbtools.hearings.store import HearingStore
from pbtools.i18n import Msg, N_
from pbtools.phones.view import new_submission_id, receipt_text
from pbtools.phones.mode import OPEN, set_phone_mode
from pbtools.storage import open_workspace
from tests.fixtures.browser import Server, free_port
from tests.server.source import Device, raw_socket


def voter_key(workspace) -> bytes:
    from pbtools.server.auth import load_secrets

    return bytes.fromhex(load_secrets(workspace)["voter_secret"])

SUBMISSION = re.compile(r'name="submission" value="([^"]+)"')
RECEIPT = re.compile(r'id="receipt">([^<]+)<')


def cast_records(workspace, hearing: str) -> list:
    with open_workspace(workspace, create=False) as ws:
        return [r for r in ws.ledger.records(HearingStore(ws, hearing).stream) if r.kind == "ballot.cast"]


def post_then_kill(server: Server, phone: Device, path: str, fields: list, hearing: str) -> None:
    """Send the form and SIGKILL the server as soon as its ballot is in the database: the phone never reads the
    answer."""
    before = len(cast_records(server.workspace, hearing))
    body = urllib.parse.urlencode(fields)
    cookie = "; ".join(f"{k}={v}" for k, v in phone.cookies.items())
    s = raw_socket(server.port, "127.0.0.1")
    s.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-"
               f"urlencoded\r\nContent-Length: {len(body)}\r\n\r\n{body}").encode())
    deadline = time.monotonic() + 30
    while len(cast_records(server.workspace, hearing)) == before:
        assert time.monotonic() < deadline, "the ballot was never stored"
        time.sleep(0.002)
    server.process.kill()
    server.process.wait(timeout=20)
    server.log.close()
    s.close()


def retry_gets_the_same_receipt(tmp_path, workspace, hearing: str, question: str, fields: list, label: str,
                                refused_msgid: str) -> None:
    port = free_port()
    server = Server(workspace, port, tmp_path / f"{label}-1.log", ("--no-preheat",))
    phone = Device(port)
    path = f"/vote/{hearing}/{question}?lang=en"
    page = phone.get(path)[1]
    form = [*fields, ("submission", SUBMISSION.search(page).group(1)), ("_xsrf", phone.xsrf)]
    post_then_kill(server, phone, path, form, hearing)
    stored = cast_records(workspace, hearing)[-1]

    server = Server(workspace, port, tmp_path / f"{label}-2.log", ("--no-preheat",))
    try:
        status, page, _ = phone.request("POST", path, form)  # the very same form, sent again
        assert status == 200 and RECEIPT.search(page).group(1) == receipt_text(voter_key(workspace), stored.hash)
        at = stored.created_at.astimezone().strftime("%H:%M")
        assert Msg(N_("Your ballot was already received at {time}; it is recorded once."), time=at).render("en") in page
        assert [r.seq for r in cast_records(workspace, hearing)].count(stored.seq) == 1

        # a new form (a new id) with the same code, or from the same phone: refused as before (the phone is told
        # so when it opens the ballot again: a form of a new id sent anyway)
        status, page, _ = phone.get(path)
        assert (status == 409 and Msg(refused_msgid).render("en") in page) if label == "open" else status == 200
        again = [*fields, ("submission", new_submission_id()), ("_xsrf", phone.xsrf)]
        status, page, _ = phone.request("POST", path, again)
        assert status == 409 and Msg(refused_msgid).render("en") in page
        # a made-up id does not get someone else's receipt either
        status, page, _ = phone.request("POST", path, [*fields, ("submission", "A" * 22), ("_xsrf", phone.xsrf)])
        assert status == 409 and 'id="receipt"' not in page
        assert len([r for r in cast_records(workspace, hearing) if r.payload.get("question") == question]) == 1
    finally:
        server.stop()


def test_codes_mode_retry_after_sigkill(tmp_path):
    from tests.server.hall import make_hall

    workspace = tmp_path / "workspace"
    hearing, codes = make_hall(workspace, codes=2)
    retry_gets_the_same_receipt(tmp_path, workspace, hearing, "motion", [("answer", "yes"), ("code", codes[0])], "codes",
                                N_("This voting code has already been used for this question"))


def test_open_mode_retry_after_sigkill(tmp_path):
    from tests.server.hall import make_hall

    workspace = tmp_path / "workspace"
    hearing, _ = make_hall(workspace, codes=1)
    with open_workspace(workspace, create=False) as ws:
        set_phone_mode(ws, hearing, OPEN, actor="test")
    retry_gets_the_same_receipt(tmp_path, workspace, hearing, "single", [("choice", "P2")], "open",
                                N_("This phone has already voted on this question"))
