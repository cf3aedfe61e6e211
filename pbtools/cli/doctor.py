"""pbtools doctor [--lang ky|ru|en]

Says what this machine runs, in the user's language: the pbtools version, Python, and which counting engine counts
(the compiled core, or the Python engine where it was not built, with each compiled part and what it does). Both
engines give the same outcomes; the compiled one is many times faster on large elections. ``pbtools --version``
names the engine in one line.
"""

from __future__ import annotations

import argparse
import platform

from pbtools.cli import add_lang_argument
from pbtools.cli.about import NATIVE, PARTS, PYTHON, SHORT
from pbtools.i18n import check_lang, translator

def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="say what this machine runs: pbtools version, Python, and which counting engine counts")
    add_lang_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pbtools import __version__
    from pbtools.counting import native

    lang = check_lang(args.lang)
    _ = translator(lang)
    print(f"pbtools {__version__}")
    print(_("Python {version}", version=platform.python_version()))
    print(_("Counting engine: {engine}", engine=_(SHORT[native.BUILT])))
    print(_(NATIVE if native.BUILT else PYTHON))
    for name, what in PARTS.items():
        built = getattr(native, name) is not None
        print("  " + (_("built: {part}", part=_(what)) if built else _("not built: {part}", part=_(what))))
    if not native.BUILT:
        print(_("To build the compiled core: install a C compiler and GMP (scripts/system-deps.sh --build), then install pbtools again."))
    return 0
