"""frozen.maker: a plain frozen dataclass's instances made without its __init__ are the dataclass's own; any other
class is made by itself (its __post_init__, slots or own __init__ would be skipped)."""

from dataclasses import FrozenInstanceError, dataclass, field

import pytest

from pbtools.counting.frozen import maker


@dataclass(frozen=True)
class Plain:
    a: int
    b: str = "x"
    c: dict = field(default_factory=dict)


def test_a_plain_frozen_dataclass_is_made_as_its_init_makes_it():
    make = maker(Plain)
    assert make is not Plain
    got, want = make(1, "y", {"k": 1}), Plain(1, "y", {"k": 1})
    assert got == want and repr(got) == repr(want) and list(vars(got).items()) == list(vars(want).items())
    with pytest.raises(TypeError):
        make(1)  # every field is given
    with pytest.raises(FrozenInstanceError):
        got.a = 2


@dataclass(frozen=True)
class Checked:
    a: int

    def __post_init__(self):
        if self.a < 0:
            raise ValueError("a")


@dataclass(frozen=True, slots=True)
class Slotted:
    a: int


@dataclass(frozen=True)
class OwnInit:
    a: int

    def __init__(self, a):
        object.__setattr__(self, "a", a * 2)


@dataclass
class Mutable:
    a: int


@pytest.mark.parametrize("cls", [Checked, Slotted, OwnInit, Mutable])
def test_any_other_class_is_made_by_itself(cls):
    assert maker(cls) is cls


@dataclass(frozen=True)
class Clashing:
    cls: int
    new: int
    instance: int
    fields: int


def test_field_names_do_not_clash_with_the_made_function():
    assert maker(Clashing)(1, 2, 3, 4) == Clashing(1, 2, 3, 4)
