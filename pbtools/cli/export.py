"""pbtools export HEARING --format xlsx|csv|pb|audit --out PATH: a hearing's data for spreadsheets, for other
counting tools (Pabulib), or for audit (every ledger record with its hash chain)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pbtools.cli import add_lang_argument, add_workspace_argument, fail, open_existing
from pbtools.cli.report import progress_printer
from pbtools.i18n import check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a hearing: xlsx, csv (zip), pb (Pabulib, one question) or audit")
    p.add_argument("hearing", metavar="HEARING")
    p.add_argument("--format", choices=("xlsx", "csv", "pb", "audit"), required=True)
    p.add_argument("--out", metavar="PATH", default=None, help="file to write (default: a name made from the hearing)")
    p.add_argument("--question", metavar="ID", default=None, help="pb: the question to export (needed when there are several)")
    add_workspace_argument(p)
    add_lang_argument(p)
    p.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    from pbtools.reports.errors import ReportError
    from pbtools.reports.make import file_name, write_export

    lang = check_lang(args.lang)
    _ = translator(lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        return fail(error)
    out = Path(args.out or file_name(args.hearing, args.format, lang, args.question))
    with ws:
        try:
            write_export(ws, args.hearing, args.format, out, lang, args.question, progress_printer(lang))
        except ReportError as exc:
            return fail(exc.render(lang))
    print(_("Export written to {path}", path=out))
    return 0
