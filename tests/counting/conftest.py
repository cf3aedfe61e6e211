import pytest

from pbtools.counting import native
from tests.native_built import require_native


@pytest.fixture(autouse=True, params=["python", "native"])
def counting_engine(request, monkeypatch) -> str:
    """Every counting test runs on both engines: ``count`` and ``read_pb`` use this one unless told otherwise (the
    native runs need the compiled core: require_native)."""
    if request.param == "native":
        require_native()
    monkeypatch.setattr(native, "DEFAULT", request.param)
    return request.param


@pytest.fixture
def native_built() -> None:
    """For the tests of the compiled core itself, whichever engine they run on (a module's
    ``pytestmark = pytest.mark.usefixtures("native_built")``): require_native."""
    require_native()


@pytest.fixture
def engine(counting_engine) -> str:
    """The engine of this run, for tests that pass it explicitly."""
    return counting_engine
