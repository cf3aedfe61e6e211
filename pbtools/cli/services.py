"""pbtools services import FILE | list | tariff SERVICE_ID | scorecard SERVICE_ID OUT | hearing SERVICE_ID HEARING_ID:
the municipality's register of services, the tariff that covers a service's cost, its one-page scorecard, and its
tariff options put to a hearing."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pbtools.cli import add_lang_argument, add_workspace_argument, hearing_id, open_existing, workspace_folder
from pbtools.i18n import translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("services", help="municipal services: register, tariffs, scorecards")
    commands = p.add_subparsers(dest="services_command", metavar="ACTION", required=True)
    load = commands.add_parser("import", help="store the services of a CSV or XLSX file (all, or none on any error)")
    load.add_argument("file", metavar="FILE")
    listing = commands.add_parser("list", help="the register of services")
    listing.add_argument("--json", action="store_true", help="print JSON")
    tariff = commands.add_parser("tariff", help="the tariff per household that covers a service's yearly cost")
    tariff.add_argument("service", metavar="SERVICE_ID")
    tariff.add_argument("--collection-rate", metavar="R", default=None, help="share of bills paid, 0,85 or 85 %% (default: the register's)")
    tariff.add_argument("--subsidy", metavar="SOM", default=None, help="som a year paid from the budget (default: 0)")
    tariff.add_argument("--json", action="store_true", help="print JSON")
    card = commands.add_parser("scorecard", help="write a service's one-page scorecard (PDF or DOCX)")
    card.add_argument("service", metavar="SERVICE_ID")
    card.add_argument("out", metavar="OUT.pdf|OUT.docx")
    hearing = commands.add_parser("hearing", help="put a service's tariff options to a hearing as a question (a choice, or a motion)")
    hearing.add_argument("service", metavar="SERVICE_ID")
    hearing.add_argument("hearing", metavar="HEARING_ID", type=hearing_id)
    hearing.add_argument("--target-rate", metavar="R", default=None, help="a target collection rate to compare")
    hearing.add_argument("--subsidy", metavar="SOM", default=None, help="a subsidy from the budget to compare (som a year)")
    hearing.add_argument("--motion", action="store_true", help="one yes/no motion on the tariff at today's rate instead of a choice")
    hearing.add_argument("--chart", metavar="OUT.png", default=None, help="also draw the options for the projector")
    plan = commands.add_parser("plan", help="a service's improvement plan (КЖАП / ПУУ): activities, who pays, the community's share, progress")
    plan.add_argument("service", metavar="SERVICE_ID")
    plan.add_argument("--follow", action="store_true", help="make each activity a monitored project (those not yet made)")
    plan.add_argument("--from-survey", action="store_true", help="make the plan, its problems the latest survey's weakest-rated items")
    plan.add_argument("--add", metavar="TITLE", default=None, help="add an activity (with --cost, --deadline; --paid-by, --start, --responsible, --village, --problem)")
    plan.add_argument("--cost", metavar="SOM", default="")
    plan.add_argument("--paid-by", default="budget", choices=("budget", "grant", "community_money", "community_in_kind"))
    plan.add_argument("--start", metavar="DATE", default="")
    plan.add_argument("--deadline", metavar="DATE", default="")
    plan.add_argument("--responsible", default="")
    plan.add_argument("--village", default="")
    plan.add_argument("--problem", metavar="ID", default="")
    plan.add_argument("--json", action="store_true", help="print JSON")
    for parser, func in ((load, run_import), (listing, run_list), (tariff, run_tariff), (card, run_scorecard), (hearing, run_hearing),
                         (plan, run_plan)):
        add_workspace_argument(parser)
        add_lang_argument(parser)
        parser.set_defaults(func=func)


def _lang(args: argparse.Namespace) -> str:
    from pbtools.i18n import check_lang

    return check_lang(args.lang)


def _service_call(args: argparse.Namespace, lang: str, action) -> int:  # noqa: ANN001 - a function of (ServicesService)
    """Open the workspace, run ``action``; a refusal is printed in ``lang`` and exits 1."""
    from pbtools.services.errors import ServiceError
    from pbtools.services.service import ServicesService

    ws, why = open_existing(args, lang)
    if ws is None:
        print(why, file=sys.stderr)
        return 1
    try:
        return action(ServicesService(ws)) or 0
    except ServiceError as e:
        print(e.render(lang), file=sys.stderr)
        return 1
    finally:
        ws.close()


def run_import(args: argparse.Namespace) -> int:
    from pbtools.budget.problems import errors
    from pbtools.roles import LOCAL
    from pbtools.services.read import read_services
    from pbtools.services.service import ServicesService
    from pbtools.storage import open_workspace
    from pbtools.storage.errors import StorageError

    lang = _lang(args)
    _ = translator(lang)
    found, problems = read_services(Path(args.file))
    for problem in problems:
        print(problem.render(lang), file=sys.stderr if errors(problems) else sys.stdout)
    if errors(problems) or not found:  # the workspace is not even opened: a bad file changes nothing
        print(_("{file}: errors found: {count}; nothing was stored.", file=Path(args.file).name, count=len(errors(problems))), file=sys.stderr)
        return 1
    try:
        with open_workspace(workspace_folder(args), db_url=args.db) as ws:
            stored, _warnings = ServicesService(ws).import_file(Path(args.file), LOCAL)
    except StorageError as e:
        print(e.render(lang), file=sys.stderr)
        return 1
    print(_("Services stored: {n} ({ids}).", n=len(stored), ids=", ".join(s.id for s in stored)))
    return 0


def service_json(s) -> dict:  # noqa: ANN001
    return {"id": s.id, "names": dict(s.names), "villages": list(s.villages), "households": s.households, "people": s.people,
            "provider": s.provider, "yearly_cost": str(s.yearly_cost), "collection_rate": str(s.collection_rate),
            "costs": [{"names": dict(c.names), "amount": str(c.amount)} for c in s.costs],
            "tariffs": [{"names": dict(t.names), "amount": str(t.amount), "payer": t.payer, "period": t.period} for t in s.tariffs],
            "budget_lines": list(s.budget_lines)}


def run_list(args: argparse.Namespace) -> int:
    from pbtools.fmt import money, number, percent

    lang = _lang(args)
    _ = translator(lang)

    def action(svc) -> int:  # noqa: ANN001
        found = svc.services()
        if args.json:
            print(json.dumps([service_json(s) for s in found], ensure_ascii=False, indent=1))
            return 0
        if not found:
            print(_("The register has no services yet: pbtools services import FILE"))
        for s in found:
            payer, n = s.payers
            served = _("{n} households", n=number(n, lang)) if payer == "household" else _("{n} people", n=number(n, lang))
            figures = _("yearly cost {cost}, collection rate {rate}", cost=money(s.yearly_cost, lang), rate=percent(s.collection_rate, lang, digits=0))
            print(f"{s.id}\t{s.name(lang)}\t{served}\t{figures}")
            for t in s.tariffs:
                print(f"\t{t.name(lang)}: {money(t.amount, lang)}")
        return 0

    return _service_call(args, lang, action)


def run_tariff(args: argparse.Namespace) -> int:
    from decimal import Decimal

    from pbtools.fmt import money, percent
    from pbtools.services.errors import ServiceError
    from pbtools.services.tariffs import parse_rate, parse_subsidy, rounding_note

    lang = _lang(args)
    _ = translator(lang)
    try:
        rate = parse_rate(args.collection_rate) if args.collection_rate is not None else None
        subsidy = parse_subsidy(args.subsidy) if args.subsidy is not None else Decimal(0)
    except ServiceError as e:
        print(e.render(lang), file=sys.stderr)
        return 1

    def action(svc) -> int:  # noqa: ANN001
        t = svc.tariff(args.service, rate, subsidy)
        if args.json:
            print(json.dumps({"service": args.service, "yearly": str(t.yearly), "monthly": str(t.monthly),
                              "exact_yearly": f"{t.exact_yearly.numerator}/{t.exact_yearly.denominator}",
                              "per": t.payer, "payers": t.payers, "yearly_cost": str(t.yearly_cost), "subsidy": str(t.subsidy),
                              "collection_rate": str(t.collection_rate),
                              "current_monthly": None if t.current_monthly is None else str(t.current_monthly)}, ensure_ascii=False))
            return 0
        per = _("per household") if t.payer == "household" else _("per person")
        print(_("Tariff that covers the cost {per}: {yearly} a year, {monthly} a month.", per=per, yearly=money(t.yearly, lang), monthly=money(t.monthly, lang)))
        rounding = rounding_note([t])
        if rounding is not None:
            print(rounding.render(lang))
        print(_("Yearly cost {cost} minus subsidy {subsidy}, over {n} × collection rate {rate}; rounded up to the tyiyn.",
                cost=money(t.yearly_cost, lang), subsidy=money(t.subsidy, lang), n=t.payers, rate=percent(t.collection_rate, lang)))
        if t.current_monthly is not None:
            print(_("Today: {current} a month; change {change} a month.", current=money(t.current_monthly, lang), change=money(t.change_monthly, lang)))
        return 0

    return _service_call(args, lang, action)


def run_scorecard(args: argparse.Namespace) -> int:
    lang = _lang(args)
    _ = translator(lang)

    def action(svc) -> int:  # noqa: ANN001
        if Path(args.out).suffix.lower() not in (".pdf", ".docx"):
            print(_("Give a file name ending in .pdf or .docx"), file=sys.stderr)
            return 1
        print(svc.write_scorecard(args.service, lang, args.out))
        return 0

    return _service_call(args, lang, action)


def run_hearing(args: argparse.Namespace) -> int:
    from pbtools.hearings.errors import HearingError
    from pbtools.roles import LOCAL
    from pbtools.services.errors import ServiceError
    from pbtools.services.tariffs import parse_rate, parse_subsidy

    lang = _lang(args)
    _ = translator(lang)
    try:
        rate = parse_rate(args.target_rate) if args.target_rate is not None else None
        subsidy = parse_subsidy(args.subsidy) if args.subsidy is not None else None
    except ServiceError as e:
        print(e.render(lang), file=sys.stderr)
        return 1

    def action(svc) -> int:  # noqa: ANN001
        try:
            qid = svc.put_tariffs_to_hearing(args.hearing, args.service, LOCAL, rate, subsidy, args.motion)
        except HearingError as e:
            print("\n".join(p.render(lang) for p in e.problems), file=sys.stderr)
            return 1
        print(_("Question {id} added to hearing {hearing}.", id=qid, hearing=args.hearing))
        if args.chart:
            from pbtools.services.chart import tariff_chart

            tariff_chart(svc.service(args.service), svc.tariff_options(args.service, rate, subsidy), lang).savefig(args.chart)
            print(args.chart)
        return 0

    return _service_call(args, lang, action)


def run_plan(args: argparse.Namespace) -> int:
    from pbtools.dates import shown_day
    from pbtools.fmt import money, percent
    from pbtools.monitoring.errors import MonitoringError
    from pbtools.monitoring.model import status_label
    from pbtools.roles import LOCAL
    from pbtools.services.plan import MIN_COMMUNITY_SHARE
    from pbtools.services.survey_results import dec

    lang = _lang(args)
    _ = translator(lang)

    def action(svc) -> int:  # noqa: ANN001
        if args.from_survey:
            made = svc.start_plan(args.service, LOCAL)
            print(_("Plan made with {n} problems from the survey.", n=len(made.problems)), file=sys.stderr if args.json else sys.stdout)
            for p in made.problems:
                print(f"{p.id}\t{p.title(lang)}", file=sys.stderr if args.json else sys.stdout)
        if args.add is not None:
            from pbtools.services.plan_edit import ActivityForm

            form = ActivityForm(args.add, args.cost, args.paid_by, args.start, args.deadline, args.responsible, args.village, args.problem, lang)
            added = svc.add_activity(args.service, form, LOCAL)
            print(_("Activity {id} added to the plan: {title}.", id=added.id, title=added.title(lang)), file=sys.stderr if args.json else sys.stdout)
        plan = svc.plan(args.service)
        if plan is None:
            print(_("Service {id} has no improvement plan yet", id=args.service), file=sys.stderr)
            return 1
        if args.follow:
            try:
                made = svc.follow_plan(args.service, LOCAL)
            except MonitoringError as e:
                print("\n".join(p.render(lang) for p in e.problems), file=sys.stderr)
                return 1
            print(_("Activities now followed as monitored projects: {n}", n=len(made)), file=sys.stderr if args.json else sys.stdout)
        rows = svc.followed(args.service)
        share = plan.community_share
        if args.json:
            print(json.dumps({"service": plan.service, "cost": str(plan.cost), "by_funder": {k: str(v) for k, v in plan.by_funder().items()},
                              "community_share": None if share is None else f"{share.numerator}/{share.denominator}",
                              "community_share_met": plan.community_share_met,
                              "activities": [{"id": f.activity.id, "titles": dict(f.activity.titles), "cost": str(f.activity.cost),
                                              "funding": {k: str(v) for k, v in f.activity.funding.items()}, "deadline": f.activity.deadline,
                                              "project": f.project.id if f.project else None, "status": f.project.status if f.project else None,
                                              "percent": f.project.percent if f.project else None} for f in rows]},
                             ensure_ascii=False, indent=1))
            return 0
        for f in rows:
            state = _("not followed yet") if f.project is None else f"{status_label(f.project.status, lang)}, {percent(dec(f.project.percent) / 100, lang, digits=0)}"
            print(f"{f.activity.id}\t{f.activity.title(lang)}\t{money(f.activity.cost, lang)}\t{shown_day(f.activity.deadline, lang)}\t{state}")
        print(_("Total: {cost}", cost=money(plan.cost, lang)))
        if share is not None:
            verdict = _("at least the {min} required", min=percent(dec(MIN_COMMUNITY_SHARE), lang, digits=0)) if plan.community_share_met \
                else _("less than the {min} the grant programmes require", min=percent(dec(MIN_COMMUNITY_SHARE), lang, digits=0))
            print(_("Community share (money and in kind): {share}: {verdict}", share=percent(dec(share), lang), verdict=verdict))
        return 0

    return _service_call(args, lang, action)
