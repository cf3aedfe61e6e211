"""The register of services in the ledger: checking a service, storing services (all or none), reading them back."""

from __future__ import annotations

from typing import Any, Iterable

from pbtools.fmt import Percent
from pbtools.budget.place import PlaceName
from pbtools.i18n import N_, Joined, Msg
from pbtools.moments import Moment
from pbtools.roles import SERVICES, Actor
from pbtools.services import records as R
from pbtools.services.errors import NoSuchService, ServiceChanged, ServiceError, ServiceReplaced
from pbtools.services.model import PAYERS, PERIODS, PROVIDERS, Service
from pbtools.storage import Check, Entry, LedgerError, Locked, StreamRewound, decided_on
from pbtools.storage.write_check import read_point


def check_service(s: Service) -> list[Msg]:
    """What is wrong with a service typed or read (empty: it may be stored)."""
    problems = []
    if not s.id.strip() or len(s.id) > 40 or not all(ch.isalnum() or ch in "-_." for ch in s.id):
        problems.append(Msg(N_("{value} is not a service id: use letters, digits, - or _ (e.g. water, S1)"), value=s.id))
    if not any(v.strip() for v in s.names.values()):
        problems.append(Msg(N_("Service {id} has no name"), id=s.id))
    if s.households < 0 or s.people < 0 or not (s.households or s.people):
        problems.append(Msg(N_("Service {id}: give the number of households or people it serves"), id=s.id))
    if s.provider not in PROVIDERS:
        problems.append(Msg(N_("Service {id}: unknown provider {value}"), id=s.id, value=s.provider))
    if not (0 < s.collection_rate <= 1):
        problems.append(Msg(N_("Service {id}: the collection rate must be above 0 and at most {most}"), id=s.id, most=Percent(1)))
    if any(c.amount < 0 for c in s.costs) or any(t.amount < 0 for t in s.tariffs):
        problems.append(Msg(N_("Service {id}: costs and tariffs cannot be negative"), id=s.id))
    if any(t.payer not in PAYERS or t.period not in PERIODS for t in s.tariffs):
        problems.append(Msg(N_("Service {id}: a tariff is charged per household or per person, per year or per month"), id=s.id))
    return problems


def store_services(ws: Any, services: Iterable[Service], actor: Actor, seen: tuple[int, str] | None = None,
                   known: Iterable[str] = ()) -> list[Service]:
    """Store (or replace) services in the register, in one transaction: all of them or, on any problem, none.
    ``seen``: (seq, hash) of the register's last record as the writer read it (``services_read``), ``known``: the ids
    registered then: stored only while that record is on disk (else ``ServiceReplaced``) and none of the services
    was defined since (a known one changed by another screen: ``ServiceChanged``, theirs is not undone; a new one
    registered meanwhile: "already in the register")."""
    actor.require(SERVICES)
    services = list(services)
    problems = [p for s in services for p in check_service(s)]
    ids = [s.id for s in services]
    problems += [Msg(N_("Service id {id} is given twice"), id=i) for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise ServiceError(problems)
    entries = [Entry(R.SERVICE_DEFINED, R.service_to_json(s), actor.name) for s in services]
    check = None if seen is None else decided_on(*seen, also=_untouched(ids, seen, set(known), ws.time_zone()))
    for result in ws.ledger.append_many(R.REGISTER, entries, all_or_nothing=True, check=check):
        if isinstance(result, StreamRewound):
            raise ServiceReplaced(Msg(N_("The register of services was replaced after your screen showed it (a backup restored, a practice sandbox reset), so {services} was decided on records no longer there: nothing was written. The register now shows what is on disk: look at it again before saving."),
                                      services=Joined(tuple(PlaceName(s.names) for s in services))))
        if isinstance(result, _Changed):
            raise ServiceChanged(result.message)
        if isinstance(result, LedgerError):
            raise ServiceError(result.message)
    return services


class _Changed(LedgerError):
    """A check's refusal: another screen defined a service again after the writer read it."""


def _untouched(ids: list[str], seen: tuple[int, str], known: set[str], zone: Any) -> Check:
    """A check: no service of ``ids`` was defined after ``seen`` (two screens writing one service: the second
    undid the first's change, or replaced the service the first registered, without a word)."""
    def check(locked: Locked) -> LedgerError | None:
        for r in locked.records(*seen):
            sid = r.payload.get("id")
            if r.kind != R.SERVICE_DEFINED or sid not in ids:
                continue
            if sid not in known:
                return LedgerError(Msg(N_("{value} is already in the register"), value=sid))
            name, when = PlaceName(r.payload.get("names") or {"en": sid}), Moment(r.created_at, zone)
            if not r.actor:  # the hall laptop's own user (no logins): another window, or another member there
                return _Changed(Msg(N_("{service} was changed in another window at {when}, after your screen showed it: nothing was written, so that that change is not undone. The register now shows it as it is: look at it again before saving."),
                                    service=name, when=when))
            return _Changed(Msg(N_("{service} was changed by {who} at {when}, after your screen showed it: nothing was written, so that their change is not undone. The register now shows it as it is: look at it again before saving."),
                                service=name, who=r.actor, when=when))
        return None
    return check


def services(ws: Any) -> dict[str, Service]:
    """The register as it stands: id -> service (a later definition replaces an earlier one), in order of first entry."""
    return services_read(ws)[0]


def services_read(ws: Any, upto: int | None = None) -> tuple[dict[str, Service], tuple[int, str]]:
    """``services``, and (seq, hash) of the register's last record read ((0, ""): none); ``upto``: the register as
    it was at that record."""
    records = ws.ledger.records(R.REGISTER)  # read once (none: no register yet)
    if upto is not None:
        records = [r for r in records if r.seq <= upto]
    voided = {r.voids for r in records if r.voids}
    found: dict[str, Service] = {}
    for record in records:
        if record.kind == R.SERVICE_DEFINED and record.seq not in voided:
            s = R.service_from_json(record.payload)
            found[s.id] = s
    return found, read_point(records)


def service(ws: Any, service_id: str) -> Service:
    found = services(ws).get(service_id)
    if found is None:
        raise NoSuchService(service_id)
    return found
