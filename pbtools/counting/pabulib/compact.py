"""The VOTES of a ``.pb`` file as the compiled reader keeps them: arrays, no Python object per voter.

``CompactVotes``: the distinct (choice, points) pairs (``cells``) and voter mappings (``voters``) in order of first
use; per voter the index of its pair and of its mapping (int32 arrays), and its voter id (UTF-8 bytes and offsets).
``compile_election`` merges identical ballots from these directly (``_pbnative.compile_cells``).

``LazyBallots``: the ``Election.ballots`` of a file read this way. A read-only sequence of ``Ballot``s, made when
something first asks for one (its length is known without them); equal to the list the Python reader makes.
"""

from __future__ import annotations

import numpy as np

from pbtools.counting.lazy import LazyList
from pbtools.counting.model import Ballot

# dtypes made once, passed by position: np.frombuffer given dtype=np.int32 makes its dtype at every call (0.46 against
# 0.25 us for a small array); profile.py reads the compiled arrays with them too
I32, I64 = np.dtype(np.int32), np.dtype(np.int64)


class CompactVotes:
    __slots__ = ("cells", "cell_of_bytes", "_cell_of", "n", "_make_voter", "_voter_cells", "_voter_cells_off",
                 "_voter_of_bytes", "_voter_of", "_ids", "_ids_off", "_voters", "__weakref__")  # slots: a tiny file's read is mostly set-up

    def __init__(self, make_voter, cells: list, cell_of: bytes, voter_cells: bytes, voter_cells_off: bytes,
                 voter_of: bytes, ids: bytes, ids_off: bytes) -> None:
        self.cells, self._make_voter = cells, make_voter
        # each voter's cell as bytes (what compile_cells reads), the array made when asked (a count reads none: on a
        # small file, numpy's code fetched again after the machine idled costs more than the read)
        self.cell_of_bytes, self._cell_of = cell_of, None
        self.n = len(cell_of) >> 2
        self._voter_cells, self._voter_cells_off, self._voters = voter_cells, voter_cells_off, None
        # arrays made when asked (a count may not)
        self._voter_of_bytes, self._voter_of, self._ids, self._ids_off = voter_of, None, ids, ids_off

    @property
    def cell_of(self) -> np.ndarray:
        """voter -> the index of its (choice, points) cell (int32)."""
        if self._cell_of is None:
            self._cell_of = np.frombuffer(self.cell_of_bytes, I32)
        return self._cell_of

    @property
    def voter_of(self) -> np.ndarray:
        if self._voter_of is None:
            self._voter_of = np.frombuffer(self._voter_of_bytes, I32)
        return self._voter_of

    @property
    def voters(self) -> list:
        """The distinct voter mappings (the reader's ``make_voter`` of each distinct combination of other cells)."""
        if self._voters is None:
            blob, voters = self._voter_cells, []
            off = np.frombuffer(self._voter_cells_off, I64).tolist()
            for a, b in zip(off, off[1:]):
                cells = []
                while a < b:  # each cell: its length (LEB128: 7 bits a byte, low first) then its UTF-8 bytes
                    n = shift = 0
                    while blob[a] & 0x80:
                        n |= (blob[a] & 0x7F) << shift
                        shift += 7
                        a += 1
                    n |= blob[a] << shift
                    cells.append(blob[a + 1:a + 1 + n].decode("utf-8"))
                    a += 1 + n
                voters.append(self._make_voter(tuple(cells)))
            self._voters = voters
        return self._voters

    def voter_ids(self) -> list[str]:
        blob, off = self._ids, np.frombuffer(self._ids_off, I64).tolist()
        if blob.isascii():  # one decode, then slices of the string
            text = blob.decode("ascii")
            return [text[a:b] for a, b in zip(off, off[1:])]
        return [blob[a:b].decode("utf-8") for a, b in zip(off, off[1:])]

    def ballots(self) -> list[Ballot]:
        cells, voters = self.cells, self.voters
        return [Ballot(cells[c][0], cells[c][1], voters[v], vid)
                for c, v, vid in zip(self.cell_of.tolist(), self.voter_of.tolist(), self.voter_ids())]


class LazyBallots(LazyList):
    """``Election.ballots`` of a compact read: made on first use, then a plain list inside; ``compact`` is what the
    counts and tallies read instead."""

    def __init__(self, compact: CompactVotes) -> None:
        super().__init__(compact.ballots, compact.n)
        self.compact = compact

    def __repr__(self) -> str:
        return f"LazyBallots({self.compact.n} ballots)"
