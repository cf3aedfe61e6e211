"""``pbtools monitoring report`` and ``pbtools monitoring act``: the files of the monitoring group (see monitoring.py)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from pbtools.dates import not_a_date, parse_date
from pbtools.i18n import translator


def failed(text: str) -> int:
    """Bad input: said on stderr, exit status 1."""
    print(text, file=sys.stderr)
    return 1


def parse_day(text: str | None, what: str, lang: str) -> date | None:
    """A --from/--to day as every date is typed (2026-09-30 or 30.09.2026); ValueError with the message in ``lang``."""
    if text is None:
        return None
    day = parse_date(text)
    if not day:
        raise ValueError(not_a_date(text, what).render(lang))
    return date.fromisoformat(day)


def register_reports(commands, common) -> None:
    report = commands.add_parser("report", help="the monitoring report of a period (docx, pdf, xlsx)")
    report.add_argument("--format", choices=("docx", "pdf", "xlsx"), default="pdf")
    report.add_argument("--out", metavar="FILE", required=True)
    report.add_argument("--from", dest="start", metavar="DATE", default=None, help="first day (2026-09-30 or 30.09.2026)")
    report.add_argument("--to", dest="end", metavar="DATE", default=None, help="last day (2026-09-30 or 30.09.2026)")
    common(report)
    report.set_defaults(func=run_report)
    act = commands.add_parser("act", help="a monitoring act to print and sign (docx, pdf)")
    act.add_argument("act", metavar="ACT_ID")
    act.add_argument("--format", choices=("docx", "pdf"), default="pdf")
    act.add_argument("--out", metavar="FILE", required=True)
    common(act)
    act.set_defaults(func=run_act)


def run_report(args: argparse.Namespace) -> int:
    from pbtools.cli import open_existing
    from pbtools.i18n import check_lang
    from pbtools.monitoring.errors import MonitoringError
    from pbtools.monitoring.follow.service import FollowError
    from pbtools.monitoring.period_files import write_monitoring_report
    from pbtools.reports.errors import ReportError

    lang = check_lang(args.lang)
    _ = translator(lang)
    try:
        start, end = parse_day(args.start, "--from", lang), parse_day(args.end, "--to", lang)
    except ValueError as e:
        return failed(str(e))
    ws, error = open_existing(args, lang)
    if ws is None:
        return failed(error)
    with ws:
        try:
            out = write_monitoring_report(ws, args.format, lang, Path(args.out), start, end)
        except (ReportError, MonitoringError, FollowError) as exc:
            return failed(exc.render(lang))
    print(_("Monitoring report written to {path}", path=out))
    return 0


def run_act(args: argparse.Namespace) -> int:
    from pbtools.cli import open_existing
    from pbtools.i18n import check_lang
    from pbtools.monitoring.errors import MonitoringError
    from pbtools.monitoring.period_files import write_act
    from pbtools.reports.errors import ReportError

    lang = check_lang(args.lang)
    _ = translator(lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        return failed(error)
    with ws:
        try:
            out = write_act(ws, args.act, args.format, lang, Path(args.out))
        except (ReportError, MonitoringError) as exc:
            return failed(exc.render(lang))
    print(_("Monitoring act written to {path}", path=out))
    return 0
