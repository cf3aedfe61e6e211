import os

import pytest

from pbtools.counting import native


@pytest.fixture(autouse=True, params=["python", "native"])
def counting_engine(request, monkeypatch) -> str:
    """Every counting test runs on both engines: ``count`` and ``read_pb`` use this one unless told otherwise.

    Native must be built (a C compiler and GMP, scripts/system-deps.sh --build): where it was not, this fails,
    unless PBTOOLS_NO_NATIVE=1 says the machine has no compiler on purpose (then the native runs are skipped)."""
    if request.param == "native" and not native.BUILT:
        if os.environ.get("PBTOOLS_NO_NATIVE") == "1":
            pytest.skip("PBTOOLS_NO_NATIVE=1: the compiled core is not built on this machine")
        pytest.fail("the compiled core is not built: `python setup.py build_ext --inplace` (or set PBTOOLS_NO_NATIVE=1)")
    monkeypatch.setattr(native, "DEFAULT", request.param)
    return request.param


@pytest.fixture
def engine(counting_engine) -> str:
    """The engine of this run, for tests that pass it explicitly."""
    return counting_engine
