"""Build and run the server: Voila over the notebooks folder, with pbtools' home page, ballot pages and static
files. ``make_app(settings)`` builds it without listening (tests serve ``.app`` in-process); ``run`` is
``pbtools serve``."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Instance
from traitlets.config import Config
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from pbtools.i18n import translator
from pbtools.resources import data_dir
from pbtools.server import auth, forwarded, kernels, limits, logsafe, pages, practice_vote, survey_pages, vote
from pbtools.server.settings import SETTINGS_KEY, ServeSettings
from pbtools.phones.urls import Urls
from pbtools.storage import open_workspace

SHARE_DIR = Path(__file__).with_name("share")
STATIC_DIR = Path(__file__).with_name("static")
NOTEBOOKS_DIR = data_dir("notebooks")  # the package's copy when installed, else the checkout's (pbtools/resources.py)


class AppServer(Voila):
    """Voila in directory mode over ``notebooks/``, with pbtools' own handlers ahead of Voila's. The handlers find
    ``serve_settings`` and the login guard in the tornado application's settings, not on their classes, so two
    servers in one process (tests) keep apart."""

    serve_settings = Instance(ServeSettings)
    access = Instance(auth.Access)
    kernel_secret = ""  # the path kernels fetch their request on (``auth.kernel_query_base``), set by make_app
    phones_url: str | None = None  # the base URL phones open, found by make_app (None: no hall network)
    _building = False

    def build(self) -> web.Application:
        """Voila's ``start`` without listening: the tornado application, all handlers in place."""
        self.tornado_settings = {**self.tornado_settings, SETTINGS_KEY: self.serve_settings,
                                 auth.GUARD_KEY: auth.LoginGuard(self.serve_settings.workspace_path),
                                 "websocket_max_message_size": limits.WEBSOCKET_MESSAGE}
        self._building = True
        try:
            super().start()  # ends with self.listen(), which does nothing while building
        finally:
            self._building = False
        # what a page may send its kernel: ours, set here (Voila builds its kernel manager with a list of its own,
        # which config cannot change), so no upgrade widens it unseen
        self.kernel_manager.allowed_message_types = list(kernels.WIDGET_MESSAGES)
        if not self.access.required and not self.serve_settings.hub:
            # Nobody logs in here (loopback, no password): a site the laptop's browser opens could point its own name
            # at this address (DNS rebinding) and drive the apps. Only this machine's names are answered then:
            # jupyter_server's Host check, which Voila turns off, and the voters' pages' (``vote.VoterPage``).
            self.app.settings["allow_remote_access"] = False
        return self.app

    def start(self) -> None:
        self.build()
        self.listen()

    def listen(self) -> None:
        if self._building:
            return
        app, backlog = self.app, self.serve_settings.listen_backlog
        trusted = forwarded.trusted_networks(self.serve_settings.trusted_proxies.split(","))
        base = self.serve_settings.base_url
        self.app.listen = lambda port, address=None, **_: limits.listen(app, port, address, backlog, trusted, base)
        super().listen()

    def init_handlers(self) -> list:
        s = self.serve_settings
        urls = Urls(s.base_url)  # the voters' pages name every address through it (under the hub's prefix)
        own = [
            *auth.handlers(NOTEBOOKS_DIR, self.config.VoilaConfiguration.file_allowlist, self.kernel_secret),
            *vote.handlers(s.workspace_path, s.db_url, self.access.voter_key, urls),
            *practice_vote.handlers(self.access.voter_key, urls),  # a training sandbox's mock hearing, its own database
            *survey_pages.handlers(s.workspace_path, s.db_url, self.access.voter_key, urls),
            *pages.handlers(s.workspace_path, s.db_url, STATIC_DIR, NOTEBOOKS_DIR),
        ]
        page = _with_xsrf_cookie(TornadoVoilaHandler)
        if s.hub:
            from pbtools.server import hub_mode  # here: it needs jupyterhub, installed only for a central server

            own = hub_mode.handlers() + own
        handlers = [(h[0], page, *h[2:]) if len(h) > 1 and h[1] is TornadoVoilaHandler else h for h in super().init_handlers()]
        if s.hub:  # after Voila's: only what no other route answers
            handlers += hub_mode.fallbacks()
        own = [(r"/voila/templates/(.*)", _template_files()), *own]
        if self.base_url != "/":  # behind JupyterHub: every route under the prefix (Voila's identity provider's
            # routes, /oauth_callback and /logout, come without it)
            own, handlers = ([h if h[0].startswith(self.base_url) else (url_path_join(self.base_url, h[0]), *h[1:]) for h in hs]
                             for hs in (own, handlers))
        return [*own, *handlers]


def _with_xsrf_cookie(handler: type) -> type:
    """An app page that sets the ``_xsrf`` cookie: Voila's page sends it back when the tab closes, to free the
    kernel at once (without it the request is refused, and the kernel waits for idle culling)."""

    class AppPage(handler):
        def get(self, *args, **kwargs):
            for name in ("template", "theme", "voila-template", "voila-theme"):
                value = self.get_query_argument(name, None)
                if value is not None and not _PLAIN_NAME.fullmatch(value):  # a routine refusal, not a traceback
                    self.set_status(404)  # answered here: Voila's error page fails to draw for a bad template
                    self.set_header("Content-Type", "text/plain; charset=utf-8")
                    return self.finish(f"404: no such {name}")
            self.xsrf_token  # noqa: B018 - reading it sets the cookie
            return super().get(*args, **kwargs)

    return AppPage


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def _template_files() -> type:
    """Voila's template static files, where a malformed path is a 404 (Voila answers 500 with a traceback)."""
    class TemplateFiles(TemplateStaticFileHandler):
        def parse_url_path(self, path: str) -> str:
            parts = path.split("/", 2)
            if len(parts) != 3 or parts[1] != "static" or not _PLAIN_NAME.fullmatch(parts[0]) or parts[0] in (".", ".."):
                raise web.HTTPError(404)
            # "..%2f" arrives here as "../": Voila's own check is an assert (a 500 with a traceback in the log)
            if ".." in parts[2].replace("\\", "/").split("/"):
                raise web.HTTPError(404)
            try:
                return super().parse_url_path(path)
            except ValueError:  # e.g. no such template
                raise web.HTTPError(404) from None

    return TemplateFiles


def server_config(settings: ServeSettings) -> Config:
    c = Config()
    c.Voila.ip = settings.host
    c.Voila.port = settings.port
    c.Voila.port_retries = 0  # a clash must fail loudly, not move the apps to another port
    c.Voila.open_browser = False
    c.Voila.base_url = settings.base_url
    c.Voila.root_dir = str(NOTEBOOKS_DIR)
    c.VoilaConfiguration.template = "pbtools"
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.preheat_kernel = settings.preheat
    c.VoilaConfiguration.default_pool_size = 1 if settings.preheat else 0
    c.VoilaConfiguration.multi_kernel_manager_class = "pbtools.server.kernels.AppKernelManager"
    # The hall's apps open at once from a kernel kept warm; the Pabulib, Monitoring, Training and Services apps
    # (workshops, desk work, not the hall's rush) start their own when opened, so a hall laptop does not keep four
    # more kernels running (about 140 MB each, measured).
    # The practice console is started for its page: its kernel reads the sandbox from the page's ?sandbox=.
    c.VoilaKernelManager.preheat_denylist = ["pabulib.ipynb", "monitoring.ipynb", "training.ipynb", "services.ipynb",
                                             "practice_console.ipynb"]
    c.VoilaConfiguration.file_allowlist = [r".*\.(png|svg|css)$"]
    cull_idle = settings.cull_idle_seconds
    c.MappingKernelManager.cull_idle_timeout = cull_idle
    c.MappingKernelManager.cull_interval = max(1, min(60, cull_idle // 4))
    c.MappingKernelManager.cull_connected = False
    # IPC sockets instead of TCP ports: a burst of kernel starts over TCP can clash on ports.
    c.KernelManager.transport = "ipc"
    return c


def make_app(settings: ServeSettings) -> AppServer:
    """The server for ``settings``, built and not yet listening: ``.app`` is the tornado application (a test serves
    it in-process), ``.listen()`` serves it until interrupted. The workspace is created or upgraded first."""
    workspace = settings.workspace_path
    open_workspace(workspace, db_url=settings.db_url).close()  # once, before any page or kernel uses it
    phones_url = settings.phones_url()
    # The kernels (the apps' notebooks) are other processes: they learn the workspace, the database and the address
    # for the phones' QR code only through the environment they inherit (read by widgets/base.py and
    # widgets/console/phones.py). The server's own handlers read ``settings``.
    os.environ["PBTOOLS_WORKSPACE"] = str(workspace)
    if settings.db_url:
        os.environ["PBTOOLS_DB"] = settings.db_url
    else:
        os.environ.pop("PBTOOLS_DB", None)
    os.environ["PBTOOLS_SERVE_HOST"] = settings.host
    os.environ["PBTOOLS_SERVE_PORT"] = str(settings.port)
    os.environ["PBTOOLS_BASE_URL"] = settings.base_url  # the prefix of an address found later (a hotspot come up)
    if phones_url:
        os.environ["PBTOOLS_PUBLIC_URL"] = phones_url
    else:  # the console looks again when it draws the QR code (the hotspot may come up later)
        os.environ.pop("PBTOOLS_PUBLIC_URL", None)
    # Voila finds templates on the Jupyter data path; ours comes first.
    if str(SHARE_DIR) not in os.environ.get("JUPYTER_PATH", "").split(os.pathsep):
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(SHARE_DIR), os.environ.get("JUPYTER_PATH")]))
    kernel_secret = secrets.token_urlsafe(32)
    # kernels fetch their request there
    os.environ["VOILA_WS_BASE_URL"] = url_path_join(settings.base_url, auth.kernel_query_base(kernel_secret))
    config = server_config(settings)
    if settings.hub:
        from pbtools.server import hub_mode  # here: it needs jupyterhub, installed only for a central server

        access = hub_mode.configure_access(config, workspace)
    else:
        access = auth.configure_access(config, workspace, settings.host, settings.password)
    server = AppServer(config=config, serve_settings=settings, access=access)
    server.kernel_secret = kernel_secret
    server.phones_url = phones_url
    server.initialize([])
    server.build()
    return server


def run(settings: ServeSettings) -> None:
    """Serve the apps until interrupted. Off loopback, everything but the voters' pages needs the facilitator's
    password.

    What is printed may be on the projector (a mirrored screen): never the token, and the password only the one
    time it is generated. This run's token link goes to a file only the owner can read."""
    _ = translator(settings.lang)
    os.umask(0o077)  # everything the server writes (workspace files, kernels' exports) is for the owner only
    limits.raise_open_files()
    server = make_app(settings)
    workspace, access = settings.workspace_path, server.access
    local = settings.local_url()
    if access.required:
        link = auth.write_link(workspace, f"{local}/?token={access.token}")
        print(_("Facilitator, on this laptop: open the link saved in {path} (readable only by you)", path=str(link)),
              flush=True)
    else:
        print(_("Facilitator, on this laptop: {url}", url=f"{local}/"), flush=True)
    if access.new_password:
        saved = auth.write_password(workspace, access.new_password)
        print(_("A facilitator password for other devices was made: read it in {path} (readable only by you), "
                "write it down, then delete the file; only its hash is kept", path=str(saved)), flush=True)
    if settings.on_hall_network:
        if server.phones_url:
            print(_("Voters open: {url}", url=Urls.public(server.phones_url).path("vote") + "/…"), flush=True)
        else:
            print(_("No address on a hall network was found, so phones cannot reach this laptop yet: join the hall's "
                    "Wi-Fi or start the hotspot, or give --public-address."), flush=True)
    logsafe.install()  # after Voila has set up its log
    server.listen()
