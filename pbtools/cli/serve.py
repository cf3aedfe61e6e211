"""pbtools serve: the apps in the browser."""

from __future__ import annotations

import argparse
import os

import sys

from pbtools.cli import add_lang_argument, add_workspace_argument, workspace_folder
from pbtools.phones.address import DEFAULT_PORT

EPILOG = """\
what is printed at start (the terminal is often mirrored on the projector, so it never shows the token):
  - without a password (the default on 127.0.0.1): the address of the apps on this laptop;
  - with a password: the path of a file in the workspace, facilitator-link.txt, readable only by you, holding
    the link with this run's token (a new one each start, valid until the server stops); open it in this
    laptop's browser;
  - when a facilitator's password for other devices was generated now (--host not loopback and no password set
    before): the path of facilitator-password.txt, readable only by you; write it down and delete the file, only
    its hash is kept;
  - off loopback, the address voters open, or a warning when no hall network address was found.
A new password (--password or $PBTOOLS_PASSWORD different from the one set before) logs everyone out; phones that
voted in open mode still cannot vote again.

A device that types a wrong password again and again waits longer each time, then is locked out: see and lift
the locks with `pbtools logins`."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the apps (Voila) at http://HOST:PORT", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_workspace_argument(p)
    add_lang_argument(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for the hall network)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--no-preheat", action="store_true", help="do not keep a ready kernel per app (saves memory, slower first paint)")
    p.add_argument("--password", default=None, help="set the facilitator's password (kept hashed in the workspace; "
                   "default: $PBTOOLS_PASSWORD, else the one set before, else one is generated when --host is not loopback)")
    p.add_argument("--public-address", default=None, metavar="ADDRESS",
                   help="address phones use to reach this laptop, shown as the QR code: an IP address or host name, without "
                   "http:// or port (default: detected)")
    p.set_defaults(func=run)

    q = sub.add_parser("logins", help="devices locked out after too many wrong facilitator passwords; lift a lock")
    add_workspace_argument(q)
    add_lang_argument(q)
    q.add_argument("--lift", metavar="ADDRESS", default=None, help="let ADDRESS try to log in again ('all': every one)")
    q.set_defaults(func=run_logins)


def run(args: argparse.Namespace) -> int:
    from pbtools.i18n import default_lang
    from pbtools.phones.address import AddressError
    from pbtools.server.logins import PasswordError
    from pbtools.server.settings import CULL_ENV, CULL_IDLE_SECONDS, ServeSettings

    lang = args.lang or default_lang()
    cull = os.environ.get(CULL_ENV, "")
    try:
        settings = ServeSettings(
            workspace=str(workspace_folder(args).resolve()), db_url=args.db, host=args.host, port=args.port,
            preheat=not args.no_preheat, password=args.password or os.environ.get("PBTOOLS_PASSWORD") or None,
            public_address=args.public_address, lang=lang,
            cull_idle_seconds=int(cull) if cull.isdigit() else CULL_IDLE_SECONDS)
        # Voila only once the settings passed their checks: importing it takes seconds, a typo's answer should not
        from pbtools.server.app import run as serve

        serve(settings)
    except (AddressError, PasswordError) as e:
        print(e.msg.render(lang), file=sys.stderr)
        return 2
    return 0


def run_logins(args: argparse.Namespace) -> int:
    from pbtools.i18n import default_lang, translator
    from pbtools.server.logins import lift, lock_text, lockouts

    workspace = workspace_folder(args)
    _ = translator(args.lang or default_lang())
    if args.lift:
        lifted = lift(workspace, None if args.lift == "all" else args.lift)
        if not lifted:
            print(_("{address} is not locked out", address=args.lift), file=sys.stderr)
            return 1
        for address in lifted:
            print(_("{address} may log in again", address=address))
        return 0
    locked = lockouts(workspace)
    if not locked:
        print(_("No device is locked out"))
    for address, lock in sorted(locked.items()):
        print(lock_text(address, lock, args.lang or default_lang()))
    return 0
