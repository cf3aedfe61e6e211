"""Who gets a hub account, and what it may do once the grants change: the attacks of the s23 trial against a real
JupyterHub (tests/hub/conftest.py) with plain HTTP clients, as an attacker's script would send them.

- F1: a name that is granted but not signed up yet (a ``*`` administrator's) could be taken by anyone; now only the
  operator's invitation code for that name makes the account.
- F2: a changed grant stops the user's running servers at once, and hub administrators are exactly the grants'
  (told by ``pbtools central``, and at every start).
- F3: approving, withdrawing or discarding an account takes the approval page's POST (with the hub's XSRF token).
- F7: wrong passwords lock out the address they came from, not the user; a bounded total per user.
- F8: junk sign-ups make nothing and are cut off per address.
- s26 M2: a wrong code is answered the same whether the name has an account or not.
- s26 H4: behind a proxy that hides the clients' addresses, a browser that logged in before is not locked out by
  another device's wrong passwords, and the hub's log says loudly that clients share one address.
"""

from __future__ import annotations

import os
import re
import sqlite3
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


@pytest.fixture(scope="module")
def hub(fresh_hub):
    """A hub of the module's own (tests/hub/conftest.py): it is restarted here, its administrators change, and root
    is expected not to have signed up."""
    return fresh_hub


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
    assert REFUSED.format(user="nurlan") in squatter.sign_up("nurlan", second)  # used: the name's account is not told


def open_console(client: Client, name: str) -> int:
    """Starts ``name``'s server (the hub's spawn page, followed) and asks for the console: its status."""
    import time

    client.get(f"/hub/spawn/{name}")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        answer = client.get(f"/user/{name}/voila/render/console.ipynb?lang=en")
        if "/hub/" not in answer.url:  # the user's server answered (not the hub's pending page)
            return answer.status_code
        time.sleep(1)
    raise TimeoutError(f"{name}'s server did not start")


def test_a_changed_grant_stops_the_users_servers_at_once(hub):
    """s23 F2: a facilitator's server kept its role (and handed in hearings) after the revoke until its next start."""
    assert central_cli(hub, "grant", "timur", "ak_suu", "facilitator").returncode == 0
    timur = Client(hub, "127.0.0.12")
    assert timur.sign_up("timur", hub.invite("timur")) == CREATED and timur.log_in("timur").status_code == 302
    assert open_console(timur, "timur") == 200 and hub.running("timur") == {""}
    # the role changes: the server started as a facilitator's is stopped; started again, it is an observer's
    changed = central_cli(hub, "grant", "timur", "ak_suu", "observer")
    assert hub.running("timur") == set(), changed
    assert changed.returncode == 0 and "timur's running servers were stopped" in changed.stdout, changed
    assert open_console(timur, "timur") == 403
    # revoked: stopped at once, and no server starts again
    revoked = central_cli(hub, "revoke", "timur", "ak_suu")
    assert hub.running("timur") == set(), revoked
    assert timur.get("/user/timur/voila/render/console.ipynb", allow_redirects=False).status_code != 200
    assert revoked.returncode == 0 and "timur's running servers were stopped" in revoked.stdout, revoked
    assert "No municipality is granted to you yet" in timur.get("/hub/spawn/timur?lang=en").text


def test_a_revoked_administrator_is_no_longer_one_at_once_nor_after_a_restart(hub):
    """s23 F2: a revoked '*' administrator stayed the hub's administrator, hub restarts included."""
    granted = central_cli(hub, "grant", "nurbek", "*", "admin")
    nurbek = Client(hub, "127.0.0.13")
    assert nurbek.sign_up("nurbek", printed_code(granted.stdout)) == CREATED
    hub.stop()  # as the docs said to do after a grant (the hub's start then read the administrators)
    hub.start()
    assert nurbek.log_in("nurbek").status_code == 302
    assert nurbek.me()["admin"] is True and nurbek.get("/hub/admin").status_code == 200
    revoked = central_cli(hub, "revoke", "nurbek", "*")
    # the same session, at once: no administrator, no administration page, no list of the users
    assert nurbek.me()["admin"] is False, revoked
    assert nurbek.get("/hub/admin").status_code == 403 and nurbek.get("/hub/api/users").status_code == 403
    assert revoked.returncode == 0 and "nurbek is no longer a hub administrator" in revoked.stdout, revoked
    # granted again (an administrator at once), then revoked while the hub is down: the next start clears it,
    # before nurbek comes back
    again = central_cli(hub, "grant", "nurbek", "*", "admin")
    assert nurbek.me()["admin"] is True and "nurbek is a hub administrator now" in again.stdout, again
    hub.stop()
    down = central_cli(hub, "revoke", "nurbek", "*")
    assert down.returncode == 0 and "did not answer" in down.stdout, down
    hub.start()
    assert "nurbek" not in hub.admins() and "root" in hub.admins()
    assert nurbek.me()["admin"] is False and nurbek.get("/hub/admin").status_code == 403  # the old login cookie


def test_an_account_is_approved_or_withdrawn_only_by_the_approval_pages_post(hub):
    """s23 F3: a GET of /hub/authorize/NAME toggled the approval (and /hub/discard/NAME deleted): any site could
    make a logged-in administrator's browser do it with a link."""
    admin, kanat = Client(hub, "127.0.0.14"), Client(hub, "127.0.0.15")  # each login that succeeds: a new client
    assert admin.sign_up("aigul", printed_code(central_cli(hub, "grant", "aigul", "*", "admin").stdout)) == CREATED
    assert kanat.sign_up("kanat", printed_code(central_cli(hub, "grant", "kanat", "ak_suu", "observer").stdout)) == CREATED
    logged_in = admin.log_in("aigul")
    assert logged_in.status_code == 302 and admin.get("/hub/authorize").status_code == 200
    # the login cookie goes with no other site's POST
    assert all("samesite=lax" in c.lower() for c in logged_in.raw.headers.getlist("Set-Cookie") if "jupyterhub" in c), \
        logged_in.raw.headers.getlist("Set-Cookie")
    # a link, as another site's page makes the browser open it: refused, nothing changes
    assert admin.get("/hub/authorize/kanat", allow_redirects=False).status_code == 405
    assert admin.get("/hub/discard/kanat", allow_redirects=False).status_code == 405
    assert Client(hub, "127.0.0.15").log_in("kanat").status_code == 302  # each login a new device's
    # a POST without the approval page's token (another site's form): refused
    assert admin.post("/hub/authorize/kanat", {}, allow_redirects=False).status_code == 403
    assert Client(hub, "127.0.0.15").log_in("kanat").status_code == 302
    # the approval page's own button: withdrawn, and kanat cannot log in; approved again, he can
    token = admin.xsrf("/hub/authorize")
    assert admin.post("/hub/authorize/kanat", {"_xsrf": token}, allow_redirects=False).status_code == 302
    refused = kanat.log_in("kanat")
    assert refused.status_code == 200 and "has not been approved" in kanat.login_error(refused), kanat.login_error(refused)
    assert admin.post("/hub/authorize/kanat", {"_xsrf": token}, allow_redirects=False).status_code == 302
    assert Client(hub, "127.0.0.15").log_in("kanat").status_code == 302
    assert admin.post("/hub/authorize/nobody", {"_xsrf": token}, allow_redirects=False).status_code == 404


def test_wrong_passwords_from_one_address_lock_out_that_address_not_the_user(hub):
    """s23 F7: five wrong passwords from anywhere locked the user out, the right password included."""
    assert Client(hub).sign_up("zhyldyz", printed_code(central_cli(hub, "grant", "zhyldyz", "ak_suu", "monitor").stdout)) == CREATED
    attacker = Client(hub, "127.0.0.30")
    for _ in range(5):
        wrong = attacker.log_in("zhyldyz", "not-her-password-1")
        assert attacker.login_error(wrong) == "Invalid username or password."
    # zhyldyz, from her own address, gets in
    assert Client(hub, "127.0.0.31").log_in("zhyldyz").status_code == 302
    # the attacker's address is locked: even the right password is refused there, unchecked, and it says why
    locked = attacker.log_in("zhyldyz")
    assert locked.status_code == 200 and "Too many wrong passwords for zhyldyz from this address" in attacker.login_error(locked)
    attacker.session.headers.update({"X-Real-Ip": "10.1.2.3", "X-Forwarded-For": "10.9.9.9"})  # another address?
    assert "Too many wrong passwords" in attacker.login_error(attacker.log_in("zhyldyz"))
    # a crowd of addresses: past the user's bound (30 failures in an hour), an address that failed is refused
    # outright, a new one has one try, and the right password from a new address still gets in
    for i in range(25):
        Client(hub, f"127.0.1.{i + 1}").log_in("zhyldyz", "not-her-password-2")
    failed_once = Client(hub, "127.0.1.1")
    assert "Too many wrong passwords" in failed_once.login_error(failed_once.log_in("zhyldyz"))
    fresh = Client(hub, "127.0.1.99")
    assert fresh.login_error(fresh.log_in("zhyldyz", "not-her-password-3")) == "Invalid username or password."
    assert "Too many wrong passwords" in fresh.login_error(fresh.log_in("zhyldyz", "not-her-password-4"))
    assert Client(hub, "127.0.0.32").log_in("zhyldyz").status_code == 302


def test_a_flood_of_sign_ups_makes_no_account_and_is_cut_off_per_address(hub):
    """s23 F8: 200 junk sign-ups from one client waited on the approval page and, each password hashed on the hub's
    event loop, held every other request for seconds. Now no code, no account (nothing hashed), and an address that
    keeps failing is cut off; another address is not."""
    flooder, code = Client(hub, "127.0.0.40"), hub.invite("gulnara")  # a real code, for another name: of no use
    for i in range(10):
        assert REFUSED.format(user=f"junk{i}") in flooder.sign_up(f"junk{i}", code)
    # cut off: the next try is refused unchecked, even gulnara's own code for her
    assert flooder.sign_up("gulnara", code) == "Too many sign-ups from this address: try again in ten minutes."
    assert flooder.log_in("junk0").status_code == 200  # no such account
    with sqlite3.connect(hub.folder / "jupyterhub.sqlite") as db:
        assert db.execute("SELECT count(*) FROM users_info WHERE username LIKE 'junk%'").fetchone()[0] == 0
    assert Client(hub, "127.0.0.41").sign_up("gulnara", code) == CREATED  # from her own address


def test_a_wrong_code_does_not_tell_whether_a_name_has_an_account(hub):
    """s26 M2: with a made-up code, an existing name got "already taken" and an unknown one "code not valid"."""
    assert Client(hub).sign_up("asel", hub.invite("asel")) == CREATED
    prober = Client(hub, "127.0.0.50")
    said = {name: prober.sign_up(name, "AAAA-BBBB-CCCC") for name in ("asel", "zzznobody")}
    assert REFUSED.format(user="asel") in said["asel"], said
    assert said["asel"].replace("asel", "NAME") == said["zzznobody"].replace("zzznobody", "NAME"), said


def test_a_browser_she_logged_in_with_is_not_locked_out_from_a_shared_address(hub):
    """s26 H4: a front proxy that does not pass the client's address makes every client one address: six wrong
    passwords from a phone in the hall kept the facilitator out of every device."""
    assert central_cli(hub, "grant", "kanykei", "ak_suu", "monitor").returncode == 0
    first, attacker = Client(hub), Client(hub)  # both 127.0.0.1: what the hub sees behind such a proxy
    assert first.sign_up("kanykei", hub.invite("kanykei")) == CREATED and first.log_in("kanykei").status_code == 302
    her = Client(hub)  # the same browser another day: its hub session gone, the device cookie kept
    her.session.cookies.set("pbtools-device", first.session.cookies.get("pbtools-device"), domain="127.0.0.1", path="/hub/")
    for _ in range(6):
        attacker.log_in("kanykei", "not-her-password-5")
    locked = attacker.log_in("kanykei")
    assert "Too many wrong passwords for kanykei" in attacker.login_error(locked)
    assert her.log_in("kanykei").status_code == 302  # the browser she used before still gets in
    # her browser's cookie is hers: it frees no other name, and a forged one is not taken
    attacker.session.cookies.set("pbtools-device", "forged", domain="127.0.0.1", path="/hub/")
    assert "Too many wrong passwords" in attacker.login_error(attacker.log_in("kanykei"))
    assert "LOGINS FROM EVERY CLIENT COUNT AS ONE: a login or sign-up came from 127.0.0.1" in hub.log_text()
