"""Listening on the hall network (--host 0.0.0.0) without a password: one is generated, printed once, kept hashed,
and everything but the voters' pages needs it."""

from __future__ import annotations

import re

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
    password = re.search(r"only its hash is kept\): (\S+)", out).group(1)
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
