"""pbtools projects ...: the joint monitoring group's projects and acts from the command line (the same
``MonitoringService`` calls the Monitoring app makes).

    from-hearing HEARING_ID          the funded options of a closed hearing become projects (twice = once)
    import FILE                      the action plan (БАП/ПДМС), XLSX or CSV; any problem: nothing stored
    export --out FILE                the projects as .xlsx/.csv, in the columns ``import`` reads back
    list [--json] | show ID [--json] (history and acts included) | history ID --out FILE
    add --title TEXT ... | set ID [--status S] [--percent N] [--actual-cost X] [--budget-code C] [--reason TEXT]
    photo ID FILE... | member add NAME | member list | act ID --date D --member NAME ... | respond ACT --text T
    overdue [--today DATE]

Writes name who makes them: ``--by NAME`` (default: the computer's user) and ``--role`` (default facilitator; a
monitoring group member is ``monitor``). Bad input: a message naming what and where, exit status 1, nothing stored.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from pbtools.cli import add_lang_argument, add_workspace_argument, hearing_id, open_existing
from pbtools.i18n import check_lang, translator
from pbtools.roles import FACILITATOR, ROLES


def _refuse(text: str) -> int:
    print(text, file=sys.stderr)
    return 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("projects", help="monitored projects, monitoring acts and the group's members")
    ps = p.add_subparsers(dest="projects_command", metavar="ACTION", required=True)
    made: list[argparse.ArgumentParser] = []
    writes: list[argparse.ArgumentParser] = []

    def command(name: str, help: str, func, write: bool = False) -> argparse.ArgumentParser:  # noqa: A002
        q = ps.add_parser(name, help=help)
        q.set_defaults(func=func)
        made.append(q)
        if write:
            writes.append(q)
        return q

    q = command("from-hearing", "make the funded options of a closed hearing monitored projects", run_from_hearing, True)
    q.add_argument("hearing", metavar="HEARING_ID", type=hearing_id)
    q = command("import", "import the municipality's action plan (XLSX or CSV)", run_import, True)
    q.add_argument("file", metavar="FILE")
    q = command("export", "write the projects as .xlsx or .csv (the columns import reads)", run_export)
    q.add_argument("--out", required=True, metavar="FILE")
    for name, func in (("list", run_list), ("show", run_show), ("overdue", run_overdue)):
        q = command(name, {"list": "list the monitored projects", "show": "one project with its history and acts",
                           "overdue": "acts whose response is overdue"}[name], func)
        q.add_argument("--json", action="store_true", help="machine-readable output")
        if name == "show":
            q.add_argument("project", metavar="PROJECT_ID")
        if name == "overdue":
            q.add_argument("--today", default=None, metavar="DATE", help="the day to judge by (default: today)")
    q = command("history", "write a project's history (every record, who, when, before, after) to .csv/.xlsx", run_history)
    q.add_argument("project", metavar="PROJECT_ID")
    q.add_argument("--out", required=True, metavar="FILE")
    q = command("add", "add a project by hand", run_add, True)
    for lang in ("ky", "ru", "en"):
        q.add_argument(f"--title-{lang}", default="", metavar="TEXT")
    q.add_argument("--title", default="", metavar="TEXT", help="a title as typed, in any language")
    for arg in ("village", "sector", "responsible", "contractor", "planned-start", "planned-finish", "plan-ref",
                "budget-code", "notes"):
        q.add_argument(f"--{arg}", default=None)
    q.add_argument("--planned-cost", default=None, metavar="SOM")
    q = command("set", "change a project's status, percent complete, actual cost, budget code", run_set, True)
    q.add_argument("project", metavar="PROJECT_ID")
    q.add_argument("--status", default=None, choices=("planned", "in_progress", "completed", "stalled", "cancelled"),
                   help="default: unchanged")
    q.add_argument("--percent", default=None, metavar="N")
    q.add_argument("--actual-cost", default=None, metavar="SOM")
    q.add_argument("--budget-code", default=None, metavar="CODE", help="the budget line that pays for it (as add)")
    q.add_argument("--reason", default="", metavar="TEXT")
    q.add_argument("--date", default="", metavar="DATE", help="the day of the change (default: today)")
    q.add_argument("--actual-start", default=None, metavar="DATE", help="the day the work started (default: unchanged)")
    q.add_argument("--actual-finish", default=None, metavar="DATE", help="the day the work finished (default: unchanged)")
    q.add_argument("--confirm", action="store_true", help="the actual cost is right, though far above the planned cost")
    q = command("photo", "add photos or documents to a project", run_photo, True)
    q.add_argument("project", metavar="PROJECT_ID")
    q.add_argument("files", metavar="FILE", nargs="+")
    q.add_argument("--caption", default="")
    q = command("member", "the monitoring group's members: add NAME, or list", run_member, True)
    q.add_argument("action", choices=("add", "list"))
    q.add_argument("name", nargs="?", default="")
    q.add_argument("--position", default="")
    q = command("act", "file a monitoring act on a visit to a project", run_act, True)
    q.add_argument("project", metavar="PROJECT_ID")
    q.add_argument("--date", required=True, metavar="DATE")
    q.add_argument("--member", action="append", default=[], metavar="NAME", help="a member present (repeat)")
    q.add_argument("--findings", required=True, metavar="TEXT")
    q.add_argument("--recommendations", default="", metavar="TEXT")
    q.add_argument("--deadline", default="", metavar="DATE", help="the municipality's response is due by")
    q.add_argument("--place", default="")
    q.add_argument("--photo", action="append", default=[], metavar="FILE")
    q.add_argument("--corrects", default="", metavar="ACT_ID", help="the act this one corrects")
    q = command("respond", "record the municipality's response to an act", run_respond, True)
    q.add_argument("act", metavar="ACT_ID")
    q.add_argument("--text", required=True)
    q.add_argument("--date", default="", metavar="DATE")
    for q in made:
        add_workspace_argument(q)
        add_lang_argument(q)
    for q in writes:
        q.add_argument("--by", default=None, metavar="NAME", help="who writes (default: the computer's user)")
        q.add_argument("--role", default=FACILITATOR, choices=ROLES, help="their role (a group member: monitor)")


def _actor(args: argparse.Namespace):
    from pbtools.roles import Actor

    return Actor(args.by or getpass.getuser(), args.role)


def _run(args: argparse.Namespace, body) -> int:
    """Open the workspace, run ``body(service, lang, _)``; refusals printed in the user's language, exit 1."""
    from pbtools.monitoring import MonitoringError, MonitoringService
    from pbtools.roles import NotAllowed
    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    _ = translator(lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        return _refuse(error)
    with ws:
        try:
            return body(MonitoringService(ws), lang, _) or 0
        except (MonitoringError, NotAllowed, StorageError) as e:
            return _refuse(e.render(lang))


def _som(text: str | None, field: str, lang: str):
    from pbtools.monitoring.checks import in_field, parse_money
    from pbtools.i18n import N_, Msg
    from pbtools.monitoring.errors import InvalidValue

    if text is None:
        return None
    amount = parse_money(text)
    if amount is None:
        raise InvalidValue([in_field(field, Msg(N_("{value} is not an amount in som"), value=text))])
    return amount


def run_from_hearing(args: argparse.Namespace) -> int:
    def body(svc, lang, _):
        done = svc.from_hearing(_actor(args), args.hearing)
        for p in done.created:
            print(_("{id}: {title} ({votes} votes)", id=p.id, title=p.title(lang), votes=p.link.votes))
        print(_("{created} projects created, {existing} were there already", created=len(done.created), existing=len(done.existing)))
    return _run(args, body)


def run_import(args: argparse.Namespace) -> int:
    def body(svc, lang, _):
        projects = svc.import_plan(_actor(args), Path(args.file))
        print(_("{n} projects imported or updated from {file}", n=len(projects), file=Path(args.file).name))
    return _run(args, body)


def run_export(args: argparse.Namespace) -> int:
    def body(svc, lang, _):
        out = Path(args.out)
        if out.suffix.lower() not in (".xlsx", ".csv") or not out.parent.is_dir():
            return _refuse(_("{path}: write the projects to an .xlsx or .csv file in an existing folder", path=out))
        from pbtools.monitoring.plan_io import write_projects

        projects = svc.projects()
        write_projects(projects, out, lang)
        print(_("{n} projects written to {path}", n=len(projects), path=out))
    return _run(args, body)


def _json(value) -> str:
    from pbtools.monitoring.records import plain

    return json.dumps(plain(value), ensure_ascii=False, indent=2, default=str)


def run_list(args: argparse.Namespace) -> int:
    from pbtools.fmt import money, percent
    from pbtools.monitoring import status_label
    from pbtools.monitoring.places import project_village

    def body(svc, lang, _):
        projects = svc.projects()
        if args.json:
            print(_json(projects))
            return 0
        if not projects:
            print(_("No monitored projects in this workspace."))
        municipality = svc.ws.municipality()
        for p in projects:
            print(f"{p.id}  {p.title(lang)}  {project_village(p, municipality, lang)}  {status_label(p.status, lang)}  {percent(Decimal(p.percent) / 100, lang, 0)}  "
                  f"{money(p.planned.total, lang)} / {money(p.actual.total, lang)}")
    return _run(args, body)


def run_show(args: argparse.Namespace) -> int:
    from pbtools.monitoring.show import project_lines

    def body(svc, lang, _):
        project = svc.project(args.project)
        history, acts = svc.history(args.project), svc.acts(args.project)
        if args.json:
            print(_json({"project": project, "history": history, "acts": acts}))
            return 0
        print("\n".join(project_lines(project, history, acts, {m.id: m for m in svc.members(True)}, lang, svc.ws.municipality(),
                                       svc.ws.time_zone())))
    return _run(args, body)


def run_overdue(args: argparse.Namespace) -> int:
    from pbtools.dates import not_a_date, parse_date, shown_day

    def body(svc, lang, _):
        today = parse_date(args.today) if args.today else date.today().isoformat()
        if not today:
            return _refuse(not_a_date(args.today, "--today").render(lang))
        late = svc.overdue(date.fromisoformat(today))
        if args.json:
            print(_json(late))
            return 0
        for a in late:
            print(_("{act} ({project}): the response was due {due}", act=a.id, project=a.project_id, due=shown_day(a.response_due, lang)))
        if not late:
            print(_("No response is overdue."))
    return _run(args, body)


def run_history(args: argparse.Namespace) -> int:
    def body(svc, lang, _):
        out = Path(args.out)
        if out.suffix.lower() not in (".xlsx", ".csv") or not out.parent.is_dir():
            return _refuse(_("{path}: write the history to an .xlsx or .csv file in an existing folder", path=out))
        svc.export_history(args.project, out)
        print(_("The history of {id} is written to {path}", id=args.project, path=out))
    return _run(args, body)


def run_add(args: argparse.Namespace) -> int:
    from pbtools.budget.text import script_language
    from pbtools.monitoring import Funding
    from pbtools.monitoring.checks import sector_of

    def body(svc, lang, _):
        titles = {k: getattr(args, f"title_{k}") for k in ("ky", "ru", "en") if getattr(args, f"title_{k}")}
        if args.title:
            titles.setdefault(script_language([args.title]), args.title)
        values = {k.replace("-", "_"): getattr(args, k.replace("-", "_")) for k in
                  ("village", "responsible", "contractor", "planned-start", "planned-finish", "plan-ref", "budget-code", "notes")
                  if getattr(args, k.replace("-", "_")) is not None}
        if args.sector is not None:
            values["sector"] = sector_of(args.sector) or args.sector
        cost = _som(args.planned_cost, "planned", lang)
        if cost is not None:
            values["planned"] = Funding(cost)
        for k in ("planned_start", "planned_finish"):
            if k in values:
                from pbtools.dates import parse_date

                values[k] = parse_date(values[k]) or values[k]
        p = svc.add_project(_actor(args), titles, **values)
        print(_("Project {id} added", id=p.id))
    return _run(args, body)


def run_set(args: argparse.Namespace) -> int:
    from pbtools import fmt
    from pbtools.budget.numbers import whole_number
    from pbtools.i18n import N_, Msg
    from pbtools.dates import not_a_date, parse_date
    from pbtools.monitoring.checks import FIELD_NAMES, in_field
    from pbtools.monitoring.errors import InvalidValue

    def body(svc, lang, _):
        if all(v is None for v in (args.status, args.percent, args.actual_cost, args.budget_code, args.actual_start, args.actual_finish)):
            return _refuse(_("Nothing to change: give --status, --percent, --actual-cost or --budget-code"))
        percent = None
        if args.percent is not None:
            percent = whole_number(args.percent.strip())
            if percent is None:
                raise InvalidValue([in_field("percent", Msg(N_("{value} is not a whole number from 0 to 100"), value=args.percent))])
        days = {}
        for name, typed in (("status_date", args.date or None), ("actual_start", args.actual_start), ("actual_finish", args.actual_finish)):
            days[name] = None if typed is None else parse_date(typed)
            if typed is not None and days[name] is None:
                raise InvalidValue([not_a_date(typed, FIELD_NAMES[name])])
        status = args.status or svc.project(args.project).status
        p = svc.set_status(_actor(args), args.project, status, reason=args.reason, on=days["status_date"] or "", percent=percent,
                           actual_cost=_som(args.actual_cost, "actual", lang), budget_code=args.budget_code,
                           actual_start=days["actual_start"], actual_finish=days["actual_finish"], confirmed=args.confirm)
        print(_("{id}: {status}, {percent}", id=p.id, status=status, percent=fmt.percent(Decimal(p.percent) / 100, lang, 0)))
        if args.budget_code is not None:
            print(_("Budget code: {code}", code=p.budget_code))
    return _run(args, body)


def run_photo(args: argparse.Namespace) -> int:
    def body(svc, lang, _):
        from pbtools.monitoring.files import store_file

        svc.project(args.project)  # NoSuchProject before any file is kept
        for f in args.files:  # every file checked (and kept) before any is recorded
            store_file(svc.ws, f)
        for f in args.files:
            a = svc.add_file(_actor(args), args.project, f, args.caption)
            print(_("{file} kept as {stored}", file=a.name, stored=a.stored))
    return _run(args, body)


def run_member(args: argparse.Namespace) -> int:
    def body(svc, lang, _):
        if args.action == "list":
            for m in svc.members():
                print(f"{m.id}  {m.name}  {m.position_in(lang)}")
            return 0
        m = svc.add_member(_actor(args), args.name, args.position)
        print(_("{name} is a member of the monitoring group ({id})", name=m.name, id=m.id))
    return _run(args, body)


def run_act(args: argparse.Namespace) -> int:
    from pbtools.dates import parse_date

    def body(svc, lang, _):
        act = svc.file_act(_actor(args), args.project, date=parse_date(args.date) or args.date, members=args.member,
                           findings=args.findings, recommendations=args.recommendations,
                           response_due=parse_date(args.deadline) or args.deadline if args.deadline else "",
                           place=args.place, photos=args.photo, corrects=args.corrects)
        print(_("Act {id} filed", id=act.id))
    return _run(args, body)


def run_respond(args: argparse.Namespace) -> int:
    from pbtools.dates import parse_date

    def body(svc, lang, _):
        act = svc.record_response(_actor(args), args.act, args.text, on=(parse_date(args.date) or args.date) if args.date else "")
        print(_("The response to act {id} is recorded", id=act.id))
    return _run(args, body)
