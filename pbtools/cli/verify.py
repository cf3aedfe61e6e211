"""pbtools verify FILE: check an audit file on its own (no workspace) and recount the hearing it holds.

Exit status: 0 when every record is intact, 1 when a record was altered, removed, inserted or reordered (each one
is named), 2 when the file cannot be read as an audit file.
"""

from __future__ import annotations

import argparse
import json
import sys

from pbtools.cli import add_lang_argument
from pbtools.i18n import check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="check an audit file's hash chain and recount the hearing from it alone")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--head", metavar="HASH", default=None, help="the last hash printed in the signed protocol")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_lang_argument(p)
    p.set_defaults(func=run_verify)


def recount_lines(check, lang: str) -> list[str]:
    """The hearing recounted from the file: participants, and per question the tally and what is funded."""
    from pbtools.fmt import money, number
    from pbtools.hearings.model import label
    from pbtools.reports.voting import question_reports

    _ = translator(lang)
    st = check.state
    h, c = st.hearing, st.counters
    lines = [f"{h.title or h.municipality} — {label(h.type, lang)}, {h.date}",
             _("Participants: {total}, women: {women}, men: {men}", total=c.total, women=c.women, men=c.men)]
    for r in question_reports(st):
        lines.append(_("{title}: {ballots} ballots counted, {voided} voided", title=r.question.title(lang),
                       ballots=r.ballots, voided=len(r.voided)))
        names = {o.id: f"№{o.number} {o.title(lang)}" for o in r.options.values()}
        hands = r.hands.get("total", {})
        for key, n in r.tally.items():
            lines.append(f"  {number(n + hands.get(key, 0), lang):>7}  {names.get(key) or label(key, lang)}")
        if r.result is not None:
            funded = "; ".join(names[p] for p in r.result.selected) or "—"
            lines.append("  " + _("Funded: {options} ({total} of {budget})", options=funded,
                                  total=money(r.result.total_cost, lang), budget=money(r.result.budget, lang)))
        if r.problem is not None:
            lines.append("  " + r.problem.render(lang))
    return lines


def _json(check) -> dict:
    from pbtools.reports.voting import question_reports

    questions = []
    if check.state is not None and check.state.hearing is not None:
        for r in question_reports(check.state):
            item = {"id": r.question.id, "kind": r.question.kind, "ballots": r.ballots, "tally": r.tally}
            if r.hands:
                item["hands"] = r.hands["total"]
            if r.result is not None:
                item["result"] = r.result.to_json()
            questions.append(item)
    return {"file": str(check.path), "ok": check.ok, "hearing": check.header.get("hearing"),
            "records": len(check.records), "head_hash": check.head_hash,
            "problems": [p.render("en") for p in check.problems], "questions": questions}


def run_verify(args: argparse.Namespace) -> int:
    from pbtools.reports.audit import check_audit

    lang = check_lang(args.lang)
    _ = translator(lang)
    check = check_audit(args.file, expect_head=args.head)
    unreadable = check.state is None or check.state.hearing is None
    if args.json:
        print(json.dumps(_json(check), ensure_ascii=False, indent=2))
        return 2 if unreadable else (0 if check.ok else 1)
    for problem in check.problems:
        print(problem.render(lang), file=sys.stderr)
    if unreadable:
        return 2
    print(_("{file}: {n} records, hash of the last record {hash}", file=args.file, n=len(check.records), hash=check.head_hash))
    if check.ok:
        print(_("The hash chain is intact: no record was altered, removed or inserted."))
    else:
        print(_("The file was changed: {n} problems found (listed above). The recount below is of the changed file.",
                n=len(check.problems)))
    print()
    print("\n".join(recount_lines(check, lang)))
    return 0 if check.ok else 1
