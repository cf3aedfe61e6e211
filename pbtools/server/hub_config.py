"""JupyterHub's configuration for a central pbtools server; ``pbtools hub init DIR`` writes a jupyterhub_config.py
that calls ``configure(c, ...)``, so the settings live here, tested, and the file stays a few lines.

- Logins: NativeAuthenticator (real passwords, kept hashed by the hub), as ``hub_auth.PbtoolsAuthenticator``: an
  account is made only with the invitation code the operator was given for that name (``pbtools central invite``),
  approved at once; failed logins are throttled.
- Each user's server: ``pbtools hub singleuser`` (Voila with pbtools' apps behind the hub's login; no JupyterLab,
  no terminal, not even for administrators), one named server per municipality the user may see. Before it starts
  the registry is asked again for the user's grant (``pre_spawn_hook``): no grant, no server.
- Spawner: ``SimpleLocalProcessSpawner`` (every server a process of the hub's own user) for trials and tests; in
  production use one container per server (DockerSpawner, or KubeSpawner with zero-to-jupyterhub), see
  docs/deployment.md.
- Idle servers are stopped by jupyterhub-idle-culler, a hub service with only the scopes it needs.
- Hub administrators are the users granted ``*`` as administrators, and the hub's groups ``pbtools-<role>`` the
  roles each holds: the authenticator says both at every login and every refresh (each minute of use, before each
  spawn), JupyterHub sets them both ways; at every start the admin role is exactly the grants' administrators.
  ``pbtools central grant|revoke`` tell the running hub at once (``central.hub_api``, as the service
  ``pbtools-grants``, whose token is in ``GRANTS_TOKEN`` beside the cookie secret).
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path
from typing import Any

from pbtools.i18n import N_, Msg, default_lang
from pbtools.server import hub_limits, hub_pages
from pbtools.server.forwarded import LOOPBACK, TRUSTED_ENV

CULL_IDLE_SECONDS = 3600
AUTH_REFRESH_SECONDS = 60  # how long a user's admin flag and groups may lag behind a grant changed in the database
GRANTS_SERVICE, GRANTS_TOKEN = "pbtools-grants", "pbtools-grants.token"
CHP = "/usr/bin/configurable-http-proxy"  # Debian's node-configurable-http-proxy
# Debian's node modules (the proxy's commander, winston, ...): Debian's own nodejs looks there anyway, a nodejs
# from elsewhere (e.g. a newer one installed by hand) does not; the proxy inherits the hub's environment
NODE_MODULES = ("/usr/share/nodejs", "/usr/lib/nodejs")


def refused(message: str) -> Exception:
    """A refusal the hub shows the user as it is: a 403 (JupyterHub passes an HTTPError on, and shows its
    ``jupyterhub_message``; any other error becomes "Unhandled error starting server")."""
    from tornado.web import HTTPError

    error = HTTPError(403, message.replace("%", "%%"))
    error.jupyterhub_message = message  # type: ignore[attr-defined]
    return error


def configure(c: Any, *, db_url: str, folder: str | Path, port: int = 8000, hub_port: int = 8081,
              proxy_api_port: int | None = None, cull_idle_seconds: int = CULL_IDLE_SECONDS,
              public_url: str | None = None, trusted_proxies: str = "") -> None:
    """``public_url``: where users and phones reach the hub (``https://pb.example.kg/``, the address the operator
    serves it on, e.g. through a TLS proxy in front of ``port``). The hub hands each user's server its own public
    URL (``JUPYTERHUB_PUBLIC_URL``: this + ``/user/NAME/SERVER/``), which is the address the console shows phones and
    prints on the code cards; without it the console says that none is set. ``trusted_proxies``: the front proxies
    (comma-separated addresses or networks) whose ``X-Forwarded-For`` names the client, when they are not on this
    machine; the hub's login limits and the users' servers then count each client apart (docs/deployment.md)."""
    from pbtools.central.hub import default_municipality, spawn_environment
    from pbtools.central.registry import Central

    folder = Path(folder)
    proxy_api_port = proxy_api_port or port + 1
    pid_file = folder / "proxy.pid"
    check_ports(pid_file, {port: "--port", proxy_api_port: "--proxy-api-port", hub_port: "--hub-port"})
    atexit.register(stop_left_proxy, pid_file)
    data = folder / "municipalities"
    token_file = folder / GRANTS_TOKEN
    token = _service_token(token_file)
    with Central(db_url, data) as central:
        admins = central.admins()
        central.record_hub(f"http://127.0.0.1:{hub_port}/hub/api", str(token_file))

    c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"
    if public_url:
        c.JupyterHub.public_url = public_url
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{hub_port}"
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
    c.ConfigurableHTTPProxy.command = [CHP]
    known = os.environ.get("NODE_PATH", "").split(os.pathsep)
    os.environ["NODE_PATH"] = os.pathsep.join(filter(None, known + [p for p in NODE_MODULES if p not in known]))
    c.ConfigurableHTTPProxy.pid_file = str(pid_file)
    c.JupyterHub.db_url = f"sqlite:///{folder / 'jupyterhub.sqlite'}"  # the hub's own state (users, tokens)
    c.JupyterHub.cookie_secret_file = str(folder / "jupyterhub_cookie_secret")
    # the login cookie goes with no other site's POST (nor its images or frames); links from elsewhere still work.
    # No answer says which JupyterHub this is (each had it in a header): anyone on the hall network could look up
    # its known flaws (s26 L12; /hub/api tells it only to a login or a token, hub_handlers.RootAPI)
    c.JupyterHub.tornado_settings = {"cookie_options": {"samesite": "Lax"}, "transforms": [NoVersionHeader]}
    c.JupyterHub.log_level = "INFO"

    c.JupyterHub.authenticator_class = "pbtools.server.hub_auth.PbtoolsAuthenticator"
    c.PbtoolsAuthenticator.registry_url, c.PbtoolsAuthenticator.registry_folder = db_url, str(data)
    hub_limits.proxies(trusted_proxies)  # a bad entry stops the hub at start, named, not at the first login
    c.PbtoolsAuthenticator.trusted_proxies = trusted_proxies
    if trusted_proxies.strip():  # the users' servers: JupyterHub's proxy (loopback) and the front ones
        c.Spawner.environment = {TRUSTED_ENV: ",".join([*LOOPBACK, trusted_proxies])}
    c.NativeAuthenticator.open_signup = False  # only an invitation code makes an account (hub_handlers.InvitedSignUp)
    c.NativeAuthenticator.minimum_password_length = 10
    c.NativeAuthenticator.check_common_password = True
    c.NativeAuthenticator.allowed_failed_logins = 5
    c.NativeAuthenticator.seconds_before_next_try = 60
    c.Authenticator.allow_all = True  # who gets in is decided by approval, then by the grants (pre_spawn_hook)
    # admin and groups from the grants at each login and refresh (hub_auth), both ways; not admin_users, which only
    # ever adds (a revoked administrator stayed one, restarts included) and made NativeAuthenticator approve a sign-up
    c.Authenticator.manage_groups = True
    c.Authenticator.auth_refresh_age = AUTH_REFRESH_SECONDS
    c.Authenticator.refresh_pre_spawn = True
    # the hub's pages in ky/ru/en: ours first, extending JupyterHub's and standing in for NativeAuthenticator's
    c.JupyterHub.template_paths = [str(hub_pages.TEMPLATES),
                                   str(Path(__import__("nativeauthenticator").__file__).parent / "templates")]
    c.JupyterHub.jinja_environment_options = {"extensions": ["pbtools.server.hub_pages.HubLanguage"]}

    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(folder / "users" / "{username}")
    c.Spawner.cmd = [sys.executable, "-m", "pbtools", "hub", "singleuser"]
    c.Spawner.default_url = "/"  # pbtools' home page: the apps of the municipality
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 120
    c.JupyterHub.allow_named_servers = True  # /user/aida/ak_suu/: one server per municipality
    c.JupyterHub.named_server_limit_per_user = 5

    def pre_spawn_hook(spawner: Any) -> None:
        """The server's check: the user's grant on the municipality, asked of the registry now (not at hub start).
        Refused (the hub shows the message, no server starts) without a grant."""
        from pbtools.central.registry import CentralError

        user = spawner.user.name
        lang = hub_pages.request_lang(getattr(spawner, "handler", None))  # the page's language that asked for it
        with Central(db_url, data) as reg:
            code = spawner.name or default_municipality(reg, user)
            if code is None:
                raise refused(Msg(N_("{user}: no municipality is granted to this user"), user=user).render(lang))
            try:
                spawner.environment.update(spawn_environment(reg, user, code))
            except CentralError as e:
                raise refused(f"{user}: {e.render(lang)}") from None

    c.Spawner.pre_spawn_hook = pre_spawn_hook

    c.JupyterHub.services = [{
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={cull_idle_seconds}"],
    }, {"name": GRANTS_SERVICE, "api_token": token, "admin": True}]  # no process: pbtools central uses its token
    c.JupyterHub.load_roles = [{
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }, {
        # exactly these at every start (JupyterHub then clears the admin flag of everyone else); only a hub
        # administrator may take another's admin flag away, hence the grants service
        "name": "admin", "users": admins, "services": [GRANTS_SERVICE],
    }]


class NoVersionHeader:
    """A tornado output transform (the hub's only one: JupyterHub compresses nothing) taking the
    ``X-JupyterHub-Version`` header (and tornado's ``Server``, its version) off every answer of the hub, before its
    first byte is sent."""

    def __init__(self, request: Any) -> None:
        pass

    def transform_first_chunk(self, status_code: int, headers: Any, chunk: bytes, finishing: bool) -> tuple:
        for name in ("X-JupyterHub-Version", "Server"):
            if name in headers:
                del headers[name]
        return status_code, headers, chunk

    def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
        return chunk


def _proxy_running(pid_file: Path) -> int | None:
    """The pid of the configurable-http-proxy this hub started (its pid file), if it still runs."""
    try:
        pid = int(pid_file.read_text().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return pid if b"configurable-http-proxy" in f.read() else None
    except (OSError, ValueError):
        return None


def check_ports(pid_file: Path, ports: dict[int, str]) -> None:
    """Stop the hub at start, naming the port, when one it needs is taken: with the proxy's API port (--port + 1 by
    default) taken, the proxy half started, the hub retried for a minute, died, and left the proxy running (s26 M4).
    A proxy of this hub's own left running is not in the way: JupyterHub stops it first."""
    import socket

    if len(set(ports)) < len(ports):
        raise SystemExit(Msg(N_("The hub needs three different ports: {ports}"),
                             ports=", ".join(f"{o} {p}" for p, o in ports.items())).render(default_lang()))
    if _proxy_running(pid_file):
        return
    for port, option in ports.items():
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind: a closed port's TIME_WAIT is free
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                raise SystemExit(Msg(N_("Port {port} on 127.0.0.1 ({option}) is taken by another program: stop it, or "
                                        "choose free ports with pbtools hub init --port P (it also takes P+1 for the "
                                        "proxy's API, or --proxy-api-port), --hub-port"),
                                     port=port, option=option).render(default_lang())) from None


def stop_left_proxy(pid_file: Path) -> None:
    """At the hub's exit: the proxy it started, if still running (a hub that failed to start leaves it behind; one
    that stops normally has stopped it already and removed the pid file)."""
    import signal

    pid = _proxy_running(pid_file)
    if pid:
        try:
            os.kill(pid, signal.SIGTERM)
            pid_file.unlink(missing_ok=True)
        except OSError:
            pass


def _service_token(path: Path) -> str:
    """The grants service's token, made once, readable by the hub's (and the operator's) system user only."""
    import secrets

    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        token = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(token + "\n")
        return token
