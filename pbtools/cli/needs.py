"""pbtools needs: the needs assessment from the command line (the Training app's needs tab does the same calls).

    pbtools needs add-problem "Ичүүчү суу жок" --village Көк-Талаа --sector water
    pbtools needs add-session Көк-Талаа women [--date 2026-03-02 --people 14]   # a village of the municipality
    pbtools needs add-ranking s1 "3 1 7"          (problem numbers, the most important first)
    pbtools needs results [--rule borda|topn|copeland] [--top-n 3] [--json]
    pbtools needs to-hearing HEARING_ID --top 5   (the top problems become the hearing's options)
    pbtools needs form --out form.pdf [--session s1]
    pbtools needs list [--json]

Every command takes ``--workspace DIR``, ``--db URL``, ``--lang ky|ru|en`` and ``--assessment NAME`` (default
"main"). Writes are recorded as the user running the command, a facilitator."""

from __future__ import annotations

import argparse
import getpass
import json

from pbtools.cli import add_lang_argument, add_workspace_argument, fail, hearing_id, open_existing
from pbtools.i18n import check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    from pbtools.hearings.model import SECTORS
    from pbtools.needs.aggregate import DEFAULT_TOP_N, RULES

    p = sub.add_parser("needs", help="needs assessment: problems, focus-group sessions, rankings, results")
    cmds = p.add_subparsers(dest="needs_command", required=True)

    def common(c: argparse.ArgumentParser) -> argparse.ArgumentParser:
        add_workspace_argument(c)
        add_lang_argument(c)
        c.add_argument("--assessment", default="main", help="which assessment (default: main)")
        return c

    c = common(cmds.add_parser("add-problem", help="a new problem (shared by every session)"))
    c.add_argument("title")
    c.add_argument("--village", default="")
    c.add_argument("--sector", choices=SECTORS, default="other")
    c.add_argument("--similar-ok", action="store_true", help="add it even if it looks like an existing problem")
    c.set_defaults(func=run_add_problem)

    c = common(cmds.add_parser("add-session", help="a focus group's session in a village"))
    c.add_argument("village")
    c.add_argument("group", help="women, men, youth, elders or any other group's name")
    c.add_argument("--date", default="")
    c.add_argument("--people", type=int, default=0)
    c.set_defaults(func=run_add_session)

    c = common(cmds.add_parser("add-ranking", help='a session\'s ranking: problem numbers, best first ("3 1 7")'))
    c.add_argument("session", help="the session: its number (2, №2) or id (s2; see `pbtools needs list`)")
    c.add_argument("ranking")
    c.set_defaults(func=run_add_ranking)

    c = common(cmds.add_parser("results", help="the problems aggregated over every session, by group and village"))
    c.add_argument("--rule", choices=RULES, default="borda")
    c.add_argument("--top-n", type=int, default=DEFAULT_TOP_N, help="N of the topn rule (default 3)")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=run_results)

    c = common(cmds.add_parser("to-hearing", help="the top problems become options of a draft hearing"))
    c.add_argument("hearing", type=hearing_id)
    c.add_argument("--top", type=int, default=5, help="how many places to carry over (a tie at the last place: all)")
    c.add_argument("--rule", choices=RULES, default="borda")
    c.add_argument("--top-n", type=int, default=DEFAULT_TOP_N)
    c.set_defaults(func=run_to_hearing)

    c = common(cmds.add_parser("form", help="the focus groups' paper form (PDF)"))
    c.add_argument("--out", required=True, metavar="FILE.pdf")
    c.add_argument("--session", default=None, help="fill in this session's village and group: its number (2, №2) or id (s2)")
    c.set_defaults(func=run_form)

    c = common(cmds.add_parser("list", help="problems and sessions"))
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=run_list)


def _service(args):
    """(service, lang, None) or (None, lang, exit status)."""
    from pbtools.needs.service import NeedsService

    lang = check_lang(args.lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        return None, lang, fail(error)
    return NeedsService(ws, args.assessment), lang, None


def _actor():
    from pbtools.roles import Actor

    return Actor(getpass.getuser())


def _refused(run):
    """A refusal (``NeedsError``, ``HearingError``, ``NotAllowed``) printed in the user's language, exit status 2."""

    def wrapped(args: argparse.Namespace) -> int:
        from pbtools.hearings.errors import HearingError
        from pbtools.roles import NotAllowed

        service, lang, status = _service(args)
        if service is None:
            return status
        try:
            return run(args, service, lang)
        except (HearingError, NotAllowed) as exc:
            return fail(exc.render(lang))
        finally:
            service.ws.close()

    return wrapped


@_refused
def run_add_problem(args, service, lang) -> int:
    p = service.add_problem(args.title, lang, _actor(), village=args.village, sector=args.sector, similar_ok=args.similar_ok)
    print(translator(lang)("Problem {number}: {title}", number=p.number, title=p.title(lang)))
    return 0


@_refused
def run_add_session(args, service, lang) -> int:
    s = service.add_session(args.village, args.group, _actor(), date=args.date, people=args.people)
    print(translator(lang)("Session {id}: {label}", id=s.id, label=service.session_label(s, lang)))
    return 0


@_refused
def run_add_ranking(args, service, lang) -> int:
    ids = service.set_ranking(args.session, args.ranking, _actor())
    st = service.state
    number = service.store.session(args.session).number  # as the screens say it, whichever way it was typed
    print(translator(lang)("Session {id}: {ranking}", id=f"№{number}", ranking=" ".join(str(st.problems[i].number) for i in ids)))
    return 0


@_refused
def run_results(args, service, lang) -> int:
    res = service.results(lang, args.rule, args.top_n)
    if args.json:
        print(json.dumps(res.as_json(), ensure_ascii=False, indent=1))
        return 0
    _ = translator(lang)
    print(res.rule_name)
    for line in res.explanation:
        print(line)
    for r in res.rows:
        groups = ", ".join(f"{g} {p if p is not None else '—'}" for g, p in zip(res.groups, r.by_group))
        print(f"{r.place:>3}{'=' if r.tied else ' '} {r.number:>3}. {r.title} — {r.score}  ({groups})")
    if not res.rows:
        print(_("No session has a ranking yet."))
    return 0


@_refused
def run_to_hearing(args, service, lang) -> int:
    carried = service.to_hearing(args.hearing, args.top, _actor(), args.rule, args.top_n)
    _ = translator(lang)
    for o in carried.added:
        print(_("Option {number}: {title}", number=o.number, title=o.title(lang)))
    for pid in carried.already:
        print(_("Already on the agenda: {title}", title=service.state.problems[pid].title(lang)))
    return 0


@_refused
def run_form(args, service, lang) -> int:
    print(service.form(lang, args.out, args.session))
    return 0


@_refused
def run_list(args, service, lang) -> int:
    problems, sessions = service.problems(lang), service.sessions(lang)
    if args.json:
        print(json.dumps({"problems": [p.__dict__ for p in problems], "sessions": [s.__dict__ for s in sessions]},
                         ensure_ascii=False, indent=1))
        return 0
    for p in problems:
        print(f"{p.number:>3}. {p.title}  {p.village}  {p.sector}")
    for s in sessions:
        print(f"{s.id:>4}  {s.village} · {s.group}: {s.ranking}")
    return 0
