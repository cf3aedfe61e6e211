"""The steps of a count's explanation, one class per kind of step, each with its figures typed.

Every step names its ``project`` (None for a step about no one option) and carries its ``message`` (a ``Msg``, said
in ky/ru/en); the figures are exact (``Decimal`` amounts in the election's currency, ``Fraction`` where a share is
not a whole amount). A screen draws from the fields (``isinstance(step, Buy)``, ``step.price``); ``kind`` names the
class in words for JSON and comparisons, and ``data`` gives the figures as a dict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from pbtools.i18n import Msg

Number = Decimal | Fraction | int


class LazyMsg(Msg):
    """A step's message made when first read (``make(*args)``, a ``Msg`` rendered as ``Msg`` renders): a count
    makes one per step and most are never shown (a step's amounts in words cost more than the step's figures).
    Once read it is that message: the same ``msgid``, ``params`` and text."""

    def __init__(self, make, *args) -> None:
        self.__dict__["_make"] = (make, args)

    def __getattr__(self, name: str):
        fields = self.__dict__
        if name not in ("msgid", "params"):
            raise AttributeError(name)
        made = fields.get("_make")
        if made is None:  # another thread made it between this lookup and the one that failed
            return fields[name]
        msg = made[0](*made[1])  # (two threads reading it at once both make it: the same message)
        if type(msg).render is not Msg.render:  # the text must be made by Msg.render from msgid and params
            raise TypeError(f"a step's message must render as Msg does, not as {type(msg).__name__}")
        fields["msgid"], fields["params"] = msg.msgid, msg.params
        fields.pop("_make", None)
        return fields[name]


@dataclass(frozen=True)
class Step:
    project: str | None
    message: Msg
    kind: ClassVar[str] = ""

    @property
    def data(self) -> dict[str, Any]:
        """The step's figures (every field but the option and the message)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("project", "message")}


@dataclass(frozen=True)
class Ineligible(Step):
    """An option left out before counting: too few votes or points, or too small a share of the voters."""

    votes: Number
    min_votes: Number | None = None
    points: Number | None = None
    min_points: Number | None = None
    share: Number | None = None
    min_share: Decimal | None = None
    kind: ClassVar[str] = "ineligible"


@dataclass(frozen=True)
class AreaBudget(Step):
    """A district (area) counted with its own budget; the steps of its count follow."""

    area: str
    budget: Decimal
    selected: tuple[str, ...]
    total: Decimal
    kind: ClassVar[str] = "area"


@dataclass(frozen=True)
class Take(Step):
    """Greedy: the option with the next highest score fits the money left and is funded."""

    step: int
    score: Number
    cost: Decimal
    total_before: Decimal
    left_before: Decimal
    total_after: Decimal
    kind: ClassVar[str] = "take"


@dataclass(frozen=True)
class Skip(Step):
    """Greedy: the option is passed over, for lack of money (``reason`` "budget") or its sector's cap ("cap")."""

    step: int
    score: Number
    cost: Decimal
    total_before: Decimal
    left_before: Decimal
    reason: str
    sector: str | None = None
    kind: ClassVar[str] = "skip"


@dataclass(frozen=True)
class Stop(Step):
    """Greedy without skipping, and Phragmén: the next option does not fit the money left, so counting stops.
    Greedy also says the option's place and score."""

    cost: Decimal
    left: Decimal
    step: int | None = None
    score: Number | None = None
    total_before: Decimal | None = None
    kind: ClassVar[str] = "stop"


@dataclass(frozen=True)
class Buy(Step):
    """Equal Shares: in round ``round`` the option is bought for ``cost``; its supporters pay at most ``price``
    each (``rho``, the same per unit of their support); ``payments`` lists who paid what:
    ``[{"voters", "each", "all_they_had", "voter_ids"}]``."""

    round: int
    cost: Fraction
    rho: Fraction
    payments: Sequence[dict]
    price: Fraction
    kind: ClassVar[str] = "buy"


@dataclass(frozen=True)
class Select(Step):
    """Phragmén: in round ``round`` the option whose voters would carry the lowest ``load`` is selected."""

    round: int
    cost: Decimal
    voters: int
    load: Decimal | None
    kind: ClassVar[str] = "select"
