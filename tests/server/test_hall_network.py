"""Listening on the hall network (--host 0.0.0.0) without a password: one is generated, printed once, kept hashed,
and everything but the voters' pages needs it."""

from __future__ import annotations


import pytest

from tests.fixtures.browser import Server, free_port
from tests.server.client import Browser
from tests.server.hall import make_hall


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("network") / "workspace"
    hearing, _ = make_hall(workspace, codes=1)
    log = tmp_path_factory.mktemp("logs") / "serve.log"
    server = Server(workspace, free_port(), log, ("--host", "0.0.0.0", "--no-preheat", "--public-address", "10.20.30.40"))
    yield server, hearing
    server.stop()


def test_a_password_is_generated_and_required(served):
    server, hearing = served
    out = server.log_path.read_text()
    saved = server.workspace / "facilitator-password.txt"
    assert str(saved) in out and saved.stat().st_mode & 0o777 == 0o600
    password = saved.read_text().strip()
    assert password not in out  # the console may be on the projector: it says where to read it, never what
    assert f"http://10.20.30.40:{server.port}/vote/" in out  # what the voters open, on the given address
    assert password not in (server.workspace / "server-secrets.json").read_text()

    anonymous = Browser(server.url, follow_redirects=False)
    for path in ("/", "/voila/tree", "/voila/render/console.ipynb"):
        status, _, headers = anonymous.get(path)
        assert status == 302 and headers["Location"].startswith("/login"), path
    assert Browser(server.url).get(f"/vote/{hearing}/single")[0] == 200

    facilitator = Browser(server.url)
    facilitator.get("/login")
    status, page, _ = facilitator.post("/login?next=%2Fvoila%2Fapi%2Fcontents", {"password": password})
    assert status == 200 and "console.ipynb" in page  # the notebooks' listing, now readable


def test_the_password_is_printed_once_and_the_token_never(served, tmp_path):
    """The terminal may be mirrored on the projector. A second start prints no password (it was generated
    before), and without --public-address the detected hall address, or a warning instead of http://0.0.0.0."""
    from pbtools.i18n import Msg, N_, default_lang
    from pbtools.phones.address import hall_address

    first, _ = served
    token = (first.workspace / "facilitator-link.txt").read_text().split("token=")[1].strip()
    assert token not in first.log_path.read_text()
    again = Server(first.workspace, free_port(), tmp_path / "again.log", ("--host", "0.0.0.0", "--no-preheat"))
    try:
        out = again.log_path.read_text()
        new_token = (first.workspace / "facilitator-link.txt").read_text().split("token=")[1].strip()
    finally:
        again.stop()
    assert new_token != token and new_token not in out
    assert "facilitator-password.txt" not in out
    assert "http://0.0.0.0" not in out.split("Voilà is running at")[0]
    address = hall_address()
    if address:
        assert f"http://{address}:{again.port}/vote/" in out
    else:
        assert Msg(N_("No address on a hall network was found, so phones cannot reach this laptop yet: join the "
                      "hall's Wi-Fi or start the hotspot, or give --public-address.")).render(default_lang()) in out
