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


class PbtoolsAuthenticator(NativeAuthenticator):
    registry_url = Unicode("", config=True, help="The central PostgreSQL database whose registry holds the grants.")
    registry_folder = Unicode("", config=True, help="The municipalities' folder of that registry.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._central = None
        self._central_lock = threading.Lock()

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
        username = await super().authenticate(handler, data)
        if not username:
            return None
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
