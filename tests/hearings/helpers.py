"""Small agendas shared by the hearing tests."""

from __future__ import annotations

from decimal import Decimal

from pbtools.hearings.model import Option, Question

COSTS = (Decimal(400_000), Decimal(250_000), Decimal(600_000), Decimal(150_000), Decimal(300_000))


def agenda() -> dict[str, Option]:
    return {
        f"P{n}": Option(f"P{n}", n, {"en": f"Project {n}", "ru": f"Проект {n}", "ky": f"Долбоор {n}"}, cost, village="Ак-Суу")
        for n, cost in enumerate(COSTS, start=1)
    }


def question(kind: str, **kw) -> Question:
    options = () if kind == "motion" else tuple(agenda())
    return Question(f"q-{kind}", kind, {"en": kind}, options, **kw)
