"""The follow-up of the hearings in a workspace: what the CLI, the monitoring report and a screen ask for.

``FollowService(ws).follow(year)`` compares; ``match(key, code, actor, year)`` keeps a person's match as a record of
the ledger's ``budget-follow`` stream (who, when, the line before and after), so it is never lost, verifies with the
rest of the ledger, and the latest match of a priority wins. Refusals are ``FollowError`` (a ``Msg``), and nothing
is written then.
"""

from __future__ import annotations

from typing import Any, Mapping

from pbtools.budget.model import Budget
from pbtools.monitoring.follow.compare import NOTHING, SECTOR_FUNCTIONS, FollowUp, execution_lines, follow_budget
from pbtools.monitoring.follow.priorities import Priority, hearing_priorities
from pbtools.monitoring.follow.records import MATCHED, STREAM, priority_key
from pbtools.i18n import N_, Msg
from pbtools.monitoring.service import MonitoringService
from pbtools.roles import MONITORING, Actor, as_actor
from pbtools.storage.errors import StreamRewound
from pbtools.storage.write_check import decided_on, read_point

SECTOR_SETTING = "follow.sector_functions"  # a workspace's own sector -> function code map, when it differs


class FollowError(Exception):
    def __init__(self, message: Msg) -> None:
        self.message = message
        super().__init__(message.render("en"))

    def render(self, lang: str) -> str:
        return self.message.render(lang)


class FollowService:
    def __init__(self, ws: Any) -> None:
        self.ws = ws

    # -- reading
    def budget_of(self, year: int) -> Budget | None:
        """The latest import of ``year``'s budget, or None."""
        ids = [budget_id for budget_id, budget_year, *_ in self.ws.list_budgets() if budget_year == year]
        return self.ws.load_budget(ids[-1]) if ids else None

    def default_year(self) -> int | None:
        """The budget year of the newest hearing's priorities, else of the newest stored budget."""
        years = [p.budget_year for p in hearing_priorities(self.ws)]
        if years:
            return max(years)
        stored = [budget_year for _id, budget_year, *_ in self.ws.list_budgets()]
        return max(stored) if stored else None

    def matches(self, year: int) -> dict[str, str]:
        """priority key -> the code a person matched it to (``NOTHING``: no line), the latest record winning."""
        return self.matches_read(year)[0]

    def matches_read(self, year: int) -> tuple[dict[str, str], tuple[int, str]]:
        """``matches``, and (seq, hash) of the last record read ((0, ""): none): a match written on them (its
        ``before``) is written only while that record is still on disk (``storage.decided_on``)."""
        if STREAM not in self.ws.ledger.streams():
            return {}, (0, "")
        problems = self.ws.ledger.verify(STREAM)  # a match shown must be one nobody changed afterwards
        if problems:
            raise FollowError(Msg(N_("The budget matches do not verify at record {seq}: {problem}"), seq=problems[0].seq,
                                  problem=problems[0].message))
        kept: dict[str, str] = {}
        records = self.ws.ledger.records(STREAM)
        for record in records:
            if record.kind == MATCHED and record.payload.get("year") == year:
                kept[record.payload["priority"]] = record.payload["code"]
        return kept, read_point(records)

    def sector_functions(self) -> Mapping[str, str]:
        return self.ws.get_setting(SECTOR_SETTING, None) or SECTOR_FUNCTIONS

    def project_codes(self) -> dict[str, str]:
        """priority key (``hearing/option``) -> the budget code of the monitored project the hearing handed over
        for it, where the project has one."""
        return {priority_key(p.link.hearing_id, p.link.option_id): p.budget_code for p in MonitoringService(self.ws).projects()
                if p.link is not None and p.budget_code}

    def follow(self, year: int | None = None, codes: Mapping[str, str] | None = None) -> FollowUp:
        """Every priority of ``year`` (default: ``default_year``) against that year's adopted budget, and the
        execution of the year before. ``codes``: priority key -> budget code; default: the budget codes of the
        monitored projects (``project_codes``)."""
        codes = self.project_codes() if codes is None else codes
        year = year if year is not None else self.default_year()
        if year is None:
            return FollowUp(0, None)
        adopted, previous = self.budget_of(year), self.budget_of(year - 1)
        rows = follow_budget(hearing_priorities(self.ws, year), adopted, year, self.matches(year), codes,
                             self.sector_functions(), previous)
        others = [self.ws.load_budget(i) for i, budget_year, *_ in reversed(self.ws.list_budgets()) if budget_year != year]
        execution_year, execution = execution_lines([b for b in (adopted, *others) if b is not None], year)
        return FollowUp(year, adopted, rows, execution_year, execution)

    # -- writing
    def match(self, priority_key: str, code: str, actor: Actor | str, year: int | None = None) -> None:
        """Keep that ``priority_key`` (``hearing/option``) is paid from the adopted budget's line ``code`` of
        ``year``, or (``code`` empty) from no line. Checked before anything is written."""
        actor = as_actor(actor)
        actor.require(MONITORING)
        year = year if year is not None else self.default_year()
        priorities: dict[str, Priority] = {p.key: p for p in hearing_priorities(self.ws, year)} if year else {}
        if priority_key not in priorities:
            raise FollowError(Msg(N_("There is no hearing priority {key} for the budget of {year}"), key=priority_key, year=year or "—"))
        code = (code or "").strip()
        if code != NOTHING:
            adopted = self.budget_of(year)
            if adopted is None:
                raise FollowError(Msg(N_("The adopted budget of {year} is not in the workspace: import it with pbtools budget import FILE"), year=year))
            codes = [line.code for line in adopted.expenditure()]
            if code not in codes:
                raise FollowError(Msg(N_("The budget of {year} has no expenditure line with code {code}"), year=year, code=code))
        kept, seen = self.matches_read(year)
        try:  # its ``before`` as read: not written into another history put in its place meanwhile
            self.ws.ledger.append(STREAM, MATCHED, {"year": year, "priority": priority_key, "code": code,
                                                    "before": kept.get(priority_key), "role": actor.role},
                                  actor=actor.name, check=decided_on(*seen))
        except StreamRewound:
            raise FollowError(Msg(N_("The budget matches were replaced on disk meanwhile (a backup put back): nothing was saved. Look at them as they are now and match again."))) from None
