"""pbtools demo: create the sample workspace (a fictional rural municipality with a budget and a hearing)."""

from __future__ import annotations

import argparse
import sys

from pbtools.cli import add_lang_argument, add_workspace_argument, workspace_folder
from pbtools.i18n import check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="create the sample workspace")
    add_workspace_argument(p)
    add_lang_argument(p)
    p.add_argument("--if-missing", action="store_true", help="do nothing if the workspace already has data")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pbtools.demo import create_demo, has_data

    _ = translator(check_lang(args.lang))
    workspace = workspace_folder(args)
    if has_data(workspace, args.db):
        if args.if_missing:
            print(_("The workspace {path} already has data; left as it is.", path=workspace))
            return 0
        print(_("The workspace {path} already has data; choose an empty folder.", path=workspace), file=sys.stderr)
        return 1
    summary = create_demo(workspace, args.db)
    print(_("Sample workspace created in {path}: {budgets} budget, {hearings} hearing.", path=workspace, **summary))
    return 0
