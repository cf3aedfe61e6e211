"""Survey answers typed from paper (or by a door-to-door team on a laptop): one line per respondent, digits only,
as fast as paper ballots (``pbtools.hearings.entry``).

    2 1 3  4 2 1      village 2, woman (1; a man is 2), age group 3, then one answer per question in order
    2 1 3  4 - 1      "-" or "0": that question was not answered

Villages and age groups are the numbers printed on the form (``entry_hint`` says them). Digits are the same key on
every keyboard layout.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from pbtools.hearings.model import SEXES, label
from pbtools.i18n import N_, Msg, gettext
from pbtools.services.places import village_names
from pbtools.services.survey import SURVEY_AGE_GROUPS, Answer, Respondent, SurveyQuestion

NOT_ANSWERED = ("-", "0", "–", "—")


class _Title(Msg):
    """A question's title inside a message, in the language the message is shown in (not always the English one)."""

    def __init__(self, question: SurveyQuestion) -> None:
        super().__init__("{title}", question=question)

    def render(self, lang: str) -> str:
        q = self.params["question"]
        return q.title(lang) or q.id


def parse_answer(text: str, villages: Sequence[str], questions: Sequence[SurveyQuestion], channel: str = "paper") -> tuple[Answer | None, list[Msg]]:
    """The answer a clerk typed, or (None, every problem)."""
    tokens = [t for t in re.split(r"[\s,;/+]+", text.strip()) if t]
    expected = 3 + len(questions)
    if len(tokens) != expected:
        return None, [Msg(N_("Type {n} numbers: village, sex, age group and one answer per question ({questions}); {typed} were typed"),
                          n=expected, questions=len(questions), typed=len(tokens))]
    problems = []

    def number(token: str, count: int, what: Msg) -> int | None:
        if token.isascii() and token.isdigit() and 1 <= int(token) <= count:  # isdigit() alone takes "²", int() not
            return int(token)
        problems.append(Msg(N_("{what}: {text} is not a number from 1 to {max}"), what=what, text=token, max=count))
        return None

    v = number(tokens[0], len(villages), Msg(N_("Village")))
    s = number(tokens[1], len(SEXES), Msg(N_("Sex")))
    a = number(tokens[2], len(SURVEY_AGE_GROUPS), Msg(N_("Age group")))
    answers = {}
    for q, token in zip(questions, tokens[3:]):
        if token in NOT_ANSWERED:
            continue
        n = number(token, len(q.choices), Msg(N_("Question «{title}»"), title=_Title(q)))
        if n is not None:
            answers[q.id] = n
    if problems:
        return None, problems
    return Answer(Respondent(villages[v - 1], SEXES[s - 1], SURVEY_AGE_GROUPS[a - 1]), answers, channel), []


def format_answer(answer: Answer, villages: Sequence[str], questions: Sequence[SurveyQuestion]) -> str:
    """An answer written the way a clerk types it."""
    r = answer.respondent
    head = [str(villages.index(r.village) + 1) if r.village in villages else "?", str(SEXES.index(r.sex) + 1),
            str(SURVEY_AGE_GROUPS.index(r.age) + 1)]
    return " ".join(head + [str(answer.answers[q.id]) if q.id in answer.answers else "-" for q in questions])


def entry_hint(villages: Sequence[str], lang: str, municipality: Any = None) -> str:
    """How to type a line, with the numbers of the villages (named in ``lang`` by ``municipality``'s names), sexes and
    age groups, in ``lang``."""
    numbered = lambda names: ", ".join(f"{i} {n}" for i, n in enumerate(names, start=1))  # noqa: E731
    return gettext(lang, N_("Type: village, sex, age group, then one answer per question (- if not answered), e.g. {example}. Villages: {villages}. Sex: {sexes}. Age: {ages}.")).format(
        example="1 1 2 4 2 1", villages=numbered(village_names(villages, municipality, lang)), sexes=numbered([label(s, lang) for s in SEXES]),
        ages=numbered([label(a, lang) for a in SURVEY_AGE_GROUPS]))
