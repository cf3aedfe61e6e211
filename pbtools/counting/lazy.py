"""A sequence made when first read: what the compiled reader and compile keep instead of lists nobody may ask for,
and what a compiled MES count keeps instead of explanation steps most counts never show."""

from __future__ import annotations

from collections.abc import Sequence


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
        return isinstance(other, (list, tuple)) and self._items() == list(other)

    __hash__ = None

    def __repr__(self) -> str:
        return repr(self._items())


def joined(*parts: Sequence) -> Sequence:
    """The parts one after the other, read no sooner than they are: a tuple where none is a ``LazyList`` not yet
    made, else a ``LazyList`` of them (its length known without making it), or that part itself where the others
    are empty."""
    if not any(isinstance(p, LazyList) and p._list is None for p in parts):
        return tuple(x for p in parts for x in p)
    parts = tuple(p for p in parts if isinstance(p, LazyList) or p)  # (a LazyList is not asked its length)
    if len(parts) == 1:  # the one lazy part itself
        return parts[0]
    parts = tuple(p if isinstance(p, LazyList) else tuple(p) for p in parts)  # a list the caller still holds is copied
    return LazyList(lambda: [x for p in parts for x in p], lambda: sum(map(len, parts)))
