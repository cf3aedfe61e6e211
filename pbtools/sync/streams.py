"""A hand-in folder's monitoring streams on the server: each file checked as an audit file is, then whether it is
this municipality's.

The records carry no municipality (the manifest's names are checked for the whole folder, ``sync.folder``); what
they do carry is checked against the server:

- a project that carries out a hearing's decision (``Project.link``) names that hearing: it must be one of this
  municipality's, on the server or handed in with the folder (another municipality's project, or the demo's, names a
  hearing the server does not have);
- a project's village, when the municipality lists its villages, must be one of them (by its id or a name in any
  language; "every village" and none are fine), as the project stands after its last record;
- an act is of a project, which must be on the server or handed in with it (and not itself refused);
- a budget match (``monitoring.follow``) is of a hearing's priority: that hearing must be one of this
  municipality's, on the server or handed in with the folder, as a project's.

Before that, every record of a stream must be one the core writes there (``monitoring.adopted``: its kind, the
stream folding as the core folds it, a budget match field by field), or the whole folder is refused.

A stream that fails one of these is not stored and is named with the reason; the hearings and the other streams of
the folder are (``sync.folder.hand_in_folder``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pbtools.budget.place import PlaceName
from pbtools.i18n import N_, Joined, Msg
from pbtools.sync.push import Prepared, against_server, known_village, refused


def prepare_stream(ws: Any, path: Path) -> Prepared:
    """A monitoring stream's file checked as an audit file is (every hash, the chain, the header's head), then
    against what the server has (``push.StreamDiverged`` when the two were added to apart)."""
    from pbtools.monitoring import records as M
    from pbtools.monitoring.adopted import stream_problems
    from pbtools.reports.audit import HAND_IN, check_audit

    check = check_audit(path, open_hearing=True, limits=HAND_IN)
    stream = str(check.header.get("stream", ""))
    no_hearing = N_("The audit file holds no hearing.created record: there is nothing to recount")
    problems = [p for p in check.problems if p.msgid != no_hearing]  # a monitoring stream has no hearing to recount
    if not problems and (not M.travels(stream) or not check.records):
        problems.append(Msg(N_("{file} holds no monitoring records"), file=path.name))
    if not problems:  # every record one the core writes there (the hashes say only that none was changed since)
        problems += stream_problems(stream, check.records)
    if problems:
        raise refused(path, *problems)
    return against_server(ws, path, stream, stream, check.records)


def not_here(ws: Any, streams: list[Prepared], hearings: set[str]) -> dict[str, list[Msg]]:
    """Why each of the monitoring ``streams`` (checked, not stored) is not this municipality's, by stream ({}: all
    are). ``hearings``: the hearings the folder hands in along with them."""
    from pbtools.hearings.store import hearing_ids
    from pbtools.monitoring import records as M
    from pbtools.monitoring.fold import fold_project
    from pbtools.monitoring.follow.records import hearing_of

    municipality = ws.municipality()
    here = set(hearing_ids(ws)) | hearings
    why: dict[str, list[Msg]] = {}
    for p in streams:
        if p.stream == M.BUDGET_FOLLOW:
            # the new matches only: one the server has already was checked when it came
            strange = sorted({hearing_of(r) for r in p.new} - here)
            if strange:
                why.setdefault(p.stream, []).append(Msg(N_(
                    "{stream} matches priorities of the hearings {hearings}, which this server does not have: they "
                    "are another municipality's or the demo's, or hand those hearings in first (pbtools sync pack "
                    "--hearing ID)"), stream=p.stream, hearings=", ".join(strange)))
            continue
        if not p.stream.startswith(M.PROJECT_PREFIX):
            continue
        project = fold_project(p.stream[len(M.PROJECT_PREFIX):], p.records)
        if project is None:
            continue
        if project.link is not None and project.link.hearing_id not in here:
            why.setdefault(p.stream, []).append(Msg(N_(
                "{stream} carries out a decision of the hearing {hearing}, which this server does not have: it is "
                "another municipality's or the demo's project, or hand that hearing in first (pbtools sync pack "
                "--hearing {hearing})"), stream=p.stream, hearing=project.link.hearing_id))
        if municipality is not None and municipality.villages and not known_village(project.village, municipality):
            why.setdefault(p.stream, []).append(Msg(N_(
                "{stream} is of the village {village}, which is not one of {municipality}'s ({villages}): correct the "
                "project's village on the laptop and pack it again"), stream=p.stream, village=project.village,
                municipality=PlaceName(municipality.names),
                villages=Joined(tuple(PlaceName(v.names) for v in municipality.villages))))
    projects = {s for s in ws.ledger.streams() if s.startswith(M.PROJECT_PREFIX)} | {
        p.stream for p in streams if p.stream.startswith(M.PROJECT_PREFIX) and p.stream not in why}
    for p in streams:
        for r in p.new if p.stream == M.ACTS else ():
            project = str(r.payload.get("project_id", "")) if r.kind == M.ACT_FILED else ""
            if project and M.project_stream(project) not in projects:
                why.setdefault(p.stream, []).append(Msg(N_(
                    "The act {act} (record {seq} of {stream}) is of the project {project}, which is neither on this "
                    "server nor handed in with it"), act=str(r.payload.get("id", "")), seq=r.seq, stream=p.stream,
                    project=project))
    return why
