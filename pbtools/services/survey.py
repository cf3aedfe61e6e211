"""A survey of a service's quality: its questions (editable, ky/ru/en) and one respondent's answers.

The default questions follow the national feedback system's 1–5 scale for satisfaction (1 "very unsatisfied" …
5 "very satisfied"); how often the service fails; what matters most. A survey keeps its own copy of its questions,
so editing them later does not change what an earlier survey asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from pbtools.budget.model import pick_name
from pbtools.hearings.model import AGE_GROUPS

SURVEY_AGE_GROUPS = tuple(a for a in AGE_GROUPS if a != "under_18")  # adults answer for their household
SCALE, CHOICE = "scale", "choice"  # a 1..n scale (higher is better), or one choice among several
SATISFIED_FROM = 4  # on the 1–5 scale: 4 and 5 are "satisfied"


@dataclass(frozen=True)
class SurveyQuestion:
    id: str
    titles: Mapping[str, str]
    choices: tuple[Mapping[str, str], ...]  # choice n (1-based) is choices[n - 1]: language -> text
    kind: str = CHOICE  # SCALE or CHOICE

    def title(self, lang: str) -> str:
        return pick_name(self.titles, lang)

    def choice(self, number: int, lang: str) -> str:
        return pick_name(self.choices[number - 1], lang) if 1 <= number <= len(self.choices) else str(number)


@dataclass(frozen=True)
class Respondent:
    village: str
    sex: str  # one of SEXES
    age: str  # one of SURVEY_AGE_GROUPS


@dataclass(frozen=True)
class Answer:
    """One respondent's answers: question id -> choice number (a question not answered is left out)."""

    respondent: Respondent
    answers: Mapping[str, int] = field(default_factory=dict)
    channel: str = "paper"  # paper, door (a door-to-door team), phone
    seq: int = 0  # the record's number in the survey's stream


def _q(id: str, kind: str, titles: tuple[str, str, str], choices: tuple[tuple[str, str, str], ...]) -> SurveyQuestion:
    return SurveyQuestion(id, dict(zip(("ky", "ru", "en"), titles)), tuple(dict(zip(("ky", "ru", "en"), c)) for c in choices), kind)


DEFAULT_QUESTIONS = (
    _q("satisfaction", SCALE, ("Бул кызматка канчалык канааттанасыз?", "Насколько вы довольны этой услугой?", "How satisfied are you with this service?"),
       (("Таптакыр канааттанбайм", "Совсем не доволен", "Very unsatisfied"), ("Канааттанбайм", "Не доволен", "Unsatisfied"),
        ("Орточо", "Средне", "Neither"), ("Канааттанам", "Доволен", "Satisfied"), ("Абдан канааттанам", "Очень доволен", "Very satisfied"))),
    _q("failures", CHOICE, ("Кызмат канчалык көп үзгүлтүккө учурайт?", "Как часто услуга даёт сбои?", "How often does the service fail?"),
       (("Эч качан", "Никогда", "Never"), ("Жылына бир нече жолу", "Несколько раз в год", "A few times a year"),
        ("Айына", "Каждый месяц", "Every month"), ("Жумасына", "Каждую неделю", "Every week"), ("Күн сайын", "Каждый день", "Every day"))),
    _q("priority", CHOICE, ("Сиз үчүн эмнеси эң маанилүү?", "Что для вас важнее всего?", "What matters most to you?"),
       (("Үзгүлтүксүз иштеши", "Бесперебойность", "That it works without breaks"), ("Сапаты", "Качество", "Quality"),
        ("Баасы (тариф)", "Цена (тариф)", "Price (tariff)"), ("Даттанууга жооп берүү", "Ответ на жалобы", "Answers to complaints"),
        ("Башка", "Другое", "Other"))),
)
