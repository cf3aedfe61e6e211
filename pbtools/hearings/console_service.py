"""What the facilitator's console asks of a workspace, in one place: the screens (``widgets/console``) only wire
events to it and draw what it returns. It holds the rules the screens used to hold: which hearings the chooser
lists and which it opens on, which age groups a hearing takes, how a typed budget is read, the next question id and
option number, whether new records arrived (phones vote from another process). It returns plain data and raises
``HearingError`` (its problems say why in any language); it knows nothing of widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pbtools.budget.numbers import DASHES, NotANumber, parse_som
from pbtools.hearings.errors import HearingError
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import AGE_GROUPS, Hearing, label
from pbtools.hearings.store import HearingStore, hearing_ids, hearing_under_way, state
from pbtools.i18n import N_, Msg


@dataclass(frozen=True)
class ListedHearing:
    """One hearing as a chooser lists it."""

    id: str
    label: str  # "2026-05-12 · Title" in the reader's language (the type's name where it has no title)
    status: str
    has_questions: bool


@dataclass(frozen=True)
class HearingList:
    """The workspace's hearings (deleted ones left out), oldest first, and the one to open on."""

    items: tuple[ListedHearing, ...]
    ids: tuple[str, ...]  # in the ledger's order (by id): what a screen compares to see if the list changed
    under_way: str | None  # an open hearing, else a draft, else a closed one; the newest (``hearing_under_way``)
    to_show: str | None  # the same among those with questions (a board shows nothing of one without), if any has


def list_hearings(ws: Any, lang: str) -> HearingList:
    """The hearing chooser's list, as the console and the results board show it."""
    ids = hearing_ids(ws)
    states = sorted((state(ws, hearing_id) for hearing_id in ids), key=lambda st: (st.hearing.date, st.id))
    items = tuple(ListedHearing(st.id, f"{st.hearing.date} · {st.hearing.title_in(lang) or label(st.hearing.type, lang)}",
                                st.status, bool(st.questions)) for st in states)
    return HearingList(items, tuple(ids), hearing_under_way(states),
                       hearing_under_way([st for st in states if st.questions] or states))


def allowed_age_groups(hearing: Hearing | None) -> tuple[str, ...]:
    """The age groups a hearing registers and files ballots under: under 18 only where the hearing allows it."""
    allow = hearing is not None and hearing.allow_under_18
    return tuple(a for a in AGE_GROUPS if a != "under_18" or allow)


def parse_budget(text: str) -> Decimal:
    """The budget typed for a new hearing ("1 200 000", "1 200 000,50", "1200000 сом"), read by the one money
    parser (``pbtools.budget.numbers.parse_som``). Empty or a dash is no amount here: a budget must be typed."""
    try:
        amount = parse_som(text) if text.strip() not in DASHES else None
    except NotANumber:
        amount = None
    if amount is None:
        raise HearingError(Msg(N_("{value} is not an amount in som"), value=text))
    return amount


def next_question_id(st: HearingState) -> str:
    """The id of a hearing's next question: q1, q2, ... (the first one not taken)."""
    n = len(st.questions) + 1
    while f"q{n}" in st.questions:
        n += 1
    return f"q{n}"


def next_option_number(st: HearingState) -> int:
    """The number the next option on the agenda gets unless another is typed: one past the highest."""
    return max((o.number for o in st.options.values()), default=0) + 1


class ConsoleService:
    """The console's hold on one workspace and the hearing chosen in it. ``store`` and ``state`` are None until a
    hearing is chosen; ``state`` is the hearing as last folded (``refresh`` folds new records)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.store: HearingStore | None = None
        self.state: HearingState | None = None

    def hearings(self, lang: str) -> HearingList:
        return list_hearings(self.ws, lang)

    def choose(self, hearing_id: str | None) -> HearingState | None:
        """Work on ``hearing_id`` (None: no hearing); choosing the one already chosen reads nothing again."""
        if hearing_id is None:
            self.store, self.state = None, None
        elif self.store is None or self.store.id != hearing_id:
            self.store = HearingStore(self.ws, hearing_id)
            self.state = self.store.state
        return self.state

    def refresh(self) -> HearingState | None:
        """Fold the records stored since (by this console or another process)."""
        self.state = self.store.refresh() if self.store is not None else None
        return self.state

    def has_news(self) -> bool:
        """Whether records were stored since the state was folded (phones vote from the server's process)."""
        return self.store is not None and self.ws.ledger.head(self.store.stream) != self.state.seq

    def age_groups(self) -> tuple[str, ...]:
        return allowed_age_groups(self.state.hearing if self.state is not None else None)

    def next_question_id(self) -> str:
        return next_question_id(self.state)

    def next_option_number(self) -> int:
        return next_option_number(self.state)
