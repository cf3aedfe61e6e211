"""pbtools serve: the apps in the browser."""

from __future__ import annotations

import argparse
import os

from pbtools.cli import add_workspace_argument, workspace_folder


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the apps (Voila) at http://HOST:PORT")
    add_workspace_argument(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for the hall network)")
    p.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    p.add_argument("--no-preheat", action="store_true", help="do not keep a ready kernel per app (saves memory, slower first paint)")
    p.add_argument("--password", default=None, help="set the facilitator's password (kept hashed in the workspace; "
                   "default: $PBTOOLS_PASSWORD, else the one set before, else one is generated when --host is not loopback)")
    p.add_argument("--public-address", default=None, metavar="ADDRESS",
                   help="address phones use to reach this laptop, shown as the QR code (default: detected)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pbtools.server.app import run as serve  # imports Voila only when serving

    workspace = workspace_folder(args)
    serve(workspace.resolve(), args.db, args.host, args.port, preheat=not args.no_preheat,
          password=args.password or os.environ.get("PBTOOLS_PASSWORD") or None, public_address=args.public_address)
    return 0
