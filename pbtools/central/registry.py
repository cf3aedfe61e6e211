"""A central server's municipalities and who may use them: one PostgreSQL database, one schema per municipality.

Each municipality is a whole workspace of its own (the same tables a laptop's SQLite has) in the PostgreSQL schema
``m_<code>``, reached by the connection's ``search_path`` (``municipality_url``): every core function works on it
unchanged, one municipality's rows cannot be read through another's workspace, and a municipality is dumped,
restored or moved alone (``pg_dump --schema``). ``docs/deployment.md`` says why this and not a key on every row.

The registry itself lives in the schema ``pbtools_central``: the municipalities, and the grants (user,
municipality or ``*`` for all, role). ``actor(user, code)`` is the check the server makes before it calls the
core: it gives the ``Actor`` whose role the core checks again on every write.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from sqlalchemy import Column, DateTime, MetaData, PrimaryKeyConstraint, String, Table, Text, delete, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from pbtools.budget.model import Municipality, Village
from pbtools.budget.place import PlaceName, same_place
from pbtools.hearings.model import find_village
from pbtools.i18n import N_, Msg
from pbtools.roles import ACCESS, ADMIN, ROLES, Actor
from pbtools.storage import Workspace, open_workspace
from pbtools.storage.engine import make_engine, normalize_url, writer
from pbtools.storage.db_problem import DENIED, problem as db_problem
from pbtools.central.errors import CentralError

SCHEMA = "pbtools_central"
ALL = "*"  # a grant on every municipality (the server's administrators)
CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")  # a municipality's code: also its schema's name, so plain letters only
SCHEMA_PREFIX = "m_"

meta = MetaData(schema=SCHEMA)
municipalities = Table(
    "municipalities", meta,
    Column("code", String, primary_key=True),
    Column("names", Text, nullable=False),  # JSON {language: name}
    Column("added_at", String, nullable=False),
)
grants = Table(
    "grants", meta,
    Column("username", String, nullable=False),
    Column("municipality", String, nullable=False),  # a code, or ALL
    Column("role", String, nullable=False),
    PrimaryKeyConstraint("username", "municipality", name="pk_grants"),
)
# A hub account is claimed with the invitation code the operator was given for that name (``central.accounts``):
# the code's hash, until when it is valid, and when it was used (the account then exists).
invitations = Table(
    "invitations", meta,
    Column("username", String, primary_key=True),
    Column("code_hash", String, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)
# Where the hub that serves this registry answers, written by the hub when it starts (``hub_config.configure``), so
# that ``pbtools central grant|revoke`` tell it at once (``central.hub_api``). The token stays in its file.
hubs = Table(
    "hubs", meta,
    Column("name", String, primary_key=True),
    Column("api_url", String, nullable=False),
    Column("token_file", String, nullable=False),
)


class AlreadyRegistered(CentralError):
    """``add_municipality`` of a code that is already registered."""


class NoAccess(CentralError):
    """The user has no grant on the municipality."""


@dataclass(frozen=True)
class Grant:
    username: str
    municipality: str  # a code, or ALL
    role: str


def municipality_url(url: str, code: str) -> str:
    """The database URL of municipality ``code``: the central database, with its schema first on the search_path."""
    check_code(code)
    u = make_url(normalize_url(url))
    return u.update_query_dict({"options": f"-csearch_path={SCHEMA_PREFIX}{code}"}).render_as_string(hide_password=False)


def check_code(code: str) -> str:
    if not isinstance(code, str) or not CODE.fullmatch(code):
        raise CentralError(Msg(N_("{code} is not a municipality code: use small Latin letters, digits and _, starting with a letter (at most 40)"),
                               code=str(code)))
    return code


class Central:
    """The registry of a central PostgreSQL database. ``folder`` keeps each municipality's files that are not in
    the database (the voting codes' key), one subfolder per code."""

    def __init__(self, url: str, folder: Path | str) -> None:
        self.url, self.folder = normalize_url(url), Path(folder)
        if make_url(self.url).get_backend_name() != "postgresql":
            raise CentralError(Msg(N_("A central server needs a PostgreSQL database, not {url}"), url=make_url(self.url).get_backend_name()))
        self.engine = make_engine(self.url)
        try:
            with writer(self.engine).begin() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(7062746301)"))  # two first starts create it once
                conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
                meta.create_all(conn)
        except DBAPIError as e:
            self.engine.dispose()
            raise CentralError(Msg(N_("Cannot open the database {where}: {error}"),
                                   where=make_url(self.url).render_as_string(hide_password=True),
                                   error=db_problem(e.orig))) from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Central":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- municipalities
    def add_municipality(self, code: str, municipality: Municipality, by: Actor) -> None:
        """Register municipality ``code`` and create its workspace (its own schema). A code already registered is
        refused, nothing changed: adding it again once replaced its names and dropped its villages, and every
        laptop's hand-in was then refused (s26 H1). Names change with ``rename_municipality`` only."""
        by.require(ACCESS)
        check_code(code)
        with writer(self.engine).begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(7062746302)"))  # two adds of one code: one is refused
            if (known := conn.execute(select(municipalities.c.names).where(municipalities.c.code == code)).scalar()) is not None:
                raise AlreadyRegistered(Msg(N_("The municipality {code} is already registered ({names}): nothing was changed. "
                                               "To change its names: pbtools central rename {code} --name-ky ... --name-ru ... --name-en ..."),
                                            code=code, names=" / ".join(json.loads(known).values())))
            # refused before anything is stored: a municipality without its logins could open no user server
            if not conn.execute(text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
                raise self._no_createrole(code, Msg(DENIED))
            conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA_PREFIX}{code}"))
            names = json.dumps(dict(municipality.names), ensure_ascii=False, sort_keys=True)
            conn.execute(municipalities.insert().values(code=code, names=names, added_at=datetime.now(timezone.utc).isoformat()))
        with self.workspace(code) as ws:
            ws.save_municipality(municipality)
        self.make_logins(code)

    def rename_municipality(self, code: str, names: dict[str, str], by: Actor, villages: tuple[Village, ...] = (),
                            of: Mapping[str, str] | None = None) -> tuple[dict[str, str], dict[str, str], list[Village]]:
        """Change the names of ``code`` in the languages given (the others, its villages and all its data are
        kept), and add those of ``villages`` (the villages of municipality ``of``, by its names) it does not have
        yet; returns its names before and after, and the villages added. The names must stay those of the laptops'
        workspaces: a hand-in is matched to its municipality by name, and its hearing's villages are checked
        against the municipality's."""
        by.require(ACCESS)
        before = self.names(check_code(code))  # refused when not registered
        given = {lang: name.strip() for lang, name in names.items() if name and name.strip()}
        if not given and not villages:
            raise CentralError(Msg(N_("Give the new name (--name-ky, --name-ru, --name-en)")))
        after = {**before, **given}
        if villages and of and not same_place(dict(of), after):
            # added villages stay for good: another municipality's would pass its hand-ins' village check
            raise CentralError(Msg(N_("The villages given are those of {theirs}, not of {code} ({names}): nothing was "
                                      "changed."), theirs=PlaceName(of), code=code, names=PlaceName(after)))
        with self.workspace(code) as ws:
            stored = ws.municipality() or Municipality(after)
            # only added: a registered village stays as it is, the hearings handed in name it
            added = [v for v in villages if not any(find_village(key, stored) for key in (v.id, *v.names.values()))]
            with writer(self.engine).begin() as conn:
                conn.execute(municipalities.update().where(municipalities.c.code == code)
                             .values(names=json.dumps(after, ensure_ascii=False, sort_keys=True)))
            ws.save_municipality(replace(stored, names={**dict(stored.names), **given}, villages=(*stored.villages, *added)))
        return before, after, added

    def make_logins(self, code: str) -> dict[str, str]:
        """The workspace of ``code`` brought up to date, then each role's PostgreSQL login on it, their GRANTs and the
        database's checks made again (``central.rights``); returns the logins' passwords. Refused, naming the
        database user, when that user may not create roles."""
        from pbtools.central import rights  # it imports the kinds of records of the whole core

        with self.workspace(code):  # its tables made or migrated first: the GRANTs cover them all
            pass
        try:
            with writer(self.engine).begin() as conn:
                return rights.install(conn, SCHEMA_PREFIX + code, SCHEMA)
        except DBAPIError as e:
            if self._may_create_roles():  # something else: never ask for more rights than CREATEROLE
                raise CentralError(Msg(N_("The database user {user} could not make the logins of the municipality "
                                          "{code}: {error}"), user=self._user(), code=code, error=db_problem(e.orig))) from None
            raise self._no_createrole(code, db_problem(e.orig)) from None

    def _may_create_roles(self) -> bool:
        try:
            with self.engine.connect() as conn:
                return bool(conn.execute(text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")).scalar())
        except DBAPIError:
            return False

    def _user(self) -> str:
        return str(make_url(self.url).username)

    def _no_createrole(self, code: str, error) -> CentralError:
        # CREATEROLE only, never a superuser: a superuser would hold every database of the PostgreSQL server
        return CentralError(Msg(N_("The database user {user} cannot make the logins of the municipality {code} (it needs CREATEROLE): {error}"),
                                user=self._user(), code=code, error=error))

    def codes(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(municipalities.c.code).order_by(municipalities.c.code)).scalars())

    def names(self, code: str) -> dict[str, str]:
        with self.engine.connect() as conn:
            value = conn.execute(select(municipalities.c.names).where(municipalities.c.code == code)).scalar()
        if value is None:
            raise CentralError(Msg(N_("There is no municipality {code} on this server"), code=code))
        return json.loads(value)

    def find(self, name: str) -> str | None:
        """The code of the municipality called ``name`` in any language (case ignored), or None."""
        wanted = name.strip().casefold()
        for code in self.codes():
            if any(wanted == n.strip().casefold() for n in self.names(code).values()):
                return code
        return None

    def workspace_url(self, code: str) -> str:
        self.names(code)
        return municipality_url(self.url, code)

    def workspace(self, code: str, create: bool = True) -> Workspace:
        """The workspace of municipality ``code`` (its schema); its tables are made on first use."""
        self.names(code)  # refused when not registered
        return open_workspace(self.folder / code, db_url=municipality_url(self.url, code), create=create)

    # -- who may use which
    def grant(self, username: str, code: str, role: str, by: Actor) -> str | None:
        """Let ``username`` use ``code`` (or ALL) in ``role``; returns the role they had there before, or None."""
        by.require(ACCESS)
        if role not in ROLES:
            raise CentralError(Msg(N_("{role} is not a role; one of {roles}"), role=role, roles=", ".join(ROLES)))
        if not username.strip():
            raise CentralError(Msg(N_("A grant needs a user name")))
        if code != ALL:
            self.names(check_code(code))
        with writer(self.engine).begin() as conn:
            before = conn.execute(delete(grants).where(grants.c.username == username, grants.c.municipality == code)
                                  .returning(grants.c.role)).scalar()
            conn.execute(grants.insert().values(username=username, municipality=code, role=role))
        return before

    def revoke(self, username: str, code: str, by: Actor) -> str | None:
        """Take ``username``'s grant on ``code`` (or ALL) away; returns the role it gave, or None when there was none."""
        by.require(ACCESS)
        with writer(self.engine).begin() as conn:
            return conn.execute(delete(grants).where(grants.c.username == username, grants.c.municipality == code)
                                .returning(grants.c.role)).scalar()

    def grants(self, username: str | None = None) -> list[Grant]:
        query = select(grants).order_by(grants.c.username, grants.c.municipality)
        if username is not None:
            query = query.where(grants.c.username == username)
        with self.engine.connect() as conn:
            return [Grant(r.username, r.municipality, r.role) for r in conn.execute(query)]

    def actor(self, username: str, code: str) -> Actor:
        """The ``Actor`` ``username`` is in municipality ``code``: the grant on it, else one on every municipality.
        Raises ``NoAccess`` (naming both) when there is none: the user may not even read it."""
        self.names(check_code(code))
        by_code = {g.municipality: g.role for g in self.grants(username)}
        role = by_code.get(code) or by_code.get(ALL)
        if role is None:
            raise NoAccess(Msg(N_("{user} has no access to the municipality {code}"), user=username, code=code))
        return Actor(username, role)

    def visible(self, username: str) -> list[str]:
        """The municipalities ``username`` may see."""
        gs = self.grants(username)
        if any(g.municipality == ALL for g in gs):
            return self.codes()
        return sorted(g.municipality for g in gs)

    def admins(self) -> list[str]:
        return sorted({g.username for g in self.grants() if g.municipality == ALL and g.role == ADMIN})

    # -- the hub that serves this registry
    def record_hub(self, api_url: str, token_file: str) -> None:
        with writer(self.engine).begin() as conn:
            conn.execute(delete(hubs).where(hubs.c.name == "hub"))
            conn.execute(hubs.insert().values(name="hub", api_url=api_url, token_file=token_file))

    def hub(self) -> tuple[str, str] | None:
        """The hub's API address and the file of its token for ``pbtools central``, or None when no hub ever started."""
        with self.engine.connect() as conn:
            row = conn.execute(select(hubs.c.api_url, hubs.c.token_file).where(hubs.c.name == "hub")).first()
        return (row.api_url, row.token_file) if row else None
