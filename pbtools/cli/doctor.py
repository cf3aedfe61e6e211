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
from pbtools.i18n import N_, check_lang, translator

# which engine counts when none is asked for (``auto``): in a word for ``--version``, then in full
SHORT = {True: N_("native, compiled"), False: N_("python, the compiled core was not built")}
NATIVE = N_("The compiled core counts (exact, in C with GMP), with the same outcomes as the Python engine:")
PYTHON = N_("The compiled core was not built here (no C compiler or no GMP when pbtools was installed): the Python engine "
            "counts, with the same outcomes, more slowly.")
# the compiled parts (pbtools/counting/native): module name -> what it does
PARTS = {"_pbnative": N_("the .pb reader and the merging of identical ballots"),
         "_mesnative": N_("the Method of Equal Shares and its completions"),
         "_rulesnative": N_("greedy and Phragmén")}


def version_line(lang: str) -> str:
    """``pbtools --version``: the version and, in a word, the counting engine."""
    from pbtools import __version__
    from pbtools.counting.native import BUILT

    _ = translator(lang)
    return _("pbtools {version} (counting engine: {engine})", version=__version__, engine=_(SHORT[BUILT]))


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
