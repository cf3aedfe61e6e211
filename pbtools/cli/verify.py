"""pbtools verify FILE: check an audit file on its own (no workspace) and recount the hearing it holds.
pbtools verify --workspace DIR (no FILE): check every stream of a workspace's ledger (hearings, monitoring) and the
monitoring photos and documents its records name; exit 1 when anything does not verify.

Exit status: 0 when every record is intact, 1 when a record was altered, removed, inserted or reordered (each one
is named) or when the file does not end with the seal of a closed hearing (unless ``--open``: the hearing was still
open), 2 when the file cannot be read as an audit file. What the check proves and what it cannot (without
``--head``, a chain rewritten as a whole) is said in plain words.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from pbtools.cli import add_lang_argument, add_workspace_argument, open_existing
from pbtools.i18n import check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="check an audit file's hash chain and recount the hearing from it alone")
    p.add_argument("file", metavar="FILE", nargs="?", default=None,
                   help="an audit file; without it, the workspace (--workspace/--db) is checked")
    p.add_argument("--head", metavar="HASH", default=None, help="the last hash printed in the signed protocol")
    p.add_argument("--open", action="store_true", dest="open_hearing",
                   help="the hearing was still open when the file was written: do not require the closing seal")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_lang_argument(p)
    add_workspace_argument(p)
    p.set_defaults(func=run_verify)


def recount_lines(check, lang: str) -> list[str]:
    """The hearing recounted from the file: participants, and per question the tally and what is funded."""
    from pbtools.dates import shown_day
    from pbtools.fmt import money, number
    from pbtools.hearings.model import label
    from pbtools.reports.voting import question_reports

    _ = translator(lang)
    st = check.state
    h, c = st.hearing, st.counters
    lines = [f"{h.title or h.municipality} — {label(h.type, lang)}, {shown_day(h.date, lang)}",
             _("Participants: {total}, women: {women}, men: {men}", total=c.total, women=c.women, men=c.men)]
    for r in question_reports(st):
        lines.append(_("{title}: {ballots} ballots counted, {voided} voided", title=r.question.title(lang),
                       ballots=r.ballots, voided=len(r.voided)))
        names = {o.id: f"№{o.number} {o.title(lang)}" for o in r.options.values()}
        for key, n in r.votes.items():  # the one number per option, as the protocol and the board show it
            lines.append(f"  {number(n, lang):>7}  {names.get(key) or label(key, lang)}")
        if r.result is not None and r.question.choose_one:  # alternatives (tariffs): one is chosen, nothing funded
            chosen = "; ".join(names[p] for p in r.result.selected) or "—"
            lines.append("  " + _("Chosen by the vote (the option with the most votes): {option}", option=chosen))
        elif r.result is not None:
            funded = "; ".join(names[p] for p in r.result.selected) or "—"
            lines.append("  " + _("Funded: {options} ({total} of {budget})", options=funded,
                                  total=money(r.result.total_cost, lang), budget=money(r.result.budget, lang)))
        if r.problem is not None:
            lines.append("  " + r.problem.render(lang))
        if r.result is not None:
            lines += ["  " + note.render(lang) for note in r.result.options.get("notes", ())]
    return lines


def _json(check) -> dict:
    from pbtools.reports.voting import question_reports

    questions = []
    if check.state is not None and check.state.hearing is not None:
        for r in question_reports(check.state):
            item = {"id": r.question.id, "kind": r.question.kind, "ballots": r.ballots, "votes": r.votes, "tally": r.tally}
            if r.hands:
                item["hands"] = r.hands["total"]
                item["hands_counted"] = r.hands_counted
            if r.result is not None:
                item["result"] = r.result.to_json()
            questions.append(item)
    return {"file": str(check.path), "ok": check.ok, "sealed": check.sealed, "hearing": check.header.get("hearing"),
            "records": len(check.records), "head_hash": check.head_hash,
            "problems": [p.render("en") for p in check.problems], "questions": questions}


def verdict_lines(check, lang: str, head_given: bool) -> list[str]:
    """What the check proved and what it did not, in plain words (the lines after the file's summary)."""
    _ = translator(lang)
    if check.unsealed and len(check.problems) == 1:
        return [_("Every record in the file is intact, but the file may have been cut short (see above). The recount "
                  "below is of the records it holds.")]
    if not check.ok:
        return [_("The file was changed: {n} problems found (listed above). The recount below is of the changed file.",
                  n=len(check.problems))]
    lines = [_("The hash chain is intact: no record was altered, removed or inserted.")]
    if check.sealed:
        lines.append(_("The file ends with the seal of the closed hearing (record {seq}).", seq=check.records[-1].seq))
    else:
        lines.append(_("The hearing was not closed when this file was written: records made after record {seq} "
                       "are not in it, and nothing here can show whether there were any.", seq=check.records[-1].seq))
    if head_given:
        lines.append(_("The hash of the last record is the one printed in the protocol: this is the whole record "
                       "that was signed."))
    else:
        lines.append(_("Not proven without the protocol: that the whole file was not rewritten. Compare this final "
                       "hash with the one printed under the signatures of the protocol: {hash}", hash=check.head_hash))
    return lines


def run_verify(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except BrokenPipeError:  # e.g. ``pbtools verify FILE | head``: the reader stopped; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that flushing at exit does not raise again
        return getattr(args, "_code", 1)


def run_workspace(args: argparse.Namespace) -> int:
    """Every stream of the workspace, and the monitoring files: one line per stream, each problem named."""
    from pbtools.workspace_check import check_workspace

    lang = check_lang(args.lang)
    _ = translator(lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        print(error, file=sys.stderr)
        return 2
    with ws:
        checks = check_workspace(ws)
    bad = [c for c in checks if c.problems]
    if args.json:
        print(json.dumps({"ok": not bad, "streams": [{"stream": c.stream, "records": c.records,
                                                       "problems": [p.message.render("en") for p in c.problems]} for c in checks]},
                         ensure_ascii=False, indent=2))
        return 1 if bad else 0
    for c in checks:
        if c.problems:
            for p in c.problems:
                print(_("{stream}, record {seq}: {problem}", stream=c.stream, seq=p.seq, problem=p.message.render(lang)), file=sys.stderr)
        else:
            print(_("{stream}: {n} records, intact", stream=c.stream, n=c.records))
    print(_("{bad} of {n} streams do not verify", bad=len(bad), n=len(checks)) if bad
          else _("Every record of the workspace is intact ({n} streams).", n=len(checks)))
    return 1 if bad else 0


def _run(args: argparse.Namespace) -> int:
    from pbtools.reports.audit import check_audit

    if args.file is None:
        return run_workspace(args)

    lang = check_lang(args.lang)
    _ = translator(lang)
    check = check_audit(args.file, expect_head=args.head, open_hearing=args.open_hearing)
    unreadable = check.state is None or check.state.hearing is None
    args._code = code = 2 if unreadable else (0 if check.ok else 1)
    if args.json:
        print(json.dumps(_json(check), ensure_ascii=False, indent=2))
        return code
    for problem in check.problems:
        print(problem.render(lang), file=sys.stderr)
    if unreadable:
        return code
    print(_("{file}: {n} records, hash of the last record {hash}", file=args.file, n=len(check.records), hash=check.head_hash))
    print("\n".join(verdict_lines(check, lang, head_given=args.head is not None)))
    print()
    print("\n".join(recount_lines(check, lang)))
    sys.stdout.flush()  # a closed pipe shows here, inside the try of run_verify
    return code
