import pytest

from pbtools.counting.native import BUILT


@pytest.fixture(params=["python", "native"])
def engine(request) -> str:
    """Every test taking ``engine`` runs on both engines; the native one must be built where a compiler is."""
    if request.param == "native" and not BUILT:
        pytest.skip("the compiled core was not built here (no C compiler at install time)")
    return request.param
