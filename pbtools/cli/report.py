"""pbtools report HEARING --format docx|pdf --lang ky|ru|en --out PATH: the protocol (minutes) of a hearing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pbtools.cli import add_lang_argument, add_workspace_argument, fail, hearing_id, open_existing
from pbtools.i18n import check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="write the protocol of a hearing as Word (.docx) or PDF")
    p.add_argument("hearing", metavar="HEARING", type=hearing_id)
    p.add_argument("--format", choices=("docx", "pdf"), default="pdf")
    p.add_argument("--out", metavar="PATH", default=None, help="file to write (default: protocol-HEARING-LANG.FORMAT here)")
    add_workspace_argument(p)
    add_lang_argument(p)
    p.set_defaults(func=run_report)


def progress_printer(lang: str):
    """Steps on stderr when someone watches the terminal; silent in scripts and pipes."""
    if not sys.stderr.isatty():
        return lambda done, total, message: None
    return lambda done, total, message: print(f"[{done}/{total}] {message.render(lang)}", file=sys.stderr)


def run_report(args: argparse.Namespace) -> int:
    from pbtools.reports.errors import ReportError
    from pbtools.reports.make import default_path, write_report

    lang = check_lang(args.lang)
    _ = translator(lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        return fail(error)
    with ws:
        try:
            out = Path(args.out) if args.out else default_path(".", args.hearing, args.format, lang)
            write_report(ws, args.hearing, args.format, lang, out, progress_printer(lang))
        except ReportError as exc:
            return fail(exc.render(lang))
    print(_("Protocol written to {path}", path=out))
    return 0
