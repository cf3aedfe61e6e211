"""pbtools survey results SERVICE_ID [--survey ID] [--json]: what users said of a service, by village, sex and
age group, with the number of answers beside every share and the trend against the previous survey.
pbtools survey start SERVICE_ID SURVEY_ID --date D | enter SERVICE_ID SURVEY_ID | close SERVICE_ID SURVEY_ID [--reopen]:
a survey, its answers typed one line per respondent (what a door-to-door team types on a laptop offline, or a clerk
from paper forms), and closing it to answers."""

from __future__ import annotations

import argparse
import json
import sys

from pbtools.cli import add_lang_argument, add_workspace_argument
from pbtools.i18n import translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("survey", help="surveys of municipal services")
    commands = p.add_subparsers(dest="survey_command", metavar="ACTION", required=True)
    res = commands.add_parser("results", help="a service's survey results")
    res.add_argument("service", metavar="SERVICE_ID")
    res.add_argument("--survey", metavar="ID", default=None, help="which survey (default: the latest)")
    res.add_argument("--json", action="store_true", help="print JSON")
    add_workspace_argument(res)
    add_lang_argument(res)
    res.set_defaults(func=run_results)
    start = commands.add_parser("start", help="start a survey of a service (its questions: the standard three, or --questions FILE)")
    start.add_argument("service", metavar="SERVICE_ID")
    start.add_argument("survey", metavar="SURVEY_ID")
    start.add_argument("--date", required=True, metavar="DATE", help="the day it starts (2026-05-14 or 14.05.2026)")
    start.add_argument("--questions", metavar="FILE", default=None, help="the questions (CSV/XLSX, see pbtools survey questions); default: the standard three")
    start.set_defaults(func=run_start)
    enter = commands.add_parser("enter", help="type answers, one line per respondent (from paper or a door-to-door visit); each is stored on Enter")
    enter.add_argument("service", metavar="SERVICE_ID")
    enter.add_argument("survey", metavar="SURVEY_ID")
    enter.add_argument("--by", default="", metavar="NAME", help="who types (kept with every answer)")
    enter.add_argument("--door", action="store_true", help="answers from a door-to-door team, not paper forms")
    enter.set_defaults(func=run_enter)
    close = commands.add_parser("close", help="close a survey: no more answers, typed or from phones (--reopen: open it again)")
    close.add_argument("service", metavar="SERVICE_ID")
    close.add_argument("survey", metavar="SURVEY_ID")
    close.add_argument("--reopen", action="store_true", help="open a closed survey again")
    close.set_defaults(func=run_close)
    questions = commands.add_parser("questions", help="write the standard questions to a CSV file to edit")
    questions.add_argument("out", metavar="OUT.csv")
    questions.set_defaults(func=run_questions)
    add_lang_argument(questions)
    for parser in (start, enter, close):
        add_workspace_argument(parser)
        add_lang_argument(parser)


def run_results(args: argparse.Namespace) -> int:
    from pbtools.cli.services import _lang, _service_call
    from pbtools.dates import shown_day
    from pbtools.fmt import number, percent
    from pbtools.hearings.model import label
    from pbtools.services.survey_results import dec, results_json, shown

    lang = _lang(args)
    _ = translator(lang)

    def action(svc) -> int:  # noqa: ANN001
        found = svc.results(args.service, args.survey)
        if found is None:
            print(_("Service {id} has no survey yet.", id=args.service), file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps(results_json(found), ensure_ascii=False, indent=1))
            return 0
        print(_("Survey {id} of {date}: {n} answers", id=found.survey.id, date=shown_day(found.survey.date, lang), n=found.respondents))
        trends = {t.question: t for t in found.trends}
        for q in found.questions:
            print(f"\n{q.question.title(lang)} (n={q.overall.n})")
            for i in range(len(q.overall.counts)):
                share = q.overall.share(i + 1)
                print(f"  {q.question.choice(i + 1, lang)}: {percent(dec(share), lang) if share is not None and shown(q.overall) else '—'} ({q.overall.counts[i]})")
            if q.overall.satisfied is not None and not shown(q.overall):
                print("  " + _("too few answers (n={n})", n=q.overall.n))
            elif q.overall.satisfied is not None:
                print("  " + _("Satisfied (4 or 5): {share}, mean {mean}", share=percent(dec(q.overall.satisfied), lang), mean=number(dec(q.overall.mean), lang, digits=2)))
                for grouping, groups in q.groups.items():
                    for g in groups:
                        name = g.key if grouping == "village" else label(g.key, lang)
                        value = _("too few answers to say") if not shown(g) else percent(dec(g.satisfied), lang) if g.satisfied is not None else "—"
                        print(f"    {name}: {value} (n={g.n})")
            t = trends.get(q.question.id)
            if t is not None and t.change is not None:
                print("  " + _("Since survey {id}: satisfied {before} → {now}", id=t.previous_survey, before=percent(dec(t.before.satisfied), lang), now=percent(dec(t.now.satisfied), lang)))
        return 0

    return _service_call(args, lang, action)


def run_start(args: argparse.Namespace) -> int:
    from pbtools.cli.services import _lang, _service_call
    from pbtools.roles import LOCAL
    from pbtools.services.questions_io import read_questions
    from pbtools.services.survey import DEFAULT_QUESTIONS
    from pbtools.services.survey_entry import entry_hint

    lang = _lang(args)
    _ = translator(lang)
    questions = DEFAULT_QUESTIONS
    if args.questions:
        questions, problems = read_questions(args.questions)
        if problems:
            for p in problems:
                print(p.render(lang), file=sys.stderr)
            return 1

    def action(svc) -> int:  # noqa: ANN001
        survey = svc.start_survey(args.service, args.survey, args.date, LOCAL, questions)
        print(_("Survey {id} started: {n} questions.", id=survey.id, n=len(survey.questions)))
        print(entry_hint(survey.villages, lang, svc.municipality()))
        return 0

    return _service_call(args, lang, action)


def run_enter(args: argparse.Namespace) -> int:
    """Each line is stored when Enter is pressed; a wrong line is said and stores nothing. Exit 1 if any was wrong."""
    from pbtools.cli.services import _lang, _service_call
    from pbtools.roles import FACILITATOR, Actor
    from pbtools.services.errors import ServiceError
    from pbtools.services.survey_entry import entry_hint

    lang = _lang(args)
    _ = translator(lang)
    actor = Actor(args.by, FACILITATOR)

    def action(svc) -> int:  # noqa: ANN001
        survey = next((s for s in svc.surveys(args.service) if s.id == args.survey), None)
        if survey is None:
            svc.results(args.service, args.survey)  # raises: there is no such survey
        if sys.stdin.isatty():
            print(entry_hint(survey.villages, lang, svc.municipality()))
        stored = wrong = 0
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                svc.enter_answer(args.service, args.survey, line, actor, "door" if args.door else "paper")
                stored += 1
            except ServiceError as e:
                wrong += 1
                print(_("Line {n}: {problems}", n=number, problems=e.render(lang)), file=sys.stderr)
        print(_("Answers stored: {n}; lines refused: {wrong}.", n=stored, wrong=wrong))
        return 1 if wrong else 0

    return _service_call(args, lang, action)


def run_close(args: argparse.Namespace) -> int:
    from pbtools.cli.services import _lang, _service_call
    from pbtools.roles import LOCAL

    lang = _lang(args)
    _ = translator(lang)

    def action(svc) -> int:  # noqa: ANN001
        done = svc.close_survey(args.service, args.survey, LOCAL, closed=not args.reopen)
        print(_("Survey {id} is closed.", id=done.id) if done.closed else _("Survey {id} is open again.", id=done.id))
        return 0

    return _service_call(args, lang, action)


def run_questions(args: argparse.Namespace) -> int:
    from pbtools.services.questions_io import write_questions
    from pbtools.services.survey import DEFAULT_QUESTIONS

    print(write_questions(DEFAULT_QUESTIONS, args.out))
    return 0
