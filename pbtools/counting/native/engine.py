"""The bridge from the compiled MES engine (``_mesnative``, C with GMP rationals) to the Python explanation.

``mes_native(c, tie, ...)`` takes the arguments of ``pbtools.counting.rules.mes.mes`` and returns the same
``Outcome``: the Add1 loop is the Python one (the same steps, the same early stop), each run is counted in C, and the
final run's purchases are handed to the Python explanation builder (``mes._Explainer``) exactly as the Python engine
hands them over (same project, round, price, budget classes, payments and ties), so the ``Step``s and ``Tie``s are
the same objects whichever engine counted (its ties at once, its steps when they are first read). Only
``options["runs"]`` may differ: the C engine finds the next step that may change the outcome with exact bounds, the
Python one with float bounds that can be lower (more runs).

``available(limits)`` says whether the compiled engine can count: it was built, and the count has no sector caps
(those stay with the Python engine).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from gmpy2 import mpq

from pbtools.counting.profile import Compiled
from pbtools.counting.rules import Limits, NoRoomLeft, Outcome, mes_candidates
from pbtools.counting.rules.mes import mes
from pbtools.counting.ties import TieRule

from pbtools.counting.native import BUILT, _mesnative


def available(limits: Limits | None) -> bool:
    return BUILT and not limits


class _Shape:
    """What ``mes._Explainer`` reads of an engine: supporter groups and utility indices per project (``sg``, ``su``:
    arrays, made when first asked). ``arrays()``: every project's supporters as the compiled engine takes them (CSR
    buffers: from a compact read the compiled arrays themselves, nothing copied in Python)."""

    def __init__(self, c: Compiled, candidates: list[int]) -> None:
        self.c = c
        self.candidates = candidates
        self.by_cost = c.score_kind == "support"
        if self.by_cost:  # Cost_Sat: one utility value (the cost, index 0)
            self.uvals, self.uindex, self.width = _ONE, _ONE_INDEX, 1
        if c.arrays is not None:  # compiled from a compact read: no Python list per group
            self._from_arrays(c.arrays)
            return
        if not self.by_cost:
            self.uvals = sorted({mpq(u) for _, _, us in c.groups for u in us})
            self.uindex = {u: i for i, u in enumerate(self.uvals)}
            self.width = len(self.uvals)
        m = len(c.ids)
        is_cand = [False] * m
        for p in candidates:
            is_cand[p] = True
        sup_g: list[list[int]] = [[] for _ in range(m)]
        sup_u: list[list[int]] | None = None
        if self.by_cost:
            for p in candidates:
                sup_g[p] = c.supporters[p]
        else:
            sup_u = [[] for _ in range(m)]
            index = self.uindex
            for g, (_, ps, us) in enumerate(c.groups):
                for p, u in zip(ps, us):
                    if u > 0 and is_cand[p]:
                        sup_g[p].append(g)
                        sup_u[p].append(index[mpq(u)])
        off = np.zeros(m + 1, dtype=np.int64)
        off[1:] = np.cumsum([len(g) for g in sup_g])
        flat = [g for gs in sup_g for g in gs]
        self._arrays = (off, np.array(flat, dtype=np.int32),
                        None if sup_u is None else np.array([u for us in sup_u for u in us], dtype=np.int64))
        self.sg = _Lazy(lambda p: np.array(sup_g[p], dtype=np.int64))
        self.su = _Lazy(lambda p: np.array(sup_u[p] if sup_u else [0] * len(sup_g[p]), dtype=np.int64))

    def _from_arrays(self, a) -> None:
        index = None
        if not self.by_cost:
            values = np.unique(a.g_util)  # every utility, as the Python shape takes them (sorted, distinct)
            self.uvals = [mpq(u) for u in values.tolist()]
            index = np.searchsorted(values, a.s_util).astype(np.int64, copy=False)
            self.uindex = {u: i for i, u in enumerate(self.uvals)}
            self.width = len(self.uvals)
        # compile_cells' own bytes (no numpy array made for a count); also the explanation's per-project arrays,
        # made from them when it first reads them (a count shown without who paid never does)
        buffers = a.buffers
        self._arrays = buffers[7], buffers[8], index

    @cached_property
    def _off(self) -> list[int]:
        off = self._arrays[0]
        return off.tolist() if isinstance(off, np.ndarray) else memoryview(off).cast("q").tolist()

    @cached_property
    def sg(self) -> "_Lazy":
        grp, off = self._arrays[1], self._off
        if not isinstance(grp, np.ndarray):
            grp = np.frombuffer(grp, np.int32)
        return _Lazy(lambda p: grp[off[p]:off[p + 1]].astype(np.int64))

    @cached_property
    def su(self) -> "_Lazy":
        off, index = self._off, self._arrays[2]
        return _Lazy(lambda p: (index[off[p]:off[p + 1]] if index is not None else np.zeros(off[p + 1] - off[p], dtype=np.int64)).astype(np.int64))

    def arrays(self) -> tuple:
        """Every project's supporting groups (CSR: offsets int64, groups int32, as arrays or their bytes) and, under
        points, each entry's utility index (int64; None under Cost_Sat). The compiled engine keeps the candidates'
        only."""
        return self._arrays

    def utilities(self, p: int) -> list:
        if self.by_cost:
            return [self.c.costs[p]] * len(self.sg[p])
        return [self.uvals[i] for i in self.su[p].tolist()]

    def utility(self, p: int, ui: int):
        return self.c.costs[p] if self.by_cost else self.uvals[ui]


_ONE, _ONE_INDEX = (1,), {1: 0}  # Cost_Sat's utility values (the cost: index 0) and their index; only read


class _Lazy(dict):
    def __init__(self, make) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, p):
        self[p] = value = self._make(p)
        return value


class NativeMES:
    def __init__(self, c: Compiled, tie: TieRule, eligible: set[int] | None, refused=None) -> None:
        """``refused()``: the error to raise where memory runs out in a run made when its explanation is first read
        (None: the MemoryError itself)."""
        self.c, self.refused = c, refused
        self.initial, self.candidates = mes_candidates(c, eligible)
        self.exhaustive = NoRoomLeft(c, self.candidates)  # (selected) -> bool: nothing left fits (no method between)
        self.shape = _Shape(c, self.candidates)
        self._everything = len(self.initial) + len(self.candidates)
        ranks = tie.ranks(c.ids, c.costs, c.support)
        s = self.shape
        off, groups, uis = s.arrays()
        self.engine = _mesnative.Engine(
            c.arrays.buffers[0] if c.arrays is not None else np.array([g[0] for g in c.groups], dtype=np.int64),
            off,
            groups,
            uis,
            None if s.by_cost else [str(u) for u in s.uvals],
            c.costs,
            ranks,
            self.candidates,
            self.initial,
        )

    def run(self, t, track: bool = False):
        selected, tstar, _ = self.engine.run(str(t), track)
        return selected, (None if tstar is None else mpq(tstar))

    def certify(self, ta, tb, den: int = 1) -> list[int] | None:
        """The outcome every start budget in [ta/den, tb/den] surely gives (``mes_certify.c``), or None where the float
        screen cannot tell; never one that buys every candidate (only a run says that nothing later changes: t*
        None). ta, tb: rationals, or integers over ``den`` (the Add1 search's: int / int is rounded to the nearest
        float as float(mpq) is, without making the rationals)."""
        try:
            ta, tb = (float(ta), float(tb)) if den == 1 else (ta / den, tb / den)
        except OverflowError:  # budgets past a float's range: counted, never certified
            return None
        selected = self.engine.certify(ta, tb)
        if selected is None or len(selected) == self._everything:
            return None
        return selected

    def explained(self, t, explain, selected: list[int] | None = None) -> list[int]:
        """The run at t: its ties told to ``explain.tie``, its steps made when first read (``explain.later``), each
        purchase handed to ``explain.buy`` as the Python engine hands it, its paying entries as ``Entries`` (arrays:
        the Python engine's set of (class, utility) pairs and the amounts are made if asked for; no array of every
        group's class, ``cls`` None: ``Entries.classes`` has the supporters').

        ``selected``: the outcome at t, known from the Add1 search. The run is then made only when its ties or
        steps are first read (``explain.later_ties``; a count nobody explains never makes it), and checked to
        select that; without it (plain MES: the one run) it is made now and its ties told at once."""
        first = len(self.initial) + 1  # the round of the first purchase
        shape, buy = self.shape, explain.buy  # (not self: the engine's memory is not kept for the steps)
        if selected is None:
            selected, _, purchases = self.engine.run(str(t), False, True)
            for i, purchase in enumerate(purchases):
                explain.tie(first + i, purchase[1])
            if purchases:
                explain.later(lambda: _steps(shape, t, first, purchases, buy), len(purchases))
            return selected
        self.engine.release()  # the search is over: its kept run and certifier go (the engine waits for the final run)
        final = _FinalRun(self.engine, t, selected, self.refused)
        explain.later_ties(lambda: [(first + i, purchase[1]) for i, purchase in enumerate(final.purchases())])
        if len(selected) > len(self.initial):  # one purchase a round after the free projects
            explain.later(lambda: _steps(shape, t, first, final.purchases(), buy), len(selected) - len(self.initial))
        return list(selected)


class _FinalRun:
    """The explained run at the final Add1 step, counted when first asked (by its ties or its steps), once; the
    engine is let go once it is counted. It must select what the search found there. Memory running out raises
    ``refused()`` (count's CountError, as a count that runs out of memory does), and the next read counts again."""

    def __init__(self, engine, t, selected: list[int], refused=None) -> None:
        self._engine, self._t, self._selected, self._purchases, self._refused = engine, t, selected, None, refused

    def purchases(self) -> list:
        engine = self._engine
        if engine is None:  # counted (by another thread too: _purchases is set before _engine is cleared)
            return self._purchases
        try:
            selected, _, purchases = engine.run(str(self._t), False, True)
        except MemoryError:
            if self._refused is None:
                raise
            raise self._refused() from None
        if selected != self._selected:
            raise RuntimeError(f"the final run selected {selected}, the Add1 search {self._selected}")
        self._purchases, self._engine = purchases, None
        return purchases


def _steps(shape: _Shape, t, first: int, purchases: list, buy) -> list:
    """The steps of the explained run at t, from its purchases as the compiled engine reports them (data only: bytes
    and numbers), the first in round ``first``."""
    values = ClassValues(mpq(t), shape)
    steps = []
    for i, (p, _, rho, highest, classes, keys, poor, made, weights) in enumerate(purchases):
        rho = mpq(rho)
        values.add(made, p, rho)
        entries = Entries(shape, p, rho, classes, keys, poor, values, weights)
        steps.append(buy(p, first + i, entries.payments, entries, rho, None, mpq(highest)))
    return steps


class ClassValues:
    """The exact budget each class of the explained run holds: a class is made at purchase j from its parent,
    which paid ρ_j·u; its value is the parent's minus that (class 0: the start budget t; class 1: those with
    nothing left). Worked out when a payment list is first read, each class once."""

    def __init__(self, t, shape: _Shape) -> None:
        self.shape = shape
        self.values: list = [t, mpq(0)]
        self.made: list[bytes] = []  # per purchase, the rows (parent, purchase, utility index) of the classes made before it
        self.rows: list | None = None
        self.paid: list[tuple[int, object]] = []  # per purchase: (project, ρ)

    def add(self, made: tuple[int, bytes], p: int, rho) -> None:
        """The classes made by the purchase before this one (numbered from ``first``), then this purchase."""
        first, rows = made
        assert first == len(self.values), (first, len(self.values))
        self.made.append(rows)
        self.values.extend([None] * (len(rows) // 12))
        self.paid.append((p, rho))

    def __getitem__(self, k: int):
        values = self.values
        if self.rows is None:
            self.rows = [(0, 0, 0), (1, 0, 0)] + np.frombuffer(b"".join(self.made), dtype=np.int32).reshape(-1, 3).tolist()
        chain = []
        while values[k] is None:
            chain.append(k)
            k = self.rows[k][0]
        for c in reversed(chain):
            parent, j, ui = self.rows[c]
            p, rho = self.paid[j]
            values[c] = values[parent] - rho * self.shape.utility(p, ui)
        return values[chain[0]] if chain else values[k]


class Entries:
    """A purchase's paying entries from the compiled run: each supporter group's class before it paid
    (``classes``), each entry's class ``k`` and utility index ``ui``, and whether it paid all it had (``poor``), as
    arrays; ``weights``: the weight of all supporters, of those with nothing left, of those who paid all else they had.
    As a container it is the Python engine's set of the (class, utility) pairs that paid all they had (made when
    first asked); ``payments()`` lists (class, utility, amount) as the Python engine does."""

    def __init__(self, shape: _Shape, p: int, rho, classes: bytes, keys: bytes, poor: bytes, values: ClassValues,
                 weights: tuple[int, int, int]) -> None:
        self.shape, self.p, self.rho, self.values, self.weights = shape, p, rho, values, weights
        self._classes, self._keys, self._poor, self._set = classes, keys, poor, None

    @property
    def classes(self) -> np.ndarray:
        """Each supporter group's class before it paid (in supporter order)."""
        return np.frombuffer(self._classes, dtype=np.int32)

    @property
    def k(self) -> np.ndarray:
        return np.frombuffer(self._keys, dtype=np.int32)[0::2]

    @property
    def ui(self) -> np.ndarray:
        return np.frombuffer(self._keys, dtype=np.int32)[1::2]

    @property
    def poor(self) -> np.ndarray:
        return np.frombuffer(self._poor, dtype=np.bool_)

    def key(self) -> np.ndarray:
        """Each entry's key as the explanation numbers them (class · width + utility index)."""
        return self.k.astype(np.int64) * self.shape.width + self.ui

    def payments(self) -> list:
        s, p, rho, values = self.shape, self.p, self.rho, self.values
        out = []
        for k, ui, poor in zip(self.k.tolist(), self.ui.tolist(), self.poor.tolist()):
            u = s.utility(p, ui)
            out.append((k, u, values[k] if poor else rho * u))
        return out

    def _pairs(self) -> set:
        if self._set is None:
            s, p = self.shape, self.p
            self._set = {(k, s.utility(p, ui)) for k, ui, poor in zip(self.k.tolist(), self.ui.tolist(), self.poor.tolist()) if poor}
        return self._set

    def __contains__(self, pair) -> bool:
        return pair in self._pairs()

    def __iter__(self):
        return iter(self._pairs())

    def __len__(self) -> int:
        return len(self._pairs())


def mes_native(
    c: Compiled,
    tie: TieRule,
    *,
    increment: int | None = None,
    eligible: set[int] | None = None,
    integral_start: bool = False,
    stop_when_exhaustive: bool = True,
    progress=None,
    refused=None,
) -> Outcome:
    """``rules.mes.mes`` counted by the compiled engine (no sector caps: see ``available``). ``refused()``: the error
    to raise where memory runs out in its final Add1 run, made when the explanation is first read."""
    return mes(c, tie, increment=increment, eligible=eligible, integral_start=integral_start,
               stop_when_exhaustive=stop_when_exhaustive, progress=progress, counter=NativeMES(c, tie, eligible, refused))
