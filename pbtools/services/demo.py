"""The demo workspace's services: drinking water and waste collection from ``data/sample/services.csv``, a survey
of each (about 150 answers; water also one a year earlier, for the trend), and the water service's improvement
plan. Deterministic for a given seed."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from pbtools.resources import data_dir
from pbtools.roles import LOCAL
from pbtools.services.plan import Activity, Plan, Problem
from pbtools.services.service import ServicesService
from pbtools.services.survey import DEFAULT_QUESTIONS, SURVEY_AGE_GROUPS, Answer, Respondent

SAMPLE = data_dir("sample") / "services.csv"
# answers 1..5 weights: satisfaction (the water got better after the repair), failures, what matters most
_WEIGHTS = {
    ("water", "2025"): {"satisfaction": (20, 30, 25, 18, 7), "failures": (3, 12, 30, 35, 20), "priority": (45, 25, 15, 10, 5)},
    ("water", "2026"): {"satisfaction": (8, 17, 25, 35, 15), "failures": (10, 35, 30, 18, 7), "priority": (35, 30, 20, 10, 5)},
    ("waste", "2026"): {"satisfaction": (15, 25, 30, 22, 8), "failures": (5, 20, 35, 30, 10), "priority": (40, 10, 30, 15, 5)},
}


def _answers(rng: random.Random, villages: tuple[str, ...], weights: dict, n: int) -> list[Answer]:
    village_weights = [len(villages) - i for i in range(len(villages))]  # the first village is the largest
    out = []
    for _ in range(n):
        respondent = Respondent(rng.choices(villages, village_weights)[0], rng.choice(("f", "f", "f", "m", "m")),
                                rng.choices(SURVEY_AGE_GROUPS, (30, 35, 25, 10))[0])
        answers = {q.id: rng.choices(range(1, 6), weights[q.id])[0] for q in DEFAULT_QUESTIONS if rng.random() > 0.03}
        out.append(Answer(respondent, answers, rng.choice(("paper", "paper", "door"))))
    return out


def create_demo_services(ws: Any, seed: int = 2026) -> dict[str, int]:
    """Fill ``ws`` with the sample services, their surveys and the water plan; how many services and answers."""
    rng = random.Random(seed)
    svc = ServicesService(ws)
    stored, _ = svc.import_file(SAMPLE, LOCAL)
    answers = 0
    for (service_id, survey_id), weights in _WEIGHTS.items():
        service = svc.service(service_id)
        svc.start_survey(service_id, survey_id, f"{survey_id}-03-15", LOCAL)
        batch = _answers(rng, service.villages, weights, 150 if survey_id == "2026" else 120)
        answers += len(svc.record_answers(service_id, survey_id, batch, LOCAL))
    svc.save_plan(Plan("water", (
        Problem("p1", {"ky": "Суу күнүгө бир нече саат үзгүлтүккө учурайт", "ru": "Вода ежедневно отключается на несколько часов",
                       "en": "Water is cut for hours every day"}, "survey"),
        Problem("p2", {"ky": "Түтүктөр эскирген, суу агып кетет", "ru": "Трубы изношены, большие потери воды",
                       "en": "Worn pipes lose much of the water"}, "needs")), (
        Activity("a1", {"ky": "Насосту алмаштыруу", "ru": "Замена насоса", "en": "Replace the pump"},
                 {"budget": Decimal(150_000), "grant": Decimal(300_000), "community_money": Decimal(50_000)}, "2026-09-30", "МП «Көк-Талаа Суу»", "p1"),
        Activity("a2", {"ky": "1,2 км түтүктү алмаштыруу", "ru": "Замена 1,2 км труб", "en": "Replace 1.2 km of pipe"},
                 {"budget": Decimal(200_000), "grant": Decimal(600_000), "community_in_kind": Decimal(120_000)}, "2027-06-30", "Айыл өкмөтү", "p2")),
        "Айылдык кеңештин 2026-04-20 токтому №12"), LOCAL)
    return {"services": len(stored), "answers": answers}
