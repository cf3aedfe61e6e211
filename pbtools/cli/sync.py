"""pbtools sync push FILE --db URL | sync pull --db URL --municipality CODE --workspace DIR, and
pbtools central add CODE | rename CODE | grant USER CODE ROLE | revoke USER CODE | invite USER | list | backup --out FILE |
restore FILE: a central server's municipalities, who may use them (and the invitation codes their hub accounts are
made with), its backups, and laptops handing hearings in or taking a copy for the hall.

``--user`` is who hands in or takes the copy (default: the login name): the grant on the municipality decides, and
the core checks that role again. ``central`` is run by the server's operator, who holds the database's password.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from pbtools.cli import add_lang_argument, add_workspace_argument, fail, hearing_id, open_existing
from pbtools.cli.workspace import run_card
from pbtools.i18n import NMsg, check_lang, translator
from pbtools.paths import central_dir

def _common(p: argparse.ArgumentParser, user: bool = True) -> None:
    p.add_argument("--db", metavar="URL", required=True, help="the central PostgreSQL database, postgresql://...")
    if user:
        p.add_argument("--user", default=None, help="who does it (default: your login name)")
    add_lang_argument(p)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help="hand a hearing in to a central server, or take a copy of a municipality's data")
    ssub = p.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    push = ssub.add_parser("push", help="store a hearing's audit export, or a hand-in folder (or zip) from "
                                        "`pbtools sync pack`, on the central server")
    push.add_argument("file", metavar="FILE|FOLDER")
    push.add_argument("--municipality", metavar="CODE", default=None,
                      help="the municipality's code on the server (default: found from the hearing's municipality)")
    _common(push)
    push.set_defaults(func=run_push)
    pack = ssub.add_parser("pack", help="on a laptop: write a hand-in folder (hearings; monitoring and its photos when "
                                        "asked) for a USB stick")
    pack.add_argument("folder", metavar="FOLDER")
    pack.add_argument("--hearing", metavar="ID", action="append", default=None, type=hearing_id,
                      help="only this hearing (repeat for more; default: every hearing but the demo's and practice ones)")
    pack.add_argument("--monitoring", action="store_true",
                      help="also the monitoring: every project, the group, the acts, and their photos and documents")
    add_workspace_argument(pack)
    add_lang_argument(pack)
    pack.set_defaults(func=run_pack)
    pull = ssub.add_parser("pull", help="copy what your role writes offline to a laptop workspace: the municipality "
                                        "and budgets; draft agendas and participants (facilitator); monitoring "
                                        "(projects, group, acts, photos) and closed hearings (monitoring); all or nothing")
    pull.add_argument("--municipality", metavar="CODE", required=True)
    pull.add_argument("--workspace", metavar="DIR", required=True, help="the laptop's workspace folder (SQLite)")
    _common(pull)
    pull.set_defaults(func=run_pull)

    c = sub.add_parser("central", help="a central server's municipalities and who may use them")
    csub = c.add_subparsers(dest="central_command", metavar="ACTION", required=True)
    add = csub.add_parser("add", help="register a new municipality (its own workspace on the server); a code already "
                                      "registered is refused (see rename)")
    add.add_argument("code", metavar="CODE")
    rename = csub.add_parser("rename", help="change a registered municipality's names, or add villages it lacks (its "
                                            "villages and data are kept); the names must equal the laptops' workspaces'")
    rename.add_argument("code", metavar="CODE")
    for q, what in ((add, "its names and villages"), (rename, "the villages it does not have yet")):
        q.add_argument("--from-workspace", metavar="DIR", default=None, help=f"take {what} from this workspace's municipality")
        q.add_argument("--from-folder", metavar="DIR", default=None,
                       help=f"take {what} from DIR/municipality.csv and DIR/villages.csv (as in data/sample)")
    for q, lang in ((q, lang) for q in (add, rename) for lang in ("ky", "ru", "en")):
        q.add_argument(f"--name-{lang}", default=None, metavar="NAME")
    grant = csub.add_parser("grant", help="let USER use municipality CODE (or * for all) in ROLE")
    grant.add_argument("username", metavar="USER")
    grant.add_argument("code", metavar="CODE")
    grant.add_argument("role", metavar="ROLE")
    revoke = csub.add_parser("revoke", help="take USER's access to CODE away")
    revoke.add_argument("username", metavar="USER")
    revoke.add_argument("code", metavar="CODE")
    invite = csub.add_parser("invite", help="a new one-time invitation code for USER's hub account (the sign-up asks "
                                            "for it; `grant` prints one for a name never invited)")
    invite.add_argument("username", metavar="USER")
    invite.add_argument("--days", type=int, default=7, help="how long the code is valid (default 7)")
    ls = csub.add_parser("list", help="the municipalities and the grants")
    card = csub.add_parser("card", help="write the municipality's card (its names and villages) for setting up a "
                                        "facilitator's laptop: pbtools workspace init --from-card FILE")
    card.add_argument("code", metavar="CODE")
    card.add_argument("--out", metavar="FILE", default=None, help="default: CODE.pbtools-card.json here")
    backup = csub.add_parser("backup", help="pg_dump the central database (or one municipality) to FILE")
    backup.add_argument("--out", metavar="FILE", required=True)
    backup.add_argument("--municipality", metavar="CODE", default=None)
    restore = csub.add_parser("restore", help="pg_restore FILE into an empty database")
    restore.add_argument("file", metavar="FILE")
    for q in (add, rename, grant, revoke, invite, ls, card, backup, restore):
        _common(q, user=False)
    add.set_defaults(func=run_add)
    rename.set_defaults(func=run_rename)
    grant.set_defaults(func=run_grant)
    revoke.set_defaults(func=run_revoke)
    invite.set_defaults(func=run_invite)
    ls.set_defaults(func=run_list)
    card.set_defaults(func=run_card)
    backup.set_defaults(func=run_backup)
    restore.set_defaults(func=run_restore)


def _user(args: argparse.Namespace) -> str:
    return args.user or getpass.getuser()


def _operator():
    from pbtools.roles import ADMIN, Actor

    return Actor(getpass.getuser(), ADMIN)


def _refusal(exc: Exception, lang: str) -> int:
    return fail(exc.render(lang))  # type: ignore[attr-defined]


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
        return _refusal(e, lang)
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
            return _refusal(e, lang)
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
    try:
        with Central(args.db, central_dir()) as central:
            actor = central.actor(_user(args), args.municipality)
            offline_writes(actor)  # NoCopy before the laptop's workspace is made (take_copy checks it again)
            with central.workspace(args.municipality) as server, open_workspace(Path(args.workspace)) as laptop:
                copied = take_copy(server, laptop, actor)
    except (StorageError, NotAllowed) as e:
        return _refusal(e, lang)
    for problem in copied.problems:
        print(problem.render(lang))
    print(_("Copied to {workspace}: {budgets} budgets, {hearings} hearings ({records} records)", workspace=args.workspace,
            budgets=copied.budgets, hearings=len(copied.hearings), records=copied.records))
    if copied.streams:
        print(NMsg("Monitoring copied: {n} stream ({records} records), photos and documents: {files}",
                   "Monitoring copied: {n} streams ({records} records), photos and documents: {files}",
                   len(copied.streams), records=copied.stream_records, files=copied.files).render(lang))
    return 1 if copied.problems else 0


def run_add(args: argparse.Namespace) -> int:
    from pbtools.budget.model import Municipality
    from pbtools.central.registry import Central
    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    _ = translator(lang)
    municipality = _municipality_given(args, lang)
    if isinstance(municipality, int):
        return municipality
    names = _names_given(args)
    if municipality is None and not names:
        return fail(_("Give the municipality's name (--name-ky, --name-ru, --name-en) or --from-workspace"))
    municipality = municipality or Municipality(names)
    try:
        with Central(args.db, central_dir()) as central:
            central.add_municipality(args.code, municipality, _operator())
    except StorageError as e:
        return _refusal(e, lang)
    print(_("Municipality {code} is registered: {name}", code=args.code, name=municipality.name(lang)))
    if not municipality.villages:  # a hand-in's hearing is checked against them: without any, nothing is checked
        print(_("It has no villages: the hearings handed in cannot be checked against them. Add them with: "
                "pbtools central rename {code} --from-folder DIR", code=args.code))
    return 0


def _municipality_given(args: argparse.Namespace, lang: str):
    """The municipality of --from-workspace or --from-folder (None when neither is given), or the exit code of a
    refusal already said."""
    from pbtools.storage import open_workspace
    from pbtools.storage.errors import StorageError

    _ = translator(lang)
    municipality = None
    if args.from_workspace:
        try:
            with open_workspace(Path(args.from_workspace), create=False) as ws:
                municipality = ws.municipality()
        except StorageError as e:  # no workspace there: said, not a traceback
            return _refusal(e, lang)
        if municipality is None:
            return fail(_("The workspace {path} has no municipality: give --name-ky, --name-ru, --name-en",
                          path=args.from_workspace))
    if args.from_folder:
        from pbtools.budget.municipality import MunicipalityError, read_municipality

        try:
            municipality = read_municipality(Path(args.from_folder).expanduser())
        except MunicipalityError as e:
            return fail("\n".join(f"{p.where(lang)}: {p.message.render(lang)}" for p in e.problems))
    return municipality


def _names_given(args: argparse.Namespace) -> dict[str, str]:
    """The municipality's names typed (--name-ky, --name-ru, --name-en), by language."""
    return {k: v for k in ("ky", "ru", "en") if (v := getattr(args, f"name_{k}"))}


def run_rename(args: argparse.Namespace) -> int:
    from pbtools.central.registry import Central
    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    _ = translator(lang)
    given = _municipality_given(args, lang)
    if isinstance(given, int):
        return given
    names = _names_given(args)
    try:
        with Central(args.db, central_dir()) as central:
            before, after, added = central.rename_municipality(args.code, names, _operator(),
                                                               villages=given.villages if given else ())
    except StorageError as e:
        return _refusal(e, lang)
    for k in ("ky", "ru", "en"):
        if before.get(k) != after.get(k):
            print(_("Municipality {code}, name ({lang}): {before} -> {after}", code=args.code, lang=k,
                    before=before.get(k) or "—", after=after.get(k)))
    if given is not None:
        print(_("Villages added: {villages}", villages=", ".join(v.name(lang) for v in added)) if added
              else _("No village added: it has every village of {source} already.",
                     source=args.from_folder or args.from_workspace))
    print(_("Its villages and data are kept. The laptops' workspaces must carry the same names, or their hand-ins are refused."))
    return 0


def run_grant(args: argparse.Namespace) -> int:
    from pbtools.central import accounts
    from pbtools.central.registry import Central
    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    try:
        with Central(args.db, central_dir()) as central:
            if not accounts.has_invitation(central, args.username):
                accounts.check_username(args.username)  # before the grant: a name no account can have is refused
            before = central.grant(args.username, args.code, args.role, _operator())
            if not accounts.has_invitation(central, args.username):
                _print_invitation(accounts.issue(central, args.username, _operator()), lang)
            # a changed role: the servers started with the old one stop; a new grant only adds
            return _tell_hub(central, args.username, before not in (None, args.role), lang)
    except StorageError as e:
        return _refusal(e, lang)


def run_invite(args: argparse.Namespace) -> int:
    from pbtools.central import accounts
    from pbtools.central.registry import Central
    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    try:
        with Central(args.db, central_dir()) as central:
            _print_invitation(accounts.issue(central, args.username, _operator(), days=args.days), lang)
    except StorageError as e:
        return _refusal(e, lang)
    return 0


def _print_invitation(invitation, lang: str) -> None:
    """The code, to the operator only (the terminal): whoever has it claims the account."""
    from pbtools.moments import moment_text

    _ = translator(lang)
    print(_("Invitation code for {user}: {code} (once, until {until}). {user} signs up with it at /hub/signup under "
            "this very user name; give it to that person only.", user=invitation.username, code=invitation.code,
            until=moment_text(invitation.expires_at, lang=lang)))  # the server's zone, said


def run_revoke(args: argparse.Namespace) -> int:
    from pbtools.central.registry import Central
    from pbtools.roles import ROLE_NAMES
    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    _ = translator(lang)
    try:
        with Central(args.db, central_dir()) as central:
            role = central.revoke(args.username, args.code, _operator())
            if role is None:  # nothing changed, and said: a typo in the name must not look like a revoke
                return fail(_("{user} had no grant on {code}: nothing was revoked", user=args.username, code=args.code))
            print(_("Revoked: {user} as {role} on {code}", user=args.username, role=_(ROLE_NAMES.get(role, role)),
                    code=args.code))
            return _tell_hub(central, args.username, True, lang)
    except StorageError as e:
        return _refusal(e, lang)


def _tell_hub(central, username: str, stop_servers: bool, lang: str) -> int:
    """The running hub follows the grants now (``central.hub_api``); 1 when it could not be told."""
    from pbtools.central.hub_api import tell_hub

    said, told = tell_hub(central, username, stop_servers)
    for msg in said:
        print(msg.render(lang))
    return 0 if told else 1


def run_list(args: argparse.Namespace) -> int:
    from pbtools.central.registry import Central

    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    try:
        with Central(args.db, central_dir()) as central:
            for code in central.codes():
                names = central.names(code)
                print(f"{code}\t{names.get(lang) or next(iter(names.values()), '')}")
            for g in central.grants():
                print(f"  {g.username}\t{g.municipality}\t{g.role}")
    except StorageError as e:
        return _refusal(e, lang)
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from pbtools.central.backup import dump
    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    try:
        print(dump(args.db, args.out, args.municipality))
    except StorageError as e:
        return _refusal(e, lang)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from pbtools.central.backup import restore
    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    try:
        restore(args.file, args.db)
    except StorageError as e:
        return _refusal(e, lang)
    return 0
