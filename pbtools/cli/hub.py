"""pbtools hub init DIR --db URL: a JupyterHub for many municipalities (jupyterhub_config.py in DIR; start it with
``jupyterhub -f DIR/jupyterhub_config.py``), and pbtools hub singleuser: the user's server JupyterHub starts.

``docs/deployment.md`` says how it fits together, how to back it up and what to change when it grows.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pbtools.cli import add_lang_argument, fail

CONFIG = "jupyterhub_config.py"
TEMPLATE = '''"""JupyterHub for pbtools, written by `pbtools hub init`. Start: jupyterhub -f {config}"""
from pbtools.server.hub_config import configure

configure(c, db_url={db_url!r}, folder={folder!r}, port={port!r}, hub_port={hub_port!r},  # noqa: F821 - c is JupyterHub's
          proxy_api_port={proxy_api_port!r},
          public_url={public_url!r}, trusted_proxies={trusted_proxies!r})
'''


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("hub", help="a central server: JupyterHub over one PostgreSQL database for many municipalities")
    hsub = p.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    init = hsub.add_parser("init", help="write DIR/jupyterhub_config.py (and the folders it uses)")
    init.add_argument("folder", metavar="DIR")
    init.add_argument("--db", metavar="URL", required=True, help="the central PostgreSQL database (its registry is made)")
    init.add_argument("--port", type=int, default=8000, help="where users connect (default 8000, on 127.0.0.1); the "
                      "proxy's API takes the next port, P+1, unless --proxy-api-port")
    init.add_argument("--proxy-api-port", type=int, default=None, help="the proxy's API port (default: --port + 1)")
    init.add_argument("--hub-port", type=int, default=8081, help="the hub's own port, behind the proxy (default 8081)")
    init.add_argument("--public-url", metavar="URL", help="where users and phones reach the hub (https://pb.example.kg/): "
                      "the address phones are shown and the code cards carry")
    init.add_argument("--trusted-proxies", metavar="ADDRESSES", default="",
                      help="the front proxy's address (comma-separated addresses or networks) when it is not on this "
                           "machine: its X-Forwarded-For then names each client (login lockouts are per client)")
    add_lang_argument(init)
    init.set_defaults(func=run_init)
    single = hsub.add_parser("singleuser", help="(started by JupyterHub) serve one user's apps behind the hub's login")
    single.set_defaults(func=run_singleuser)


def run_init(args: argparse.Namespace) -> int:
    from pbtools.central.registry import Central
    from pbtools.i18n import N_, Msg, check_lang
    from pbtools.server.forwarded import trusted_networks
    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    public_url = args.public_url
    if public_url is not None:
        try:
            public_url = check_public_url(public_url)
        except ValueError as e:
            return fail(e.args[0].render(lang))
    try:
        trusted_networks(args.trusted_proxies.split(","))
    except ValueError:
        return fail(Msg(N_("--trusted-proxies {value}: give addresses or networks, comma-separated (like 10.0.0.5 or "
                           "10.0.0.0/30)"), value=args.trusted_proxies).render(lang))
    folder = Path(args.folder).expanduser().resolve()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        Central(args.db, folder / "municipalities").close()  # the registry exists, and the URL works
    except StorageError as e:
        return fail(e.render(lang))
    config = folder / CONFIG
    fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds the database's password
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(TEMPLATE.format(config=str(config), db_url=args.db, folder=str(folder), port=args.port, hub_port=args.hub_port,
                                public_url=public_url, trusted_proxies=args.trusted_proxies,
                                proxy_api_port=args.proxy_api_port or args.port + 1))
    print(f"jupyterhub -f {config}")
    return 0


def check_public_url(value: str) -> str:
    """``--public-url``: an http(s) address of a host (and port), nothing more; ValueError with a ``Msg``."""
    from urllib.parse import urlsplit

    from pbtools.i18n import N_, Msg

    parts = urlsplit(value.strip())
    try:
        parts.port  # noqa: B018 - a port that is not a number raises
    except ValueError:
        parts = parts._replace(netloc="")
    # the hub serves at / (its base_url): a public address with a path would not be its own
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/") or parts.query
            or parts.fragment or "@" in parts.netloc):
        raise ValueError(Msg(N_("--public-url {value}: give the address users and phones open, with http:// or https:// "
                                "(like https://pb.example.kg/)"), value=value))
    return parts.geturl().rstrip("/") + "/"


def run_singleuser(args: argparse.Namespace) -> int:
    if "JUPYTERHUB_SERVICE_URL" not in os.environ:
        print("pbtools hub singleuser is started by JupyterHub (JUPYTERHUB_SERVICE_URL is not set)", file=sys.stderr)
        return 2
    from pbtools.server.hub_serve import serve_for_hub

    serve_for_hub()
    return 0
