"""pbtools tally FILE.pb --rule RULE [--score support|points|borda] [--ties lexicographic|field --seed N] [--json]
[--ignore-file-limits] [--engine auto|native|python]

Counts a Pabulib file (no workspace needed) and prints the outcome: with ``--json`` exactly one JSON object
``{"rule", "score", "tie_rule", "selected", "total_cost", "budget", "ties", "limits", "ignored_limits", "declared",
"names"}`` (``declared``: the META ``num_votes``/``num_projects`` that the file does not hold, e.g. when it is cut
short; ``names``: each project id's name in ``--lang``, null where the file gives none; ids stay ids everywhere else);
otherwise the explanation in ``--lang``, starting with any such number, projects named in ``--lang`` where the file
names them so (a hearing's export: ``name_ru``, ``name_en``), else by the file's ``name``. The count is the Pabulib app's
(``pbtools.results.pabulib.count_file``): by default the file's own limits (its ``min_project_score_threshold``) apply, as the city applied them; ``--ignore-file-limits``
counts without them, as pabutools does. Both outputs list the limits applied.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from decimal import Decimal

from pbtools.cli import add_lang_argument
from pbtools.i18n import translator


def register(sub: argparse._SubParsersAction) -> None:
    from pbtools.counting.count import RULES
    from pbtools.counting.profile import SCORES
    from pbtools.counting.ties import TIE_RULES

    p = sub.add_parser("tally", help="count a Pabulib .pb election with a budget rule")
    p.add_argument("file", metavar="FILE.pb")
    p.add_argument("--rule", choices=RULES, default=None,
                   help="default: the rule the file's META names, as the Pabulib app counts it (else greedy)")
    p.add_argument("--score", choices=SCORES, default=None,
                   help="what orders greedy / what MES counts (default: as the Pabulib app: points where the ballots give them, else supporters)")
    p.add_argument("--ties", choices=TIE_RULES, default="lexicographic", help="tie rule (default: by project id)")
    p.add_argument("--seed", type=int, default=None, help="seed of the lot for --ties field")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--ignore-file-limits", action="store_true",
                   help="count without the file's own limits (its min_project_score_threshold), as pabutools does")
    p.add_argument("--engine", choices=("auto", "native", "python"), default="auto",
                   help="auto: the compiled core (reader and MES) when built (default); python: the reference; the outcome and its explanation are the same")
    add_lang_argument(p)
    p.set_defaults(func=run)


PROGRESS_EVERY = 5.0  # seconds: a long Add1 count says how far it is on stderr, no more often than this


def _progress(lang: str, currency: str):
    """A ``progress`` hook for count() that prints where a long Add1 count is, on stderr (stdout stays the result)."""
    from pbtools.counting.result import Amount

    _ = translator(lang)
    last = [time.monotonic()]

    def report(per_voter, runs: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            amount = Amount(per_voter.quantize(Decimal(1))).render(lang)
            print(_("Still counting: the budget of each voter is now {amount} {currency} ({runs} counts so far).",
                    amount=amount, currency=currency, runs=runs), file=sys.stderr, flush=True)

    return report


def run(args: argparse.Namespace) -> int:
    try:
        code = _run(args)
        sys.stdout.flush()  # here, not at exit, where a closed pipe would be said as "Exception ignored"
        return code
    except BrokenPipeError:  # e.g. ``pbtools tally FILE | head``: the reader stopped; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so that flushing at exit does not raise again
        return 1


def _run(args: argparse.Namespace) -> int:
    from pbtools.counting.count import CountError
    from pbtools.counting.pabulib import PabulibError, read_pb
    from pbtools.counting.result import Amount
    from pbtools.counting.ties import FIELD, TieRule
    from pbtools.paths import unreadable
    from pbtools.results.pabulib import count_file, named, project_label, project_names, result_json, versus_official

    lang = args.lang or "en"
    _ = translator(lang)
    if args.ties == FIELD and args.seed is None:
        print(_("The field tie rule draws lots: give --seed."), file=sys.stderr)
        return 2
    from pbtools.counting.native import BUILT

    if args.engine == "native" and not BUILT:
        print(_("The native engine was not built here (no C compiler when pbtools was installed): use --engine auto or python."), file=sys.stderr)
        return 2
    try:
        election = read_pb(args.file, engine=args.engine)
        tie_rule = TieRule(args.ties, args.seed if args.ties == FIELD else None)
        result = count_file(election, args.rule, args.score, tie_rule, ignore_limits=args.ignore_file_limits,
                            progress=_progress(lang, election.currency), engine=args.engine)
        if not args.json:
            result = named(result, election)  # the app's explanation: "12 Park lighting", in --lang where named so
        # the explanation is made when first read (an Add1 count's final run with it): read here, where running out
        # of memory is said as in the count
        ties, steps = tuple(result.ties), () if args.json else tuple(result.steps)
    except (PabulibError, CountError) as exc:
        return _refused(exc.message.render(lang), args.json)
    except OSError as exc:
        return _refused(unreadable(exc, args.file).render(lang), args.json)
    if args.json:
        print(json.dumps({**result_json(result, election), "names": project_names(election, lang)}, ensure_ascii=False))
        return 0
    declared = [d.message() for d in result.options.get("declared", ())]
    for note in declared:  # first: a file cut short is what to know before reading its count
        print(note.render(lang))
    for line in limit_lines(result, lang):
        print(line)
    for step in steps:
        print(step.message.render(lang))
    for tie in ties:
        print(tie.message.render(lang))
    projects = {p.id: p for p in election.projects}
    print(_("Selected ({count}): {projects}", count=len(result.selected),
            projects=", ".join(project_label(projects[pid], lang) for pid in result.selected)))
    print(_("Total cost: {total} of {budget}", total=Amount(result.total_cost, result.currency).render(lang), budget=Amount(result.budget, result.currency).render(lang)))
    versus = versus_official(election, result)  # what a researcher checks first, as the app says it
    if versus is not None:
        print(versus.render(lang))
    for note in result.options.get("notes", ()):
        if note not in declared:
            print(note.render(lang))
    return 0


def _refused(said: str, as_json: bool) -> int:
    """A file not counted: said on stderr, and with --json also as ``{"error": ...}`` on stdout, for scripts."""
    print(said, file=sys.stderr)
    if as_json:
        print(json.dumps({"error": said}, ensure_ascii=False))
    return 1


def limit_lines(result, lang: str) -> list[str]:
    """The file's limits this count applied, or ignored (``--ignore-file-limits``), said first."""
    _ = translator(lang)
    applied, ignored = result.options.get("limits", ()), result.options.get("ignored_limits", ())
    lines = [_("Limits of the file applied: {limits}", limits="; ".join(lim.message().render(lang) for lim in applied))] if applied else []
    if ignored:
        lines.append(_("Limits of the file ignored (--ignore-file-limits): {limits}",
                       limits="; ".join(lim.message().render(lang) for lim in ignored)))
    if not applied and not ignored:
        lines.append(_("The file sets no limits on the count."))
    return lines
