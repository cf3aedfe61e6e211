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

DEVICE_COOKIE, DEVICE_DAYS = "pbtools-device", 180
UNKNOWN_CLIENTS = ("LOGINS FROM EVERY CLIENT COUNT AS ONE: a login or sign-up came from %s, a trusted proxy's own address, "
                   "with no client address forwarded. A front proxy that does not pass X-Forwarded-For (or a TLS "
                   "pass-through) makes every phone and laptop this one address, so 6 wrong passwords from anyone lock "
                   "that user out on every new device, and 10 failed sign-ups close sign-up for everyone. Make the front "
                   "proxy set X-Forwarded-For, and list its address with `pbtools hub init --trusted-proxies` when it "
                   "is on another machine (docs/deployment.md).")

# what the login page says (in English, as NativeAuthenticator; hub_pages translates)
TOO_MANY = "Too many wrong passwords for {user} from this address: wait a minute, then try again."
NOT_APPROVED = "User {user} has not been authorized by an administrator yet."


def _password_ok(stored: bytes, password: str) -> bool:
    return bcrypt.checkpw(password.encode(), stored)


async def _off_the_loop(fn, *args: Any) -> Any:
    """A bcrypt hash (a quarter of a second of a core, by design) on a worker thread: meanwhile the hub answers
    everyone else (logins, spawns, the users' servers' OAuth checks), which waited behind a flood of sign-ups."""
    return await IOLoop.current().run_in_executor(None, fn, *args)


class PbtoolsAuthenticator(NativeAuthenticator):
    registry_url = Unicode("", config=True, help="The central PostgreSQL database whose registry holds the grants.")
    registry_folder = Unicode("", config=True, help="The municipalities' folder of that registry.")
    trusted_proxies = Unicode("", config=True, help="Front proxies (comma-separated addresses or networks) whose "
                              "X-Forwarded-For names the client, besides JupyterHub's own proxy on this machine.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._central = None
        self._central_lock = threading.Lock()
        self.attempts = hub_limits.Attempts(self.allowed_failed_logins or hub_limits.ALLOWED, self.seconds_before_next_try)
        self.signups = hub_limits.SignUps()
        self.trusted = hub_limits.proxies(self.trusted_proxies)
        self.warned_unknown = False
        self.log.info("pbtools: a client's address is taken from X-Forwarded-For of %s only",
                      ", ".join(map(str, self.trusted)))

    def client(self, handler: Any) -> str:
        """The client's address (``hub_limits.client_of``); said loudly in the log, once, when no proxy named it."""
        address = hub_limits.client_of(handler, self.trusted)
        if not self.warned_unknown and hub_limits.unknown_client(address, self.trusted):
            self.warned_unknown = True
            self.log.warning(UNKNOWN_CLIENTS, address)
        return address

    def device(self, handler: Any, username: str) -> str | None:
        """The id of this browser if ``username`` logged in on it before (a cookie this hub signed), else None.

        Why: wrong passwords lock a (user, address) pair, so one phone cannot lock a user out of her other devices,
        as long as addresses tell devices apart. Behind a proxy that hides them (or one hall's NAT) every device is
        one address, and one phone's guesses would lock her out everywhere (s26 H4). A browser she logged in with
        before is counted as a key of its own instead of the address: an attacker cannot have that cookie (signed
        with the hub's secret, bound to her name), so he locks out only himself and new devices behind his
        address; the per-user bound (``hub_limits.Attempts``: 30 failures an hour) still slows guessing from
        everywhere, and a device that failed then gets a single try, as a new address does."""
        value = handler.get_signed_cookie(DEVICE_COOKIE, max_age_days=DEVICE_DAYS)
        name, _, device = (value or b"").decode("utf-8", "replace").rpartition("\0")
        return device if value and name == username and device else None

    def remember_device(self, handler: Any, username: str) -> None:
        import secrets

        handler.set_signed_cookie(DEVICE_COOKIE, f"{username}\0{secrets.token_hex(16)}", expires_days=DEVICE_DAYS,
                                  httponly=True, samesite="Lax", path=handler.hub.base_url)

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
        address = self.client(handler)
        device = self.device(handler, username)
        key = f"device {device}" if device else address  # counted per device she used before, else per address
        if self.attempts.blocked(username, key):
            handler.pbtools_said = TOO_MANY.replace("{user}", username)
            return None  # refused unchecked: a guess here costs nothing and tells nothing
        info = self.get_user(username)
        if info is None or not await _off_the_loop(_password_ok, info.password, password):
            self.attempts.failed(username, key)
            return None
        if not info.is_authorized:  # the right password: not a failure, but no login
            handler.pbtools_said = NOT_APPROVED.replace("{user}", username)
            return None
        self.attempts.succeeded(username, key)
        if device is None:
            self.remember_device(handler, username)
        return await self.in_registry(hub_model, username)

    async def refresh_user(self, user: Any, handler: Any = None) -> dict | bool:
        info = self.get_user(user.name)
        if info is None or not info.is_authorized:
            return False  # withdrawn (or never an account of ours): log in again, which it cannot
        return await self.in_registry(hub_model, user.name)

    def get_handlers(self, app: Any) -> list:
        from pbtools.server import hub_handlers, hub_home

        ours = hub_handlers.replacing()
        # ahead of JupyterHub's own routes (the authenticator's come first): the home page and the spawns
        return hub_home.handlers() + hub_handlers.added() + [(route, ours.get(route, handler)) for route, handler in super().get_handlers(app)]

    def create_user(self, username: str, password: str, **kwargs: Any) -> None:
        """NativeAuthenticator's way to an account (no invitation asked): closed; ``create_invited`` is the way."""
        return None

    async def create_invited(self, username: str, password: str) -> UserInfo:
        """The account of ``username``, whose invitation was just claimed: approved at once."""
        hashed = await _off_the_loop(bcrypt.hashpw, password.encode(), bcrypt.gensalt())
        info = UserInfo(username=username, password=hashed, is_authorized=True)
        self.db.add(info)
        self.db.commit()
        return info
