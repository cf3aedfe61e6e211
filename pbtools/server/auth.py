"""Who may open what when the server listens on the hall network.

Voters reach only the ballot pages (``vote.py``). Everything else that Voila serves (the apps, the notebook tree,
contents, kernels, files) and pbtools' home page needs the facilitator's password, or this run's token (its link is
in a file only the owner reads; taken only from the laptop itself, and dropped from the address bar at once).
Both go through jupyter_server's identity provider, whose handlers Voila marks ``@authenticated``. The password is kept hashed (argon2) in the workspace folder with the cookie secret, so logins
survive a restart of the server; a new password makes a new cookie secret, which logs everyone out. Phones' device
cookies (open mode) and receipt links are signed with a key of their own (``voter_key``), so a new password does not
let a phone vote again.

Voila's ``/voila/query/<kernel>`` websocket hands a preheated kernel its page's request (query string included, so
``?token=``). Its public route needs the login here; kernels reach it on a route with a per-run secret instead
(``VOILA_WS_BASE_URL``, inherited by kernels through the environment).
"""

from __future__ import annotations

import contextlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.auth.login import LoginFormHandler
from jupyter_server.auth.logout import LogoutHandler
from jupyter_server.auth.security import passwd, passwd_check
from jupyter_server.base.handlers import JupyterHandler
from tornado import web
from tornado.escape import url_escape
from tornado.iostream import StreamClosedError
from traitlets import Instance, default
from traitlets.config import Config
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import AllowListFileHandler

from pbtools.html import markup, render_in
from pbtools.i18n import LANG_NAMES, LANGS, translator
from pbtools.phones.address import is_loopback, is_this_machine
from pbtools.server import TEMPLATES, logins
from pbtools.server.logins import SESSION_HOURS, LoginGuard, Sessions, write_private
from pbtools.server.settings import SETTINGS_KEY

SECRETS_FILE = "server-secrets.json"
LINK_FILE = "facilitator-link.txt"  # this run's token link, readable by the owner only (never printed)
PASSWORD_FILE = "facilitator-password.txt"  # a generated password, readable by the owner only (never printed)
GUARD_KEY = "pbtools_login_guard"  # the server's LoginGuard, in the tornado application's settings
KERNEL_ID = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"  # jupyter_server's kernel id pattern
_PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no look-alikes: it is read off a screen and typed


@dataclass(frozen=True)
class Access:
    """How this run of the server is protected. ``new_password`` is set only when one was generated now (print
    it once; only its hash is kept)."""

    required: bool
    voter_key: bytes = b""
    token: str = ""
    new_password: str | None = None


def secrets_path(workspace: Path) -> Path:
    return Path(workspace) / SECRETS_FILE


def load_secrets(workspace: Path) -> dict:
    path = secrets_path(workspace)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_secrets(workspace: Path, data: dict) -> None:
    """Written readable by the owner only; replaced in one rename, so a crash never leaves half a file."""
    path = secrets_path(workspace)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, json.dumps(data))


def new_password() -> str:
    """Ten characters in two groups, easy to read aloud and type: ~49 bits."""
    body = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(10))
    return f"{body[:5]}-{body[5:]}"


def configure_access(c: Config, workspace: Path, host: str, password: str | None = None) -> Access:
    """Set the password, token and cookie secret in ``c``. A password is required when ``password`` is given,
    when one was set before, and always when ``host`` is reachable from the network (one is generated then).
    A password other than the stored one makes a new cookie secret: every login cookie stops working."""
    data = load_secrets(workspace)
    before = dict(data)
    # Device cookies were signed with the cookie secret before they had their own key: keep them valid.
    data.setdefault("voter_secret", data.get("cookie_secret") or secrets.token_hex(32))
    generated, new_login = None, False
    stored = data.get("password_hash")
    if password:
        if not (stored and passwd_check(stored, password)):  # the same password again keeps everyone logged in
            data["password_hash"], new_login = passwd(password), True
    elif not stored and not is_loopback(host):
        generated = new_password()
        data["password_hash"], new_login = passwd(generated), True
    if new_login or "cookie_secret" not in data:
        data["cookie_secret"] = secrets.token_hex(32)
    if data != before:
        save_secrets(workspace, data)
    c.Voila.cookie_secret = bytes.fromhex(data["cookie_secret"])
    c.Voila.identity_provider_class = FacilitatorIdentity
    if new_login:  # their cookies no longer verify anyway; the sessions go too
        Sessions(workspace).end_all()
    # not sent with requests other sites make (SameSite), not readable by scripts, a hearing day long
    day = SESSION_HOURS / 24
    c.PasswordIdentityProvider.cookie_options = {"samesite": "Lax", "httponly": True, "expires_days": day}
    c.PasswordIdentityProvider.get_secure_cookie_kwargs = {"max_age_days": day}
    voter_key = bytes.fromhex(data["voter_secret"])
    if not data.get("password_hash"):
        return Access(required=False, voter_key=voter_key)
    token = secrets.token_urlsafe(24)
    c.Voila.token = token
    c.PasswordIdentityProvider.hashed_password = data["password_hash"]
    return Access(required=True, voter_key=voter_key, token=token, new_password=generated)


def write_link(workspace: Path, url: str) -> Path:
    """This run's token link in a file only the owner can read: a terminal is often mirrored on the projector."""
    path = Path(workspace) / LINK_FILE
    write_private(path, url + "\n")
    return path


def write_password(workspace: Path, password: str) -> Path:
    """A generated password in a file only the owner can read (it is never printed)."""
    path = Path(workspace) / PASSWORD_FILE
    write_private(path, password + "\n")
    return path


class LoginPage(LoginFormHandler):
    """The facilitator's login, in ky/ru/en, plain HTML without external assets. Wrong passwords are slowed down
    and locked out per client address (``logins.LoginGuard``); the hash is checked off the event loop."""

    @property
    def guard(self) -> LoginGuard:
        return self.settings[GUARD_KEY]

    @allow_unauthenticated
    async def post(self) -> None:
        typed = self.get_argument("password", default="")
        provider = self.identity_provider
        hashed, token = provider.hashed_password, provider.token
        # The token, on the laptop itself, logs in whatever the lockouts: a page its browser opens can lock the laptop's
        # own address (a site pointing its name at 127.0.0.1 posts guesses from there), and the token cannot be guessed.
        # Checked before the guard, so no queue of guesses from the same address holds it up.
        if token and hmac.compare_digest(token.encode(), typed.encode()) and from_this_machine(self):
            return self._log_in()

        def check() -> bool | None:
            return True if hashed and passwd_check(hashed, typed) else None

        outcome, _ = await self.guard.attempt(self.request.remote_ip or "", check)
        if outcome == "locked":
            await self._refuse_locked()
        elif outcome == "wrong":
            self.set_status(401)
            self._render(message={"error": "Invalid credentials"})
        else:
            self._log_in()

    def _log_in(self) -> None:
        provider = self.identity_provider
        user = self.current_user = provider.generate_anonymous_user(self)
        provider.set_login_cookie(self, user)
        self._redirect_safe(self.get_argument("next", default=self.base_url))

    async def _refuse_locked(self) -> None:
        """Answered at once, and the connection closed with it: a flood of posts from a locked address holds none of
        the connections its address may open (``limits.PER_ADDRESS``), which the phones behind it share."""
        self.set_status(429)
        self.set_header("Connection", "close")
        self._render(message={"error": "locked"})
        with contextlib.suppress(StreamClosedError):  # the client left first: nothing to answer
            await self.finish()
        self.request.connection.close()

    def _render(self, message=None) -> None:  # noqa: ANN001 - jupyter_server's signature
        lang = self.get_argument("lang", "ky")
        lang = lang if lang in LANGS else "ky"
        _ = translator(lang)
        nxt = url_escape(self.get_argument("next", default=self.base_url))
        address = self.request.remote_ip or ""
        if message and message.get("error") == "locked" and from_this_machine(self):
            error = _("Too many wrong passwords from this laptop. Log in with the link saved in {path}; the lock is "
                      "lifted with pbtools logins --lift {address}.", address=address,
                      path=str(self.settings[SETTINGS_KEY].workspace_path / LINK_FILE))
        elif message and message.get("error") == "locked":
            error = _("Too many wrong passwords from this device. The facilitator can lift the lock "
                      "(pbtools logins --lift {address}).", address=address)
        else:
            error = _("Wrong password") if message else ""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.write(render_in(TEMPLATES, "login.html", lang=lang, langs=LANG_NAMES.items(), next=nxt,
                             title=_("Facilitator login"), password=_("Password"), log_in=_("Log in"), error=error,
                             about=_("The apps of this hearing are for the facilitator. Voters: open the address shown on the screen."),
                             xsrf=markup(self.xsrf_form_html())))


class LogoutPage(LogoutHandler):
    """/logout. A GET only shows a page with the logout button: a link or an image on any page of the hall network
    must not log the facilitator out. The button POSTs with the XSRF token (checked by jupyter_server before
    ``post`` runs: without it a 403, and the session lives on), which ends the session. jupyter_server's own logout
    renders a template Voila does not have (a 500): plain pages instead."""

    def _lang(self) -> str:
        lang = self.get_argument("lang", "ky")
        return lang if lang in LANGS else "ky"

    def _page(self, template: str, **values: Any) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(render_in(TEMPLATES, template, lang=self._lang(), langs=LANG_NAMES.items(), **values))

    def _logged_out(self) -> None:
        _ = translator(self._lang())
        self._page("logged_out.html", title=_("You are logged out."), again=_("Log in again"))

    @allow_unauthenticated
    def get(self) -> None:
        if self.current_user is None or not self.identity_provider.auth_enabled:  # no login to end
            return self._logged_out()
        _ = translator(self._lang())
        self._page("logout.html", title=_("Log out"), question=_("Log out of the hearing's apps on this device?"),
                   log_out=_("Log out"), xsrf=markup(self.xsrf_form_html()))

    @allow_unauthenticated
    def post(self) -> None:
        self.check_xsrf_cookie()  # done already by jupyter_server's prepare for a POST; said here, where it matters
        self.identity_provider.end_session(self)
        self.identity_provider.clear_login_cookie(self)
        self._logged_out()


class FacilitatorIdentity(PasswordIdentityProvider):
    """jupyter_server's password-or-token login, with pbtools' login and logout pages (Voila's need templates).
    The signed login cookie also names a session kept on the server (``logins.Sessions``): logging out ends it,
    and it is renewed while in use."""

    sessions = Instance(Sessions)

    @default("sessions")
    def _sessions(self) -> Sessions:  # the parent is the server (``app.AppServer``), which holds the settings
        return Sessions(self.parent.serve_settings.workspace_path)

    def user_to_cookie(self, user: Any) -> str:
        if not self.auth_enabled:  # no login on this server (loopback, no password): nothing to end
            return super().user_to_cookie(user)
        data = json.loads(super().user_to_cookie(user))
        data["session"] = getattr(user, "pbtools_session", None) or self.sessions.new()
        return json.dumps(data)

    def _cookie_data(self, handler: web.RequestHandler) -> dict | None:
        raw = handler.get_secure_cookie(self.get_cookie_name(handler), **self.get_secure_cookie_kwargs)
        try:
            data = json.loads(raw.decode()) if raw else None
        except (ValueError, UnicodeDecodeError):
            return None
        return data if isinstance(data, dict) else None

    def get_user_cookie(self, handler: web.RequestHandler) -> Any:
        if not self.auth_enabled:
            return super().get_user_cookie(handler)
        data = self._cookie_data(handler)
        sid = data.pop("session", None) if data else None
        if not self.sessions.alive(sid):
            return None
        user = self.user_from_cookie(json.dumps(data))
        if self.sessions.due(sid) and handler.request.headers.get("Upgrade", "").lower() != "websocket":
            self.sessions.renew(sid)
            user.pbtools_session = sid
            self.set_login_cookie(handler, user)  # a fresh expiry for the browser too
        return user

    async def get_user_token(self, handler: web.RequestHandler) -> Any:
        if not self.get_token(handler) or not from_this_machine(handler):  # (the interfaces are read only for a token)
            return None
        user = await super().get_user_token(handler)
        handler.pbtools_by_token = user is not None  # (is_token_authenticated reads a user not yet set here)
        return user

    async def get_user(self, handler: web.RequestHandler) -> Any:
        user = await super().get_user(handler)  # the login cookie set, when the token logged in
        request = handler.request
        if (getattr(handler, "pbtools_by_token", False) and "token" in request.query_arguments
                and request.method in ("GET", "HEAD") and request.headers.get("Upgrade", "").lower() != "websocket"):
            # the same page without the token (logged in by the cookie now): the address bar is on the projector
            query = "&".join(p for p in request.query.split("&") if p and unquote_plus(p.split("=", 1)[0]) != "token")
            path = "/" + request.path.lstrip("/")  # "//host/..." would leave this server
            handler.redirect(path + (f"?{query}" if query else ""))  # ends the request: tornado runs no get
        return user

    def end_session(self, handler: web.RequestHandler) -> None:
        data = self._cookie_data(handler)
        if data:
            self.sessions.end(data.get("session"))

    def get_handlers(self) -> list:
        handlers = [(r"/login", LoginPage)] if self.login_available else []
        return handlers + ([(r"/logout", LogoutPage)] if self.logout_available else [])


class LockoutsPage(JupyterHandler):
    """/pbtools/logins, for the logged-in facilitator: the devices locked out after wrong passwords, each with a
    button that lifts its lock (what ``pbtools logins`` does on the command line)."""

    @property
    def workspace(self) -> Path:
        return self.settings[SETTINGS_KEY].workspace_path

    def _page(self, done: str = "") -> None:
        lang = self.get_argument("lang", "ky")
        lang = lang if lang in LANGS else "ky"
        _ = translator(lang)
        locks = [{"address": a, "text": logins.lock_text(a, v, lang)} for a, v in sorted(logins.lockouts(self.workspace).items())]
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(render_in(TEMPLATES, "logins.html",
            lang=lang, langs=LANG_NAMES.items(), title=_("Devices locked out"), none_locked=_("No device is locked out"),
            lift=_("Let it log in again"), locks=locks, done=done, xsrf=markup(self.xsrf_form_html())))

    @web.authenticated
    def get(self) -> None:
        self._page()

    @web.authenticated
    def post(self) -> None:
        self.check_xsrf_cookie()
        address = self.get_body_argument("address", "")
        lifted = logins.lift(self.workspace, address) if address else []
        lang = self.get_argument("lang", "ky")
        _ = translator(lang if lang in LANGS else "ky")
        self._page(_("{address} may log in again", address=address) if lifted else "")


class BrowserQuery(RequestInfoSocketHandler, JupyterHandler):
    """The public route of Voila's request-info websocket: only for the logged-in facilitator (the kernels use
    ``kernel_query_route``). Without it anyone who knows a kernel id would get its page's query string, token and
    all, and take the message meant for the kernel."""

    async def get(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - tornado's signature
        if self.current_user is None:
            raise web.HTTPError(403)
        return await super().get(*args, **kwargs)


class ProtectedFiles(JupyterHandler, AllowListFileHandler):
    """Voila's ``/voila/files/`` (images beside the notebooks), behind the login like the rest of the apps."""

    @web.authenticated
    def head(self, path: str):  # noqa: ANN201 - tornado's signature
        return super().head(path)

    @web.authenticated
    def get(self, path: str, include_body: bool = True):  # noqa: ANN201
        return super().get(path, include_body)


def from_this_machine(handler: web.RequestHandler) -> bool:
    """Whether the request comes from the laptop itself. Only there is the token taken (its link is kept in a file
    only the owner reads): another device could only have read it off the projected screen, and logs in with the
    password. The laptop is a loopback address or one of its own: a server listening on one hall address only is
    opened at that address, and the browser connects from it. The address is the connection's own (behind the hub's
    trusted proxy, the one the proxy names: ``forwarded``), never a header a client writes."""
    return is_this_machine(handler.request.remote_ip or "")


def kernel_query_base(secret: str) -> str:
    """The ``VOILA_WS_BASE_URL`` kernels use to fetch their request: a path that only the server and its kernels
    know (a kernel's websocket client can send neither cookie nor token)."""
    return f"/pbtools/kernel/{secret}/"


def handlers(notebooks: Path, allowlist: list[str], kernel_secret: str) -> list:
    """Routes that take over Voila's unprotected ones (pbtools' handlers come before Voila's), and the lockouts page."""
    files = {"allowlist": allowlist, "denylist": [r".*\.(ipynb|py)"], "path": str(notebooks)}  # Voila's default denylist
    return [
        (r"/pbtools/logins", LockoutsPage),
        (r"/voila/files/(.*)", ProtectedFiles, files),
        (rf"/voila/query/{KERNEL_ID}", BrowserQuery),
        (rf"{kernel_query_base(kernel_secret)}voila/query/{KERNEL_ID}", RequestInfoSocketHandler),
    ]
