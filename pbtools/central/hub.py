"""What the hub asks the registry: the environment a user's app server starts with, and the hub's groups.

A user's server serves one municipality (a named server per municipality: ``/user/aida/ak_suu/``). Before it
starts, the hub checks the user's grant on it (``spawn_environment``: the server's check, the core checks the
role again on every write) and gives it that municipality's database URL. For a role that may not change a
hearing or a budget the URL opens every transaction read-only (PostgreSQL's ``default_transaction_read_only``), so
the database itself refuses what the role may not write, whatever an app tries.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from sqlalchemy.engine import make_url

from pbtools.central.registry import Central
from pbtools.roles import BUDGET, HEARING, ROLES, Actor

ROLE_ENV, MUNICIPALITY_ENV, USER_ENV = "PBTOOLS_ROLE", "PBTOOLS_MUNICIPALITY", "PBTOOLS_USER"
# The apps a role may open: the console changes hearings; the others read (the Pabulib app reads no workspace).
WRITING_APPS = {"console.ipynb": HEARING}
GROUP_PREFIX = "pbtools-"  # a JupyterHub group per role: pbtools-facilitator, ...


def hub_actor(environ: Mapping[str, str] = os.environ) -> Actor | None:
    """Who uses this server, when the hub started it (``spawn_environment`` gave it the user and the role);
    None on a laptop, whose one user is the facilitator."""
    role = environ.get(ROLE_ENV)
    if not role:
        return None
    return Actor(environ.get(USER_ENV, ""), role)


def writes_anything(actor: Actor) -> bool:
    return actor.may(HEARING) or actor.may(BUDGET)


def read_only_url(url: str) -> str:
    """``url`` whose every transaction is read-only (added to the connection's options)."""
    u = make_url(url)
    options = " ".join(filter(None, [u.query.get("options", ""), "-cdefault_transaction_read_only=on"]))
    return u.update_query_dict({"options": options}).render_as_string(hide_password=False)


def spawn_environment(central: Central, username: str, code: str) -> dict[str, str]:
    """The environment of ``username``'s server for municipality ``code``; raises ``NoAccess`` without a grant."""
    actor = central.actor(username, code)
    with central.workspace(code):  # its tables exist before a read-only server opens it
        pass
    url = central.workspace_url(code)
    if not writes_anything(actor):
        url = read_only_url(url)
    return {"PBTOOLS_WORKSPACE": str(central.folder / code), "PBTOOLS_DB": url, ROLE_ENV: actor.role,
            MUNICIPALITY_ENV: code, USER_ENV: username}


def default_municipality(central: Central, username: str) -> str | None:
    """The municipality a user's default (unnamed) server serves: the first one they may see."""
    visible = central.visible(username)
    return visible[0] if visible else None


def hub_groups(central: Central) -> dict[str, list[str]]:
    """JupyterHub groups, one per role, with the users that hold it on some municipality."""
    groups: dict[str, set[str]] = {GROUP_PREFIX + role: set() for role in ROLES}
    for g in central.grants():
        groups[GROUP_PREFIX + g.role].add(g.username)
    return {name: sorted(users) for name, users in groups.items()}


def may_open(role: str, notebook: str) -> bool:
    write = WRITING_APPS.get(notebook)
    return write is None or Actor("", role).may(write)
