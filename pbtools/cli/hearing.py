"""pbtools hearing list | show ID | codes ID --count N --out FILE: hearings of a workspace, and voting-code cards."""

from __future__ import annotations

import argparse
import csv
import getpass
import json
from pathlib import Path

from pbtools.cli import add_lang_argument, add_workspace_argument, fail, open_existing
from pbtools.i18n import check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("hearing", help="list and show hearings, print voting codes")
    hsub = p.add_subparsers(dest="hearing_command", metavar="ACTION", required=True)
    ls = hsub.add_parser("list", help="list the hearings of the workspace")
    show = hsub.add_parser("show", help="one hearing with its counts")
    show.add_argument("hearing", metavar="ID")
    codes = hsub.add_parser("codes", help="issue fresh one-time voting codes: a CSV and a PDF of cards")
    codes.add_argument("hearing", metavar="HEARING")
    codes.add_argument("--count", type=int, required=True, metavar="N")
    codes.add_argument("--out", required=True, metavar="FILE", help="CSV of the codes; the cards go to FILE with .pdf")
    codes.add_argument("--qr", default="{code}", metavar="TEMPLATE", help="what the QR code holds, e.g. a URL with {code}")
    for q in (ls, show, codes):
        add_workspace_argument(q)
        add_lang_argument(q)
    for q in (ls, show):
        q.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=run_list)
    show.set_defaults(func=run_show)
    codes.set_defaults(func=run_codes)


def run_list(args: argparse.Namespace) -> int:
    from pbtools.hearings.model import label
    from pbtools.hearings.store import hearing_ids, state

    lang = check_lang(args.lang)
    _ = translator(lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        return fail(error)
    with ws:
        rows = []
        for hid in hearing_ids(ws):
            st = state(ws, hid)
            if st.hearing is not None:
                rows.append({"id": hid, "type": st.hearing.type, "date": st.hearing.date, "status": st.status,
                             "participants": st.counters.total, "ballots": len(st.ballots)})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(_("No hearings in this workspace."))
    for r in rows:
        print(_("{id}  {date}  {type}  {status}  participants: {participants}  ballots: {ballots}",
                id=r["id"], date=r["date"], type=label(r["type"], lang), status=label(r["status"], lang),
                participants=r["participants"], ballots=r["ballots"]))
    return 0


def run_show(args: argparse.Namespace) -> int:
    from pbtools.fmt import money
    from pbtools.hearings.model import label, pick_name
    from pbtools.hearings.store import hearing_ids, state
    from pbtools.hearings.tally import summary

    lang = check_lang(args.lang)
    _ = translator(lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        return fail(error)
    with ws:
        if args.hearing not in hearing_ids(ws):
            return fail(_("There is no hearing {id}", id=args.hearing))
        st = state(ws, args.hearing)
    data = summary(st)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    h, c = st.hearing, st.counters
    print(f"{h.title or h.municipality} — {label(h.type, lang)}, {h.date} ({label(st.status, lang)})")
    print(_("Venue: {venue}; budget for projects: {budget}", venue=h.venue, budget=money(h.budget, lang)))
    print(_("Participants: {total}, women: {women}, men: {men}", total=c.total, women=c.women, men=c.men))
    for village, n in sorted(c.by_village.items()):
        print(f"  {village}: {n}")
    names = {o.id: f"№{o.number} {o.title(lang)}" for o in st.options.values()}
    for q in data["questions"]:
        print()
        print(_("{title} ({kind}): {ballots} ballots, {voided} voided", title=pick_name(q["titles"], lang),
                kind=label(q["kind"], lang), ballots=q["ballots"], voided=q["voided_ballots"]))
        if q["ballots"]:
            for key, n in sorted(q["tally"].items(), key=lambda kv: -kv[1]):
                print(f"  {n:>5}  {names.get(key, label(key, lang))}")
        for group, per in q.get("counts", {}).items():
            shown = ", ".join(f"{names.get(k, label(k, lang))}: {n}" for k, n in per.items())
            group_name = _("total") if group == "total" else label(group, lang)
            print(_("  show of hands, {group}: {counts}", group=group_name, counts=shown))
    return 0


def run_codes(args: argparse.Namespace) -> int:
    from pbtools.hearings.cards import write_cards
    from pbtools.hearings.store import HearingError, HearingStore, hearing_ids

    lang = check_lang(args.lang)
    _ = translator(lang)
    out = Path(args.out)
    if not out.parent.is_dir():
        return fail(_("There is no folder {path}", path=out.parent))
    ws, error = open_existing(args, lang)
    if ws is None:
        return fail(error)
    with ws:
        if args.hearing not in hearing_ids(ws):
            return fail(_("There is no hearing {id}", id=args.hearing))
        store = HearingStore(ws, args.hearing)
        try:
            codes = store.issue_codes(args.count, actor=getpass.getuser())
        except HearingError as exc:
            return fail(exc.render(lang))
        h = store.state.hearing
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["n", "code"])
        writer.writerows((i, code) for i, code in enumerate(codes, start=1))
    cards = write_cards(codes, out.with_suffix(".pdf"), title=f"{h.title or h.municipality}, {h.date}", lang=lang,
                        qr_template=args.qr)
    print(_("{n} voting codes written to {csv} and {pdf}", n=len(codes), csv=out, pdf=cards))
    return 0
