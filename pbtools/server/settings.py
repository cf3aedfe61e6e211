"""What one run of the server is given: the workspace, where it listens, the facilitator's password, the kernels'
limits. A traitlets ``Configurable`` (as Voila's own settings are), made by ``pbtools serve`` from its options or by a
test, and handed to ``app.make_app``; handlers read it from the tornado application's settings (``SETTINGS_KEY``)."""

from __future__ import annotations

from pathlib import Path

from traitlets import Bool, Integer, Unicode, validate
from traitlets.config import Configurable

from pbtools.phones.address import DEFAULT_PORT, base_url, hall_address, is_loopback, local_host, parse_public_address
from pbtools.phones.urls import Urls
from pbtools.server.logins import check_password

SETTINGS_KEY = "pbtools_settings"  # the key of this object in the tornado application's settings
# Kernels of closed or idle pages are freed after this many seconds (Voila 0.5 keeps a closed tab's kernel).
CULL_IDLE_SECONDS = 600
# How long an idle kernel is kept (seconds), set for a test or a slow machine: `pbtools serve` reads it into
# ``ServeSettings.cull_idle_seconds``.
CULL_ENV = "PBTOOLS_CULL_IDLE_SECONDS"
# Connections waiting to be accepted. Tornado's default, 128, is fewer than the phones of a hall voting at once:
# the kernel then drops their first SYN and each of them waits a second before trying again.
LISTEN_BACKLOG = 1024


class ServeSettings(Configurable):
    workspace = Unicode(help="the workspace folder (made or upgraded at start)").tag(config=True)
    db_url = Unicode(None, allow_none=True, help="the database, when not the workspace's own SQLite").tag(config=True)
    host = Unicode("127.0.0.1", help="address to listen on; 0.0.0.0 for the hall network").tag(config=True)
    port = Integer(DEFAULT_PORT, help="port to listen on").tag(config=True)
    preheat = Bool(True, help="keep a ready kernel per app").tag(config=True)
    password = Unicode(None, allow_none=True, help="a new facilitator password (only its hash is kept)").tag(config=True)
    public_address = Unicode(None, allow_none=True, help="the address phones use; detected when not given").tag(config=True)
    lang = Unicode("en", help="language of what the server prints").tag(config=True)
    cull_idle_seconds = Integer(CULL_IDLE_SECONDS, help="free a page's kernel after this long idle").tag(config=True)
    listen_backlog = Integer(LISTEN_BACKLOG, help="connections waiting to be accepted").tag(config=True)
    hub = Bool(False, help="a user's server behind JupyterHub: the hub's login (server/hub_mode.py)").tag(config=True)
    base_url = Unicode("/", help="the URL prefix of every page (the hub's /user/NAME/...)").tag(config=True)
    public_url = Unicode(None, allow_none=True, help="behind the hub: this server's address as phones open it, the "
                         "hub's public URL and this server's prefix (JUPYTERHUB_PUBLIC_URL)").tag(config=True)
    trusted_proxies = Unicode("", help="behind the hub: the proxy's addresses, whose X-Forwarded-For names the client "
                              "(comma separated; never on a hall laptop: server/forwarded.py)").tag(config=True)

    @validate("password")
    def _check_password(self, proposal):  # noqa: ANN001, ANN202 - traitlets' signature
        value = proposal["value"]
        return None if value is None else check_password(value)  # PasswordError says what is wrong

    @validate("public_address")
    def _check_public_address(self, proposal):  # noqa: ANN001, ANN202 - traitlets' signature
        value = proposal["value"]
        return None if value is None else parse_public_address(value)  # AddressError names what is wrong

    @property
    def workspace_path(self) -> Path:
        return Path(self.workspace)

    @property
    def on_hall_network(self) -> bool:
        return not is_loopback(self.host)

    def phones_url(self) -> str | None:
        """The base URL phones open (``--public-address``, the address listened on, or the hall network's address
        found now, with the server's ``base_url``); None when there is no hall network. Behind the hub: the hub's
        public URL of this server (its prefix in it), or None when the hub has none (this server's own address is the
        hub's internal one, no phone reaches it). Phones' addresses are made from it by ``Urls.public``."""
        if self.hub:
            return self.public_url.rstrip("/") if self.public_url else None
        address = self.public_address or (self.host if self.host not in ("0.0.0.0", "::", "") else hall_address())
        return base_url(address, self.port) + Urls(self.base_url).base.rstrip("/") if address else None

    def local_url(self) -> str:
        """The address of the apps on this laptop: one the server listens on (the facilitator's token link names it;
        127.0.0.1 does not answer a server listening on one hall address only)."""
        return base_url(local_host(self.host), self.port)
