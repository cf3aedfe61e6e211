"""Who gets a hub account, and what it may do once the grants change: the attacks of the s23 trial against a real
JupyterHub (tests/hub/conftest.py) with plain HTTP clients, as an attacker's script would send them.

- F1: a name that is granted but not signed up yet (a ``*`` administrator's) could be taken by anyone; now only the
  operator's invitation code for that name makes the account.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from sqlalchemy import text

from pbtools.central import accounts
from pbtools.central.registry import Central
from tests.hub.conftest import OPERATOR, ROOT
from tests.hub.hubhttp import Client

pytestmark = [pytest.mark.postgres, pytest.mark.hub]
REFUSED = "The invitation code is not valid for {user}"
CREATED = "The account was created. You can log in now."


def central_cli(hub, *args: str) -> subprocess.CompletedProcess:
    """``pbtools central ARGS --db URL`` as the operator runs it."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / ".pyalias"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "pbtools", "central", *args, "--db", hub.db_url, "--lang", "en"],
                          env=env, capture_output=True, text=True, timeout=120)


def printed_code(output: str) -> str:
    found = re.search(r"Invitation code for \S+: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", output)
    assert found, output
    return found.group(1)


def test_a_granted_name_is_taken_only_with_its_invitation_code(hub):
    squatter = Client(hub, "127.0.0.9")
    # root holds '*' admin and has not signed up here: no code, a made-up one, another name's code: no account
    other = hub.invite("meder")
    for code in ("", "ABCD-EFGH-JKLM", other):
        assert REFUSED.format(user="root") in squatter.sign_up("root", code), code
        assert squatter.log_in("root").status_code == 200  # the login page again: no such account
    # an expired code is refused too
    late = hub.invite("saule")
    with Central(hub.db_url, hub.folder / "municipalities") as central, central.engine.begin() as conn:
        conn.execute(text("UPDATE pbtools_central.invitations SET expires_at = now() - interval '1 minute' "
                          "WHERE username = 'saule'"))
    assert REFUSED.format(user="saule") in squatter.sign_up("saule", late)
    # the operator's grant prints a code for a name never invited; `invite` replaces it
    granted = central_cli(hub, "grant", "nurlan", "*", "admin")
    assert granted.returncode == 0, granted.stderr
    first = printed_code(granted.stdout)
    again = central_cli(hub, "grant", "nurlan", "kara_too", "facilitator")  # already invited: no other code
    assert again.returncode == 0 and "Invitation code" not in again.stdout, again
    invited = central_cli(hub, "invite", "nurlan")
    second = printed_code(invited.stdout)
    assert REFUSED.format(user="nurlan") in squatter.sign_up("nurlan", first)
    # the person with the code (typed in small letters, spaces for dashes) gets the account, approved at once
    person = Client(hub, "127.0.0.10")
    assert person.sign_up("nurlan", second.lower().replace("-", " ")) == CREATED
    assert person.log_in("nurlan").status_code == 302
    # once: the code is used, and the name is taken
    with Central(hub.db_url, hub.folder / "municipalities") as central:
        assert not accounts.claim(central, "nurlan", second)
        with pytest.raises(Exception, match="cannot be a hub user name"):
            accounts.issue(central, "Nurlan Bek", OPERATOR)
    assert squatter.sign_up("nurlan", second) == "This username is already taken. Please choose another one."
