"""pbtools budget check FILE | import FILE: validate a municipality's budget file, and store it in a workspace."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pbtools.cli import add_lang_argument, add_workspace_argument, workspace_folder
from pbtools.i18n import translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("budget", help="check or import a budget file (CSV or XLSX)")
    commands = p.add_subparsers(dest="budget_command", metavar="ACTION", required=True)
    check = commands.add_parser("check", help="validate a budget file and print a summary or every problem")
    check.add_argument("file", metavar="FILE")
    add_lang_argument(check)
    check.set_defaults(func=run_check)
    load = commands.add_parser("import", help="validate a budget file and store it in the workspace")
    load.add_argument("file", metavar="FILE")
    add_workspace_argument(load)
    add_lang_argument(load)
    load.set_defaults(func=run_import)


def _read(args: argparse.Namespace):
    from pbtools.budget.read import read_budget
    from pbtools.i18n import check_lang

    lang = check_lang(args.lang)
    budget, problems = read_budget(Path(args.file))
    for problem in problems:
        print(problem.render(lang), file=sys.stdout if budget is not None else sys.stderr)
    return lang, budget, problems


def summary_lines(budget, lang: str) -> list[str]:
    from pbtools.budget.summary import citizens_budget
    from pbtools.fmt import money, percent

    _ = translator(lang)
    s = citizens_budget(budget)
    lines = [
        _("Budget year {year}: {lines} lines, years {years}.", year=s.year, lines=len(budget.lines), years=", ".join(map(str, budget.years()))),
        _("Revenue: {amount}", amount=money(s.revenue, lang)),
        _("Expenditure: {amount}", amount=money(s.expenditure, lang)),
    ]
    if s.own_share is not None:
        lines.append(_("Own revenues: {amount} ({share})", amount=money(s.own_revenue, lang), share=percent(s.own_share, lang)))
        lines.append(_("Equalisation grant: {amount} ({share})", amount=money(s.grant, lang), share=percent(s.grant_share, lang)))
    return lines


def run_check(args: argparse.Namespace) -> int:
    lang, budget, problems = _read(args)
    _ = translator(lang)
    if budget is None:
        print(_("{file}: errors found: {count}; nothing was read.", file=Path(args.file).name, count=sum(p.is_error for p in problems)), file=sys.stderr)
        return 1
    print(_("{file}: the budget is valid.", file=Path(args.file).name))
    print("\n".join(summary_lines(budget, lang)))
    return 0


def run_import(args: argparse.Namespace) -> int:
    
    lang, budget, problems = _read(args)
    _ = translator(lang)
    if budget is None:  # the workspace is not even opened: a bad file changes nothing
        print(_("{file}: errors found: {count}; nothing was stored.", file=Path(args.file).name, count=sum(p.is_error for p in problems)), file=sys.stderr)
        return 1
    from pbtools.storage import open_workspace

    workspace = workspace_folder(args)
    ws = open_workspace(workspace, db_url=args.db)
    try:
        budget_id = ws.save_budget(budget)  # one transaction: stored whole or not at all
    finally:
        ws.close()
    print(_("Budget {year} stored in {path} (number {id}).", year=budget.year, path=workspace, id=budget_id))
    print("\n".join(summary_lines(budget, lang)))
    return 0

