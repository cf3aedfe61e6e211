"""pbtools survey results SERVICE_ID [--survey ID] [--json]: what users said of a service, by village, sex and
age group, with the number of answers beside every share and the trend against the previous survey."""

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


def run_results(args: argparse.Namespace) -> int:
    from pbtools.cli.services import _lang, _service_call
    from pbtools.fmt import number, percent
    from pbtools.hearings.model import label
    from pbtools.services.survey_results import dec, results_json

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
        print(_("Survey {id} of {date}: {n} answers", id=found.survey.id, date=found.survey.date, n=found.respondents))
        trends = {t.question: t for t in found.trends}
        for q in found.questions:
            print(f"\n{q.question.title(lang)} (n={q.overall.n})")
            for i in range(len(q.overall.counts)):
                share = q.overall.share(i + 1)
                print(f"  {q.question.choice(i + 1, lang)}: {percent(dec(share), lang) if share is not None else '—'} ({q.overall.counts[i]})")
            if q.overall.satisfied is not None:
                print("  " + _("Satisfied (4 or 5): {share}, mean {mean}", share=percent(dec(q.overall.satisfied), lang), mean=number(dec(q.overall.mean), lang, digits=2)))
                for grouping, groups in q.groups.items():
                    for g in groups:
                        name = g.key if grouping == "village" else label(g.key, lang)
                        shown = _("too few answers to say") if g.small else percent(dec(g.satisfied), lang) if g.satisfied is not None else "—"
                        print(f"    {name}: {shown} (n={g.n})")
            t = trends.get(q.question.id)
            if t is not None and t.change is not None:
                print("  " + _("Since survey {id}: satisfied {before} → {now}", id=t.previous_survey, before=percent(dec(t.before.satisfied), lang), now=percent(dec(t.now.satisfied), lang)))
        return 0

    return _service_call(args, lang, action)
