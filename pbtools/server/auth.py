"""Who may open what when the server listens on the hall network.

Voters reach only the ballot pages (``vote.py``). Everything else that Voila serves (the apps, the notebook tree,
contents, kernels, files) and pbtools' home page needs the facilitator's password, or the token printed at start
(for the facilitator's own browser). Both go through jupyter_server's identity provider, whose handlers Voila marks
``@authenticated``. The password is kept hashed (argon2) in the workspace folder with the cookie secret, so logins
and phones' device cookies survive a restart of the server.
"""

from __future__ import annotations

import html
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.auth.login import LoginFormHandler
from jupyter_server.auth.security import passwd
from jupyter_server.base.handlers import JupyterHandler
from tornado import web
from tornado.escape import url_escape
from traitlets.config import Config
from voila.static_file_handler import AllowListFileHandler

from pbtools.i18n import LANG_NAMES, LANGS, translator
from pbtools.server.address import is_loopback

SECRETS_FILE = "server-secrets.json"
_PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no look-alikes: it is read off a screen and typed


@dataclass(frozen=True)
class Access:
    """How this run of the server is protected. ``new_password`` is set only when one was generated now (print
    it once; only its hash is kept)."""

    required: bool
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
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def new_password() -> str:
    """Ten characters in two groups, easy to read aloud and type: ~49 bits."""
    body = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(10))
    return f"{body[:5]}-{body[5:]}"


def configure_access(c: Config, workspace: Path, host: str, password: str | None = None) -> Access:
    """Set the password, token and cookie secret in ``c``. A password is required when ``password`` is given,
    when one was set before, and always when ``host`` is reachable from the network (one is generated then)."""
    data = load_secrets(workspace)
    changed = False
    if "cookie_secret" not in data:
        data["cookie_secret"], changed = secrets.token_hex(32), True
    generated = None
    if password:
        data["password_hash"], changed = passwd(password), True
    elif not data.get("password_hash") and not is_loopback(host):
        generated = new_password()
        data["password_hash"], changed = passwd(generated), True
    if changed:
        save_secrets(workspace, data)
    c.Voila.cookie_secret = bytes.fromhex(data["cookie_secret"])
    c.Voila.identity_provider_class = FacilitatorIdentity
    if not data.get("password_hash"):
        return Access(required=False)
    token = secrets.token_urlsafe(24)
    c.Voila.token = token
    c.PasswordIdentityProvider.hashed_password = data["password_hash"]
    return Access(required=True, token=token, new_password=generated)


class LoginPage(LoginFormHandler):
    """The facilitator's login, in ky/ru/en, plain HTML without external assets."""

    def _render(self, message=None) -> None:  # noqa: ANN001 - jupyter_server's signature
        lang = self.get_argument("lang", "ky")
        lang = lang if lang in LANGS else "ky"
        _ = translator(lang)
        nxt = url_escape(self.get_argument("next", default=self.base_url))
        switch = " ".join(f'<a href="?lang={code}&amp;next={nxt}">{html.escape(name)}</a>' for code, name in LANG_NAMES.items())
        title, wrong = html.escape(_("Facilitator login")), html.escape(_("Wrong password"))
        about = html.escape(_("The apps of this hearing are for the facilitator. Voters: open the address shown on the screen."))
        password, log_in = html.escape(_("Password")), html.escape(_("Log in"))
        error = f'<p class="problems" id="login-error">{wrong}</p>' if message else ""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.write(
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{title}</title><link rel="stylesheet" href="/pbtools/static/vote.css">'
            f'</head><body><nav class="langs">{switch}</nav><main><h1>{title}</h1><p>{about}</p>'
            f'<form method="post" action="?lang={lang}&amp;next={nxt}">{self.xsrf_form_html()}'
            f'<label class="code" for="password_input">{password}</label>'
            f'<input type="password" id="password_input" name="password" autocomplete="current-password">'
            f'{error}<button type="submit" id="login_submit">{log_in}</button></form></main></body></html>'
        )


class FacilitatorIdentity(PasswordIdentityProvider):
    """jupyter_server's password-or-token login, with pbtools' login page (Voila passes its own otherwise)."""

    def get_handlers(self) -> list:
        handlers = [(r"/login", LoginPage)] if self.login_available else []
        return handlers + ([(r"/logout", self.logout_handler_class)] if self.logout_available else [])


class ProtectedFiles(JupyterHandler, AllowListFileHandler):
    """Voila's ``/voila/files/`` (images beside the notebooks), behind the login like the rest of the apps."""

    @web.authenticated
    def head(self, path: str):  # noqa: ANN201 - tornado's signature
        return super().head(path)

    @web.authenticated
    def get(self, path: str, include_body: bool = True):  # noqa: ANN201
        return super().get(path, include_body)


def handlers(notebooks: Path, allowlist: list[str]) -> list:
    """Routes that take over Voila's unprotected ones (pbtools' handlers come before Voila's)."""
    files = {"allowlist": allowlist, "denylist": [r".*\.(ipynb|py)"], "path": str(notebooks)}  # Voila's default denylist
    return [(r"/voila/files/(.*)", ProtectedFiles, files)]
