"""Build and run the server: Voila over the notebooks folder, with pbtools' home page and static files."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tornado import web
from traitlets.config import Config
from voila.app import Voila

from pbtools.server import pages
from pbtools.resources import data_dir

SHARE_DIR = Path(__file__).with_name("share")
STATIC_DIR = Path(__file__).with_name("static")
NOTEBOOKS_DIR = data_dir("notebooks")  # the package's copy when installed, else the checkout's (pbtools/resources.py)

# Kernels of closed or idle pages are freed after this many seconds (Voila 0.5 keeps a closed tab's kernel).
CULL_IDLE_SECONDS = 600
# Connections waiting to be accepted. Tornado's default, 128, is fewer than the phones of a hall voting at once:
# the kernel then drops their first SYN and each of them waits a second before trying again.
LISTEN_BACKLOG = 1024


class AppServer(Voila):
    """Voila in directory mode over ``notebooks/``, with pbtools' own handlers ahead of Voila's."""

    extra_handlers: list = []

    def listen(self) -> None:
        from pbtools.server import limits

        app = self.app
        self.app.listen = lambda port, address=None, **_: limits.listen(app, port, address, LISTEN_BACKLOG)
        super().listen()

    def init_handlers(self) -> list:
        from voila.tornado.handler import TornadoVoilaHandler

        page = _with_xsrf_cookie(TornadoVoilaHandler)
        handlers = [(h[0], page, *h[2:]) if len(h) > 1 and h[1] is TornadoVoilaHandler else h for h in super().init_handlers()]
        return [(r"/voila/templates/(.*)", _template_files()), *self.extra_handlers, *handlers]


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
    from voila.static_file_handler import TemplateStaticFileHandler

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


def server_config(host: str, port: int, preheat: bool = True, cull_idle: int = CULL_IDLE_SECONDS) -> Config:
    c = Config()
    c.Voila.ip = host
    c.Voila.port = port
    c.Voila.port_retries = 0  # a clash must fail loudly, not move the apps to another port
    c.Voila.open_browser = False
    c.Voila.root_dir = str(NOTEBOOKS_DIR)
    c.VoilaConfiguration.template = "pbtools"
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.preheat_kernel = preheat
    c.VoilaConfiguration.default_pool_size = 1 if preheat else 0
    c.VoilaConfiguration.multi_kernel_manager_class = "pbtools.server.kernels.AppKernelManager"
    # The hall's apps open at once from a kernel kept warm; the Pabulib app (workshops, desk work) starts its own.
    c.VoilaKernelManager.preheat_denylist = ["pabulib.ipynb"]
    c.VoilaConfiguration.file_allowlist = [r".*\.(png|svg|css)$"]
    c.MappingKernelManager.cull_idle_timeout = cull_idle
    c.MappingKernelManager.cull_interval = max(10, min(60, cull_idle // 2))
    c.MappingKernelManager.cull_connected = False
    # IPC sockets instead of TCP ports: a burst of kernel starts over TCP can clash on ports.
    c.KernelManager.transport = "ipc"
    return c


def run(workspace: Path, db_url: str | None, host: str, port: int, preheat: bool = True,
        password: str | None = None, public_address: str | None = None, lang: str | None = None) -> None:
    """Serve the apps until interrupted. Kernels inherit the workspace (and the phones' address) through the
    environment. Off loopback, everything but the voters' pages needs the facilitator's password.

    What is printed may be on the projector (a mirrored screen): never the token, and the password only the one
    time it is generated. This run's token link goes to a file only the owner can read."""
    import secrets

    from pbtools.server import auth, limits, logsafe, vote
    from pbtools.i18n import default_lang, translator
    from pbtools.server.address import base_url, hall_address, is_loopback, parse_public_address

    from pbtools.storage import open_workspace

    _ = translator(lang or default_lang())
    os.umask(0o077)  # everything the server writes (workspace files, kernels' exports) is for the owner only
    limits.raise_open_files()
    if public_address is not None:
        public_address = parse_public_address(public_address)  # AddressError before anything starts
    open_workspace(workspace, db_url=db_url).close()  # create or upgrade it once, before any page or kernel uses it
    os.environ["PBTOOLS_WORKSPACE"] = str(workspace)
    if db_url:
        os.environ["PBTOOLS_DB"] = db_url
    address = public_address or (host if host not in ("0.0.0.0", "::", "") else hall_address())
    os.environ["PBTOOLS_SERVE_HOST"] = host
    os.environ["PBTOOLS_SERVE_PORT"] = str(port)
    if address:
        os.environ["PBTOOLS_PUBLIC_URL"] = base_url(address, port)  # for the console's phone-voting tab
    else:  # the console looks again when it draws the QR code (the hotspot may come up later)
        os.environ.pop("PBTOOLS_PUBLIC_URL", None)
    # Voila finds templates on the Jupyter data path; ours comes first.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(SHARE_DIR), os.environ.get("JUPYTER_PATH")]))
    kernel_secret = secrets.token_urlsafe(32)
    os.environ["VOILA_WS_BASE_URL"] = auth.kernel_query_base(kernel_secret)  # kernels inherit it (auth.py)
    config = server_config(host, port, preheat=preheat)
    access = auth.configure_access(config, workspace, host, password)
    AppServer.extra_handlers = [
        *auth.handlers(NOTEBOOKS_DIR, config.VoilaConfiguration.file_allowlist, kernel_secret),
        *vote.handlers(workspace, db_url, access.voter_key),
        *pages.handlers(workspace, db_url, STATIC_DIR, NOTEBOOKS_DIR),
    ]
    local = base_url("127.0.0.1" if not is_loopback(host) else host, port)
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
    if not is_loopback(host):
        if address:
            print(_("Voters open: {url}", url=f"{os.environ['PBTOOLS_PUBLIC_URL']}/vote/…"), flush=True)
        else:
            print(_("No address on a hall network was found, so phones cannot reach this laptop yet: join the hall's "
                    "Wi-Fi or start the hotspot, or give --public-address."), flush=True)
    app = AppServer(config=config)
    app.initialize([])
    logsafe.install()  # after Voila has set up its log
    app.start()
