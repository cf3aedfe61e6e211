"""The hub's home page and its spawns, as pbtools answers them ahead of JupyterHub's (``hub_auth`` routes them).

- ``/hub/home`` lists the municipalities the user may open, from her grants, each in the page's language with her
  role there and a button that opens its server (starting it first when it is not running): she had to type a code
  (new-user trial s26 M7). Her first municipality is her default server's (``/user/NAME/``), each other one a named
  server by its code (``/user/NAME/<code>/``).
- ``/user/NAME/`` of a user with no municipality at all says so (``no_municipality.html``), as her spawn does.
- A named server is started only for a municipality the user is granted, asked of the registry before JupyterHub
  makes the server's record: refused in the pre-spawn hook, the record stayed, and the administration page listed
  a server "tash_kyya" for aida with Start and Delete buttons (s26 L9). The same for the REST API's spawn.
"""

from __future__ import annotations

from typing import Any

from jupyterhub.apihandlers.users import UserServerAPIHandler
from jupyterhub.handlers.base import UserUrlHandler
from jupyterhub.handlers.pages import HomeHandler, SpawnHandler
from jupyterhub.utils import url_escape_path, url_path_join
from tornado import web

from pbtools.i18n import Msg
from pbtools.roles import ROLE_NAMES
from pbtools.server.hub_pages import request_lang


async def _check_grant(handler: Any, user_name: str | None, server_name: str | None) -> None:
    """Refuses (403, said in the page's language) a named server of a municipality ``user_name`` has no grant on,
    before JupyterHub keeps a record of it. The default server is the pre-spawn hook's to check (it always exists)."""
    from pbtools.central.registry import CentralError
    from pbtools.server.hub_config import refused

    me = handler.current_user
    owner = user_name or me.name
    if not server_name or (owner != me.name and not getattr(me, "admin", False)):
        return  # another's server: JupyterHub refuses it for want of the scope, saying nothing of her grants
    try:
        await handler.authenticator.in_registry(lambda central: central.actor(owner, server_name))
    except CentralError as e:
        raise refused(f"{owner}: {e.render(request_lang(handler))}") from None


async def _no_municipality(handler: Any, user_name: str | None, server_name: str) -> bool:
    """Whether she asked for her own default server with no grant at all; if so, answers with a page saying so
    and whom to ask (403). JupyterHub's spawn failure advised restarting the server, which mends nothing, and
    kept a failed start on record (s26 M5.2)."""
    from pbtools.central.hub import default_municipality

    me = handler.current_user
    if server_name or (user_name or me.name) != me.name:
        return False
    if await handler.authenticator.in_registry(default_municipality, me.name) is not None:
        return False
    handler.set_status(403)
    handler.finish(await handler.render_template("no_municipality.html"))
    return True


class Spawn(SpawnHandler):
    """``/hub/spawn[/NAME[/<code>]]``: JupyterHub's, once the registry says NAME may open ``code`` (her default
    server: any municipality)."""

    @web.authenticated
    async def get(self, user_name: str | None = None, server_name: str = "") -> None:
        if await _no_municipality(self, user_name, server_name):
            return None
        await _check_grant(self, user_name, server_name)
        return await super().get(user_name, server_name)

    @web.authenticated
    async def post(self, user_name: str | None = None, server_name: str = "") -> None:
        if await _no_municipality(self, user_name, server_name):
            return None
        await _check_grant(self, user_name, server_name)
        return await super().post(user_name, server_name)


class UserUrl(UserUrlHandler):
    """``/user/NAME/...`` while no server of hers answers there: JupyterHub's "not running, start it?" page, except
    for a user with no grant at all, who is told so at once (its Start button led to that page only after a click)."""

    @web.authenticated
    async def get(self, user_name: str, user_path: str | None = None) -> None:
        if await _no_municipality(self, user_name, ""):
            return None
        return await super().get(user_name, user_path)


class ServerAPI(UserServerAPIHandler):
    """``POST /hub/api/users/NAME/servers/<code>``: JupyterHub's, once the registry says NAME may open ``code``."""

    async def post(self, user_name: str, server_name: str = "") -> None:
        await _check_grant(self, user_name, server_name)
        return await super().post(user_name, server_name)


class Home(HomeHandler):
    """``/hub/home``: JupyterHub's page, with ``municipalities`` (``rows``) for the template."""

    @web.authenticated
    async def get(self) -> None:
        from pbtools.central.hub import municipalities_of

        self.pbtools_rows = await self.authenticator.in_registry(municipalities_of, self.current_user.name)
        return await super().get()

    def render_template(self, name: str, sync: bool = False, **ns: Any) -> Any:
        if name == "home.html":
            ns["municipalities"] = rows(self.current_user, getattr(self, "pbtools_rows", []), request_lang(self),
                                        self.hub.base_url)
        return super().render_template(name, sync, **ns)


def rows(user: Any, found: list[tuple[str, dict[str, str], str]], lang: str, base_url: str) -> list[dict[str, Any]]:
    """One row per municipality: its name in ``lang`` (else any), code, the user's role there, its server's name
    ('' the default one), whether it runs (``active``: started or starting; ``ready``: answering), and where its
    buttons go (``open``: the server; ``start``: the hub's spawn page, which opens it once started)."""
    spawners = {s.name: s for s in user.all_spawners()}
    said = []
    for i, (code, names, role) in enumerate(found):
        server = "" if i == 0 else code
        spawner = spawners.get(server)
        said.append({
            "code": code, "name": names.get(lang) or next(iter(names.values()), code), "server": server,
            "role": Msg(ROLE_NAMES.get(role, role)).render(lang),
            "active": bool(getattr(spawner, "active", False)), "ready": bool(getattr(spawner, "ready", False)),
            "open": user.server_url(server),
            "start": url_path_join(base_url, "spawn", user.escaped_name, *([url_escape_path(server)] if server else [])),
        })
    return said


def handlers() -> list[tuple[str, type]]:
    return [(r"/home", Home), (r"/user/(?P<user_name>[^/]+)(?P<user_path>/.*)?", UserUrl), (r"/spawn", Spawn), (r"/spawn/([^/]+)", Spawn), (r"/spawn/([^/]+)/([^/]+)", Spawn), (r"/api/users/([^/]+)/servers/([^/]*)", ServerAPI)]
