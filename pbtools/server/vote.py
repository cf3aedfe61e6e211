"""Voting from citizens' phones: light HTML ballot pages served by the same process as the apps, no kernel per voter.

    GET  /vote/<hearing>              the questions (or straight to the only one)
    GET  /vote/<hearing>/<question>   the ballot
    POST /vote/<hearing>/<question>   store it (XSRF-checked); once it is committed, redirect (303) to its receipt
    GET  /vote/<hearing>/<question>/receipt/<receipt>.<mac>   the receipt: reloading or switching language keeps it

These pages need no login: a voter needs a one-time code (codes mode) or, in open mode, gets a signed device cookie
and one ballot per question (the ledger key ``device:<question>:<device>``, kept once even across processes).
Everything that touches the database runs on one worker thread (``BallotDesk``), so the event loop keeps serving
while ballots are committed. Ballots that arrive while a commit is under way (or within a moment of the first)
are stored together by the next one (group commit: ``group_commit.py``), then each phone gets its own answer;
one form that breaks the reading or the casting fails only itself.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tornado.web

from pbtools.hearings.casting import submission_digest
from pbtools.hearings.codes import stored_hash
from pbtools.hearings.errors import AlreadyRecorded, CodeUsed
from pbtools.hearings.model import Question
from pbtools.hearings.records import HEARING_ID_PATTERN
from pbtools.hearings.store import CastItem, HearingError, HearingStore
from pbtools.i18n import LANGS, N_, Msg, browser_lang, translator
from pbtools.moments import local_moment
from pbtools.phones.form import Form, parse_ballot, parse_voter, repeated_fields
from pbtools.phones.address import is_loopback
from pbtools.phones.mode import CODES, OPEN, phone_mode
from pbtools.phones.view import HearingView, closed_reason, receipt_text, submission_id
from pbtools.server import ballot_page as P
from pbtools.server.group_commit import GroupCommit
from pbtools.phones.urls import Urls
from pbtools.storage import WorkspaceError, open_workspace

DEFAULT_LANG = "ky"
DEVICE_COOKIE = "pbtools_device"
DEVICE_DAYS = 31
MAX_BODY = 32 * 1024  # a ballot form is well under 2 KB
DEVICE_USED = N_("This phone has already voted on this question")
PHONES_OFF = N_("Voting from phones is not open at this hearing")
UNREADABLE = N_("This ballot could not be read; open the ballot again and send it once more")
RECEIPT_PATH = r"([2-9a-z]{4}-[2-9a-z]{4})\.([0-9a-f]{32})"  # phones.view.receipt_text, then its MAC


@dataclass
class Outcome:
    """What became of a submitted ballot."""

    view: HearingView | None
    question: Question | None = None
    receipt: str | None = None
    problems: list[Msg] = field(default_factory=list)
    received_at: Any = None  # set when this was a retry of a form already stored: when it was stored
    taken: bool = False  # refused because its code or this phone already voted on the question (409, not 422)

    @property
    def status(self) -> int:
        if self.view is None or self.question is None:
            return 404
        if self.receipt:
            return 200
        return 409 if self.taken else 422


class BallotDesk(GroupCommit):
    """The server process's access to the workspace for phone voting. Every method except ``call`` and ``submit``
    runs on the desk's single worker thread: the HearingStores it keeps are not shared with any other thread."""

    THREAD = "ballots"  # its worker thread's name

    def __init__(self, workspace: Path, db_url: str | None, voter_key: bytes = b"") -> None:
        self.workspace, self.db_url = workspace, db_url
        self.voter_key = voter_key or secrets.token_bytes(32)
        self._ws: Any = None
        self._stores: dict[str, Any] = {}
        self.views: dict[str, HearingView] = {}  # the last view of each hearing, for receipt pages
        super().__init__(self.THREAD)

    async def submit(self, hearing_id: str, question_id: str, form: Form, device: str | None) -> Outcome:
        """Store one submitted ballot together with those arriving about now; its outcome once committed."""
        return await super().submit(hearing_id, question_id, form, device)

    def _store(self, hearing_id: str) -> Any:
        if hearing_id not in self._stores:
            try:
                if self._ws is None:
                    self._ws = open_workspace(self.workspace, db_url=self.db_url, create=False)
                self._stores[hearing_id] = HearingStore(self._ws, hearing_id)
            except (HearingError, WorkspaceError):
                return None  # not kept: the hearing may be created later
        return self._stores[hearing_id]

    def view(self, hearing_id: str, refresh: bool = True) -> HearingView | None:
        store = self._store(hearing_id)
        if store is None:
            return None
        st = store.refresh() if refresh else store.state
        view = HearingView(hearing_id, st.hearing, st.status, phone_mode(self._ws, hearing_id),
                             tuple(st.questions.values()), dict(st.options), self._ws.municipality())
        self.views[hearing_id] = view
        return view

    def voted(self, hearing_id: str, question_id: str, device: str) -> bool:
        """Whether this phone (open mode) has voted on this question already (its device key is taken, a voided
        ballot's too): said when the ballot is opened, not after it is filled in and sent (as the survey page)."""
        store = self._store(hearing_id)
        return store is not None and self._ws.ledger.keyed(store.stream, f"device:{question_id}:{device}") is not None

    def receipt_mac(self, hearing_id: str, question_id: str, receipt: str) -> str:
        """Signs a receipt link, so that only the server's own redirect after a commit leads to a receipt page."""
        message = f"receipt\0{hearing_id}\0{question_id}\0{receipt}".encode()
        return hmac.new(self.voter_key, message, hashlib.sha256).hexdigest()[:32]

    def submit_many(self, submissions: list[tuple[str, str, Form, str | None]]) -> list[Outcome]:
        """Check each submission's form, then store the accepted ballots of each hearing with one ``cast_many``
        (which checks them again against the newest records). One outcome per submission, in order."""
        outcomes: list[Any] = []
        views: dict[str, HearingView | None] = {}  # the mode is read once per batch, not once per ballot
        casts: dict[str, list[tuple[int, CastItem]]] = {}
        for i, (hearing_id, question_id, form, device) in enumerate(submissions):
            try:
                checked = self._check(views, hearing_id, question_id, form, device)
            except Exception:  # noqa: BLE001 - a form that breaks the reading fails alone, not its whole commit
                logging.getLogger(__name__).exception("a phone ballot could not be read")
                view = views.get(hearing_id)
                checked = Outcome(view, view.question(question_id) if view else None, problems=[Msg(UNREADABLE)])
            outcomes.append(checked if isinstance(checked, Outcome) else None)
            if isinstance(checked, CastItem):
                casts.setdefault(hearing_id, []).append((i, checked))
        for hearing_id, items in casts.items():
            view, fresh = views[hearing_id], None
            store = self._stores[hearing_id]
            try:
                results: list[Any] = store.cast_many([item for _, item in items])
            except Exception:  # noqa: BLE001 - raised before the commit (after it cast_many still gives the receipts):
                # cast each alone, so only the culprit fails
                logging.getLogger(__name__).exception("a group of phone ballots failed; casting them one by one")
                results = [self._cast_alone(store, item) for _, item in items]
            for (i, item), result in zip(items, results):
                question = view.question(item.question_id)
                if isinstance(result, Exception) and not isinstance(result, HearingError):
                    outcomes[i] = result  # this request alone fails (500); it was not stored
                elif isinstance(result, HearingError) and (stored := self._stored_before(store, item, result)):
                    outcomes[i] = Outcome(view, question, receipt=receipt_text(self.voter_key, stored.hash),
                                          received_at=local_moment(stored.created_at, self._ws.time_zone()))
                elif isinstance(result, HearingError):
                    fresh = fresh or self.view(hearing_id)  # closed a moment ago? the page will say so
                    taken = isinstance(result, (CodeUsed, AlreadyRecorded))
                    # a phone's key taken: this phone voted on the question already (the store's words are a clerk's)
                    problems = [Msg(DEVICE_USED)] if item.key and isinstance(result, AlreadyRecorded) else result.problems
                    outcomes[i] = Outcome(fresh, question, problems=problems, taken=taken)
                else:
                    outcomes[i] = Outcome(view, question, receipt=receipt_text(self.voter_key, result.hash))
        return outcomes

    def _stored_before(self, store: Any, item: CastItem, error: Any) -> Any:
        """The record of this very form when it was stored before (the phone did not get the answer, e.g. the
        server died just after the commit, and sent the form again): its code or phone key is taken, by a record
        made from a form with the same id. None otherwise."""
        if not item.submission or not isinstance(error, (CodeUsed, AlreadyRecorded)):
            return None
        key = item.key
        if item.code is not None:
            h = stored_hash(store.id, item.code, store.code_key, store.state.codes)
            key = f"code:{item.question_id}:{h}"
        record = self._ws.ledger.keyed(store.stream, key) if key else None
        if record is None or not hmac.compare_digest(str(record.payload.get("submission", "")),
                                                      submission_digest(item.submission)):
            return None
        return record

    @staticmethod
    def _cast_alone(store: Any, item: CastItem) -> Any:
        try:
            return store.cast_many([item])[0]
        except Exception as e:  # noqa: BLE001 - handed back as this submission's outcome
            logging.getLogger(__name__).exception("a phone ballot was not stored")
            return e

    def _check(self, views: dict, hearing_id: str, question_id: str, form: Form, device: str | None) -> Outcome | CastItem:
        """The ballot to cast, or the outcome when the form cannot become one."""
        if hearing_id not in views:
            views[hearing_id] = self.view(hearing_id, refresh=False)  # cast_many folds the newest records first
        view = views[hearing_id]
        question = view.question(question_id) if view else None
        if question is None:  # perhaps defined a moment ago: look again in the newest records
            view = views[hearing_id] = self.view(hearing_id)
            question = view.question(question_id) if view else None
        if question is None:
            return Outcome(view)
        repeated = repeated_fields(form)
        if repeated:
            return Outcome(view, question, problems=repeated)
        ballot, problems = parse_ballot(question, view.options, form)
        if problems:
            return Outcome(view, question, problems=problems)
        if view.mode == CODES:
            code = (form.get("code") or [""])[0]
            if not code.strip():
                return Outcome(view, question, problems=[Msg(N_("Type the voting code from your card"))])
            return CastItem(question_id, ballot, "phone", "phone", code=code, voter=parse_voter(form),
                            submission=submission_id(form))
        if view.mode == OPEN:
            if device is None:
                return Outcome(view, question, problems=[Msg(N_("Your browser must accept cookies to vote here"))])
            # one ballot per device and question: the ledger takes the key once, voided ballots included
            return CastItem(question_id, ballot, f"phone:{device}", "phone", key=f"device:{question_id}:{device}",
                            voter=parse_voter(form), submission=submission_id(form))
        return Outcome(view, question, problems=[Msg(PHONES_OFF)])


class VoterPage(tornado.web.RequestHandler):
    """Plain tornado (no Jupyter login): these pages are for everyone in the hall."""

    def initialize(self, desk: BallotDesk, urls: Urls) -> None:
        self.desk, self.urls = desk, urls  # every address these pages name comes from ``urls`` (the base URL's)

    def prepare(self) -> None:
        # a server nobody logs in to answers only this machine's names (``app.AppServer.build``)
        if not self.settings.get("allow_remote_access", True) and not is_loopback(self.request.host_name.strip("[]")):
            raise tornado.web.HTTPError(403)

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")  # a ballot page holds an XSRF token; a receipt is private
        # the only inline scripts allowed are the hearing page's and the receipt's, by their hashes
        self.set_header("Content-Security-Policy", f"default-src 'self'; script-src 'self' '{P.CARRY_CODE_HASH}' "
                                                   f"'{P.KEEP_RECEIPT_HASH}'; frame-ancestors 'none'; form-action 'self'")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Content-Type", "text/html; charset=utf-8")

    @property
    def lang(self) -> str:
        lang = self.get_query_argument("lang", None)
        if lang in LANGS:
            return lang
        # a phone's own language when the address names none (a phone set to Russian got Kyrgyz)
        return browser_lang(self.request.headers.get("Accept-Language", "")) or DEFAULT_LANG

    def send(self, status: int, page: str) -> None:
        self.set_status(status)
        self.finish(page)

    def notice(self, status: int, text: str, view: HearingView | None = None, others: bool = False) -> None:
        self.send(status, P.notice_page(self.lang, self.request.path, text, self.urls, view, others=others))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        _ = translator(self.lang)
        self.finish(P.notice_page(self.lang, self.request.path, _("Something went wrong; please try again."), self.urls))

    def device(self, create: bool) -> str | None:
        """The phone's id in open mode, signed with the voters' key (not the login's cookie secret, which a new
        password replaces: the phone must stay known, or it could vote again)."""
        raw = self.get_cookie(DEVICE_COOKIE)
        value = tornado.web.decode_signed_value(self.desk.voter_key, DEVICE_COOKIE, raw, max_age_days=DEVICE_DAYS) if raw else None
        if value:
            return value.decode()
        if not create:
            return None
        device = secrets.token_urlsafe(12)
        signed = tornado.web.create_signed_value(self.desk.voter_key, DEVICE_COOKIE, device)
        # this server's pages only: behind the hub other users' servers share the host, each with its own voters' key
        self.set_cookie(DEVICE_COOKIE, signed, expires_days=DEVICE_DAYS, httponly=True, samesite="Lax", path=self.urls.base)
        return device

    def missing(self, view: HearingView | None) -> None:
        _ = translator(self.lang)
        if view is None:
            self.notice(404, _("There is no hearing at this address; check the address on the screen."))
        else:
            self.notice(404, _("There is no such question at this hearing."), view)

    def closed(self, view: HearingView) -> bool:
        reason = closed_reason(view, self.lang)
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
            return self.redirect(f"{self.urls.vote(hearing_id, view.questions[0].id)}?lang={self.lang}")
        self.send(200, P.hearing_page(view, self.lang, self.request.path, self.urls))


class BallotPage(VoterPage):
    async def get(self, hearing_id: str, question_id: str) -> None:
        view = await self.desk.call(self.desk.view, hearing_id)
        question = view.question(question_id) if view else None
        if question is None:
            return self.missing(view)
        if self.closed(view):
            return None
        if view.mode == OPEN:
            device = self.device(create=False)
            if device is not None and await self.desk.call(self.desk.voted, hearing_id, question_id, device):
                # said now, not after the form is filled in and sent (still refused at the submit)
                return self.notice(409, Msg(DEVICE_USED).render(self.lang), view, others=len(view.questions) > 1)
            self.device(create=True)
        self.send(200, P.ballot_page(view, question, self.lang, self.request.path, self.urls, self.xsrf_form_html(),
                                     others=len(view.questions) > 1))

    async def post(self, hearing_id: str, question_id: str) -> None:
        _ = translator(self.lang)
        if len(self.request.body) > MAX_BODY:
            return self.notice(413, _("Something went wrong; please try again."))
        try:
            self.check_xsrf_cookie()  # Voila's settings leave xsrf_cookies off, so it is checked here
        except tornado.web.HTTPError:
            return self.notice(403, _("This form has expired or your browser refused its cookie; open the ballot again."))
        if len(self.request.body_arguments.get("_xsrf", ())) > 1:
            return self.notice(403, _("This form has expired or your browser refused its cookie; open the ballot again."))
        form = {name: [v.decode("utf-8", "replace") for v in values]
                for name, values in self.request.body_arguments.items() if name != "_xsrf"}
        outcome = await self.desk.submit(hearing_id, question_id, form, self.device(create=False))
        view, question = outcome.view, outcome.question
        if question is None:
            return self.missing(view)
        others = len(view.questions) > 1
        if outcome.receipt:  # the receipt at once, its page's own address put in the address bar (KEEP_RECEIPT)
            mac = self.desk.receipt_mac(hearing_id, question_id, outcome.receipt)
            path = self.urls.receipt(hearing_id, question_id, outcome.receipt, mac)
            return self.send(200, P.receipt_page(view, question, outcome.receipt, self.lang, path, self.urls, others,
                                                 answer_to_vote=True, received_at=outcome.received_at))
        if self.closed(view):
            return None
        self.send(outcome.status, P.ballot_page(view, question, self.lang, self.request.path, self.urls,
                                                self.xsrf_form_html(), form=form, problems=outcome.problems, others=others))


class ReceiptPage(VoterPage):
    """Where a stored ballot's POST leads. The link is signed by the server, so it cannot be made up; it holds
    the receipt number only, never the code."""

    async def get(self, hearing_id: str, question_id: str, receipt: str, mac: str) -> None:
        if not hmac.compare_digest(mac, self.desk.receipt_mac(hearing_id, question_id, receipt)):
            return self.missing(None)
        view = self.desk.views.get(hearing_id)  # cached: a burst of receipts does not wait behind the commits
        if view is None or view.question(question_id) is None:
            view = await self.desk.call(self.desk.view, hearing_id)
        question = view.question(question_id) if view else None
        if question is None:
            return self.missing(view)
        self.send(200, P.receipt_page(view, question, receipt, self.lang, self.request.path, self.urls,
                                      len(view.questions) > 1))


def handlers(workspace: Path, db_url: str | None, voter_key: bytes, urls: Urls) -> list:
    """The routes (the app puts them under its base URL); ``urls`` builds every address the pages name."""
    desk = BallotDesk(workspace, db_url, voter_key)
    kwargs = {"desk": desk, "urls": urls}
    return [
        # only a hearing id (``records.HEARING_ID_PATTERN``) is looked up; any other path is not found
        (rf"/vote/({HEARING_ID_PATTERN})/?", HearingPage, kwargs),
        (rf"/vote/({HEARING_ID_PATTERN})/([^/]+)", BallotPage, kwargs),
        (rf"/vote/({HEARING_ID_PATTERN})/([^/]+)/receipt/{RECEIPT_PATH}", ReceiptPage, kwargs),
    ]
