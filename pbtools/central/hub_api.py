"""A changed grant takes effect on the hub at once: ``pbtools central grant|revoke`` tell the hub, through its REST
API, as the idle culler does.

A user's server is started with the role it had then (its ``PBTOOLS_ROLE`` and that role's database login), and
JupyterHub keeps its administrators in its own database. So when a user's rights on a municipality shrink or change,
every server of theirs still running is stopped (they start it again with the rights they have now; what they
entered is in the database already), and their hub administrator flag is set from the grants (granted ``*`` as
administrator or not). The hub records where it answers in the registry when it starts (``Central.record_hub``);
its token (the ``pbtools-grants`` service's, a hub administrator's) is in a file beside the hub's cookie secret,
readable by the operator's system user only.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from pbtools.central.hub import hub_model
from pbtools.central.registry import Central
from pbtools.i18n import N_, Msg

STOP_WAIT = 60  # seconds a server may take to stop (the hub's own slow_stop_timeout is 10)


class _Hub:
    def __init__(self, api_url: str, token: str) -> None:
        self.api_url, self.token = api_url.rstrip("/"), token

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.api_url + path, data=data, method=method,
                                         headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                raw = answer.read()
                return answer.status, json.loads(raw) if raw else {}
        except urllib.error.HTTPError as e:
            if e.code in (404, 400):
                return e.code, {}
            raise


def tell_hub(central: Central, username: str, stop_servers: bool) -> tuple[list[Msg], bool]:
    """Make the hub follow ``username``'s grants now: their admin flag, and (``stop_servers``: their rights shrank or
    changed) no server of theirs left running. Returns what was done or why the hub could not be told, and False
    when the operator must act (a hub that does not answer applies the grants when it starts again)."""
    where = central.hub()
    if where is None:
        return [], True  # no hub serves this registry
    api_url, token_file = where
    try:
        token = Path(token_file).read_text(encoding="utf-8").strip()
    except OSError as e:
        return [Msg(N_("The hub was not told: its token {file} cannot be read ({error}). Stop {user}'s servers on the "
                       "hub's administration page, or restart the hub."), file=token_file, error=str(e), user=username)], False
    hub, user = _Hub(api_url, token), quote(username, safe="")
    said: list[Msg] = []
    try:
        status, model = hub.call("GET", f"/users/{user}")
        if status == 404:
            return [], True  # no account on the hub yet: the grants apply when it is made
        admin = hub_model(central, username)["admin"]  # one rule with the logins' (server.hub_auth)
        if bool(model.get("admin")) != admin:
            hub.call("PATCH", f"/users/{user}", {"admin": admin})
            said.append(Msg(N_("{user} is a hub administrator now.") if admin else
                            N_("{user} is no longer a hub administrator."), user=username))
        running = sorted(model.get("servers", {})) if stop_servers else []
        for name in running:
            hub.call("DELETE", f"/users/{user}/servers/{quote(name, safe='')}" if name else f"/users/{user}/server")
        _wait_stopped(hub, user, running)
        if running:
            said.append(Msg(N_("{user}'s running servers were stopped ({servers}): they start again with the rights "
                               "granted now."), user=username, servers=", ".join(n or "—" for n in running)))
    except (urllib.error.URLError, OSError, ValueError) as e:
        said.append(Msg(N_("The hub at {url} did not answer ({error}): it applies {user}'s grants when it starts "
                           "again."), url=api_url, error=str(getattr(e, "reason", e)), user=username))
    return said, True


def _wait_stopped(hub: _Hub, user: str, names: list[str]) -> None:
    """Until none of ``names`` is among the user's servers (a stop the hub answered with 202 takes a while)."""
    deadline = time.monotonic() + STOP_WAIT
    while names and time.monotonic() < deadline:
        status, model = hub.call("GET", f"/users/{user}")
        if status == 404 or not set(names) & set(model.get("servers", {})):
            return
        time.sleep(0.5)
