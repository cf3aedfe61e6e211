"""pbtools sandbox create NAME | reset NAME | restore NAME | remove NAME | list [--json]: training workspaces made from the sample
municipality (see pbtools/training/sandbox.py for where they live and why a reset never touches anything else)."""

from __future__ import annotations

import argparse
import getpass
import json

from pbtools.cli import add_lang_argument, fail
from pbtools.i18n import check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sandbox", help="training sandboxes: workspaces made from the sample municipality")
    ssub = p.add_subparsers(dest="sandbox_command", metavar="ACTION", required=True)
    create = ssub.add_parser("create", help="a new sandbox: the sample municipality, a closed and an open hearing")
    reset = ssub.add_parser("reset", help="make a sandbox as new (what it was is kept aside until the next reset)")
    restore = ssub.add_parser("restore", help="bring back the sandbox kept at its last reset (the two change places)")
    remove = ssub.add_parser("remove", help="delete a sandbox")
    ls = ssub.add_parser("list", help="the sandboxes and their workspace folders")
    for q in (create, reset, restore, remove):
        q.add_argument("name", metavar="NAME")
    for q in (create, reset, restore, remove, ls):
        q.add_argument("--root", metavar="DIR", default=None,
                       help="the sandboxes folder (default: $PBTOOLS_SANDBOXES or ~/.local/share/pbtools/sandboxes)")
        add_lang_argument(q)
    ls.add_argument("--json", action="store_true", help="machine-readable output: name and workspace of each")
    create.set_defaults(func=run_create)
    reset.set_defaults(func=run_reset)
    restore.set_defaults(func=run_restore)
    remove.set_defaults(func=run_remove)
    ls.set_defaults(func=run_list)


def _trainer():
    from pbtools.roles import TRAINER, Actor

    return Actor(getpass.getuser(), TRAINER)


def _run(args: argparse.Namespace, action) -> int:
    from pbtools.roles import NotAllowed
    from pbtools.training.errors import TrainingError

    lang = check_lang(args.lang)
    try:
        return action(translator(lang))
    except (TrainingError, NotAllowed) as e:
        return fail(e.render(lang))


def run_create(args: argparse.Namespace) -> int:
    from pbtools.training.sandbox import create_sandbox

    def act(_) -> int:
        box = create_sandbox(args.name, actor=_trainer(), root=args.root)
        print(_("Sandbox {name} created in {path}: the sample hearing {closed} (closed) and {open} (open, ready to vote).",
                name=box.name, path=box.path, closed=box.closed_hearing, open=box.open_hearing))
        return 0
    return _run(args, act)


def run_reset(args: argparse.Namespace) -> int:
    from pbtools.training.sandbox import reset_sandbox

    def act(_) -> int:
        box = reset_sandbox(args.name, actor=_trainer(), root=args.root)
        print(_("Sandbox {name} is as new again ({path}).", name=box.name, path=box.path))
        print(_("What it was is kept aside until the next reset: pbtools sandbox restore {name} brings it back.", name=box.name))
        return 0
    return _run(args, act)


def run_restore(args: argparse.Namespace) -> int:
    from pbtools.training.sandbox import restore_sandbox

    def act(_) -> int:
        box = restore_sandbox(args.name, actor=_trainer(), root=args.root)
        print(_("Sandbox {name} is back as it was before its last reset ({path}); the one it replaced is kept aside.",
                name=box.name, path=box.path))
        return 0
    return _run(args, act)


def run_remove(args: argparse.Namespace) -> int:
    from pbtools.training.sandbox import remove_sandbox

    def act(_) -> int:
        path = remove_sandbox(args.name, actor=_trainer(), root=args.root)
        print(_("Sandbox {name} removed ({path}).", name=args.name, path=path))
        return 0
    return _run(args, act)


def run_list(args: argparse.Namespace) -> int:
    from pbtools.training.sandbox import list_sandboxes, sandboxes_root

    def act(_) -> int:
        boxes = list_sandboxes(args.root)
        if args.json:
            print(json.dumps([{"name": b.name, "workspace": str(b.path)} for b in boxes], ensure_ascii=False, indent=2))
        elif not boxes:
            print(_("No sandboxes in {root}.", root=sandboxes_root(args.root)))
        for b in boxes if not args.json else ():
            print(f"{b.name}\t{b.path}")
        return 0
    return _run(args, act)
