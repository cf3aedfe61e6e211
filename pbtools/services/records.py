"""The ledger records of municipal services: their streams, kinds and JSON payloads (money as text, exact)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from pbtools.services.model import CostItem, Service, Tariff

REGISTER = "services:register"
SERVICE_DEFINED = "service.defined"  # payload: the whole service; a later one of the same id replaces it

SURVEY_PREFIX = "services:survey:"  # + service id
SURVEY_STARTED = "survey.started"  # payload: {"survey", "date", "questions": [...]}
SURVEY_CLOSED = "survey.closed"  # payload: {"survey", "closed": bool}: no answer taken while closed (reopened: False)
SURVEY_PHONES = "survey.phones"  # payload: {"survey", "open": bool}: phones may answer it (phone_survey)
ANSWER_RECORDED = "survey.answer"  # payload: {"survey", "village", "sex", "age", "answers": {question: number}, "channel"}

PLAN_PREFIX = "services:plan:"  # + service id
PLAN_DEFINED = "plan.defined"  # payload: the whole plan; a later one replaces it


def survey_stream(service_id: str) -> str:
    return SURVEY_PREFIX + service_id


def plan_stream(service_id: str) -> str:
    return PLAN_PREFIX + service_id


def service_to_json(s: Service) -> dict:
    return {
        "id": s.id, "names": dict(s.names), "villages": list(s.villages), "households": s.households, "people": s.people,
        "provider": s.provider, "costs": [{"names": dict(c.names), "amount": str(c.amount)} for c in s.costs],
        "tariffs": [{"names": dict(t.names), "amount": str(t.amount), "payer": t.payer, "period": t.period} for t in s.tariffs],
        "collection_rate": str(s.collection_rate), "budget_lines": list(s.budget_lines), "notes": dict(s.notes),
    }


def service_from_json(d: Mapping[str, Any]) -> Service:
    return Service(
        id=d["id"], names=dict(d.get("names", {})), villages=tuple(d.get("villages", ())),
        households=int(d.get("households", 0)), people=int(d.get("people", 0)), provider=d.get("provider", "municipality"),
        costs=tuple(CostItem(dict(c["names"]), Decimal(c["amount"])) for c in d.get("costs", ())),
        tariffs=tuple(Tariff(dict(t["names"]), Decimal(t["amount"]), t.get("payer", "household"), t.get("period", "year"))
                      for t in d.get("tariffs", ())),
        collection_rate=Decimal(d.get("collection_rate", "1")), budget_lines=tuple(d.get("budget_lines", ())),
        notes=dict(d.get("notes", {})),
    )
