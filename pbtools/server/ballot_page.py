"""The voters' pages as plain HTML: small, no external assets, readable at large font sizes on an old phone.

Pure functions of a ``HearingView`` (a snapshot of one hearing) and the voter's language.
"""

from __future__ import annotations

import base64
import hashlib
import html
from datetime import datetime
from typing import Sequence

from pbtools.hearings.model import Question, label, municipality_name
from pbtools.i18n import LANG_NAMES, Msg, translator
from pbtools.phones.form import Form, client_settings, question_rule
from pbtools.phones.mode import CODES
from pbtools.phones.view import SUBMISSION_FIELD, SUBMISSION_ID, HearingView, new_submission_id
from pbtools.server import ballot_form

STATIC = "/pbtools/static"

# A code card's QR opens /vote/<hearing>#code=...: with several questions the code must follow the voter to the
# question they pick (vote.js fills it in there), and leave the address bar and history at once. Inline (allowed
# by its hash in the Content-Security-Policy) so that the page stays one request; ES3, for old phone browsers.
CARRY_CODE = (
    '(function(){var h=location.hash;if(h.indexOf("#code=")!==0)return;'
    'if(window.history&&history.replaceState)history.replaceState(null,"",location.pathname+location.search);'
    'var a=document.getElementsByTagName("a");for(var i=0;i<a.length;i++){'
    'if(/(^| )(question|lang)( |$)/.test(a[i].className))a[i].href=a[i].href.split("#")[0]+h;}})();'
)
CARRY_CODE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(CARRY_CODE.encode()).digest()).decode()
# The receipt comes back as the answer to the vote itself (one request per voter in a burst); this puts the
# receipt's own address in the address bar, so a reload or a language switch shows the receipt again instead of
# sending the ballot a second time.
KEEP_RECEIPT = (
    '(function(){var e=document.getElementById("receipt-url");'
    'if(e&&window.history&&history.replaceState)history.replaceState(null,"",e.getAttribute("data-url"));})();'
)
KEEP_RECEIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(KEEP_RECEIPT.encode()).digest()).decode()


def shell(lang: str, title: str, body: str, path: str, script: str = "", inline: str = "") -> str:
    """A whole page: language links back to ``path``, the body, vote.js when ``script`` (its settings) is given,
    and an ``inline`` script (which the Content-Security-Policy must allow by its hash)."""
    switch = " ".join(
        f'<a href="{html.escape(path)}?lang={code}" hreflang="{code}" class="lang{" on" if code == lang else ""}">'
        f"{html.escape(name)}</a>"
        for code, name in LANG_NAMES.items()
    )
    js = (f'<script type="application/json" id="pb-vote">{script}</script><script src="{STATIC}/vote.js"></script>'
          if script else "")
    js += f"<script>{inline}</script>" if inline else ""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{html.escape(title)}</title><link rel="stylesheet" href="{STATIC}/vote.css"></head>'
            f'<body><nav class="langs">{switch}</nav><main>{body}</main>{js}</body></html>')


def _heading(view: HearingView, lang: str) -> str:
    h = view.hearing
    name = h.title_in(lang) or label(h.type, lang)
    place = municipality_name(h.municipality, view.municipality, lang)
    return f'<p class="hearing">{html.escape(name)} · {html.escape(place)} · {html.escape(h.date)}</p>'


def problems_html(problems: Sequence[Msg], lang: str) -> str:
    if not problems:
        return '<div id="problems" class="problems" role="alert" hidden></div>'
    items = "".join(f"<li>{html.escape(p.render(lang))}</li>" for p in problems)
    return f'<div id="problems" class="problems" role="alert"><ul>{items}</ul></div>'


def notice_page(lang: str, path: str, text: str, view: HearingView | None = None) -> str:
    """A page that only says something (no hearing, voting not open, refused request)."""
    heading = _heading(view, lang) if view else ""
    return shell(lang, text, f'{heading}<p class="notice" id="notice">{html.escape(text)}</p>', path)


def hearing_page(view: HearingView, lang: str, path: str) -> str:
    """The questions of the hearing, each a link to its ballot."""
    _ = translator(lang)
    items = "".join(
        f'<li><a class="question" href="{html.escape(path.rstrip("/"))}/{html.escape(q.id)}?lang={lang}">'
        f"{html.escape(q.title(lang))}</a></li>"
        for q in view.questions
    )
    title = html.escape(_("Choose a question"))
    body = f'{_heading(view, lang)}<h1>{title}</h1><ul class="questions">{items}</ul>'
    return shell(lang, _("Vote"), body, path, inline=CARRY_CODE)


def _back_link(question_path: str, lang: str) -> str:
    _ = translator(lang)  # as ``_``, so the catalog check finds the message
    text = html.escape(_("Other questions"))
    return f'<p><a href="{html.escape(question_path.rsplit("/", 1)[0])}?lang={lang}">{text}</a></p>'


def ballot_page(view: HearingView, question: Question, lang: str, path: str, xsrf_html: str, *,
                form: Form | None = None, problems: Sequence[Msg] = (), others: bool = False) -> str:
    """The ballot of ``question``: the rule, the options, the code field (in codes mode) and the button."""
    _ = translator(lang)
    form = form or {}
    needs_code = view.mode == CODES
    code = ""
    if needs_code:
        typed = html.escape((form.get("code") or [""])[0][:40])
        label_text = html.escape(_("Voting code"))
        code = (f'<label class="code" for="code">{label_text}</label>'
                f'<input id="code" name="code" value="{typed}" autocomplete="off" autocapitalize="characters" '
                f'spellcheck="false" placeholder="XXXX-XXXX-XX" maxlength="40">')
    back = _back_link(path, lang) if others else ""
    send = html.escape(_("Send my vote"))
    sent_id = (form.get(SUBMISSION_FIELD) or [""])[0]  # the same form shown again after a problem keeps its id
    submission = sent_id if SUBMISSION_ID.fullmatch(sent_id) else new_submission_id()
    xsrf_html += f'<input type="hidden" name="{SUBMISSION_FIELD}" value="{submission}">'
    fields = ballot_form.ballot_fields(question, view.options_of(question), form, lang)
    body = (
        f'{_heading(view, lang)}<h1 id="question">{html.escape(question.title(lang))}</h1>'
        f'<p class="rule">{html.escape(question_rule(question, view.budget, lang))}</p>'
        f'<form method="post" action="{html.escape(path)}?lang={lang}" id="ballot" novalidate>{xsrf_html}'
        f'<fieldset class="options">{fields}</fieldset><p id="status" class="status" aria-live="polite"></p>'
        f'{ballot_form.voter_fields(view.hearing, form, lang, view.municipality)}{code}{problems_html(problems, lang)}'
        f'<button type="submit" id="submit">{send}</button></form>{back}'
    )
    settings = client_settings(question, view.budget, lang, needs_code)
    return shell(lang, question.title(lang), body, path, script=settings)


def receipt_page(view: HearingView, question: Question, receipt: str, lang: str, path: str, others: bool,
                 answer_to_vote: bool = False, received_at: datetime | None = None) -> str:
    """Shown once the ballot is committed; ``path`` is the receipt's own address. As the answer to the vote
    (``answer_to_vote``) it also moves the address bar there."""
    _ = translator(lang)
    back = _back_link(f"/vote/{view.id}/{question.id}", lang) if others else ""
    done, number = html.escape(_("Thank you: your vote is recorded.")), html.escape(_("Receipt number"))
    hint = html.escape(_("Keep this number: it shows that your ballot is stored in the record of the hearing."))
    if received_at is not None:  # this form was sent before and stored then: the same receipt, and when
        local = received_at.astimezone().strftime("%H:%M")
        done = html.escape(_("Your ballot was already received at {time}; it is recorded once.", time=local))
    body = (
        f'{_heading(view, lang)}<h1>{html.escape(question.title(lang))}</h1><p class="done">{done}</p>'
        f'<p class="receipt">{number}: <strong id="receipt">{html.escape(receipt)}</strong></p>'
        f'<p class="hint">{hint}</p>{back}'
    )
    if not answer_to_vote:
        return shell(lang, _("Vote recorded"), body, path)
    body += f'<span id="receipt-url" data-url="{html.escape(path)}?lang={lang}" hidden></span>'
    return shell(lang, _("Vote recorded"), body, path, inline=KEEP_RECEIPT)
