"""What this machine runs, said in the user's language: ``pbtools --version`` (``version_line``) and ``pbtools
doctor`` read it. Apart from ``doctor`` so that the command line's parser can name the engine without importing a
command module (which imports the parser's package back)."""

from __future__ import annotations

from pbtools.i18n import N_, translator

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
