"""pbtools hearing list | show ID | codes ID --count N --out FILE | agenda ID --out FILE.csv|.xlsx | delete ID:
hearings of a workspace, voting-code cards, the agenda exported in the columns the agenda import reads, and deleting
a practice hearing (docs/hearings.md says the rule)."""

from __future__ import annotations

import argparse
import getpass
import json
from pathlib import Path

from pbtools.cli import add_lang_argument, add_workspace_argument, fail, hearing_id, open_existing
from pbtools.i18n import check_lang, plural_translator, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("hearing", help="list and show hearings, print voting codes")
    hsub = p.add_subparsers(dest="hearing_command", metavar="ACTION", required=True)
    ls = hsub.add_parser("list", help="list the hearings of the workspace")
    show = hsub.add_parser("show", help="one hearing with its counts")
    show.add_argument("hearing", metavar="ID", type=hearing_id)
    codes = hsub.add_parser("codes", help="issue fresh one-time voting codes: a CSV and a PDF of cards")
    codes.add_argument("hearing", metavar="HEARING", type=hearing_id)
    codes.add_argument("--count", type=int, required=True, metavar="N")
    codes.add_argument("--out", required=True, metavar="FILE",
                       help="the codes go to FILE with .csv, the cards to FILE with .pdf (whatever suffix FILE has)")
    codes.add_argument("--qr", default="{code}", metavar="TEMPLATE", help="what the QR code holds, e.g. a URL with {code}")
    agenda = hsub.add_parser("agenda", help="export the agenda (options) as CSV or XLSX")
    agenda.add_argument("hearing", metavar="HEARING", type=hearing_id)
    agenda.add_argument("--out", required=True, metavar="FILE", help="FILE.csv or FILE.xlsx")
    delete = hsub.add_parser("delete", help="delete a practice hearing (or one nobody took part in); its records stay in the chain")
    delete.add_argument("hearing", metavar="ID", type=hearing_id)
    delete.add_argument("--reason", default="", help="why it is deleted (kept in the ledger)")
    for q in (ls, show, codes, agenda, delete):
        add_workspace_argument(q)
        add_lang_argument(q)
    for q in (ls, show):
        q.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=run_list)
    show.set_defaults(func=run_show)
    codes.set_defaults(func=run_codes)
    agenda.set_defaults(func=run_agenda)
    delete.set_defaults(func=run_delete)


def run_list(args: argparse.Namespace) -> int:
    from pbtools.hearings.console_service import list_hearings
    from pbtools.hearings.model import label

    lang = check_lang(args.lang)
    _ = translator(lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        return fail(error)
    with ws:  # the list the console's chooser shows (deleted hearings left out), oldest first
        rows = [{"id": h.id, "type": h.type, "date": h.date, "status": h.status, "participants": h.participants,
                 "ballots": h.ballots} for h in list_hearings(ws, lang).items]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(_("No hearings in this workspace."))
    from pbtools.dates import shown_day

    for r in rows:  # days as --lang writes them (31.10.2026 in ky/ru); --json keeps ISO
        print(_("{id}  {date}  {type}  {status}  participants: {participants}  ballots: {ballots}",
                id=r["id"], date=shown_day(r["date"], lang), type=label(r["type"], lang), status=label(r["status"], lang),
                participants=r["participants"], ballots=r["ballots"]))
    return 0


def open_hearing(args: argparse.Namespace, lang: str):
    """(workspace, None) when the workspace opens and holds ``args.hearing``; else (None, why, in ``lang``)."""
    from pbtools.hearings.store import hearing_ids

    ws, error = open_existing(args, lang)
    if ws is not None and args.hearing not in hearing_ids(ws):
        ws.close()
        ws, error = None, translator(lang)("There is no hearing {id}", id=args.hearing)
    return ws, error


def run_show(args: argparse.Namespace) -> int:
    from pbtools.dates import shown_day
    from pbtools.fmt import money
    from pbtools.hearings.double_entry import dispute_note, disputes
    from pbtools.hearings.hand_counts import group_name
    from pbtools.hearings.model import label, municipality_name, pick_name, village_name
    from pbtools.hearings.records import stream_of
    from pbtools.hearings.store import state
    from pbtools.hearings.tally import summary

    lang = check_lang(args.lang)
    _ = translator(lang)
    ws, error = open_hearing(args, lang)
    if ws is None:
        return fail(error)
    with ws:
        from pbtools.storage.chain import ChainBroken, check_chain

        try:  # a record changed behind pbtools' back: no figures from it
            check_chain(ws.ledger, stream_of(args.hearing))
        except ChainBroken as e:
            return fail(e.render(lang))
        st = state(ws, args.hearing)
        municipality = ws.municipality()  # names the municipality and its villages in --lang
    data = summary(st)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    h, c = st.hearing, st.counters
    print(f"{h.title_in(lang) or municipality_name(h.municipality, municipality, lang)} — {label(h.type, lang)}, "
          f"{shown_day(h.date, lang)} ({label(st.status, lang)})")
    if h.venue_in(lang):
        print(_("Venue: {venue}; budget for projects: {budget}", venue=h.venue_in(lang), budget=money(h.budget, lang)))
    else:  # no venue typed: no empty "Venue: ;"
        print(_("Budget for projects: {amount}", amount=money(h.budget, lang)))
    print(_("Participants: {total}, women: {women}, men: {men}", total=c.total, women=c.women, men=c.men))
    for village, n in sorted(c.by_village.items()):
        print(f"  {village_name(village, municipality, lang)}: {n}")  # «не указано», not the key «unknown»
    names = {o.id: f"№{o.number} {o.title(lang)}" for o in st.options.values()}
    disputed = disputes(st)
    for q in data["questions"]:
        print()
        print(plural_translator(lang)("{title} ({kind}): {n} ballot, {invalid} invalid, {voided} voided",  # "1 ballots"
                                      "{title} ({kind}): {n} ballots, {invalid} invalid, {voided} voided", q["ballots"],
                                      title=pick_name(q["titles"], lang), kind=label(q["kind"], lang),
                                      invalid=q["invalid_ballots"], voided=q["voided_ballots"]))
        if q["ballots"]:
            for key, n in sorted(q["tally"].items(), key=lambda kv: -kv[1]):
                print(f"  {n:>5}  {names.get(key, label(key, lang))}")
        counts = q.get("counts", {})
        for group, per in counts.items():
            if group == "all" and len(counts) == 2:  # counted without groups: the total says it
                continue
            shown = ", ".join(f"{names.get(k, label(k, lang))}: {n}" for k, n in per.items())
            named = _("total") if group == "total" else group_name(group, municipality, lang)
            print(_("  show of hands, {group}: {counts}", group=named, counts=shown))
        for d in (d for d in disputed if d.question == q["id"]):
            print("  " + dispute_note(st, d).render(lang))
    return 0


def run_codes(args: argparse.Namespace) -> int:
    from pbtools.dates import shown_day
    from pbtools.hearings.cards import code_file_paths, write_code_files
    from pbtools.hearings.console_service import ConsoleService
    from pbtools.hearings.errors import HearingError

    lang = check_lang(args.lang)
    _ = translator(lang)
    out = Path(args.out)
    if not out.parent.is_dir():
        return fail(_("There is no folder {path}", path=out.parent))
    if any(p.is_dir() for p in code_file_paths(out)):  # found before the codes are issued, not after
        return fail(_("{path} is a folder", path=next(p for p in code_file_paths(out) if p.is_dir())))
    ws, error = open_hearing(args, lang)
    if ws is None:
        return fail(error)
    with ws:
        service = ConsoleService(ws)
        h = service.choose(args.hearing).hearing
        try:
            codes = service.issue_codes(args.count, actor=getpass.getuser())
        except HearingError as exc:
            return fail(exc.render(lang))
    csv_path, pdf_path = write_code_files(codes, out, title=f"{h.title or h.municipality}, {shown_day(h.date, lang)}", lang=lang,
                                          qr_template=args.qr)
    print(plural_translator(lang)("{n} voting code written to {csv} and {pdf}", "{n} voting codes written to {csv} and {pdf}",
                                  len(codes), csv=csv_path, pdf=pdf_path))
    return 0


def run_agenda(args: argparse.Namespace) -> int:
    from pbtools.hearings.agenda_io import write_agenda
    from pbtools.hearings.store import state

    lang = check_lang(args.lang)
    _ = translator(lang)
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        return fail(_("{path}: the agenda is written as .csv or .xlsx", path=out))
    if not out.parent.is_dir():
        return fail(_("There is no folder {path}", path=out.parent))
    ws, error = open_hearing(args, lang)
    if ws is None:
        return fail(error)
    with ws:
        options = list(state(ws, args.hearing).options.values())
    write_agenda(options, out)
    print(plural_translator(lang)("{n} option written to {path}", "{n} options written to {path}", len(options), path=out))
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from pbtools.hearings.console_service import ConsoleService
    from pbtools.hearings.errors import HearingError

    lang = check_lang(args.lang)
    _ = translator(lang)
    ws, error = open_hearing(args, lang)
    if ws is None:
        return fail(error)
    with ws:
        service = ConsoleService(ws)
        service.choose(args.hearing)
        try:
            service.delete_hearing(actor=getpass.getuser(), reason=args.reason or "")
        except HearingError as exc:
            return fail(exc.render(lang))
    print(_("Hearing {id} is deleted: it is no longer listed; its records stay in the ledger.", id=args.hearing))
    return 0
