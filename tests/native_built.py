"""The one check that the compiled core is built, for every test folder that needs it."""

import os

import pytest

from pbtools.counting import native


def require_native() -> None:
    """Native must be built (a C compiler and GMP, scripts/system-deps.sh --build): where it was not, this fails,
    unless PBTOOLS_NO_NATIVE=1 says the machine has no compiler on purpose (then it skips)."""
    if not native.BUILT:
        if os.environ.get("PBTOOLS_NO_NATIVE") == "1":
            pytest.skip("PBTOOLS_NO_NATIVE=1: the compiled core is not built on this machine")
        pytest.fail("the compiled core is not built: `python setup.py build_ext --inplace` (or set PBTOOLS_NO_NATIVE=1)")
