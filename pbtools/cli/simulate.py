"""pbtools simulate HEARING_ID --voters N --seed S [--via paper|phones]: a simulated hall votes into an open
practice hearing (a sandbox's, or the workspace's), through the door and paper entry or through voting codes and
the phone ballot handler of the server, run in this process. The same seed gives the same ballots and count."""

from __future__ import annotations

import argparse
import getpass
import json

from pbtools.cli import add_lang_argument, add_workspace_argument, fail, hearing_id, open_existing
from pbtools.i18n import check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="simulated voters vote at an open practice hearing (training, load tests)")
    p.add_argument("hearing", metavar="HEARING_ID", type=hearing_id)
    p.add_argument("--voters", type=int, required=True, metavar="N", help="people in the hall (real halls: 60-350)")
    p.add_argument("--seed", type=int, required=True, metavar="S", help="the same seed gives the same ballots")
    p.add_argument("--via", choices=("paper", "phones"), default="paper",
                   help="paper: registration and typed paper ballots; phones: voting codes and phone forms")
    p.add_argument("--sandbox", metavar="NAME", default=None, help="the sandbox to vote in (instead of --workspace)")
    p.add_argument("--root", metavar="DIR", default=None, help="the sandboxes folder, with --sandbox")
    p.add_argument("--json", action="store_true", help="machine-readable output: what was stored, and the ballots' digest")
    add_workspace_argument(p)
    add_lang_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pbtools.roles import ADMIN, TRAINER, Actor, NotAllowed
    from pbtools.training.errors import TrainingError
    from pbtools.storage.sandbox_mark import is_sandbox
    from pbtools.training.sandbox import get_sandbox
    from pbtools.training.simulate import PHONES, simulate_hall

    lang = check_lang(args.lang)
    _ = translator(lang)
    try:
        if args.sandbox:
            args.workspace, args.db = str(get_sandbox(args.sandbox, args.root).path), None
        ws, error = open_existing(args, lang)
        if ws is None:
            return fail(error)
        with ws:
            # a trainer in a sandbox; in another workspace, the laptop's own user (its practice hearings only)
            actor = Actor(getpass.getuser(), TRAINER if is_sandbox(ws.path) else ADMIN)
            sender = None
            if args.via == PHONES:
                from pbtools.server.vote import BallotDesk  # the vote handler's own desk, in this process
                from pbtools.training.phone_path import desk_sender

                sender = desk_sender(BallotDesk(ws.path, args.db))
            report = simulate_hall(ws, args.hearing, args.voters, args.seed, actor=actor, via=args.via, phones=sender)
    except (TrainingError, NotAllowed) as e:
        return fail(e.render(lang))
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 1 if report.refused else 0
    seconds = f"{report.seconds:.1f}"
    via = _("paper ballots") if args.via == "paper" else _("phones")
    print(_("{n} simulated voters registered at hearing {id}; {ballots} ballots stored ({via}) in {seconds} s.",
            n=report.registered, id=report.hearing_id, ballots=report.total_ballots, via=via, seconds=seconds))
    for problem in report.refused:
        print(problem)
    return 1 if report.refused else 0
