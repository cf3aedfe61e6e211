"""A hearing's title and venue in ky/ru/en: typed in the console, shown in the reader's language by the protocol's
header, the board's chooser and the phone page (a Russian protocol had a Kyrgyz header); the phone page's "Other
questions" link is translated; a practice hearing is deleted from the console."""

from __future__ import annotations

import html

from dataclasses import replace

from pbtools.hearings.store import HearingStore, create_hearing, hearing_ids
from pbtools.reports.document import Fields
from pbtools.reports.protocol import build_protocol
from pbtools.phones.view import HearingView
from pbtools.server.ballot_page import ballot_page
from pbtools.phones.urls import ROOT
from tests.widgets.test_console import app, open_tab, ws  # noqa: F401  (fixtures: a console with an open hearing)
from pbtools_widgets.results_app import ResultsApp

TITLES = {"ky": "Жарандардын бюджети 2027", "ru": "Гражданский бюджет 2027", "en": "Citizens' budget 2027"}
VENUES = {"ky": "Мектептин чоң залы", "ru": "Большой зал школы", "en": "The school hall"}


def saved_in_three_languages(app):
    hp = open_tab(app, "hearing")
    for lang in TITLES:
        hp.h_titles[lang].value, hp.h_venues[lang].value = TITLES[lang], VENUES[lang]
    hp.save.click()
    assert "pb-ok" in hp.message.value, hp.message.value
    return HearingStore(app.ws, app.store.id).state


def test_title_and_venue_are_stored_per_language_and_shown_in_the_readers(app):
    st = saved_in_three_languages(app)
    h = st.hearing
    assert dict(h.titles) == TITLES and dict(h.venues) == VENUES and h.title == TITLES["ky"]
    for lang in TITLES:
        doc = build_protocol(st, lang, charts=False)
        assert doc.subtitle == TITLES[lang]  # the header under "Protocol of the public budget hearing"
        details = next(block for block in doc.blocks if isinstance(block, Fields))  # "General information"
        assert VENUES[lang] in dict(details.rows).values(), lang
        assert not {VENUES[o] for o in VENUES if o != lang} & set(dict(details.rows).values())
    board = ResultsApp(app.ws, lang="ru")
    assert TITLES["ru"] in dict((v, k) for k, v in board.hearing.options)[st.id]
    app.lang_switch.value = "en"
    assert TITLES["en"] in dict((v, k) for k, v in app.choice.options)[st.id]
    # the form shows them back, and an empty language falls back to another one
    hp = open_tab(app, "hearing")
    hp.h_titles["en"].value = ""
    hp.save.click()
    h = HearingStore(app.ws, app.store.id).state.hearing
    assert "en" not in h.titles and h.title_in("en") == TITLES["ky"] and h.title_in("ru") == TITLES["ru"]


def test_the_phone_page_shows_the_title_and_other_questions_in_its_language(app):
    st = saved_in_three_languages(app)
    view = HearingView(st.id, st.hearing, st.status, "open", tuple(st.questions.values()), st.options)
    q = next(iter(st.questions.values()))
    for lang, other in (("ru", "Другие вопросы"), ("ky", "Башка суроолор"), ("en", "Other questions")):
        page = ballot_page(view, q, lang, f"/vote/{st.id}/{q.id}", ROOT, "", others=True)
        assert TITLES[lang] in html.unescape(page) and other in page, lang
        assert lang == "en" or "Other questions" not in page


def test_an_older_hearing_with_one_title_shows_it_in_every_language(app):
    old = replace(app.state.hearing, id="old", title="Эски аталыш", venue="Эски жер", titles={}, venues={})
    h = create_hearing(app.ws, old, actor="Aida").state.hearing  # as stored before titles/venues existed
    assert (h.title_in("ru"), h.venue_in("en")) == ("Эски аталыш", "Эски жер")
    app.reload_choices(select="old")
    hp = open_tab(app, "hearing")
    assert hp.h_titles["ky"].value == "Эски аталыш" and hp.h_titles["ru"].value == ""


def test_a_practice_hearing_is_deleted_from_the_console_and_a_real_one_is_not(app):
    hp = open_tab(app, "hearing")
    reg = open_tab(app, "registration")
    reg.form.submit()  # someone took part: not deletable unless it is a practice hearing
    hp = open_tab(app, "hearing")
    assert hp.deleting.button.disabled and "pb-delete-refused" in hp.deleting.rule.value
    hp.h_practice.value = True
    hp.save.click()
    assert not hp.deleting.button.disabled
    hearing_id = app.store.id
    hp.deleting.button.click()  # not confirmed: nothing happens
    assert "pb-error" in hp.message.value and hearing_id in hearing_ids(app.ws)
    hp.deleting.confirm.value = True
    hp.deleting.button.click()
    assert "pb-ok" in hp.message.value and hearing_id in hp.message.value
    assert hearing_id not in hearing_ids(app.ws) and hearing_id not in [v for _, v in app.choice.options]
    assert app.store is None or app.store.id != hearing_id
