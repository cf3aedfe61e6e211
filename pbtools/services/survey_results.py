"""A survey's results: for each question the share of every answer, overall and by village, sex and age group,
with the number of answers beside every share; a group with fewer answers than the results charts' ``MIN_GROUP``
(5) is flagged too small to say anything. The trend compares each question with the previous survey of the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Sequence

from pbtools.charts.results import MIN_GROUP
from pbtools.hearings.model import SEXES
from pbtools.services.survey import SATISFIED_FROM, SCALE, SURVEY_AGE_GROUPS, Answer, SurveyQuestion
from pbtools.services.survey_store import Survey

GROUPINGS = ("village", "sex", "age")


@dataclass(frozen=True)
class Shares:
    """The answers of one group to one question: ``n`` who answered it, and how many chose each answer."""

    key: str  # "all", a village, "f"/"m", an age group
    n: int
    counts: tuple[int, ...]  # counts[i]: answer i + 1
    scale: bool

    @property
    def small(self) -> bool:
        return self.n < MIN_GROUP

    def share(self, number: int) -> Fraction | None:
        return Fraction(self.counts[number - 1], self.n) if self.n else None

    @property
    def mean(self) -> Fraction | None:
        """The mean score of a scale question (1..n), exact; None without answers or for a choice question."""
        if not self.scale or not self.n:
            return None
        return Fraction(sum((i + 1) * c for i, c in enumerate(self.counts)), self.n)

    @property
    def satisfied(self) -> Fraction | None:
        """The share who chose 4 or 5 on a scale question."""
        if not self.scale or not self.n:
            return None
        return Fraction(sum(self.counts[SATISFIED_FROM - 1:]), self.n)


def shown(s: Shares) -> bool:
    """Whether a group's shares, satisfied share and mean may be shown: the one small-numbers rule for the table, the
    headline above it, the chart, the scorecard and the command (2 answers "100 % satisfied" says nothing)."""
    return not s.small


@dataclass(frozen=True)
class QuestionResult:
    question: SurveyQuestion
    overall: Shares
    groups: dict[str, tuple[Shares, ...]]  # grouping -> one Shares per group, in a fixed order


@dataclass(frozen=True)
class Trend:
    question: str
    previous_survey: str
    before: Shares
    now: Shares

    @property
    def change(self) -> Fraction | None:
        """Change of the satisfied share (scale questions), in share points; None when either has no answers."""
        if self.before.satisfied is None or self.now.satisfied is None:
            return None
        return self.now.satisfied - self.before.satisfied

    @property
    def mean_change(self) -> Fraction | None:
        if self.before.mean is None or self.now.mean is None:
            return None
        return self.now.mean - self.before.mean


@dataclass(frozen=True)
class SurveyResults:
    survey: Survey
    respondents: int
    questions: tuple[QuestionResult, ...]
    trends: tuple[Trend, ...]  # empty when there is no previous survey


def shares(answers: Sequence[Answer], q: SurveyQuestion, key: str = "all") -> Shares:
    counts = [0] * len(q.choices)
    for a in answers:
        n = a.answers.get(q.id)
        if n is not None and 1 <= n <= len(counts):
            counts[n - 1] += 1
    return Shares(key, sum(counts), tuple(counts), q.kind == SCALE)


def _group_keys(survey: Survey, grouping: str) -> tuple[str, ...]:
    if grouping == "village":
        extra = sorted({a.respondent.village for a in survey.answers} - set(survey.villages))
        return tuple(survey.villages) + tuple(extra)
    return SEXES if grouping == "sex" else SURVEY_AGE_GROUPS


def results(survey: Survey, previous: Survey | None = None) -> SurveyResults:
    questions = []
    for q in survey.questions:
        groups = {}
        for grouping in GROUPINGS:
            groups[grouping] = tuple(shares([a for a in survey.answers if getattr(a.respondent, grouping) == key], q, key)
                                     for key in _group_keys(survey, grouping))
        questions.append(QuestionResult(q, shares(survey.answers, q), groups))
    trends = []
    if previous is not None:
        before = {q.id: q for q in previous.questions}
        for result in questions:
            q = result.question
            if q.id in before and len(before[q.id].choices) == len(q.choices):  # the same question, comparable
                trends.append(Trend(q.id, previous.id, shares(previous.answers, before[q.id]), result.overall))
    return SurveyResults(survey, len(survey.answers), tuple(questions), tuple(trends))


def latest_results(all_surveys: Sequence[Survey], survey_id: str | None = None) -> SurveyResults | None:
    """Results of ``survey_id`` (default: the latest survey), with the trend against the survey before it."""
    if not all_surveys:
        return None
    index = len(all_surveys) - 1 if survey_id is None else next((i for i, s in enumerate(all_surveys) if s.id == survey_id), None)
    if index is None:
        return None
    return results(all_surveys[index], all_surveys[index - 1] if index > 0 else None)


def dec(value: Fraction | None) -> Decimal | None:
    """A share or mean as a Decimal (28 digits) for formatting; the figures themselves stay exact."""
    return None if value is None else Decimal(value.numerator) / Decimal(value.denominator)


def _num(value: Fraction | None) -> str | None:
    return None if value is None else str(round(float(value), 4))


def shares_json(s: Shares) -> dict:
    return {"key": s.key, "n": s.n, "small": s.small, "counts": list(s.counts),
            "shares": [_num(s.share(i + 1)) for i in range(len(s.counts))], "mean": _num(s.mean), "satisfied": _num(s.satisfied)}


def results_json(r: SurveyResults) -> dict:
    return {
        "service": r.survey.service, "survey": r.survey.id, "date": r.survey.date, "respondents": r.respondents,
        "min_group": MIN_GROUP,
        "questions": [{"id": q.question.id, "titles": dict(q.question.titles), "kind": q.question.kind,
                       "choices": [dict(c) for c in q.question.choices], "overall": shares_json(q.overall),
                       "groups": {g: [shares_json(s) for s in groups] for g, groups in q.groups.items()}} for q in r.questions],
        "trend": [{"question": t.question, "previous_survey": t.previous_survey, "before": shares_json(t.before),
                   "now": shares_json(t.now), "satisfied_change": _num(t.change), "mean_change": _num(t.mean_change)} for t in r.trends],
    }
