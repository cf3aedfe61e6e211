"""The compiled counting core, when it was built (``setup.py`` builds it if a C compiler is there).

``ENGINES``: ``auto`` (native when built), ``native``, ``python``. ``resolve(engine)`` -> ``"native"`` or
``"python"``; asking for ``native`` where it was not built raises ``EngineError``. ``describe()`` says which engine
``auto`` uses, for ``pbtools --version``.
"""

from __future__ import annotations

try:
    from pbtools.counting.native import _pbnative
except ImportError:  # not built (no compiler at install time): the Python engine counts alone
    _pbnative = None

ENGINES = ("auto", "native", "python")
BUILT = _pbnative is not None


class EngineError(ValueError):
    pass


def resolve(engine: str = "auto") -> str:
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if engine == "native" and not BUILT:
        raise EngineError("the native engine was not built (no C compiler when pbtools was installed)")
    return "native" if engine != "python" and BUILT else "python"


def describe() -> str:
    if BUILT:
        return "native (compiled .pb reader) + Python counting rules"
    return "python (the compiled core was not built)"
