"""The voters' pages, drawn from templates: whatever a facilitator typed (or an attacker got typed) into a title is
shown as text, never run; the only scripts are vote.js, its JSON settings and the inline scripts the
Content-Security-Policy allows by their hashes."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from pbtools.hearings.model import PB_VOTE, Hearing
from pbtools.i18n import LANGS, Msg, N_
from pbtools.server import ballot_page as P
from pbtools.phones.urls import ROOT
from tests.server.hall import OPTIONS, QUESTIONS

ATTACK = '<script>alert(1)</script><img src=x onerror="alert(2)"> & \'x\''
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S)


def hostile_view(mode: str) -> P.HearingView:
    options = {o.id: replace(o, titles={lang: f"{o.titles[lang]} {ATTACK}" for lang in o.titles}) for o in OPTIONS}
    questions = tuple(replace(q, titles={lang: f"{q.titles[lang]} {ATTACK}" for lang in q.titles}) for q in QUESTIONS)
    hearing = Hearing("h1", "Ак-Суу", PB_VOTE, "2026-05-14", titles={lang: ATTACK for lang in LANGS})
    return P.HearingView("h1", hearing, "open", mode, questions, options)


def pages(view: P.HearingView, lang: str):
    yield P.hearing_page(view, lang, "/vote/h1", ROOT)
    yield P.notice_page(lang, "/vote/h1", ATTACK, ROOT, view)
    for q in view.questions:
        path = f"/vote/h1/{q.id}"
        yield P.ballot_page(view, q, lang, path, ROOT, "", others=True,
                            form={"code": [ATTACK], "points-P1": [ATTACK]}, problems=[Msg(N_("Rank {rank} is missing"), rank=ATTACK)])
        yield P.receipt_page(view, q, ATTACK, lang, f"{path}/r/1", ROOT, True, answer_to_vote=True,
                             received_at=datetime(2026, 5, 14, 10, 0, tzinfo=timezone.utc))


def allowed_inline_hashes() -> set[str]:
    return {P.CARRY_CODE_HASH, P.KEEP_RECEIPT_HASH}


@pytest.mark.parametrize("mode", ["codes", "open"])
@pytest.mark.parametrize("lang", LANGS)
def test_a_script_in_a_title_is_shown_as_text_on_every_voter_page(mode, lang):
    view = hostile_view(mode)
    for page in pages(view, lang):
        assert "<img" not in page and "onerror=\"alert" not in page
        scripts = SCRIPT.findall(page)
        assert all("alert" not in s for s in scripts), scripts
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text
        assert ATTACK in html.unescape(SCRIPT.sub("", page))
        for tag, body in re.findall(r"(<script\b[^>]*>)(.*?)</script>", page, re.S):
            if tag == "<script>":  # inline: the Content-Security-Policy must allow it by its hash
                digest = "sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                assert digest in allowed_inline_hashes()
            else:
                assert tag in ('<script type="application/json" id="pb-vote">', '<script src="/pbtools/static/vote.js">')


def test_an_option_title_with_a_script_is_escaped_on_the_ballot():
    view = hostile_view("codes")
    question = view.question("approval")
    page = P.ballot_page(view, question, "ru", "/vote/h1/approval", ROOT, "")
    titles = [html.unescape(t) for t in re.findall(r'<span class="title">([^<]*)</span>', page)]
    assert titles == [f"{o.titles['ru']} {ATTACK}" for o in OPTIONS]  # each option's title, whole, as text
    assert page.count("<script") == 2  # the settings and vote.js, nothing from the titles


def test_the_pages_carry_the_inline_scripts_the_policy_allows():
    view = hostile_view("open")
    assert f"<script>{P.CARRY_CODE}</script>" in P.hearing_page(view, "ky", "/vote/h1", ROOT)
    receipt = P.receipt_page(view, view.questions[0], "1-abcdef", "ky", "/vote/h1/single/r/1", ROOT, False, answer_to_vote=True)
    assert f"<script>{P.KEEP_RECEIPT}</script>" in receipt
    assert "<script>" not in P.receipt_page(view, view.questions[0], "1-abcdef", "ky", "/vote/h1/single/r/1", ROOT, False)
    assert P.CARRY_CODE.startswith("(function(){") and P.KEEP_RECEIPT.startswith("(function(){")


def test_question_links_keep_their_address_whatever_the_title():
    view = hostile_view("open")
    page = P.hearing_page(view, "en", "/vote/h1/", ROOT)
    for q in view.questions:
        assert f'<a class="question" href="/vote/h1/{q.id}?lang=en">' in page


@pytest.mark.parametrize("lang, day", [("ru", "14.05.2026"), ("ky", "14.05.2026"), ("en", "2026-05-14")])
def test_the_hearing_line_gives_its_day_as_the_page_s_language_writes_it(lang, day):
    page = P.hearing_page(hostile_view("open"), lang, "/vote/h1", ROOT)
    line = re.search(r'<p class="hearing">(.*?)</p>', page).group(1)
    assert line.endswith(f" · {day}")
