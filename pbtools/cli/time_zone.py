"""pbtools time-zone [ZONE]: the zone in which the screens and reports show the moments the ledger keeps in UTC
(``pbtools.moments``). Without ZONE it says which zone that is and where it comes from; with an IANA name
("Asia/Bishkek") it sets it for the workspace (on a central server: for the municipality its --db names, since such
a server often runs in UTC); ``--machine`` goes back to the machine's own zone (a hall laptop's clock)."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone

from pbtools.cli import add_lang_argument, add_workspace_argument, fail, open_existing
from pbtools.i18n import check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("time-zone", help="the time zone in which stored times are shown (default: the machine's)")
    p.add_argument("zone", metavar="ZONE", nargs="?", default=None, help="an IANA time zone, e.g. Asia/Bishkek")
    p.add_argument("--machine", action="store_true", help="show times in the machine's own zone again")
    add_workspace_argument(p)
    add_lang_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pbtools.moments import ZONE_SETTING, local_moment, zone_named, zone_now

    lang = check_lang(args.lang)
    _ = translator(lang)
    if args.zone is not None and zone_named(args.zone) is None:
        return fail(_("{zone} is not a time zone: write it as its IANA name, e.g. Asia/Bishkek", zone=args.zone))
    ws, why = open_existing(args, lang)
    if ws is None:
        return fail(why)
    with ws:
        if args.zone is not None or args.machine:
            ws.set_setting(ZONE_SETTING, args.zone.strip() if args.zone else "")
        name, zone = ws.get_setting(ZONE_SETTING) or "", ws.time_zone()
    label, now = zone_now(zone), f"{local_moment(datetime.now(timezone.utc), zone):%H:%M}"  # the label as column heads say it
    if zone is None:
        print(_("Times are shown in this machine's time zone ({zone}, now {time}).", zone=label, time=now))
    else:
        print(_("Times are shown in the workspace's time zone {name} ({zone}, now {time}).", name=name, zone=label, time=now))
    return 0
