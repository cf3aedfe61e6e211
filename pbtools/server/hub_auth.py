"""The hub's authenticator: NativeAuthenticator (passwords hashed by the hub, the approval and password pages) with
the registry deciding who may have an account.

- Sign-up only with the invitation code the operator was given for that very name (``central.accounts``): a name
  that is granted but not signed up yet cannot be taken by whoever comes first. An invited account is approved at
  once (the operator vouched for it); without a valid code nothing is made. NativeAuthenticator's own sign-up
  (``create_user``, which approves any name in ``admin_users`` and waits for approval otherwise) is not reachable.

Only ``pbtools/server/hub_config.py`` names this class (``c.JupyterHub.authenticator_class``); it runs inside the
hub's process, never in a user's server.
"""

from __future__ import annotations

import threading
from typing import Any

import bcrypt
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.orm import UserInfo
from tornado.ioloop import IOLoop
from traitlets import Unicode

from pbtools.central.hub import hub_model
from pbtools.server import hub_limits

# what the login page says (in English, as NativeAuthenticator; hub_pages translates)
TOO_MANY = "Too many wrong passwords for {user} from this address: wait a minute, then try again."
NOT_APPROVED = "User {user} has not been authorized by an administrator yet."


def _password_ok(stored: bytes, password: str) -> bool:
    return bcrypt.checkpw(password.encode(), stored)


class PbtoolsAuthenticator(NativeAuthenticator):
    registry_url = Unicode("", config=True, help="The central PostgreSQL database whose registry holds the grants.")
    registry_folder = Unicode("", config=True, help="The municipalities' folder of that registry.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._central = None
        self._central_lock = threading.Lock()
        self.attempts = hub_limits.Attempts(self.allowed_failed_logins or hub_limits.ALLOWED, self.seconds_before_next_try)

    def central(self):
        """The registry, opened once (in a worker thread: its first use makes the schema)."""
        from pbtools.central.registry import Central

        with self._central_lock:
            if self._central is None:
                self._central = Central(self.registry_url, self.registry_folder)
            return self._central

    async def in_registry(self, fn, *args: Any) -> Any:
        """``fn(central, *args)`` on a worker thread: the hub's event loop never waits for PostgreSQL."""
        return await IOLoop.current().run_in_executor(None, lambda: fn(self.central(), *args))

    async def authenticate(self, handler: Any, data: dict) -> dict | None:
        """NativeAuthenticator's check (its bcrypt hash, approval), the failures counted per client address."""
        username = self.normalize_username(data.get("username", ""))
        password = data.get("password", "")
        address = hub_limits.client_of(handler)
        if self.attempts.blocked(username, address):
            handler.pbtools_said = TOO_MANY.replace("{user}", username)
            return None  # refused unchecked: a guess here costs nothing and tells nothing
        info = self.get_user(username)
        if info is None or not _password_ok(info.password, password):
            self.attempts.failed(username, address)
            return None
        if not info.is_authorized:  # the right password: not a failure, but no login
            handler.pbtools_said = NOT_APPROVED.replace("{user}", username)
            return None
        self.attempts.succeeded(username, address)
        return await self.in_registry(hub_model, username)

    async def refresh_user(self, user: Any, handler: Any = None) -> dict | bool:
        info = self.get_user(user.name)
        if info is None or not info.is_authorized:
            return False  # withdrawn (or never an account of ours): log in again, which it cannot
        return await self.in_registry(hub_model, user.name)

    def get_handlers(self, app: Any) -> list:
        from pbtools.server import hub_handlers

        ours = hub_handlers.replacing()
        return [(route, ours.get(route, handler)) for route, handler in super().get_handlers(app)]

    def create_user(self, username: str, password: str, **kwargs: Any) -> None:
        """NativeAuthenticator's way to an account (no invitation asked): closed; ``create_invited`` is the way."""
        return None

    async def create_invited(self, username: str, password: str) -> UserInfo:
        """The account of ``username``, whose invitation was just claimed: approved at once."""
        hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
        info = UserInfo(username=username, password=hashed, is_authorized=True)
        self.db.add(info)
        self.db.commit()
        return info
