"""The voters' pages as plain HTML: small, no external assets, readable at large font sizes on an old phone.

Pure functions of a ``HearingView`` (a snapshot of one hearing) and the voter's language.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from pathlib import Path
from typing import Sequence

from pbtools.dates import shown_day
from pbtools.hearings.model import Question, label, municipality_name
from pbtools.html import markup, render_in
from pbtools.i18n import LANG_NAMES, Msg, translator
from pbtools.phones.form import Form, client_settings, question_rule
from pbtools.phones.mode import CODES
from pbtools.phones.view import SUBMISSION_FIELD, SUBMISSION_ID, HearingView, new_submission_id
from pbtools.server import TEMPLATES, ballot_form
from pbtools.phones.urls import Urls

STATIC_DIR = Path(__file__).with_name("static")

# A code card's QR opens /vote/<hearing>#code=...: with several questions the code must follow the voter to the
# question they pick (vote.js fills it in there), and leave the address bar and history at once. Inline (allowed
# by its hash in the Content-Security-Policy) so that the page stays one request; ES3, for old phone browsers.
CARRY_CODE = (STATIC_DIR / "carry-code.js").read_text(encoding="utf-8").strip()
CARRY_CODE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(CARRY_CODE.encode()).digest()).decode()
# The receipt comes back as the answer to the vote itself (one request per voter in a burst); this puts the
# receipt's own address in the address bar, so a reload or a language switch shows the receipt again instead of
# sending the ballot a second time.
KEEP_RECEIPT = (STATIC_DIR / "keep-receipt.js").read_text(encoding="utf-8").strip()
KEEP_RECEIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(KEEP_RECEIPT.encode()).digest()).decode()


def page(template: str, lang: str, title: str, path: str, urls: Urls, view: HearingView | None = None, *,
         script: str = "", inline: str = "", **values) -> str:
    """A whole page from ``templates/vote/<template>``: language links back to ``path`` (the request's own), the
    hearing's line when ``view`` is given, vote.js when ``script`` (its settings, JSON) is given, and an ``inline``
    script (which the Content-Security-Policy must allow by its hash). Every other address from ``urls``."""
    _ = translator(lang)
    # a practice hearing (a workshop's) says so on every page: nobody takes it for the real vote
    practice = _("Practice: this is a workshop's mock vote, not a real hearing.") if view and view.hearing.practice else None
    return render_in(TEMPLATES, f"vote/{template}", lang=lang, title=title, path=path, langs=LANG_NAMES.items(),
                     static=urls.static(), heading=_heading(view, lang) if view else None, script=markup(script),
                     inline=markup(inline), practice=practice, **values)


def _heading(view: HearingView, lang: str) -> tuple[str, str, str]:
    """The hearing's line at the top of each page: its name, the place and the date."""
    h = view.hearing
    return h.title_in(lang) or label(h.type, lang), municipality_name(h.municipality, view.municipality, lang), shown_day(h.date, lang)


def notice_page(lang: str, path: str, text: str, urls: Urls, view: HearingView | None = None, others: bool = False) -> str:
    """A page that only says something (no hearing, voting not open, refused request); with ``others``, a link back
    to the hearing's other questions (this phone voted on this one)."""
    return page("notice.html", lang, text, path, urls, view, text=text,
                back=_back_link(view, urls, lang) if others and view is not None else None)


def hearing_page(view: HearingView, lang: str, path: str, urls: Urls) -> str:
    """The questions of the hearing, each a link to its ballot."""
    _ = translator(lang)
    questions = [{"href": urls.vote(view.id, q.id), "title": q.title(lang)} for q in view.questions]
    return page("hearing.html", lang, _("Vote"), path, urls, view, inline=CARRY_CODE, choose=_("Choose a question"),
                questions=questions)


def _back_link(view: HearingView, urls: Urls, lang: str) -> dict:
    _ = translator(lang)  # as ``_``, so the catalog check finds the message
    return {"href": urls.vote(view.id), "text": _("Other questions")}


def ballot_page(view: HearingView, question: Question, lang: str, path: str, urls: Urls, xsrf_html: str, *,
                form: Form | None = None, problems: Sequence[Msg] = (), others: bool = False) -> str:
    """The ballot of ``question``: the rule, the options, the code field (in codes mode) and the button."""
    _ = translator(lang)
    form = form or {}
    needs_code = view.mode == CODES
    sent_id = (form.get(SUBMISSION_FIELD) or [""])[0]  # the same form shown again after a problem keeps its id
    return page(
        "ballot.html", lang, question.title(lang), path, urls, view,
        script=client_settings(question, view.budget, lang, needs_code),
        question=question.title(lang), rule=question_rule(question, view.budget, lang),
        xsrf=markup(xsrf_html), submission_field=SUBMISSION_FIELD,
        submission=sent_id if SUBMISSION_ID.fullmatch(sent_id) else new_submission_id(),
        fields=markup(ballot_form.ballot_fields(question, view.options_of(question), form, lang)),
        voter_fields=markup(ballot_form.voter_fields(view.hearing, form, lang, view.municipality)),
        code=(form.get("code") or [""])[0][:40] if needs_code else None, code_label=_("Voting code"),
        problems=[p.render(lang) for p in problems], send=_("Send my vote"),
        back=_back_link(view, urls, lang) if others else None,
    )


def receipt_page(view: HearingView, question: Question, receipt: str, lang: str, path: str, urls: Urls, others: bool,
                 answer_to_vote: bool = False, received_at: datetime | None = None) -> str:
    """Shown once the ballot is committed; ``path`` is the receipt's own address. As the answer to the vote
    (``answer_to_vote``) it also moves the address bar there."""
    _ = translator(lang)
    done = _("Thank you: your vote is recorded.")
    if received_at is not None:  # this form was sent before and stored then: the same receipt, and when
        done = _("Your ballot was already received at {time}; it is recorded once.",
                 time=received_at.strftime("%H:%M"))  # already in the workspace's zone (vote.py)
    return page(
        "receipt.html", lang, _("Vote recorded"), path, urls, view, inline=KEEP_RECEIPT if answer_to_vote else "",
        question=question.title(lang), done=done, number=_("Receipt number"), receipt=receipt,
        hint=_("Keep this number: it shows that your ballot is stored in the record of the hearing."),
        back=_back_link(view, urls, lang) if others else None,
        receipt_url=path if answer_to_vote else None,
    )
