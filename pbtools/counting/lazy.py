"""A sequence made when first read: what the compiled reader and compile keep instead of lists nobody may ask for,
and what a compiled MES count keeps instead of explanation steps most counts never show."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain


class LazyList(Sequence):
    """A list made when first read (``Compiled.groups``/``supporters``/``members`` of a compact compile, the ballots of
    a compact read, the steps of a compiled MES count): a known length (or a function giving it) needs no list. Equal
    to a list or tuple with the same items (a count's steps made at once compare equal to its steps made later)."""

    def __init__(self, make, length=None) -> None:
        self._make, self._list, self._length = make, None, length  # a known length (or a function giving it) needs no list

    def _items(self) -> list:
        items = self._list
        if items is None:
            make = self._make
            if make is None:  # another thread made it since: _list is set before _make is cleared
                return self._list
            items = make()  # (two threads reading it at once both make it: the same items)
            self._list = items
            self._make = None
        return items

    def __len__(self) -> int:
        if self._length is not None and self._list is None:
            return self._length() if callable(self._length) else self._length
        return len(self._items())

    def __getitem__(self, i):
        return self._items()[i]

    def __iter__(self):
        return iter(self._items())

    def __eq__(self, other) -> bool:
        if isinstance(other, LazyList):
            other = other._items()
        items = self._items()
        return isinstance(other, (list, tuple)) and (items == other if type(items) is type(other) else list(items) == list(other))

    __hash__ = None

    def __repr__(self) -> str:
        return repr(self._items())


class LazyTuple(LazyList):
    """A tuple made when first read: a count's steps (``Result.steps``, a tuple when made at once), which read as one:
    a slice is a tuple, a tuple can be added to it, its repr is a tuple's."""

    def __init__(self, make, length=None) -> None:
        super().__init__(lambda: tuple(make()), length)

    def __add__(self, other):
        return self._items() + other if isinstance(other, tuple) else NotImplemented

    def __radd__(self, other):
        return other + self._items() if isinstance(other, tuple) else NotImplemented


def mapped(items: Sequence, function) -> Sequence:
    """``function`` of each item: a tuple, or a ``LazyTuple`` made when first read where ``items`` is one not yet made."""
    if type(items) is LazyTuple and items._list is None:
        return LazyTuple(lambda: map(function, items), items.__len__)
    return tuple(map(function, items))


def joined(*parts: Sequence) -> Sequence:
    """The parts one after the other, read no sooner than they are: a tuple where none is a ``LazyList`` not yet
    made, else a ``LazyList`` of them (its length known without making it), or that part itself where the others
    are empty."""
    # (type(p) is LazyTuple, not isinstance: an abstract base class's check is slow, and LazyTuple has no subclass)
    last = parts[-1] if parts else ()
    if type(last) is LazyTuple and last._list is None and all(type(p) is not LazyTuple and not p for p in parts[:-1]):
        return last  # (a count's steps, nothing before them: the common case, without the lists below)
    waiting = [p for p in parts if type(p) is LazyTuple and p._list is None]
    if not waiting:
        return tuple(chain.from_iterable(parts))
    if len(waiting) == 1 and all(p is waiting[0] or (type(p) is not LazyTuple and not p) for p in parts):
        return waiting[0]  # the one lazy part itself (a compiled MES count's steps, no step before them)
    parts = tuple(p if type(p) is LazyTuple else tuple(p) for p in parts)  # a list the caller still holds is copied
    return LazyTuple(lambda: chain.from_iterable(parts), lambda: sum(map(len, parts)))
