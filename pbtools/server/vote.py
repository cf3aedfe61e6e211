"""Voting from citizens' phones: light HTML ballot pages served by the same process as the apps, no kernel per voter.

    GET  /vote/<hearing>              the questions (or straight to the only one)
    GET  /vote/<hearing>/<question>   the ballot
    POST /vote/<hearing>/<question>   store it (XSRF-checked); the receipt is sent only once it is committed

These pages need no login: a voter needs a one-time code (codes mode) or, in open mode, gets a signed device cookie
and one ballot per question. Everything that touches the database runs on one worker thread (``BallotDesk``), so the
event loop keeps serving while a ballot is committed, and ballots from phones are stored one after another.
"""

from __future__ import annotations

import asyncio
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tornado.web

from pbtools.hearings.model import Question
from pbtools.i18n import LANGS, N_, Msg, translator
from pbtools.server import ballot_page as P
from pbtools.server.ballot_form import Form, parse_ballot
from pbtools.server.phone_mode import CODES, OPEN, phone_mode

DEFAULT_LANG = "ky"
DEVICE_COOKIE = "pbtools_device"
DEVICE_DAYS = 31
MAX_BODY = 32 * 1024  # a ballot form is well under 2 KB
CODE_USED = "This voting code has already been used for this question"  # the store's message, to answer 409
DEVICE_USED = N_("This phone has already voted on this question")
PHONES_OFF = N_("Voting from phones is not open at this hearing")


@dataclass
class Outcome:
    """What became of a submitted ballot."""

    view: P.HearingView | None
    question: Question | None = None
    receipt: str | None = None
    problems: list[Msg] = field(default_factory=list)

    @property
    def status(self) -> int:
        if self.view is None or self.question is None:
            return 404
        if self.receipt:
            return 200
        return 409 if any(p.msgid in (CODE_USED, DEVICE_USED) for p in self.problems) else 422


class BallotDesk:
    """The server process's access to the workspace for phone voting. Every method except ``call`` runs on the
    desk's single worker thread: the HearingStores it keeps are not shared with any other thread."""

    def __init__(self, workspace: Path, db_url: str | None) -> None:
        self.workspace, self.db_url = workspace, db_url
        self._ws: Any = None
        self._stores: dict[str, Any] = {}
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ballots")

    async def call(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    def _store(self, hearing_id: str) -> Any:
        from pbtools.hearings.store import HearingError, HearingStore
        from pbtools.storage import WorkspaceError, open_workspace

        if hearing_id not in self._stores:
            try:
                if self._ws is None:
                    self._ws = open_workspace(self.workspace, db_url=self.db_url, create=False)
                self._stores[hearing_id] = HearingStore(self._ws, hearing_id)
            except (HearingError, WorkspaceError):
                return None  # not kept: the hearing may be created later
        return self._stores[hearing_id]

    def view(self, hearing_id: str, refresh: bool = True) -> P.HearingView | None:
        store = self._store(hearing_id)
        if store is None:
            return None
        st = store.refresh() if refresh else store.state
        return P.HearingView(hearing_id, st.hearing, st.status, phone_mode(self._ws, hearing_id),
                             tuple(st.questions.values()), dict(st.options))

    def submit(self, hearing_id: str, question_id: str, form: Form, device: str | None) -> Outcome:
        from pbtools.hearings.store import HearingError

        view = self.view(hearing_id, refresh=False)  # cast() folds the newest records before it checks anything
        question = view.question(question_id) if view else None
        if question is None:  # perhaps defined a moment ago: look again in the newest records
            view = self.view(hearing_id)
            question = view.question(question_id) if view else None
        if question is None:
            return Outcome(view)
        ballot, problems = parse_ballot(question, view.options, form)
        if problems:
            return Outcome(view, question, problems=problems)
        store = self._stores[hearing_id]
        try:
            if view.mode == CODES:
                code = (form.get("code") or [""])[0]
                if not code.strip():
                    return Outcome(view, question, problems=[Msg(N_("Type the voting code from your card"))])
                receipt = store.cast(question_id, ballot, actor="phone", channel="phone", code=code)
            elif view.mode == OPEN:
                if device is None:
                    return Outcome(view, question, problems=[Msg(N_("Your browser must accept cookies to vote here"))])
                actor = f"phone:{device}"
                # One ballot per device and question. The store has no key for this, so the check and the append
                # stay together on this one thread (the only writer of phone ballots); voided ones count too.
                st = store.refresh()
                if any(getattr(b, "actor", None) == actor and getattr(b, "question", None) == question_id
                       for b in (*st.ballots.values(), *st.voided.values())):
                    return Outcome(view, question, problems=[Msg(DEVICE_USED)])
                receipt = store.cast(question_id, ballot, actor=actor, channel="phone")
            else:
                return Outcome(view, question, problems=[Msg(PHONES_OFF)])
        except HearingError as e:
            return Outcome(self.view(hearing_id), question, problems=e.problems)
        return Outcome(view, question, receipt=P.receipt_text(receipt.seq, receipt.hash))


class VoterPage(tornado.web.RequestHandler):
    """Plain tornado (no Jupyter login): these pages are for everyone in the hall."""

    def initialize(self, desk: BallotDesk) -> None:
        self.desk = desk

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")  # a ballot page holds an XSRF token; a receipt is private
        self.set_header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Content-Type", "text/html; charset=utf-8")

    @property
    def lang(self) -> str:
        lang = self.get_query_argument("lang", None)
        return lang if lang in LANGS else DEFAULT_LANG

    def send(self, status: int, page: str) -> None:
        self.set_status(status)
        self.finish(page)

    def notice(self, status: int, text: str, view: P.HearingView | None = None) -> None:
        self.send(status, P.notice_page(self.lang, self.request.path, text, view))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        _ = translator(self.lang)
        self.finish(P.notice_page(self.lang, self.request.path, _("Something went wrong; please try again.")))

    def device(self, create: bool) -> str | None:
        value = self.get_signed_cookie(DEVICE_COOKIE, max_age_days=DEVICE_DAYS)
        if value:
            return value.decode()
        if not create:
            return None
        device = secrets.token_urlsafe(12)
        self.set_signed_cookie(DEVICE_COOKIE, device, expires_days=DEVICE_DAYS, httponly=True, samesite="Lax")
        return device

    def missing(self, view: P.HearingView | None) -> None:
        _ = translator(self.lang)
        if view is None:
            self.notice(404, _("There is no hearing at this address; check the address on the screen."))
        else:
            self.notice(404, _("There is no such question at this hearing."), view)

    def closed(self, view: P.HearingView) -> bool:
        reason = P.closed_reason(view, self.lang)
        if reason:
            self.notice(409, reason, view)
        return bool(reason)


class HearingPage(VoterPage):
    async def get(self, hearing_id: str) -> None:
        view = await self.desk.call(self.desk.view, hearing_id)
        if view is None:
            return self.missing(view)
        if self.closed(view):
            return None
        if len(view.questions) == 1:
            return self.redirect(f"/vote/{hearing_id}/{view.questions[0].id}?lang={self.lang}")
        self.send(200, P.hearing_page(view, self.lang, self.request.path))


class BallotPage(VoterPage):
    async def get(self, hearing_id: str, question_id: str) -> None:
        view = await self.desk.call(self.desk.view, hearing_id)
        question = view.question(question_id) if view else None
        if question is None:
            return self.missing(view)
        if self.closed(view):
            return None
        if view.mode == OPEN:
            self.device(create=True)
        self.send(200, P.ballot_page(view, question, self.lang, self.request.path, self.xsrf_form_html(),
                                     others=len(view.questions) > 1))

    async def post(self, hearing_id: str, question_id: str) -> None:
        _ = translator(self.lang)
        if len(self.request.body) > MAX_BODY:
            return self.notice(413, _("Something went wrong; please try again."))
        try:
            self.check_xsrf_cookie()  # Voila's settings leave xsrf_cookies off, so it is checked here
        except tornado.web.HTTPError:
            return self.notice(403, _("This form has expired or your browser refused its cookie; open the ballot again."))
        form = {name: [v.decode("utf-8", "replace") for v in values]
                for name, values in self.request.body_arguments.items() if name != "_xsrf"}
        outcome: Outcome = await self.desk.call(self.desk.submit, hearing_id, question_id, form, self.device(create=False))
        view, question = outcome.view, outcome.question
        if question is None:
            return self.missing(view)
        others = len(view.questions) > 1
        if outcome.receipt:
            return self.send(200, P.receipt_page(view, question, outcome.receipt, self.lang, self.request.path, others))
        if self.closed(view):
            return None
        self.send(outcome.status, P.ballot_page(view, question, self.lang, self.request.path, self.xsrf_form_html(),
                                                form=form, problems=outcome.problems, others=others))


def handlers(workspace: Path, db_url: str | None) -> list:
    desk = BallotDesk(workspace, db_url)
    return [
        (r"/vote/([^/]+)/?", HearingPage, {"desk": desk}),
        (r"/vote/([^/]+)/([^/]+)", BallotPage, {"desk": desk}),
    ]
