"""Instances of a plain frozen dataclass made without its ``__init__``, which sets each field through
``object.__setattr__`` (2 µs a ``Project``, against 0.7 µs filled): the reader makes a Project per row and a count of
identical ballots a ``Tie`` per round, twice.

``maker(cls)`` gives ``make(*values)``, every field given in order, the same instance as ``cls(*values)``; or ``cls`` itself
where that would not hold (a ``__post_init__``, slots, its own ``__new__`` or ``__init__``). Tested against the
dataclass's own instances (tests/counting: the projects read, the ties recorded).
"""

from __future__ import annotations

from dataclasses import fields


def maker(cls):
    names = tuple(f.name for f in fields(cls))
    plain = (cls.__dataclass_params__.frozen and cls.__new__ is object.__new__ and "__slots__" not in vars(cls)
             and not hasattr(cls, "__post_init__")
             # the __init__ dataclass wrote (made by exec: no file), not one of the class's own
             and getattr(getattr(cls.__init__, "__code__", None), "co_filename", None) == "<string>")
    if not plain:
        return cls
    # written out as dataclasses write __init__ (one assignment per field: a loop over zip took twice as long)
    if any(name.startswith("frozen_") for name in names):  # the function's own names below
        return cls
    body = "".join(f"    frozen_fields[{name!r}] = {name}\n" for name in names)
    source = (f"def make({', '.join(names)}):\n    frozen_instance = frozen_new(frozen_cls)\n"
              f"    frozen_fields = frozen_instance.__dict__\n{body}    return frozen_instance\n")
    space = {"frozen_new": object.__new__, "frozen_cls": cls}
    exec(source, space)  # noqa: S102 (the source is made of the dataclass's own field names)
    return space["make"]
