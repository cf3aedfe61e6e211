"""pbtools workspace init --from-card FILE: a facilitator's laptop set up for a municipality of the central server,
from the card the server's operator wrote (``pbtools central card CODE``), without the server's database password;
and ``run_card``, that command (``cli/central.py`` registers it with the other ``central`` actions, importing it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from pbtools.cli import add_lang_argument, add_workspace_argument, fail, workspace_folder
from pbtools.i18n import check_lang, translator


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("workspace", help="set up a workspace: a laptop for a municipality of the central server")
    wsub = p.add_subparsers(dest="workspace_command", metavar="ACTION", required=True)
    init = wsub.add_parser("init", help="a new workspace for the municipality of a card (pbtools central card CODE "
                                        "on the server): its names and villages, as the server has them")
    init.add_argument("--from-card", metavar="FILE", required=True)
    add_workspace_argument(init)
    add_lang_argument(init)
    init.set_defaults(func=run_init)


def run_init(args: argparse.Namespace) -> int:
    from pbtools.sync.card import CardRefused, init_from_card

    lang = check_lang(args.lang)
    _ = translator(lang)
    workspace = workspace_folder(args)
    try:
        municipality = init_from_card(workspace, Path(args.from_card).expanduser(), args.db)
    except CardRefused as e:
        return fail(e.render(lang))
    print(_("Workspace {path} set up for {name}, with its villages: {villages}", path=str(workspace),
            name=municipality.name(lang), villages=", ".join(v.name(lang) for v in municipality.villages) or "—"))
    print(_("Its hearings are handed in to the central server as this municipality's (pbtools sync pack, then "
            "hand in the folder)"))
    return 0


def run_card(args: argparse.Namespace) -> int:
    from pbtools.central.registry import Central
    from pbtools.paths import UnsafeName, file_in
    from pbtools.paths import central_dir
    from pbtools.storage.errors import StorageError
    from pbtools.sync.card import write_card

    lang = check_lang(args.lang)
    _ = translator(lang)
    try:
        out = Path(args.out) if args.out else file_in(Path.cwd(), f"{args.code}.pbtools-card.json")
    except UnsafeName as e:
        return fail(e.message.render(lang))
    try:
        with Central(args.db, central_dir()) as central:
            with central.workspace(args.code, create=False) as ws:
                municipality = ws.municipality()
    except StorageError as e:
        return fail(e.render(lang))  # type: ignore[attr-defined]
    if municipality is None:
        return fail(_("There is no municipality {code} on this server", code=args.code))
    write_card(municipality, args.code, out)
    print(_("The card of {name} (villages: {villages}) is written to {path}: copy it to the facilitator's laptop and "
            "run there: pbtools workspace init --from-card {file}", name=municipality.name(lang),
            villages=len(municipality.villages), path=str(out), file=out.name))
    return 0
