"""From a closed hearing to monitored projects: each funded option becomes one project that keeps its link
(hearing, question, option, votes); an option funded by several questions (a hearing that tried two ballot kinds)
is one project, linked to the first question that funded it. The funded set is the hearing's own count
(``pbtools.results.count.count_question``) and the votes the one number per option (``pbtools.results.votes``), as
the protocol prints them. The project's id is made from the link, and a project is created once (the ledger's key),
so a second handover, or two at the same moment, add nothing."""

from __future__ import annotations

import re
from typing import Any

from pbtools.hearings.model import CLOSED, MOTION
from pbtools.hearings.records import stream_of
from pbtools.hearings.store import hearing_ids, state
from pbtools.i18n import N_, Msg
from pbtools.monitoring.errors import ChainBrokenError, HearingNotClosed, InvalidValue, NoSuchHearing, ProjectExists
from pbtools.monitoring.model import FROM_HEARING, Funding, Handover, HearingLink, Project
from pbtools.results.count import count_question
from pbtools.results.election import ResultsError
from pbtools.results.votes import option_votes
from pbtools.storage.chain import ChainBroken, check_chain


def project_id_for(hearing_id: str, option_id: str) -> str:
    raw = f"{hearing_id}.{option_id}"
    return re.sub(r"[^A-Za-z0-9._-]", "-", raw)[:80]


def funded_options(state: Any) -> list[tuple[Any, Any, int]]:
    """(question, option, votes) of every funded option of a hearing's state, question by question, in the order
    the count funded them; an option once, with the first question that funded it."""
    funded = []
    for q in state.questions.values():
        if q.kind == MOTION or not (state.ballots_for(q.id) or state.counts_for(q.id)):
            continue  # as the protocol: a question nobody voted on has no count
        try:
            result = count_question(state, q.id)
        except ResultsError:
            continue
        votes = option_votes(state, q.id).total
        funded += [(q, state.options[o], int(votes.get(o, 0))) for o in result.selected
                   if o in state.options and all(o != option.id for _, option, _ in funded)]
    return funded


def hand_over(service: Any, actor: Any, hearing_id: str, planned_on: str = "") -> Handover:
    if hearing_id not in hearing_ids(service.ws):
        raise NoSuchHearing(hearing_id)
    try:  # the count comes from the hearing's records: they must verify first, as for its protocol
        check_chain(service.ws.ledger, stream_of(hearing_id))
    except ChainBroken as e:
        raise ChainBrokenError(e.message, e.problems) from None
    st = state(service.ws, hearing_id)
    if st.status != CLOSED or st.hearing is None:
        raise HearingNotClosed(hearing_id)
    linked = {(p.link.hearing_id, p.link.option_id): p for p in service.projects() if p.link}
    existing: list[Project] = []
    entries: list[tuple[str, Any]] = []
    problems: list[Msg] = []
    municipality = service.ws.municipality()  # once: it names every option's village
    # every project checked before the first is written: a refused option must not leave the others handed over
    for question, option, votes in funded_options(st):
        key = (hearing_id, option.id)
        if key in linked:
            existing.append(linked[key])
            continue
        link = HearingLink(hearing_id, question.id, option.id, votes, option.number, st.hearing.date)
        values = dict(village=option.village, sector=option.sector, planned=Funding(total=option.cost),
                      notes=option.description("ky") or option.description("ru") or option.description("en"),
                      status_date=planned_on)
        try:
            entries.append(service._created_entry(actor, dict(option.titles), project_id_for(*key), FROM_HEARING,
                                                  link, "", values, municipality))
        except InvalidValue as e:
            problems += [Msg(N_("Option №{number}: {problem}"), number=option.number, problem=p) for p in e.problems]
    if problems:
        raise InvalidValue(problems)
    created: list[Project] = []
    for pid, entry in entries:
        try:
            service._append(pid, [entry])
            created.append(service.project(pid))
        except ProjectExists:  # handed over a moment ago by another screen: the ledger's key made it once
            existing.append(service.project(pid))
    return Handover(tuple(created), tuple(existing))
