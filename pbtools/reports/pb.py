"""A question of a hearing as a Pabulib ``.pb`` file, so anyone can recount it with other tools (pabutools,
equalshares.net). The election is the one pbtools counts (``pbtools.results.election_for``), written by the
counting core's writer; voters keep ``sex``, ``age`` and ``district`` (their village) where a ballot is linked to a
participant (paper ballots are secret and carry none). Show-of-hands figures are written where the question's count
takes them (greedy: each raised hand one row voting for that one option, voter id "hands-<count>-<group>-<option>-<k>"),
so that a recount of the file gives the board's votes; Equal Shares and Phragmén questions take no hands. Each
project says whether the hearing funded it (``selected``, as Pabulib's files do, so a re-import is checked against
the hearing) and carries its Russian and English names beside the Kyrgyz ``name`` (``name_ru``, ``name_en``, written
from the project's names), which the reader, and so the Pabulib app and ``pbtools tally``, give back per language.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from pbtools.counting.pabulib import write_pb
from pbtools.hearings.fold import HearingState
from pbtools.hearings.hand_counts import hands_counted_by
from pbtools.hearings.model import MOTION, stored_village
from pbtools.i18n import N_, Msg
from pbtools.reports.errors import ReportError
from pbtools.results.count import count_question
from pbtools.results.election import election_for, rule_of

PABULIB_RULES = {"greedy": "greedy", "mes": "equalshares", "phragmen": "phragmen"}
VOTER_FIELDS = {"sex": "sex", "age": "age", "village": "district", "category": "category"}  # pbtools -> Pabulib


def countable_questions(st: HearingState) -> list[str]:
    return [q.id for q in st.questions.values() if q.kind != MOTION]


def pick_question(st: HearingState, question_id: str | None) -> str:
    """The question to export: the one asked for, or the only countable one."""
    ids = countable_questions(st)
    if question_id is None and len(ids) == 1:
        return ids[0]
    if question_id is None:
        raise ReportError(Msg(N_("This hearing has several questions; choose one of: {ids}"), ids=", ".join(ids)))
    if question_id not in ids:
        raise ReportError(Msg(N_("There is no question {id} with options to export; choose one of: {ids}"),
                             id=question_id, ids=", ".join(ids)))
    return question_id


def pb_election(st: HearingState, question_id: str, municipality: Any = None):
    """The question as a Pabulib election. Villages, of projects (``district``) and of voters alike, by their
    Kyrgyz names when ``municipality`` knows them (an agenda file may have named them by id), so they match."""
    question = st.questions[question_id]
    election = election_for(st, question_id, hands=hands_counted_by(question))
    h = st.hearing

    def place(key: str, value: str) -> str:
        return stored_village(value, municipality) if key == "village" else value

    ballots = [replace(b, voter={VOTER_FIELDS[k]: place(k, v) for k, v in b.voter.items() if k in VOTER_FIELDS and v},
                       voter_id="hands-" + b.voter_id.replace(":", "-") if ":" in b.voter_id else b.voter_id)
               for b in election.ballots]
    funded = set(count_question(st, question_id).selected)  # what the hearing's board and protocol say it funded

    def project(p):
        attributes = {**p.attributes, "selected": "1" if p.id in funded else "0"}  # its names: the writer's name_ru, name_en
        return replace(p, area=stored_village(p.area, municipality) if p.area else p.area, attributes=attributes)

    projects = tuple(map(project, election.projects))
    meta = {
        "description": f"{h.title or h.municipality}: {question.title('ky')}",
        "country": "Kyrgyzstan", "unit": h.municipality, "instance": f"{h.id}/{question_id}",
        "date_begin": h.date, "date_end": h.date, "language": "ky",
        "rule": PABULIB_RULES.get(rule_of(question), rule_of(question)),
        # a hearing never funds an option nobody voted for: with this a recount of the file gives its ``selected``
        "min_project_score_threshold": "1",
    }
    if question.kind in ("approval", "ranking"):
        meta["max_length"] = str(question.max_choices)
    if question.kind == "points":
        meta["max_sum_points"] = str(question.points)
    return replace(election, projects=projects, ballots=ballots, meta=meta)


def write_pb_export(st: HearingState, out: Path | str, question_id: str | None = None, municipality: Any = None) -> Path:
    out = Path(out)
    write_pb(pb_election(st, pick_question(st, question_id), municipality), out)  # owner-only, in one rename
    return out
