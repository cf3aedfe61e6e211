"""The ``pbtools`` command. Each module in this package that defines ``register(subparsers)`` adds a command.

Every command module is imported to build ``pbtools --help``, so a command imports what it needs (SQLAlchemy, the
hearings' store, pandas, matplotlib, Voila) when it runs, not at the top of its module: measured, the console
service alone takes 0.44 s to import, and ``pbtools --help`` starts in 0.44 s in all.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from pbtools.paths import default_workspace


def add_workspace_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        default=None,
        help=f"workspace folder (default: $PBTOOLS_WORKSPACE or {default_workspace()})",
    )
    parser.add_argument("--db", metavar="URL", default=None, help="database URL, e.g. postgresql://... (default: SQLite in the workspace)")


def workspace_folder(args: argparse.Namespace) -> Path:
    """The folder named by --workspace, else the default one."""
    return Path(args.workspace).expanduser() if args.workspace else default_workspace()


def open_existing(args: argparse.Namespace, lang: str):
    """(workspace, None), or (None, why it cannot be opened, in ``lang``). Never creates a workspace."""
    from pbtools.storage import WorkspaceError, open_workspace

    try:
        return open_workspace(workspace_folder(args), db_url=args.db, create=False), None
    except WorkspaceError as exc:
        return None, exc.render(lang)


def hearing_id(value: str) -> str:
    """The argparse type of every hearing id a command is given: refused (exit 2, the reason in $PBTOOLS_LANG) unless
    it is an id pbtools makes (``hearings.records.HEARING_ID_PATTERN``), before any file is named after it."""
    from pbtools.hearings.records import check_hearing_id
    from pbtools.i18n import default_lang

    problems = check_hearing_id(value)
    if problems:
        raise argparse.ArgumentTypeError(problems[0].render(default_lang()))
    return value


def fail(text: str) -> int:
    """Print why a command cannot go on, and the exit status for it."""
    print(text, file=sys.stderr)
    return 2


def add_lang_argument(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a subcommand's parser must not overwrite a --lang given before the subcommand with its default;
    # the top-level parser sets the default (None) once
    parser.add_argument("--lang", choices=("ky", "ru", "en"), default=argparse.SUPPRESS, help="language of messages (default: $PBTOOLS_LANG or en)")


def _subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases map to the same parser
                yield child
                yield from _subparsers(child)


def _accept_lang_everywhere(parser: argparse.ArgumentParser) -> None:
    """``--lang`` before or after any (sub)command: ``pbtools --lang ky budget check F`` = ``pbtools budget check F --lang ky``."""
    parser.add_argument("--lang", choices=("ky", "ru", "en"), default=None, help="language of messages (default: $PBTOOLS_LANG or en)")
    for child in _subparsers(parser):
        if "--lang" not in child._option_string_actions:
            add_lang_argument(child)


def _lang_in(argv: list[str]) -> str:
    """The last ``--lang`` given anywhere on the command line (as argparse takes it), else the default: ``--version``
    prints while the line is read, before a ``--lang`` after it is."""
    from pbtools.i18n import LANGS, default_lang

    found = default_lang()
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.partition("=")[2] if arg.startswith("--lang=") else None
        found = value if value in LANGS else found
    return found


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pbtools", description="Participatory budgeting and public budget hearings.")
    from pbtools.cli.about import version_line

    parser.add_argument("--version", action="version", version=version_line(lang or _lang_in([])))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(sub)
    _accept_lang_everywhere(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(_lang_in(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
