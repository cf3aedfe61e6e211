"""pbtools monitoring follow | match | report | act: what the joint monitoring group hands to the assembly and the
council: did the budget follow the hearing, the monitoring report of a period, a monitoring act to sign.

Every subcommand takes ``--workspace``/``--db`` and ``--lang``; bad input is said in that language and ends with
exit status 1, having changed nothing."""

from __future__ import annotations

import argparse
import json

from pbtools.budget.numbers import whole_number
from pbtools.cli import add_lang_argument, add_workspace_argument, open_existing
from pbtools.cli.monitoring_report import failed, register_reports
from pbtools.i18n import check_lang, translator


def _year(text: str) -> int:
    year = whole_number(text)
    if year is None or not 2000 <= year <= 2099:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year such as 2027")
    return year


def _common(p: argparse.ArgumentParser) -> None:
    add_workspace_argument(p)
    add_lang_argument(p)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("monitoring", help="monitoring reports, acts, and whether the budget followed the hearing")
    commands = p.add_subparsers(dest="monitoring_command", metavar="ACTION", required=True)
    follow = commands.add_parser("follow", help="did the adopted budget fund the hearings' priorities?")
    follow.add_argument("--year", type=_year, default=None, help="the budget year (default: that of the newest hearing's priorities)")
    follow.add_argument("--json", action="store_true", help="machine-readable output")
    _common(follow)
    follow.set_defaults(func=run_follow)
    match = commands.add_parser("match", help="say which line of the adopted budget pays for a priority")
    match.add_argument("priority", metavar="PRIORITY", help="HEARING/OPTION, as `pbtools monitoring follow` lists it")
    match.add_argument("code", metavar="CODE", nargs="?", default=None, help="the budget line's code")
    match.add_argument("--none", action="store_true", help="no line of the adopted budget gives it money")
    match.add_argument("--year", type=_year, default=None)
    match.add_argument("--by", metavar="NAME", default="", help="who matches (a member of the monitoring group)")
    _common(match)
    match.set_defaults(func=run_match)
    register_reports(commands, _common)


def follow_json(follow) -> dict:
    return {
        "year": follow.year, "adopted": follow.adopted is not None, "execution_year": follow.execution_year,
        "priorities": [{"priority": r.priority.key, "title": dict(r.priority.option.titles), "cost": str(r.cost),
                        "sector": r.priority.option.sector, "status": r.status, "how": r.how,
                        "line": r.line.code if r.line is not None else None, "amount": str(r.amount),
                        "missing": str(r.missing)} for r in follow.rows],
        "execution": [{"side": e.side, "code": e.code, "planned": str(e.planned), "executed": str(e.executed),
                       "shortfall": str(e.shortfall)} for e in follow.execution],
    }


def run_follow(args: argparse.Namespace) -> int:
    from pbtools.monitoring.follow.blocks import follow_lines
    from pbtools.monitoring.follow.service import FollowError, FollowService

    lang = check_lang(args.lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        return failed(error)
    with ws:
        try:
            follow = FollowService(ws).follow(args.year)
        except FollowError as exc:
            return failed(exc.render(lang))
    if args.json:
        print(json.dumps(follow_json(follow), ensure_ascii=False, indent=1))
    else:
        print("\n".join(follow_lines(follow, lang)))
    return 0


def run_match(args: argparse.Namespace) -> int:
    from pbtools.monitoring.follow.compare import NOTHING
    from pbtools.monitoring.follow.service import FollowError, FollowService
    from pbtools.roles import LOCAL, MONITOR, Actor, NotAllowed

    lang = check_lang(args.lang)
    _ = translator(lang)
    if (args.code is None) == (not args.none):
        return failed(_("Give either a budget line's CODE or --none"))
    ws, error = open_existing(args, lang)
    if ws is None:
        return failed(error)
    actor = Actor(args.by, MONITOR) if args.by else LOCAL
    with ws:
        try:
            FollowService(ws).match(args.priority, NOTHING if args.none else args.code, actor, args.year)
        except (FollowError, NotAllowed) as exc:
            return failed(exc.render(lang))
    print(_("Kept: {priority} is paid from line {code}", priority=args.priority, code=args.code) if not args.none
          else _("Kept: no line of the adopted budget pays for {priority}", priority=args.priority))
    return 0
