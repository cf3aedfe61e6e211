"""Survey answers from phones: the same light, kernel-free pages as phone voting (``vote.py``), open to anyone in
the hall with a phone, one answer per phone and survey (the signed device cookie; the ledger key
``device:<survey>:<device>``).

    GET  /survey/<service>   the form of the survey open to phones (``pbtools.services.phone_survey``)
    POST /survey/<service>   store it (XSRF-checked); the answer's receipt once it is committed

As with ballots, everything that touches the database runs on one worker thread, and answers arriving while a
commit is under way are stored together by the next one (one commit for the lot).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tornado.web

from pbtools.dates import shown_day
from pbtools.hearings.model import SEXES, label
from pbtools.html import markup, render_in
from pbtools.i18n import LANG_NAMES, N_, Msg, translator
from pbtools.phones.view import receipt_text
from pbtools.roles import Actor, FACILITATOR
from pbtools.server import ballot_page as P
from pbtools.server.group_commit import GroupCommit
from pbtools.phones.urls import Urls
from pbtools.server.vote import MAX_BODY, VoterPage
from pbtools.services.errors import ServiceError
from pbtools.services.phone_survey import answer_from_form, phone_survey, store_phone_answers
from pbtools.services.places import village_names
from pbtools.services.records import ANSWER_RECORDED, REGISTER, survey_stream
from pbtools.services.register import service
from pbtools.services.survey import SURVEY_AGE_GROUPS
from pbtools.services.survey_store import SurveyClosed
from pbtools.storage import KeyTaken, LedgerError, StreamRewound, WorkspaceError, open_workspace

ANSWERED = N_("This phone has already answered this survey")
NOT_OPEN = N_("This survey is not open to phones")
PHONE = Actor("phone", FACILITATOR)  # the hall's phones write through the server, as the facilitator allowed


@dataclass
class Outcome:
    service: Any = None
    survey: Any = None
    receipt: str = ""
    problems: list[Msg] = field(default_factory=list)
    taken: bool = False

    @property
    def status(self) -> int:
        if self.survey is None:
            return 404
        return 200 if self.receipt else 409 if self.taken else 422


class SurveyDesk(GroupCommit):
    """The server's access to the workspace's surveys; every method but ``call`` and ``submit`` runs on its one
    worker thread."""

    def __init__(self, workspace: Path, db_url: str | None, voter_key: bytes) -> None:
        self.workspace, self.db_url, self.voter_key = workspace, db_url, voter_key
        self._ws: Any = None
        super().__init__("surveys")
        # per service: (register's (seq, hash), survey stream's (seq, hash) read up to, (service, survey open to
        # phones)); the form is looked up again only when a record other than an answer came, or the records were
        # replaced (a backup restored) (reading every answer at each page made a flood of answers slow every page:
        # 12.8 ms with none, 89 ms after 1,000)
        self._seen: dict[str, tuple[tuple[int, str], tuple[int, str], tuple]] = {}
        self.municipality: Any = None  # its villages' names in every language, read with the register

    async def submit(self, service_id: str, form: dict, device: str | None) -> Outcome:
        return await super().submit(service_id, form, device)

    def view(self, service_id: str) -> tuple[Any, Any]:
        """(the service, the survey open to phones), either None when there is none; reads only the records added
        since the last look when they are all answers."""
        try:
            if self._ws is None:
                self._ws = open_workspace(self.workspace, db_url=self.db_url, create=False)
            register, stream = self._ws.ledger.tip(REGISTER), survey_stream(service_id)
            seen = self._seen.get(service_id)
            if seen is not None and seen[0] == register:
                try:
                    new = self._ws.ledger.records(stream, after_seq=seen[1][0], after_hash=seen[1][1])
                except StreamRewound:  # another history now: read below as if never seen
                    new = None
                if new is not None and all(r.kind == ANSWER_RECORDED for r in new):  # answers change neither the form nor what is open
                    self._seen[service_id] = (register, (new[-1].seq, new[-1].hash) if new else seen[1], seen[2])
                    return seen[2]
            point = self._ws.ledger.tip(stream)  # before reading: what comes meanwhile is looked at next time
            found = service(self._ws, service_id), phone_survey(self._ws, service_id)
            self.municipality = self._ws.municipality()
            self._seen[service_id] = (register, point, found)
            return found
        except (ServiceError, WorkspaceError):
            return None, None

    def answered(self, service_id: str, survey_id: str, device: str) -> bool:
        """Whether this phone has answered this survey already (its device key is taken): said when the page is
        opened, not after the whole form was filled in (the ledger key still refuses a second answer at submit)."""
        return self._ws is not None and self._ws.ledger.keyed(survey_stream(service_id), f"device:{survey_id}:{device}") is not None

    def submit_many(self, submissions: list[tuple[str, dict, str | None]]) -> list[Outcome]:
        """Read each form, then store the accepted answers of each service with one commit."""
        outcomes: list[Outcome] = []
        views: dict[str, tuple] = {}
        accepted: dict[str, list[tuple[int, Any, str]]] = {}
        for i, (service_id, form, device) in enumerate(submissions):
            if service_id not in views:  # with the record up to which the survey was seen open to phones
                views[service_id] = *self.view(service_id), self._seen[service_id][1] if service_id in self._seen else (0, "")
            service, survey, _ = views[service_id]
            outcome = Outcome(service, survey)
            outcomes.append(outcome)
            if survey is None:
                continue
            if device is None:
                outcome.problems = [Msg(N_("Your browser must accept cookies to answer here"))]
                continue
            answer, outcome.problems = answer_from_form(survey, form)
            if answer is not None:
                accepted.setdefault(service_id, []).append((i, answer, device))
        for service_id, items in accepted.items():
            _, survey, seen = views[service_id]
            results = store_phone_answers(self._ws, service_id, survey.id, [(a, d) for _, a, d in items], PHONE, seen)
            for (i, _, _), result in zip(items, results):
                if isinstance(result, SurveyClosed):  # closed while the answer was on its way: as if not open
                    outcomes[i].survey = None
                elif isinstance(result, KeyTaken):
                    outcomes[i].taken, outcomes[i].problems = True, [Msg(ANSWERED)]
                elif isinstance(result, LedgerError):
                    outcomes[i].problems = [result.message]
                else:
                    outcomes[i].receipt = receipt_text(self.voter_key, result.hash)
        return outcomes


def _choices(items: list[tuple[str, str]], chosen: str) -> list[dict]:
    return [{"value": v, "text": t, "checked": v == chosen} for v, t in items]


def form_page(service: Any, survey: Any, lang: str, path: str, urls: Urls, xsrf: str, form: dict | None = None,
              problems: list[Msg] = (), municipality: Any = None) -> str:
    """The survey's form; ``municipality`` names its villages in ``lang``."""
    _ = translator(lang)
    form = form or {}

    def given(name: str) -> str:
        return (form.get(name) or [""])[0]

    questions = [{"id": q.id, "title": q.title(lang),
                  "choices": _choices([(str(n), q.choice(n, lang)) for n in range(1, len(q.choices) + 1)], given(f"q-{q.id}"))}
                 for q in survey.questions]
    return render_in(P.TEMPLATES, "survey/form.html", lang=lang, title=service.name(lang), path=path,
                     langs=LANG_NAMES.items(), static=urls.static(), heading=(shown_day(survey.date, lang),), script="", inline="", practice=None,
                     heading_text=_("What do you think of this service: {service}?", service=service.name(lang)),
                     xsrf=markup(xsrf), about=_("About you"), fields=[
                         {"name": "village", "label": _("Village"),
                          "choices": _choices([(str(i), v) for i, v in enumerate(village_names(survey.villages, municipality, lang), start=1)], given("village"))},
                         {"name": "sex", "label": _("Sex"), "choices": _choices([(s, label(s, lang)) for s in SEXES], given("sex"))},
                         {"name": "age", "label": _("Age group"),
                          "choices": _choices([(a, label(a, lang)) for a in SURVEY_AGE_GROUPS], given("age"))}],
                     questions=questions, problems=[p.render(lang) for p in problems], send=_("Send"))


def thanks_page(service: Any, lang: str, path: str, urls: Urls, receipt: str) -> str:
    _ = translator(lang)
    return render_in(P.TEMPLATES, "survey/thanks.html", lang=lang, title=service.name(lang), path=path,
                     langs=LANG_NAMES.items(), static=urls.static(), heading=None, script="", inline="", practice=None,
                     text=_("Thank you: your answer is stored."), receipt_label=_("Receipt number:"), receipt=receipt)


class SurveyPage(VoterPage):
    async def get(self, service_id: str) -> None:
        service, survey = await self.desk.call(self.desk.view, service_id)
        if survey is None:
            return self.notice(404, Msg(NOT_OPEN).render(self.lang))
        device = self.device(create=False)
        if device is not None and await self.desk.call(self.desk.answered, service_id, survey.id, device):
            return self.notice(409, Msg(ANSWERED).render(self.lang))  # said now, not after the form is filled in
        self.device(create=True)
        self.send(200, form_page(service, survey, self.lang, self.request.path, self.urls, self.xsrf_form_html(),
                                 municipality=self.desk.municipality))

    async def post(self, service_id: str) -> None:
        _ = translator(self.lang)
        if len(self.request.body) > MAX_BODY:
            return self.notice(413, _("Something went wrong; please try again."))
        try:
            self.check_xsrf_cookie()
        except tornado.web.HTTPError:
            return self.notice(403, _("This form has expired or your browser refused its cookie; open the ballot again."))
        form = {name: [v.decode("utf-8", "replace") for v in values]
                for name, values in self.request.body_arguments.items() if name != "_xsrf"}
        outcome = await self.desk.submit(service_id, form, self.device(create=False))
        if outcome.survey is None:
            return self.notice(404, Msg(NOT_OPEN).render(self.lang))
        if outcome.receipt:
            return self.send(200, thanks_page(outcome.service, self.lang, self.request.path, self.urls, outcome.receipt))
        if outcome.taken:
            return self.notice(409, Msg(ANSWERED).render(self.lang))
        self.send(outcome.status, form_page(outcome.service, outcome.survey, self.lang, self.request.path, self.urls,
                                            self.xsrf_form_html(), form, outcome.problems, self.desk.municipality))


def handlers(workspace: Path, db_url: str | None, voter_key: bytes, urls: Urls) -> list:
    desk = SurveyDesk(workspace, db_url, voter_key)
    return [(r"/survey/([^/]+)/?", SurveyPage, {"desk": desk, "urls": urls})]
