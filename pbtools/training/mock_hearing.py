"""The open hearing of a sandbox: the sample municipality's options, one question of every ballot kind, open for
a mock vote (simulated voters, workshop participants' phones, or both).

Every question's lot is seeded from the sandbox's seed (not drawn at random), so two sandboxes made with the same
seed count the same ballots the same way, ties included: a simulated hall gives the same result in both.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pbtools.hearings.model import (
    APPROVAL, KNAPSACK, MOTION, PB_VOTE, POINTS, RANKING, SINGLE, Hearing, Question,
)
from pbtools.hearings.sample import sample_setting
from pbtools.hearings.store import create_hearing

TRAINER_NAME = "Trainer"  # who the records of the mock hearing say made it


def mock_questions(option_ids: tuple[str, ...], seed: int) -> list[Question]:
    """One question of each ballot kind on ``option_ids``: approval (up to 3), points (5, stacking), ranking (top
    3), knapsack (the hearing's budget), single choice, and a yes/no motion; lots seeded from ``seed``."""
    k = min(3, len(option_ids))
    return [
        Question("q1", APPROVAL, {"ky": "Эң керектүү 3 долбоорду тандаңыз", "ru": "Выберите до 3 самых нужных проектов",
                                  "en": "Choose up to 3 most needed projects"}, option_ids, max_choices=k, seed=seed + 1),
        Question("q2", POINTS, {"ky": "5 упайды долбоорлорго бөлүңүз", "ru": "Распределите 5 баллов между проектами",
                                "en": "Spread 5 points over the projects"}, option_ids, points=5, stacking=True, seed=seed + 2),
        Question("q3", RANKING, {"ky": "Биринчи үч долбоорду иреттеңиз", "ru": "Расставьте три первых проекта по порядку",
                                 "en": "Rank your top three projects"}, option_ids, max_choices=k, seed=seed + 3),
        Question("q4", KNAPSACK, {"ky": "Бюджетке батчу долбоорлорду тандаңыз", "ru": "Выберите проекты в пределах бюджета",
                                  "en": "Choose projects that fit the budget"}, option_ids, seed=seed + 4),
        Question("q5", SINGLE, {"ky": "Бир эң керектүү долбоорду тандаңыз", "ru": "Выберите один самый нужный проект",
                                "en": "Choose the one most needed project"}, option_ids, seed=seed + 5),
        Question("q6", MOTION, {"ky": "Угуунун сунуштарын айылдык кеңешке жөнөтүү",
                                "ru": "Направить предложения слушаний в айылный кенеш",
                                "en": "Send the hearing's proposals to the local council"}, seed=seed + 6),
    ]


def create_mock_hearing(ws: Any, seed: int = 2026, hearing_id: str | None = None, actor: str = TRAINER_NAME) -> str:
    """Create and open the mock hearing in ``ws`` (a practice hearing: trainers may delete it); its id."""
    municipality, population, options = sample_setting()
    villages = tuple(population)
    total = sum((o.cost for o in options), Decimal(0))
    hearing = Hearing(
        id=hearing_id or f"mock-{seed}", municipality=municipality, type=PB_VOTE, date="2026-10-15",
        villages=villages, budget=(total * Decimal("0.45")).quantize(Decimal(1000)),
        title="Машыгуу: жарандардын бюджети",
        titles={"ky": "Машыгуу: жарандардын бюджети", "ru": "Тренировка: гражданский бюджет",
                "en": "Practice: citizens' budget"},
        venues={"ky": "Машыгуу залы", "ru": "Учебный зал", "en": "Training hall"}, venue="Машыгуу залы",
        practice=True,
    )
    store = create_hearing(ws, hearing, actor=actor)
    store.add_options(options, actor=actor)
    for question in mock_questions(tuple(o.id for o in options), seed):
        store.define_question(question, actor=actor)
    store.open(actor=actor)
    return hearing.id
