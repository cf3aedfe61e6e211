"""A workspace with an open hearing that has one question of every ballot kind, and voting codes to use."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pbtools.hearings.model import (
    APPROVAL, KNAPSACK, MOTION, PB_VOTE, POINTS, RANKING, SINGLE, Hearing, Option, Question,
)
from pbtools.hearings.store import HearingStore, create_hearing
from pbtools.storage import open_workspace

OPTIONS = [
    Option("P1", 1, {"ky": "Ичүүчү суу түтүгү", "ru": "Водопровод", "en": "Water pipe"}, Decimal(600_000)),
    Option("P2", 2, {"ky": "Көчө жарыгы", "ru": "Уличное освещение", "en": "Street lighting"}, Decimal(300_000)),
    Option("P3", 3, {"ky": "Спорт аянтчасы", "ru": "Спортплощадка", "en": "Sports ground"}, Decimal(250_000)),
    Option("P4", 4, {"ky": "Таштанды контейнерлери", "ru": "Мусорные контейнеры", "en": "Waste containers"}, Decimal(150_000)),
]
IDS = tuple(o.id for o in OPTIONS)
QUESTIONS = [
    Question("single", SINGLE, {"ky": "Бир долбоорду тандаңыз", "ru": "Выберите один проект", "en": "Choose one project"}, IDS),
    Question("approval", APPROVAL, {"ky": "Эки долбоорго чейин", "ru": "До двух проектов", "en": "Up to two projects"}, IDS, max_choices=2),
    Question("points", POINTS, {"ky": "Упайлар", "ru": "Баллы", "en": "Points"}, IDS, points=5, stacking=True, exact_points=True),
    Question("ranking", RANKING, {"ky": "Иреттөө", "ru": "Ранжирование", "en": "Ranking"}, IDS, max_choices=3),
    Question("knapsack", KNAPSACK, {"ky": "Бюджетке батыруу", "ru": "В пределах бюджета", "en": "Fit the budget"}, IDS,
             budget=Decimal(700_000)),
    Question("motion", MOTION, {"ky": "Бюджетти жактырасызбы?", "ru": "Одобряете бюджет?", "en": "Approve the budget?"}),
]


def make_hall(workspace: Path, codes: int = 20, questions: list[Question] | None = None) -> tuple[str, list[str]]:
    """Create the hearing (open) in ``workspace``; returns its id and fresh voting codes."""
    with open_workspace(workspace) as ws:
        return open_hall(ws, codes, questions)


def open_hall(ws, codes: int = 20, questions: list[Question] | None = None) -> tuple[str, list[str]]:
    """``make_hall`` in an open workspace (a central server's municipality, say)."""
    store = create_hearing(ws, Hearing("", "Ак-Суу", PB_VOTE, "2026-05-14", budget=Decimal(1_000_000)), actor="test")
    store.add_options(OPTIONS, actor="test")
    for question in questions or QUESTIONS:
        store.define_question(question, actor="test")
    store.open(actor="test")
    return store.id, store.issue_codes(codes, actor="test")


def hearing_state(workspace: Path, hearing_id: str):
    with open_workspace(workspace, create=False) as ws:
        return HearingStore(ws, hearing_id).state


def ballot_seq(workspace: Path, hearing_id: str, receipt: str) -> int | None:
    """The record number of the ballot a receipt names: found as the server finds it, with the voters' key kept in
    the workspace (a receipt says nothing to whoever lacks the key)."""
    from pbtools.phones.view import receipt_text
    from pbtools.server.auth import load_secrets

    key = bytes.fromhex(load_secrets(workspace)["voter_secret"])
    with open_workspace(workspace, create=False) as ws:
        records = list(ws.ledger.records(HearingStore(ws, hearing_id).stream))
    return next((r.seq for r in records if r.kind == "ballot.cast" and receipt_text(key, r.hash) == receipt), None)
