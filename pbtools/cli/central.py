"""pbtools central add CODE | rename CODE | grant USER CODE ROLE | revoke USER CODE | invite USER | list | card CODE |
backup --out FILE | restore FILE: a central server's municipalities, who may use them (and the invitation codes their
hub accounts are made with) and its backups. Run by the server's operator, who holds the database's password.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from pbtools.cli import add_lang_argument, fail
from pbtools.cli.workspace import run_card
from pbtools.i18n import check_lang, translator
from pbtools.paths import central_dir


def add_db_arguments(p: argparse.ArgumentParser, user: bool = True) -> None:
    p.add_argument("--db", metavar="URL", required=True, help="the central PostgreSQL database, postgresql://...")
    if user:
        p.add_argument("--user", default=None, help="who does it (default: your login name)")
    add_lang_argument(p)


def said_refusal(exc: Exception, lang: str) -> int:
    return fail(exc.render(lang))  # type: ignore[attr-defined]


def register(sub: argparse._SubParsersAction) -> None:
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
        add_db_arguments(q, user=False)
    add.set_defaults(func=run_add)
    rename.set_defaults(func=run_rename)
    grant.set_defaults(func=run_grant)
    revoke.set_defaults(func=run_revoke)
    invite.set_defaults(func=run_invite)
    ls.set_defaults(func=run_list)
    card.set_defaults(func=run_card)
    backup.set_defaults(func=run_backup)
    restore.set_defaults(func=run_restore)


def _operator():
    from pbtools.roles import ADMIN, Actor

    return Actor(getpass.getuser(), ADMIN)


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
        return said_refusal(e, lang)
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
            return said_refusal(e, lang)
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
                                                               villages=given.villages if given else (),
                                                               of=given.names if given else None)
    except StorageError as e:
        return said_refusal(e, lang)
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
        return said_refusal(e, lang)


def run_invite(args: argparse.Namespace) -> int:
    from pbtools.central import accounts
    from pbtools.central.registry import Central
    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    try:
        with Central(args.db, central_dir()) as central:
            _print_invitation(accounts.issue(central, args.username, _operator(), days=args.days), lang)
    except StorageError as e:
        return said_refusal(e, lang)
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
        return said_refusal(e, lang)


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
        return said_refusal(e, lang)
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from pbtools.central.backup import dump
    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    try:
        print(dump(args.db, args.out, args.municipality))
    except StorageError as e:
        return said_refusal(e, lang)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from pbtools.central.backup import restore
    from pbtools.storage.errors import StorageError

    lang = check_lang(args.lang)
    try:
        restore(args.file, args.db)
    except StorageError as e:
        return said_refusal(e, lang)
    return 0
