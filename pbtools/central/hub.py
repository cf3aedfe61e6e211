"""What the hub asks the registry: the environment a user's app server starts with, and the hub's groups.

A user's server serves one municipality (a named server per municipality: ``/user/aida/ak_suu/``). Before it
starts, the hub checks the user's grant on it (``spawn_environment``: the server's check, the core checks the
role again on every write) and gives it that municipality's database URL, logged in as the role's own PostgreSQL
login (``central.rights``), never as the schema's owner: the database itself refuses a row the role may not write
(a ballot from a monitoring group member's server, anything from an observer's), whatever SQL an app sends.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import make_url

from pbtools.central import rights
from pbtools.central.registry import ALL, SCHEMA_PREFIX, Central
from pbtools.roles import ADMIN, HEARING, LOCAL, SANDBOX, SERVICES, Actor

ROLE_ENV, MUNICIPALITY_ENV, USER_ENV = "PBTOOLS_ROLE", "PBTOOLS_MUNICIPALITY", "PBTOOLS_USER"
SANDBOXES_ENV = "PBTOOLS_SANDBOXES"  # training.sandbox.ROOT_ENV
# The apps only a role that may make their writes opens (each is a screen of writes: the console changes hearings,
# the Services app keeps the services' register, tariffs and surveys, the Training app works in sandboxes). The
# others are open to every role: the Budget and Monitoring apps show what they hold to readers, and refuse their
# writes (the role, then the database); the Results and Pabulib apps only read.
WRITING_APPS = {"console.ipynb": HEARING, "services.ipynb": SERVICES, "training.ipynb": SANDBOX,
                "practice_console.ipynb": SANDBOX}  # a sandbox's console: its hearing writes need SANDBOX
GROUP_PREFIX = "pbtools-"  # a JupyterHub group per role: pbtools-facilitator, ...


def hub_actor(environ: Mapping[str, str] = os.environ) -> Actor | None:
    """Who uses this server, when the hub started it (``spawn_environment`` gave it the user and the role);
    None on a laptop, whose one user is the facilitator."""
    role = environ.get(ROLE_ENV)
    if not role:
        return None
    return Actor(environ.get(USER_ENV, ""), role)


def app_actor() -> Actor:
    """Who writes from an app that asks no name: the hub's user in their role, or the laptop's facilitator."""
    return hub_actor() or LOCAL


def role_url(url: str, code: str, actor: Actor, passwords: Mapping[str, str]) -> str:
    """``url`` (municipality ``code``'s) logged in as ``actor``'s role's login (``central.rights``)."""
    schema = SCHEMA_PREFIX + code
    password = passwords[rights.login(schema, actor.role)]
    return rights.limited_url(make_url(url), schema, actor, password).render_as_string(hide_password=False)


def spawn_environment(central: Central, username: str, code: str) -> dict[str, str]:
    """The environment of ``username``'s server for municipality ``code``; raises ``NoAccess`` without a grant."""
    actor = central.actor(username, code)
    passwords = central.make_logins(code)  # its tables, logins and checks exist before the server opens it
    url = role_url(central.workspace_url(code), code, actor, passwords)
    return {"PBTOOLS_WORKSPACE": str(central.folder / code), "PBTOOLS_DB": url, ROLE_ENV: actor.role,
            MUNICIPALITY_ENV: code, USER_ENV: username, SANDBOXES_ENV: str(sandboxes_folder(central, username))}


def sandboxes_folder(central: Central, username: str) -> Path:
    """A user's own training sandboxes (SQLite workspaces, not the municipality's database): without it every user
    of the hub would work in one shared folder beside the municipalities. ``_sandboxes`` is no municipality's code."""
    plain = username if re.fullmatch(r"[\w.-]{1,64}", username) and username not in (".", "..") else \
        "u-" + hashlib.sha256(username.encode()).hexdigest()[:24]
    return central.folder / "_sandboxes" / plain


def default_municipality(central: Central, username: str) -> str | None:
    """The municipality a user's default (unnamed) server serves: the first one they may see."""
    visible = central.visible(username)
    return visible[0] if visible else None


def municipalities_of(central: Central, username: str) -> list[tuple[str, dict[str, str], str]]:
    """(code, names by language, role) of each municipality ``username`` may open, her default server's first
    (``default_municipality``): the hub's home page lists them, each a button (a facilitator granted two had to
    type the other's code: new-user trial s26 M7)."""
    roles = {g.municipality: g.role for g in central.grants(username)}
    return [(code, central.names(code), roles.get(code) or roles[ALL]) for code in central.visible(username)]


def hub_model(central: Central, username: str) -> dict:
    """What the hub keeps of a user, from the grants now: a hub administrator when granted ``*`` as administrator,
    and the groups of the roles they hold. The authenticator returns it at every login and refresh
    (``server.hub_auth``), and JupyterHub then sets both, adding and taking away."""
    gs = central.grants(username)
    return {"name": username, "admin": any(g.municipality == ALL and g.role == ADMIN for g in gs),
            "groups": sorted({GROUP_PREFIX + g.role for g in gs})}


def may_open(role: str, notebook: str) -> bool:
    write = WRITING_APPS.get(notebook)
    return write is None or Actor("", role).may(write)
