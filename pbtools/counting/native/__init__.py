"""The compiled counting core, when it was built (``setup.py`` builds it if a C compiler, and GMP, are there).

Four extensions: ``_pbnative`` reads a ``.pb`` file (its bytes: the UTF-8 check, the rows of every section as
csv would give them, VOTES into arrays) and merges identical ballots from them,
``_mesnative`` counts MES and its Add1 completions in exact GMP rationals (``engine.py`` hands its outcome to the
Python explanation), ``_rulesnative`` counts greedy and Phragmén (GMP rationals) over the compiled arrays, their
outcome explained by the rules' Python builders, and ``_gmp_oom`` turns GMP running out of memory into a
MemoryError for the two that use GMP (they do not load without it). ``native`` means all of them.

``ENGINES``: ``auto`` (native when built), ``native``, ``python``. ``resolve(engine)`` -> ``"native"`` or
``"python"``; asking for ``native`` where it was not built raises ``EngineError``. ``describe()`` says which engine
``auto`` uses, for ``pbtools --version``.
"""

from __future__ import annotations

try:
    from pbtools.counting.native import _pbnative
except ImportError:  # not built (no compiler at install time): the Python engine counts alone
    _pbnative = None
try:
    from pbtools.counting.native import _mesnative
except ImportError:  # not built (no compiler or no GMP at install time)
    _mesnative = None

try:
    from pbtools.counting.native import _rulesnative
except ImportError:  # not built (no compiler or no GMP at install time)
    _rulesnative = None

ENGINES = ("auto", "native", "python")
BUILT = _pbnative is not None and _mesnative is not None and _rulesnative is not None


class EngineError(ValueError):
    pass


# What ``count`` and ``read_pb`` use when not told: ``auto`` everywhere (the tests set it to count every case on
# both engines).
DEFAULT = "auto"


def resolve(engine: str | None = "auto") -> str:
    engine = DEFAULT if engine is None else engine
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if engine == "native" and not BUILT:
        raise EngineError("the native engine was not built (no C compiler or no GMP when pbtools was installed)")
    return "native" if engine != "python" and BUILT else "python"


def describe() -> str:
    if BUILT:
        return "native (compiled .pb reader and ballot merging; greedy, Phragmén and exact MES/Add1 in C with GMP)"
    return "python (the compiled core was not built)"
