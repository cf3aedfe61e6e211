"""pbtools sync push FILE --db URL | sync pack FOLDER | sync pull --db URL --municipality CODE --workspace DIR: laptops
handing hearings (and monitoring) in to a central server, or taking a copy for the hall (``cli/central.py``: the
server's municipalities and who may use them).

``--user`` is who hands in or takes the copy (default: the login name): the grant on the municipality decides, and
the core checks that role again.
"""

from __future__ import annotations

import argparse
import getpass
import shutil
from pathlib import Path

from pbtools.cli import add_lang_argument, add_workspace_argument, fail, hearing_id, open_existing
from pbtools.cli.central import add_db_arguments, said_refusal
from pbtools.i18n import NMsg, check_lang, translator
from pbtools.paths import central_dir


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help="hand a hearing in to a central server, or take a copy of a municipality's data")
    ssub = p.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    push = ssub.add_parser("push", help="store a hearing's audit export, or a hand-in folder (or zip) from "
                                        "`pbtools sync pack`, on the central server")
    push.add_argument("file", metavar="FILE|FOLDER")
    push.add_argument("--municipality", metavar="CODE", default=None,
                      help="the municipality's code on the server (default: found from the hearing's municipality)")
    add_db_arguments(push)
    push.set_defaults(func=run_push)
    pack = ssub.add_parser("pack", help="on a laptop: write a hand-in folder (hearings; monitoring and its photos when "
                                        "asked) for a USB stick")
    pack.add_argument("folder", metavar="FOLDER")
    pack.add_argument("--hearing", metavar="ID", action="append", default=None, type=hearing_id,
                      help="only this hearing (repeat for more; default: every hearing but the demo's and practice ones)")
    pack.add_argument("--monitoring", action="store_true",
                      help="also the monitoring: every project, the group, the acts, their photos and documents, "
                           "and the budget matches")
    add_workspace_argument(pack)
    add_lang_argument(pack)
    pack.set_defaults(func=run_pack)
    pull = ssub.add_parser("pull", help="copy what your role writes offline to a laptop workspace: the municipality "
                                        "and budgets; draft agendas and participants (facilitator); monitoring "
                                        "(projects, group, acts, photos, budget matches) and closed hearings "
                                        "(monitoring); all or nothing")
    pull.add_argument("--municipality", metavar="CODE", required=True)
    pull.add_argument("--workspace", metavar="DIR", required=True, help="the laptop's workspace folder (SQLite)")
    add_db_arguments(pull)
    pull.set_defaults(func=run_pull)



def _user(args: argparse.Namespace) -> str:
    return args.user or getpass.getuser()



def run_push(args: argparse.Namespace) -> int:
    from pbtools.central.registry import Central
    from pbtools.roles import NotAllowed
    from pbtools.storage.errors import StorageError
    from pbtools.sync.folder import hand_in_folder, is_hand_in_folder, municipality_names
    from pbtools.sync.push import checked, hand_in

    lang = check_lang(args.lang)
    _ = translator(lang)
    folder = is_hand_in_folder(args.file)
    check, names = None, None  # one audit file is checked once: for its municipality here, and for the hand-in
    try:
        with Central(args.db, central_dir()) as central:
            if folder:
                place = next(iter(municipality_names(args.file).values()), "")
            else:
                check = checked(args.file)  # SyncRefused: the file's problems, before any municipality's
                place = check.state.hearing.municipality
            found = central.find(place) if place else None
            # the file's municipality in every language, when registered: a refusal names it in the user's (s26 L3)
            names = central.names(found) if found else None
            code = args.municipality or found
            if code is None:
                return fail(_("The municipality of this hearing ({place}) is not registered on the server: give --municipality CODE",
                              place=place or "—"))
            actor = central.actor(_user(args), code)  # the server's check; the core checks the role again
            with central.workspace(code) as ws:
                handed = hand_in_folder(ws, args.file, actor) if folder else [hand_in(ws, args.file, actor, check, names)]
    except (StorageError, NotAllowed) as e:
        return said_refusal(e, lang)
    for one in handed:
        print(one.summary().render(lang))
        for problem in one.problems:  # a monitoring stream set aside, the rest stored
            print("  " + problem.render(lang))
    return 1 if any(one.refused for one in handed) else 0


def run_pack(args: argparse.Namespace) -> int:
    from pbtools.sync.pack import PackRefused, pack

    lang = check_lang(args.lang)
    _ = translator(lang)
    ws, error = open_existing(args, lang)
    if ws is None:
        return fail(error)
    with ws:
        try:
            packed = pack(ws, args.folder, args.hearing, monitoring=args.monitoring)
        except PackRefused as e:
            return said_refusal(e, lang)
    for line in packed.summary():
        print(line.render(lang))
    print(_("Hand-in folder written to {path}: copy it to the USB stick, hand it in with pbtools sync push",
            path=str(packed.path)))
    return 0


def run_pull(args: argparse.Namespace) -> int:
    from pbtools.central.registry import Central
    from pbtools.roles import NotAllowed, offline_writes
    from pbtools.storage import open_workspace
    from pbtools.storage.errors import StorageError
    from pbtools.sync.pull import take_copy

    lang = check_lang(args.lang)
    _ = translator(lang)
    made = not Path(args.workspace).exists()  # a refused copy leaves no empty workspace behind it
    try:
        with Central(args.db, central_dir()) as central:
            actor = central.actor(_user(args), args.municipality)
            offline_writes(actor)  # NoCopy before the laptop's workspace is made (take_copy checks it again)
            with central.workspace(args.municipality) as server, open_workspace(Path(args.workspace)) as laptop:
                copied = take_copy(server, laptop, actor)
    except (StorageError, NotAllowed) as e:
        if made:
            shutil.rmtree(args.workspace, ignore_errors=True)
        return said_refusal(e, lang)
    for problem in copied.problems:
        print(problem.render(lang))
    print(_("Copied to {workspace}: {budgets} budgets, {hearings} hearings ({records} records)", workspace=args.workspace,
            budgets=copied.budgets, hearings=len(copied.hearings), records=copied.records))
    if copied.streams:
        print(NMsg("Monitoring copied: {n} stream ({records} records), photos and documents: {files}",
                   "Monitoring copied: {n} streams ({records} records), photos and documents: {files}",
                   len(copied.streams), records=copied.stream_records, files=copied.files).render(lang))
    return 1 if copied.problems else 0
