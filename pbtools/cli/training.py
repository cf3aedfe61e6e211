"""pbtools training handouts --lang ky --out DIR: the facilitator's guide and the handout (PDF), from the texts the
Training app shows."""

from __future__ import annotations

import argparse

from pbtools.cli import add_lang_argument
from pbtools.i18n import check_lang


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("training", help="workshop material: the facilitator's guide and handouts")
    cmds = p.add_subparsers(dest="training_command", required=True)
    c = cmds.add_parser("handouts", help="write the guide and the handout (PDF) in one language")
    c.add_argument("--out", required=True, metavar="DIR")
    add_lang_argument(c)
    c.set_defaults(func=run_handouts)


def run_handouts(args: argparse.Namespace) -> int:
    from pbtools.training.handouts import write_handouts

    for path in write_handouts(check_lang(args.lang), args.out):
        print(path)
    return 0
