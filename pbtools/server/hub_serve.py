"""Serving one user's apps behind JupyterHub: where the hub said, under its prefix (``pbtools hub singleuser``).

Its own module, above ``app`` and ``hub_mode``: ``app`` builds the server (and uses ``hub_mode``'s routes), this
starts it, so nothing imports back up.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

from pbtools.server import limits, logsafe
from pbtools.server.forwarded import LOOPBACK, TRUSTED_ENV
from pbtools.server.app import make_app
from pbtools.server.settings import ServeSettings


def serve_for_hub() -> None:
    """Serve this user's apps where JupyterHub said (``JUPYTERHUB_SERVICE_URL``), under its prefix, until stopped.
    The municipality's workspace and database come from the environment the hub gave (``central.hub``)."""
    where = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    workspace = Path(os.environ["PBTOOLS_WORKSPACE"])
    workspace.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.umask(0o077)
    limits.raise_open_files()
    # no kernel kept warm per app: on a hub the memory goes to the users' open apps (docs/deployment.md)
    settings = ServeSettings(workspace=str(workspace), db_url=os.environ.get("PBTOOLS_DB") or None,
                             host=where.hostname or "127.0.0.1", port=where.port or 8888, preheat=False, hub=True,
                             base_url=os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"),
                             # what phones open: the hub's public URL of this server (hub_config's public_url),
                             # never JUPYTERHUB_SERVICE_URL, the internal address the proxy reaches it at
                             public_url=os.environ.get("JUPYTERHUB_PUBLIC_URL") or None,
                             # the hub's proxy: loopback unless the hub says otherwise (server/forwarded.py)
                             trusted_proxies=os.environ.get(TRUSTED_ENV, ",".join(LOOPBACK)))
    server = make_app(settings)
    logsafe.install()
    server.listen()
