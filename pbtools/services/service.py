"""What screens and the ``pbtools services`` / ``pbtools survey`` commands ask of a workspace's municipal services,
in one object: plain data out, ``ServiceError`` (its problems in any language; nothing stored) when refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence

from pbtools.budget.problems import errors
from pbtools.i18n import Msg, N_
from pbtools.paths import file_in, reports_folder
from pbtools.roles import Actor
from pbtools.services import plan as plans
from pbtools.services import register, survey_store
from pbtools.services.errors import ServiceError
from pbtools.services.follow import follow_plan, followed, followed_in
from pbtools.services.model import Service
from pbtools.services.phone_survey import set_phones
from pbtools.services.read import read_services
from pbtools.services.scorecard import write_scorecard
from pbtools.services.survey import DEFAULT_QUESTIONS, Answer, SurveyQuestion
from pbtools.services.survey_entry import parse_answer
from pbtools.services.survey_results import SurveyResults, latest_results
from pbtools.services.tariff_hearing import put_to_hall
from pbtools.services.tariffs import CoveringTariff, covering_tariff, tariff_options


class FileRefused(ServiceError):
    """A services file with errors: ``file_problems`` are the budget reader's ``Problem`` (file, row, column)."""

    def __init__(self, problems: list) -> None:
        self.file_problems = problems
        super().__init__([p.message for p in errors(problems)])

    def render(self, lang: str) -> str:
        return "\n".join(p.render(lang) for p in self.file_problems)


class ServicesService:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self._folds: dict[str, survey_store.SurveyFold] = {}  # per service: its surveys as last read (new records only)

    # -- the register
    def import_file(self, path: Path | str, actor: Actor, based_on: tuple[int, str] | None = None) -> tuple[list[Service], list]:
        """Store every service of a CSV/XLSX file, or none when the file has an error; (services, warnings).
        ``based_on``: the register's point as the screen showed it (``register_read``): a service of the file changed
        since by someone else is not overwritten (``ServiceChanged``; nothing stored). Without it (the command),
        decided on the register as read now."""
        found, problems = read_services(path)
        if errors(problems) or not found:
            raise FileRefused(problems)
        return self._register(found, actor, based_on), problems

    def save(self, service: Service, actor: Actor, based_on: tuple[int, str] | None = None) -> Service:
        """Add a service typed by hand, or replace the one with its id as read with ``register_read`` (``based_on``:
        the point it gave): refused (``ServiceChanged`` naming it, nothing stored) when someone else defined it
        since, ``ServiceReplaced`` when the register was put back meanwhile. Without ``based_on`` the service must
        be new (a save that read nothing replaces nothing)."""
        return self._register([service], actor, based_on, new=based_on is None)[0]

    def _register(self, found: list[Service], actor: Actor, based_on: tuple[int, str] | None, new: bool = False) -> list[Service]:
        """``found`` stored as decided on the register at ``based_on`` (None: as read now; ``new``: then none of
        them may be in it)."""
        if based_on is None:
            registered, based_on = register.services_read(self.ws)
            if new and (taken := [s.id for s in found if s.id in registered]):
                raise ServiceError([Msg(N_("{value} is already in the register"), value=i) for i in taken])
        else:  # the services the reader saw: the register up to its point
            registered = register.services_read(self.ws, upto=based_on[0])[0]
        return register.store_services(self.ws, found, actor, based_on, known=registered)

    def register_form(self, form, actor: Actor) -> Service:
        """Register the one new service a form describes (``register_form.ServiceForm``); ``ServiceError`` naming
        each wrong field, nothing stored."""
        from pbtools.services.register_form import service_from_form

        registered, seen = register.services_read(self.ws)
        service = service_from_form(form, taken=set(registered))
        return register.store_services(self.ws, [service], actor, seen)[0]  # new still, when written

    def register_read(self) -> tuple[list[Service], tuple[int, str]]:
        """The register as a screen shows it, and its point ((seq, hash) of its last record): what a save or an
        import from that screen is decided on (``based_on``)."""
        found, point = register.services_read(self.ws)
        return list(found.values()), point

    def services(self) -> list[Service]:
        return list(register.services(self.ws).values())

    def service(self, service_id: str) -> Service:
        return register.service(self.ws, service_id)

    # -- tariffs
    def tariff(self, service_id: str, collection_rate: Decimal | None = None, subsidy: Decimal = Decimal(0)) -> CoveringTariff:
        return covering_tariff(self.service(service_id), collection_rate, subsidy)

    def tariff_options(self, service_id: str, target_rate: Decimal | None = None, subsidy: Decimal | None = None) -> list[CoveringTariff]:
        return tariff_options(self.service(service_id), target_rate, subsidy)

    def tariff_chart(self, service_id: str, lang: str, target_rate: Decimal | None = None, subsidy: Decimal | None = None):
        """The tariff options as the projector shows them (a matplotlib ``Figure``)."""
        from pbtools.services.chart import tariff_chart

        service = self.service(service_id)
        return tariff_chart(service, tariff_options(service, target_rate, subsidy), lang)

    def tariff_hearings(self, lang: str) -> list[tuple[str, str]]:
        """The hearings tariffs can be put to (draft or open), as (label, id), the newest last."""
        from pbtools.hearings.console_service import list_hearings
        from pbtools.hearings.model import CLOSED

        return [(h.label, h.id) for h in list_hearings(self.ws, lang).items if h.status != CLOSED]

    def put_tariffs_to_hearing(self, hearing_id: str, service_id: str, actor: Actor, target_rate: Decimal | None = None,
                               subsidy: Decimal | None = None, motion: bool = False) -> str:
        """The tariff options as a question of a hearing (a choice, or a motion on the first); the question's id."""
        service = self.service(service_id)
        return put_to_hall(self.ws, hearing_id, service, tariff_options(service, target_rate, subsidy), actor, motion)

    # -- surveys
    def start_survey(self, service_id: str, survey_id: str, date: str, actor: Actor,
                     questions: Sequence[SurveyQuestion] = DEFAULT_QUESTIONS, villages: Sequence[str] = ()) -> survey_store.Survey:
        return survey_store.start_survey(self.ws, service_id, survey_id, date, questions, actor, villages)

    def surveys(self, service_id: str) -> list[survey_store.Survey]:
        """The service's surveys as they stand: only the records added since this object last read them are read."""
        found = self._fold(service_id).read(self.ws)
        if not found:
            self.service(service_id)  # a service with no survey, or none at all: says which
        return found

    def _fold(self, service_id: str) -> survey_store.SurveyFold:
        return self._folds.setdefault(service_id, survey_store.SurveyFold(service_id))

    def last_read(self, service_id: str, survey_id: str) -> survey_store.Survey | None:
        """The survey as this object last read it, with the answers it stored since: no reading (a screen shows
        the count after a typed line without reading the survey again)."""
        fold = self._folds.get(service_id)
        return next((s for s in fold.surveys() if s.id == survey_id), None) if fold is not None else None

    def _survey(self, service_id: str, survey_id: str) -> survey_store.Survey:
        found = next((s for s in self.surveys(service_id) if s.id == survey_id), None)
        if found is None:
            raise ServiceError(Msg(N_("There is no survey {id} of this service"), id=survey_id))
        return found

    def close_survey(self, service_id: str, survey_id: str, actor: Actor, closed: bool = True) -> survey_store.Survey:
        """Close a survey to every answer (typed or from phones), or reopen it."""
        self.service(service_id)
        return survey_store.close_survey(self.ws, service_id, survey_id, actor, closed)

    def enter_answer(self, service_id: str, survey_id: str, text: str, actor: Actor, channel: str = "paper") -> int:
        """One respondent's answers as a clerk typed them (``survey_entry``), stored; the record's number."""
        survey = self._survey(service_id, survey_id)  # the one read of the survey for this line
        answer, problems = parse_answer(text, survey.villages, survey.questions, channel)
        if answer is None:
            raise ServiceError(problems)
        return self._store(service_id, survey, survey_id, [answer], actor)[0]

    def record_answers(self, service_id: str, survey_id: str, answers: Iterable[Answer], actor: Actor) -> list[int]:
        survey = next((s for s in self.surveys(service_id) if s.id == survey_id), None)
        return self._store(service_id, survey, survey_id, answers, actor)

    def _store(self, service_id: str, survey, survey_id: str, answers: Iterable[Answer], actor: Actor) -> list[int]:
        written = survey_store.store_answers(self.ws, service_id, survey, survey_id, answers, actor,
                                             seen=self._folds[service_id].point)
        fold = self._folds[service_id]
        fold.apply(written)  # what was just written, without reading it back (when next in turn)
        if written and fold.seq < written[-1].seq:  # another clerk wrote in between: read theirs and ours
            fold.read(self.ws)
        return [r.seq for r in written]

    def void_answer(self, service_id: str, seq: int, actor: Actor) -> None:
        survey_store.void_answer(self.ws, service_id, seq, actor)

    def open_to_phones(self, service_id: str, survey_id: str, actor: Actor, open: bool = True) -> None:
        """Let phones in the hall answer this survey at /survey/<service> (or stop them)."""
        self.service(service_id)
        set_phones(self.ws, service_id, survey_id, open, actor)

    def results(self, service_id: str, survey_id: str | None = None) -> SurveyResults | None:
        """The latest survey's results (or ``survey_id``'s) with the trend; None when the service has no survey."""
        found = latest_results(self.surveys(service_id), survey_id)
        if found is None and survey_id is not None:
            self._survey(service_id, survey_id)  # says there is no such survey
        return found

    def phone_survey(self, service_id: str) -> str | None:
        """The id of the survey phones may answer now at /survey/<service>, else None (the records since the last
        read only)."""
        fold = self._fold(service_id)
        fold.read(self.ws)
        found = fold.phone_survey()
        return None if found is None else found.id

    def survey_head(self, service_id: str) -> tuple[int, str]:
        """How far the service's survey records go, and the last one's hash: a screen that follows the answers
        redraws when it moves on, or when the records were replaced (a backup restored: it may end at the same seq)."""
        from pbtools.services.records import survey_stream

        return self.ws.ledger.tip(survey_stream(service_id))

    def municipality(self):
        """The workspace's municipality (None without one): its villages' names in every language."""
        return self.ws.municipality()

    def write_scorecard(self, service_id: str, lang: str, out: Path | str) -> Path:
        return write_scorecard(self.service(service_id), self.results(service_id), lang, out, self.ws.municipality())

    def scorecard_file(self, service_id: str, lang: str, fmt: str) -> Path:
        """Write the scorecard (``fmt`` pdf or docx) into the workspace's reports folder, where the screens offer
        their files for download; its path."""
        return self.write_scorecard(service_id, lang, file_in(reports_folder(self.ws.path), f"scorecard-{service_id}-{lang}.{fmt}"))

    # -- the improvement plan
    def save_plan(self, plan: plans.Plan, actor: Actor) -> plans.Plan:
        return plans.save_plan(self.ws, plan, actor)

    def plan(self, service_id: str) -> plans.Plan | None:
        self.service(service_id)
        return plans.load_plan(self.ws, service_id)

    def follow_plan(self, service_id: str, actor: Actor) -> list:
        """Each activity of the plan as a monitored project (``follow``); the projects made now."""
        return follow_plan(self.ws, service_id, actor)

    def start_plan(self, service_id: str, actor: Actor) -> plans.Plan:
        """A new plan whose problems are the latest survey's weakest-rated items (``plan_edit.weakest``)."""
        from pbtools.services.plan_edit import start_plan

        return start_plan(self.ws, service_id, actor, self.results(service_id), self.ws.municipality())

    def add_activity(self, service_id: str, form, actor: Actor) -> plans.Activity:
        """One activity typed (``plan_edit.ActivityForm``) added to the plan; each wrong field named."""
        from pbtools.services.plan_edit import add_activity

        return add_activity(self.ws, service_id, form, actor)

    def record_progress(self, service_id: str, activity_id: str, form, actor: Actor):
        """A followed activity's status, percent, actual cost and dates, on its monitored project."""
        from pbtools.services.plan_edit import record_progress

        return record_progress(self.ws, service_id, activity_id, form, actor)

    def followed(self, service_id: str) -> list:
        """The plan's activities with their monitored projects (None: not followed yet)."""
        self.service(service_id)
        return followed(self.ws, service_id)

    def plan_view(self, service_id: str) -> tuple[Service, plans.Plan | None, list]:
        """What the improvement plan tab draws: (the service, its plan or None, the plan's activities with their
        projects), each read once (the tab read the plan four times per draw)."""
        service = self.service(service_id)
        plan = plans.load_plan(self.ws, service_id)
        return service, plan, followed_in(self.ws, service_id, plan)
