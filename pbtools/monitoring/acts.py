"""Filing a monitoring act: checked whole before its one record is written (photos are stored first, so a refused
act leaves at most unreferenced files behind, never a half act). Acts are numbered in the order filed."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from pbtools.i18n import N_, Msg
from pbtools.monitoring import records as R
from pbtools.dates import Day, as_typed, is_iso_day, not_a_date, parse_date
from pbtools.monitoring.checks import FIELD_NAMES, in_field, not_future
from pbtools.monitoring.errors import ActsReplaced, InvalidValue, NoSuchAct, NoSuchMember
from pbtools.monitoring.files import store_file
from pbtools.monitoring.model import Act
from pbtools.storage.errors import KeyTaken, LedgerError, StreamRewound
from pbtools.storage.write_check import Check, Locked, decided_on


def _member_ids(service: Any, given: Iterable[str]) -> tuple[list[str], list[Msg]]:
    members = service.members()
    by_id = {m.id: m for m in members}
    by_name = {m.name.casefold(): m for m in members}
    ids, problems = [], []
    for g in given:
        g = str(g).strip()
        m = by_id.get(g) or by_name.get(g.casefold())
        if m is None:
            problems += NoSuchMember(g).problems
        elif m.id not in ids:
            ids.append(m.id)
    if not ids and not problems:
        problems.append(in_field("members", Msg(N_("no member of the group is named as present"))))
    return ids, problems


def _append(service: Any, kind: str, payload: dict, actor: Any, seen: tuple[int, str], also: Check | None = None,
            **kw: Any) -> None:
    """One record of the acts' stream, decided on the acts as read up to ``seen`` (``decided_on``): refused
    (``ActsReplaced``, nothing written) when the acts were replaced on disk since (a backup put back)."""
    try:
        service.ws.ledger.append(R.ACTS, kind, payload, actor=actor.name, check=decided_on(*seen, also), **kw)
    except StreamRewound:
        raise ActsReplaced() from None


def _not_corrected_since(act_id: str, seen: tuple[int, str]) -> Check:
    """A check: no act correcting ``act_id`` was filed after ``seen`` (two screens correcting one act at once)."""
    def check(locked: Locked) -> LedgerError | None:
        for r in locked.records(*seen):
            if r.kind == R.ACT_FILED and r.payload.get("corrects") == act_id:
                return LedgerError(Msg(N_("The act {id} was already corrected by the act {by}: correct that one"),
                                       id=act_id, by=r.payload.get("id")))
        return None
    return check


def file_act(service: Any, actor: Any, project_id: str, *, date: str, members: Iterable[str], findings: str,
             recommendations: str, response_due: str, place: str, photos: Iterable[str | Path], corrects: str) -> Act:
    service.project(project_id)  # NoSuchProject
    problems: list[Msg] = []
    member_ids, found = _member_ids(service, members)
    problems += found
    day = parse_date(date)
    if not day:
        problems.append(not_a_date(date, FIELD_NAMES["visit_date"]))
    else:  # an act records a visit that happened: a year or month typed wrong would stay on record (acts are never edited)
        problems += not_future("visit_date", day)
    due = parse_date(response_due)
    if due is None:
        problems.append(not_a_date(response_due, FIELD_NAMES["response_due"]))
    elif due and day and due < day:
        problems.append(in_field("response_due", Msg(N_("the deadline {due} is before the visit {date}"), due=Day(due), date=Day(day))))
    if not findings.strip():
        problems.append(in_field("findings", Msg(N_("the findings are empty"))))
    acts, read_at = service.acts_read()
    if corrects:
        old = next((a for a in acts if a.id == corrects), None)
        if old is None:
            raise NoSuchAct(corrects)
        if old.corrected:
            problems.append(Msg(N_("The act {id} was already corrected by the act {by}: correct that one"), id=corrects, by=old.corrected_by))
    if problems:
        raise InvalidValue(problems)
    stored = [store_file(service.ws, p) for p in photos]  # FileRefused before anything is recorded
    seen: set[str] = set()
    stored = [a for a in stored if not (a.original_sha256 in seen or seen.add(a.original_sha256))]
    year = day[:4]
    for _attempt in range(5):
        number = len(acts) + 1
        act = Act(f"A-{year}-{number:03d}", number, day, project_id, tuple(member_ids), findings.strip(),
                  recommendations.strip(), due or "", place.strip(), tuple(stored), corrects)
        payload = R.plain(act)
        for k in ("filed_by", "filed_at", "seq", "corrected_by", "responses"):
            payload.pop(k, None)
        try:
            _append(service, R.ACT_FILED, payload, actor, read_at,
                    _not_corrected_since(corrects, read_at) if corrects else None, key=act.id)
        except KeyTaken:  # another screen filed an act with this number a moment before
            acts = service.acts_read()[0]  # ``read_at`` kept: a correction filed since is still looked for
            continue
        except LedgerError as e:  # that act corrected by another screen a moment before
            raise InvalidValue([e.message]) from None
        return service.act(act.id)
    raise InvalidValue([Msg(N_("The act could not be numbered; try again"))])


def record_response(service: Any, actor: Any, act_id: str, text: str, on: str) -> Act:
    """The municipality's response to an act on the day ``on`` (ISO, or as typed to be named), its own record."""
    acts, seen = service.acts_read()
    act = next((a for a in acts if a.id == act_id), None)
    if act is None:
        raise NoSuchAct(act_id)
    problems = [] if text.strip() else [in_field("response", Msg(N_("nothing is written: write what the municipality answered")))]
    on = as_typed(on)
    if not is_iso_day(on):
        problems.append(not_a_date(on, FIELD_NAMES["response_date"]))
    elif on < act.date:  # a response answers an act: it cannot be older than the visit
        problems.append(in_field("response_date", Msg(N_("{date} is before the act {id} of {visit}: a response comes after its act"),
                                                      date=Day(on), id=act.id, visit=Day(act.date))))
    else:
        problems += not_future("response_date", on)
    if problems:
        raise InvalidValue(problems)
    _append(service, R.RESPONSE_RECORDED, {"act": act_id, "text": text.strip(), "date": on}, actor, seen)
    return service.act(act_id)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()
