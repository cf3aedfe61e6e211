"""pbtools budget check FILE | import FILE: validate a municipality's budget file, and store it in a workspace.

Real exports often state neither the year nor the unit: ``--year YEAR`` and ``--unit som|thousand`` say them, and the
messages say when they are needed."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from pbtools.budget.numbers import whole_number
from pbtools.cli import add_lang_argument, add_workspace_argument, workspace_folder
from pbtools.i18n import translator

UNITS = {"som": Decimal(1), "thousand": Decimal(1000)}


def _year(text: str) -> int:
    year = whole_number(text)
    if year is None or not 2000 <= year <= 2099:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year such as 2026")
    return year


def _add_reading_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=_year, default=None, metavar="YEAR",
                        help="the budget year, when the file's headers and titles do not say it (e.g. 2026)")
    parser.add_argument("--unit", choices=tuple(UNITS), default=None,
                        help="the unit of the amounts, when the file does not say it: som or thousand (thousand som)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("budget", help="check or import a budget file (CSV or XLSX)")
    commands = p.add_subparsers(dest="budget_command", metavar="ACTION", required=True)
    check = commands.add_parser("check", help="validate a budget file and print a summary or every problem")
    check.add_argument("file", metavar="FILE")
    _add_reading_arguments(check)
    add_lang_argument(check)
    check.set_defaults(func=run_check)
    load = commands.add_parser("import", help="validate a budget file and store it in the workspace")
    load.add_argument("file", metavar="FILE")
    _add_reading_arguments(load)
    add_workspace_argument(load)
    add_lang_argument(load)
    load.set_defaults(func=run_import)


def _read(args: argparse.Namespace, service=None):
    """The file read (as ``service`` would store it, when given), its problems and what it did not say printed."""
    from pbtools.budget.read import inspect_budget
    from pbtools.budget.service import Preview
    from pbtools.i18n import check_lang

    lang = check_lang(args.lang)
    _ = translator(lang)
    reading = dict(year=args.year, unit=UNITS.get(args.unit))
    preview = service.preview(Path(args.file), **reading) if service else Preview(inspect_budget(Path(args.file), **reading), None, None)
    found = preview.inspection
    out = sys.stdout if found.budget is not None else sys.stderr
    for problem in found.problems:
        print(problem.render(lang), file=out)
    # what the file did not say, and how to say it: the problems above name the columns
    if "year" in found.needs:
        print(_("The budget year is not known from the file: give it with --year YEAR (e.g. --year 2026)."), file=out)
    if "unit" in found.needs and args.unit is None:
        print(_("The file does not state its unit: the amounts were read as som. If they are in thousand som, add --unit thousand (or --unit som to confirm)."), file=out)
    return lang, found.budget, found.problems, preview


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
    lang, budget, problems, _preview = _read(args)
    _ = translator(lang)
    if budget is None:
        print(_("{file}: errors found: {count}; nothing was read.", file=Path(args.file).name, count=sum(p.is_error for p in problems)), file=sys.stderr)
        return 1
    print(_("{file}: the budget is valid.", file=Path(args.file).name))
    print("\n".join(summary_lines(budget, lang)))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from pbtools.budget.service import BudgetService
    from pbtools.storage import open_workspace
    from pbtools.storage.errors import StorageError

    lang, budget, problems, _preview = _read(args)
    _ = translator(lang)
    if budget is None:  # the workspace is not even opened: a bad file changes nothing
        print(_("{file}: errors found: {count}; nothing was stored.", file=Path(args.file).name, count=sum(p.is_error for p in problems)), file=sys.stderr)
        return 1
    workspace = workspace_folder(args)
    ws = open_workspace(workspace, db_url=args.db)
    try:
        service = BudgetService(ws)
        preview = service.preview(Path(args.file), year=args.year, unit=UNITS.get(args.unit))  # as the app stores it
        if preview.other_place is not None:
            print(preview.other_place.render(lang))
        budget = preview.budget
        budget_id = service.store(preview)  # one transaction: stored whole or not at all
    except StorageError as e:  # already stored, or the database did not take it: nothing was stored
        print(e.render(lang), file=sys.stderr)
        return 1
    finally:
        ws.close()
    print(_("Budget {year} stored in {path} (number {id}).", year=budget.year, path=workspace, id=budget_id))
    print("\n".join(summary_lines(budget, lang)))
    return 0
