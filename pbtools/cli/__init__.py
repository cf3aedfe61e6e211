"""The ``pbtools`` command. Each module in this package that defines ``register(subparsers)`` adds a command."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from pbtools import __version__
from pbtools.paths import default_workspace


def add_workspace_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        default=None,
        help=f"workspace folder (default: $PBTOOLS_WORKSPACE or {default_workspace()})",
    )
    parser.add_argument("--db", metavar="URL", default=None, help="database URL, e.g. postgresql://... (default: SQLite in the workspace)")


def add_lang_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("ky", "ru", "en"), default=None, help="language of messages (default: $PBTOOLS_LANG or en)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pbtools", description="Participatory budgeting and public budget hearings.")
    parser.add_argument("--version", action="version", version=f"pbtools {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
