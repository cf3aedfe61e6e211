"""``pbtools serve`` as a user's server behind JupyterHub: the hub's login instead of the facilitator's password.

JupyterHub starts it (``pbtools hub singleuser``) with its address, its URL prefix (``/user/NAME/SERVER/``) and an
API token in the environment. Every page, app and kernel needs the hub's OAuth login, and only the owner of the
server (and the hub's administrators) get in: JupyterHub's own ``JupyterHubIdentityProvider``, which checks the
``access:servers`` scope. The voters' pages stay open, as on a laptop. The apps a role may not use (the console, the
Services and Training apps for anyone who may not make their writes: ``central.hub.WRITING_APPS``) are refused
here, and the database refuses their writes anyway (``central.rights``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path, PurePosixPath

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
from tornado import web
from traitlets.config import Config

from pbtools.central.hub import ROLE_ENV, WRITING_APPS, may_open
from pbtools.html import render_in
from pbtools.i18n import LANG_NAMES, translator
from pbtools.roles import FACILITATOR, Actor, NotAllowed
from pbtools.server import TEMPLATES, auth
from pbtools.server.hub_pages import request_lang


class HubIdentity(JupyterHubIdentityProvider):
    """The hub's login. Voila hands its identity provider a ``token`` (its own login's); the hub's is its API token."""

    @property
    def token(self) -> str:
        return self.hub_auth.api_token

    @token.setter
    def token(self, value: str) -> None:  # Voila's own token is not used behind the hub
        pass


def configure_access(c: Config, workspace: Path) -> auth.Access:
    """The hub's login for every page but the voters'; the phones' key kept in the workspace as on a laptop."""
    data = auth.load_secrets(workspace)
    if "voter_secret" not in data:
        data["voter_secret"] = secrets.token_hex(32)
        auth.save_secrets(workspace, data)
    c.Voila.identity_provider_class = HubIdentity
    c.Voila.auto_token = True  # Voila then hands the identity provider no token of its own
    c.Voila.cookie_secret = secrets.token_bytes(32)  # the hub's OAuth cookie is what logs in; this signs nothing lasting
    return auth.Access(required=True, voter_key=bytes.fromhex(data["voter_secret"]))


def role() -> str:
    return os.environ.get(ROLE_ENV, FACILITATOR)


class AppRefused(JupyterHandler):
    """An app the user's role may not open: 403, said in the page's language."""

    @web.authenticated
    def get(self, notebook: str) -> None:
        lang = request_lang(self)
        user = self.current_user
        error = NotAllowed(Actor(getattr(user, "name", "") or "", role()), WRITING_APPS[notebook])
        _ = translator(lang)
        self.set_status(403)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        # a page with the way back to the apps this role may open (a bare line of text left the user stranded)
        self.finish(render_in(TEMPLATES, "refused.html", lang=lang, langs=LANG_NAMES.items(), title=_("This app is not open to you"),
                              why=error.render(lang), home=f"{self.base_url}?lang={lang}", back=_("Back to your apps"),
                              static=url_path_join(self.base_url, "pbtools/static/")))


class NotRunning(JupyterHandler):
    """``/user/NAME/<code>/...`` reaching the default server: the named server of municipality ``code`` is not
    running, so JupyterHub's proxy sent its address here (the longest route it has). A page in the user's language
    with a button that starts that server and opens this address, and the way home; it was a bare "404: Not Found"
    (new-user trial s26 M7). Whether she may open ``code`` is the hub's spawn page's to say."""

    @web.authenticated
    def get(self, code: str, _rest: str) -> None:
        from urllib.parse import urlencode

        lang = request_lang(self)
        _ = translator(lang)
        hub = url_path_join(os.environ.get("JUPYTERHUB_BASE_URL", "/"), "hub/")
        user = os.environ.get("JUPYTERHUB_USER", "") or getattr(self.current_user, "name", "")
        start = url_path_join(hub, "spawn", user, code) + "?" + urlencode({"next": self.request.uri})
        self.set_status(404)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(render_in(TEMPLATES, "not_running.html", lang=lang, langs=LANG_NAMES.items(),
                              title=_("The server of {code} is not running", code=code),
                              why=_("This address is on the server of the municipality {code}, which is not running now.",
                                    code=code),
                              start=start, start_label=_("Start it and open this page"),
                              home=url_path_join(hub, "home"), home_label=_("Back to the hub's home page"),
                              static=url_path_join(self.base_url, "pbtools/static/")))


class HandIn(JupyterHandler):
    """``POST /pbtools/sync?lang=..`` with an audit file, or the zip of a hand-in folder (``pbtools sync pack``), as
    the body: handed in to this municipality (``sync.folder.hand_in_any``) as the logged-in user in the role the hub
    gave this server. 200 with what was stored (a zip: ``handed``, one entry per stream; ``refused``: the monitoring
    streams set aside, each entry's ``message`` saying why), 403 when the role may not
    hand in, 422 when the file is refused; the message in the user's language."""

    @web.authenticated
    async def post(self) -> None:
        from tornado.ioloop import IOLoop

        lang = request_lang(self)
        actor = Actor(getattr(self.current_user, "name", "") or "", role())
        # a fixed name, only the suffix the user gave kept: ?name=.. or ?name=. must not name a folder
        suffix = "".join(c for c in PurePosixPath(self.get_argument("name", "") or "x.jsonl").suffix.lower()[:10]
                         if c.isalnum() or c == ".")
        # checking a folder's photos takes a while: the server keeps answering the hall's phones meanwhile
        status, body = await IOLoop.current().run_in_executor(None, self._hand_in, actor, "hand-in" + suffix, lang)
        self._answer(status, body)

    def _hand_in(self, actor: Actor, name: str, lang: str) -> tuple[int, dict]:
        import tempfile

        from pbtools.server.settings import SETTINGS_KEY
        from pbtools.storage import open_workspace
        from pbtools.sync.folder import hand_in_any
        from pbtools.sync.push import SyncRefused

        settings = self.settings[SETTINGS_KEY]
        with tempfile.TemporaryDirectory(prefix="pbtools-upload-") as folder:
            path = Path(folder) / name
            path.write_bytes(self.request.body)
            try:
                with open_workspace(settings.workspace_path, db_url=settings.db_url, create=False) as ws:
                    handed = hand_in_any(ws, path, actor)
            except NotAllowed as e:
                return 403, {"error": e.render(lang)}
            except SyncRefused as e:
                return 422, {"error": e.render(lang)}
        each = [{"hearing": h.hearing, "appended": h.appended, "head_seq": h.head_seq, "head_hash": h.head_hash,
                 "files": h.files, "message": "\n".join([h.summary().render(lang)] + [p.render(lang) for p in h.problems]),
                 **({"refused": True} if h.refused else {})} for h in handed]
        if len(each) == 1 and not handed[0].refused:
            return 200, each[0]
        return 200, {"handed": each, "appended": sum(h.appended for h in handed),
                     "refused": [h.hearing for h in handed if h.refused], "message": "\n".join(e["message"] for e in each)}

    def _answer(self, status: int, body: dict) -> None:
        import json

        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(body, ensure_ascii=False))


def fallbacks() -> list:
    """Routes after every other (only what nothing else answers): on the user's default server, an address under
    another municipality's code (``NotRunning``)."""
    from pbtools.central.registry import CODE

    return [] if os.environ.get("JUPYTERHUB_SERVER_NAME") else [(rf"/({CODE.pattern})/(.*)", NotRunning)]


def handlers() -> list:
    """Routes ahead of Voila's: the apps this server's role may not open, and the hand-in of an audit file."""
    return [(r"/pbtools/sync", HandIn)] + [(rf"/voila/render/({name.replace('.', '[.]')})", AppRefused)
                                            for name in WRITING_APPS if not may_open(role(), name)]
