"""pbtools export HEARING --format xlsx|csv|pb|audit --out PATH: a hearing's data for spreadsheets, for other
counting tools (Pabulib), or for audit (every ledger record with its hash chain)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pbtools.cli import add_lang_argument, add_workspace_argument, fail, hearing_id, open_existing
from pbtools.cli.report import progress_printer
from pbtools.i18n import check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export a hearing: xlsx, csv (zip), pb (Pabulib, one file per question) or audit")
    p.add_argument("hearing", metavar="HEARING", type=hearing_id)
    p.add_argument("--format", choices=("xlsx", "csv", "pb", "audit"), required=True)
    p.add_argument("--out", metavar="PATH", default=None, help="file to write (default: a name made from the hearing)")
    p.add_argument("--question", metavar="ID", default=None, help="pb: only this question (default: every question, one file each)")
    add_workspace_argument(p)
    add_lang_argument(p)
    p.set_defaults(func=run_export)


def targets(st, args: argparse.Namespace) -> list[tuple[Path, str | None]]:
    """(path, question) of each file to write: a .pb per countable question when none is named and there are
    several (a Pabulib file holds one election); CSV tables always go into a .zip, whatever ``--out`` says."""
    from pbtools.reports.make import default_path
    from pbtools.reports.pb import countable_questions

    questions = countable_questions(st)
    if args.format == "pb" and args.question is None and len(questions) > 1:
        if args.out:
            out = Path(args.out)
            return [(out.with_name(f"{out.stem}-{q}{out.suffix or '.pb'}"), q) for q in questions]
        return [(default_path(".", args.hearing, "pb", None, q), q) for q in questions]
    out = Path(args.out) if args.out else default_path(".", args.hearing, args.format, args.lang, args.question)
    if args.format == "csv" and out.suffix.lower() != ".zip":
        out = out.with_name(out.name + ".zip") if out.suffix.lower() != ".csv" else out.with_suffix(".zip")
    return [(out, args.question)]


def run_export(args: argparse.Namespace) -> int:
    from pbtools.reports.errors import ReportError
    from pbtools.reports.make import load, write_export

    lang = check_lang(args.lang)
    _ = translator(lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        return fail(error)
    with ws:
        try:
            st, _records = load(ws, args.hearing)
            files = targets(st, args)
            for out, question in files:
                write_export(ws, args.hearing, args.format, out, lang, question, progress_printer(lang))
        except ReportError as exc:
            return fail(exc.render(lang))
    if args.format == "csv" and args.out and Path(args.out) != files[0][0]:
        print(_("CSV tables are written as a zip of CSV files, so the file is named {path}", path=files[0][0]))
    if len(files) > 1:
        print(_("The hearing has {n} questions with options: one Pabulib file for each", n=len(files)))
    for out, _question in files:
        print(_("Export written to {path}", path=out))
    return 0
