"""The server `pbtools serve` runs (``make_app``: Voila, the login, the ballot pages, the hall limits), served from a
thread of the test process instead of a process of its own: no interpreter, Voila and Jupyter to load per server,
so a module's server starts in well under a second. Tests that need a real process (killed, flooded, its
printed output read) keep ``tests.fixtures.browser.Server``."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import threading
from pathlib import Path

from pbtools.server import forwarded, limits
from pbtools.server.app import make_app
from pbtools.server.settings import ServeSettings
from tests.fixtures.browser import free_port


class InProcessServer:
    """The same ``url``/``workspace``/``stop()`` as ``Server``; started by the constructor."""

    def __init__(self, workspace: Path, password: str | None = None, **settings) -> None:
        self.workspace, self.port = workspace, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        sigterm, self._environ = signal.getsignal(signal.SIGTERM), dict(os.environ)
        # built here, in the main thread: Voila's initialize sets a SIGTERM handler, which only the main thread may
        self.voila = make_app(ServeSettings(workspace=str(workspace), port=self.port, preheat=False,
                                            password=password, **settings))
        signal.signal(signal.SIGTERM, sigterm)  # Voila's would stop a loop it never started: pytest's again
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), name="pbtools-serve", daemon=True)
        self._thread.start()
        if not self._ready.wait(30) or self._error:
            raise RuntimeError(f"the in-process server did not start: {self._error!r}")

    async def _serve(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        try:  # the listening socket as `pbtools serve` makes it (HallServer: per-address limits, timeouts)
            settings = self.voila.serve_settings
            trusted = forwarded.trusted_networks(settings.trusted_proxies.split(","))  # as AppServer.listen
            http = limits.listen(self.voila.app, self.port, "127.0.0.1", settings.listen_backlog, trusted)
        except BaseException as e:
            self._error = e
            self._ready.set()
            raise
        self._ready.set()
        await self._stop.wait()
        http.stop()
        await self.voila.kernel_manager.shutdown_all()  # none with preheat off and no app opened; in case

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)
        shutil.rmtree(self.voila.connection_dir, ignore_errors=True)
        os.environ.clear()  # make_app set what kernels would inherit (PBTOOLS_WORKSPACE...): not for other tests
        os.environ.update(self._environ)
