"""Build and run the server: Voila over the notebooks folder, with pbtools' home page and static files."""

from __future__ import annotations

import os
from pathlib import Path

from traitlets.config import Config
from voila.app import Voila

from pbtools.server import pages

SHARE_DIR = Path(__file__).with_name("share")
STATIC_DIR = Path(__file__).with_name("static")
NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"

# Kernels of closed or idle pages are freed after this many seconds (Voila 0.5 keeps a closed tab's kernel).
CULL_IDLE_SECONDS = 600


class AppServer(Voila):
    """Voila in directory mode over ``notebooks/``, with pbtools' own handlers ahead of Voila's."""

    extra_handlers: list = []

    def init_handlers(self) -> list:
        return [*self.extra_handlers, *super().init_handlers()]


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
    c.VoilaConfiguration.file_allowlist = [r".*\.(png|svg|css)$"]
    c.MappingKernelManager.cull_idle_timeout = cull_idle
    c.MappingKernelManager.cull_interval = max(10, min(60, cull_idle // 2))
    c.MappingKernelManager.cull_connected = False
    # IPC sockets instead of TCP ports: a burst of kernel starts over TCP can clash on ports.
    c.KernelManager.transport = "ipc"
    return c


def run(workspace: Path, db_url: str | None, host: str, port: int, preheat: bool = True) -> None:
    """Serve the apps until interrupted. Kernels inherit the workspace through the environment."""
    os.environ["PBTOOLS_WORKSPACE"] = str(workspace)
    if db_url:
        os.environ["PBTOOLS_DB"] = db_url
    # Voila finds templates on the Jupyter data path; ours comes first.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(SHARE_DIR), os.environ.get("JUPYTER_PATH")]))
    AppServer.extra_handlers = pages.handlers(workspace, db_url, STATIC_DIR, NOTEBOOKS_DIR)
    app = AppServer(config=server_config(host, port, preheat=preheat))
    app.initialize([])
    app.start()
