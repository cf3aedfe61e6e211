"""A sequence made when first read: what the compiled reader and compile keep instead of lists nobody may ask for."""

from __future__ import annotations

from collections.abc import Sequence


class LazyList(Sequence):
    """A list made when first read (``Compiled.groups``/``supporters``/``members`` of a compact compile, the ballots of
    a compact read): a known length (or a function giving it) needs no list."""

    def __init__(self, make, length=None) -> None:
        self._make, self._list, self._length = make, None, length  # a known length (or a function giving it) needs no list

    def _items(self) -> list:
        if self._list is None:
            self._list, self._make = self._make(), None
        return self._list

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
