"""Problems typed once and matched; sessions; rankings typed as fast as paper ballots; roles; carry-over."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings.model import Hearing, Option, Question
from pbtools.hearings.store import HearingStore, create_hearing
from pbtools.hearings.errors import AgendaFixed
from pbtools.needs.entry import parse_ranking
from pbtools.needs.errors import LooksLike, NeedsError
from pbtools.needs.names import match_key
from pbtools.needs.service import NeedsService
from pbtools.needs.store import NeedsStore
from pbtools.roles import LOCAL, MONITOR, Actor, NotAllowed
from pbtools.storage import open_workspace


@pytest.fixture
def ws(tmp_path):
    with open_workspace(tmp_path / "ws") as w:
        yield w


def test_titles_match_without_case_marks_and_punctuation():
    assert match_key("Ичүүчү  суу, жок!") == match_key("ичуучу суу жок") == match_key("ИЧҮҮЧҮ-СУУ ЖОК")
    assert match_key("Көчө жарыгы") == match_key("кочо жарыгы")
    assert match_key("Мектеп") != match_key("Мечеть")


def test_a_problem_is_typed_once_and_a_look_alike_is_suggested(ws):
    store = NeedsStore(ws)
    water = store.add_problem({"ky": "Ичүүчү суу жок"}, LOCAL, sector="water")
    with pytest.raises(LooksLike) as same:
        store.add_problem({"ky": "ичуучу суу жок."}, LOCAL)
    assert same.value.suggestions == [water.id] and "1" in same.value.render("ru")
    with pytest.raises(LooksLike) as near:
        store.add_problem({"ky": "Ичүүчү суулар жок"}, LOCAL)
    assert near.value.suggestions == [water.id]
    # the subject named, so that «похожа» agrees with it (a title alone may be «Ремонт дорог»)
    assert near.value.render("ru").startswith("Проблема «Ичүүчү суулар жок» похожа на проблему 1")
    assert len(store.refresh().problems) == 1  # nothing stored by a refusal
    other = store.add_problem({"ky": "Ичүүчү суулар жок"}, LOCAL, similar_ok=True)
    assert other.number == 2
    # the records are in the ledger: another store (another process) reads the same
    assert {p.number for p in NeedsStore(ws).state.problems.values()} == {1, 2}


def test_typed_ranking_and_its_errors_name_the_place(ws):
    store = NeedsStore(ws)
    for title in ("A", "B", "C"):
        store.add_problem({"en": title}, LOCAL)
    assert parse_ranking("3 1 2", store.state) == ("p3", "p1", "p2")
    assert parse_ranking("3,1;№2", store.state) == ("p3", "p1", "p2")
    assert parse_ranking("3-1-2", store.state) == ("p3", "p1", "p2")
    with pytest.raises(NeedsError) as bad:
        parse_ranking("3 x 9 3", store.state)
    said = bad.value.render("en")
    assert "Place 2" in said and "«x»" in said and "Place 3" in said and "9" in said and "Place 4" in said
    assert bad.value.render("ky") != said and bad.value.render("ru") != said
    with pytest.raises(NeedsError):
        parse_ranking("  ", store.state)


def test_a_second_ranking_replaces_the_first_without_deleting_it(ws):
    store = NeedsStore(ws)
    for title in ("A", "B", "C"):
        store.add_problem({"en": title}, LOCAL)
    s = store.add_session("Ак-Суу", "women", LOCAL, people=12)
    store.set_ranking(s.id, "1 2", LOCAL)
    store.set_ranking(s.id, "2 3 1", LOCAL)
    assert NeedsStore(ws).state.rankings[s.id] == ("p2", "p3", "p1")
    records = ws.ledger.records(store.stream)
    assert records[-1].voids == records[-2].seq
    with pytest.raises(NeedsError):
        store.set_ranking("s99", "1", LOCAL)
    with pytest.raises(NeedsError) as no_village:
        store.add_session(" ", "", LOCAL)
    assert len(no_village.value.problems) == 2


def test_every_write_needs_a_role_that_may(ws):
    store = NeedsStore(ws)
    with pytest.raises(NotAllowed):
        store.add_problem({"en": "A"}, Actor("Asel", MONITOR))
    with pytest.raises(NotAllowed):
        store.add_session("Ак-Суу", "youth", Actor("Asel", MONITOR))
    assert not store.refresh().problems and not ws.ledger.streams()
    store.add_problem({"en": "A"}, Actor("Aida"))  # a facilitator may
    assert ws.ledger.records(store.stream)[-1].actor == "Aida"


def _hearing(ws) -> HearingStore:
    return create_hearing(ws, Hearing("", "Ак-Суу", "pb_vote", "2026-05-12", budget=Decimal(1000000)), actor="Aida")


def test_top_problems_become_options_in_one_step(ws):
    svc = NeedsService(ws)
    for title, sector in (("Суу жок", "water"), ("Жол начар", "roads"), ("Жарык жок", "lighting")):
        svc.add_problem(title, "ky", LOCAL, village="Ак-Суу", sector=sector)
    for group, ranking in (("women", "1 2 3"), ("men", "2 1 3"), ("youth", "1 3")):
        svc.set_ranking(svc.add_session("Ак-Суу", group, LOCAL).id, ranking, LOCAL)
    hearing = _hearing(ws)
    carried = svc.to_hearing(hearing.id, 2, Actor("Aida"))
    options = sorted(hearing.refresh().options.values(), key=lambda o: o.number)
    assert [(o.titles["ky"], o.village, o.sector) for o in options] == [("Суу жок", "Ак-Суу", "water"), ("Жол начар", "Ак-Суу", "roads")]
    assert [o.number for o in carried.added] == [1, 2]
    again = svc.to_hearing(hearing.id, 3, Actor("Aida"))  # those already there are not added twice
    assert len(again.already) == 2 and [o.titles["ky"] for o in again.added] == ["Жарык жок"]


def test_carry_over_refused_once_the_agenda_is_fixed(ws):
    svc = NeedsService(ws)
    svc.add_problem("Суу жок", "ky", LOCAL)
    svc.set_ranking(svc.add_session("Ак-Суу", "women", LOCAL).id, "1", LOCAL)
    hearing = _hearing(ws)
    hearing.add_option(Option("1", 1, {"ky": "Мектеп"}, Decimal(500000)), actor="Aida")
    hearing.define_question(Question("q1", "approval", {"ky": "Добуш"}, ("1",), max_choices=1), actor="Aida")
    hearing.open(actor="Aida")
    with pytest.raises(AgendaFixed):
        svc.to_hearing(hearing.id, 1, Actor("Aida"))
    assert list(hearing.refresh().options) == ["1"]
    with pytest.raises(NotAllowed):
        svc.to_hearing(hearing.id, 1, Actor("x", MONITOR))


def test_paper_form_is_a_pdf_in_each_language(ws, tmp_path):
    from pypdf import PdfReader

    svc = NeedsService(ws)
    svc.add_problem("Ичүүчү суу жок", "ky", LOCAL)
    s = svc.add_session("Ак-Суу", "elders", LOCAL, date="2026-05-14")
    texts = {}
    for lang in ("ky", "ru", "en"):
        out = svc.form(lang, tmp_path / f"form-{lang}.pdf", s.id)
        texts[lang] = "".join(page.extract_text() for page in PdfReader(out).pages)
        assert "Ичүүчү суу жок" in texts[lang] and "Ак-Суу" in texts[lang]
    # the session's day written out as the printed protocol and acts write it
    assert "May 14, 2026" in texts["en"] and "14 мая 2026" in texts["ru"] and "2026-05-14" not in texts["ru"]
    assert "Ranking the problems".lower() in texts["en"].lower()
    assert len({texts["ky"], texts["ru"], texts["en"]}) == 3


def test_usual_groups_are_known_in_every_language(ws):
    store = NeedsStore(ws)
    assert [store.add_session("Ак-Суу", g, LOCAL).group for g in ("Аялдар", "женщины", " Youth ", "Жаштар")] == \
        ["women", "women", "youth", "youth"]
    assert store.add_session("Ак-Суу", "Мугалимдер", LOCAL).group == "Мугалимдер"  # a group of their own, as typed


@pytest.mark.parametrize("typed", ["1 ²", "١ 2", "１ 2"])
def test_a_ranking_with_digits_that_are_not_ascii_is_refused_and_nothing_stored(ws, typed):
    store = NeedsStore(ws)
    for title in ("A", "B"):
        store.add_problem({"en": title}, LOCAL)
    s = store.add_session("Ак-Суу", "women", LOCAL, people=12)
    before = len(ws.ledger.records(store.stream))
    with pytest.raises(NeedsError) as bad:
        store.set_ranking(s.id, typed, LOCAL)
    odd = next(p for p in typed.split() if not p.isascii())
    assert f"«{odd}»" in bad.value.render("en") and f"«{odd}»" in bad.value.render("ky") and f"«{odd}»" in bad.value.render("ru")
    assert len(ws.ledger.records(store.stream)) == before and s.id not in NeedsStore(ws).state.rankings


def test_a_village_is_one_of_the_municipality_s_and_is_shown_in_the_reader_s_language(ws, tmp_path):
    """s23 trial (24): the needs form took any village typed («Ак-Суу», not a village of the sample municipality),
    and the lists, the results and the paper form showed the Kyrgyz names on Russian and English screens. A village
    is now one of the municipality's (by id or a name in any language), else refused naming the ones it has, in
    the user's language, with nothing stored."""
    from pbtools.budget.model import Municipality, Village
    from pbtools.i18n import gettext

    ws.save_municipality(Municipality({"ky": "Көк-Талаа айыл аймагы", "ru": "Кок-Талаинский айылный аймак", "en": "Kok-Talaa"}, (
        Village({"ky": "Көк-Талаа", "ru": "Кок-Талаа", "en": "Kok-Talaa"}, 4850, "kok-talaa"),
        Village({"ky": "Жаңы-Айыл", "ru": "Жаны-Айыл", "en": "Zhany-Aiyl"}, 2730, "zhany-aiyl"))))
    svc = NeedsService(ws)
    head = len(ws.ledger.streams())
    for write in (lambda: svc.add_session("Ак-Суу", "women", LOCAL), lambda: svc.add_problem("Суу жок", "ky", LOCAL, village="Ак-Суу")):
        with pytest.raises(NeedsError) as refused:
            write()
        said = {lang: refused.value.render(lang) for lang in ("ky", "ru", "en")}
        assert said["en"] == "«Ак-Суу» is not one of the municipality's villages: choose one of Kok-Talaa, Zhany-Aiyl"
        assert "Кок-Талаа, Жаны-Айыл" in said["ru"] and "Көк-Талаа, Жаңы-Айыл" in said["ky"]
        assert said["ru"].startswith("Села «Ак-Суу» нет среди сёл муниципалитета")  # the genitive: «Села … нет»
        assert said["ru"] != said["en"] and gettext("ky", refused.value.problems[0].msgid) != refused.value.problems[0].msgid
    assert len(ws.ledger.streams()) == head and not svc.state.sessions and not svc.state.problems
    women = svc.add_session("Kok-Talaa", "women", LOCAL)  # typed in English
    men = svc.add_session("zhany-aiyl", "men", LOCAL)  # by its id
    problem = svc.add_problem("Суу жок", "ky", LOCAL, village="ЖАНЫ-АЙЫЛ ")  # in Russian, as typed in a hurry
    assert (women.village, men.village, problem.village) == ("Көк-Талаа", "Жаңы-Айыл", "Жаңы-Айыл")  # stored in Kyrgyz
    assert svc.add_problem("Жол начар", "ky", LOCAL).village == ""  # the whole municipality's
    for s, ranking in ((women, "1 2"), (men, "2 1")):
        svc.set_ranking(s.id, ranking, LOCAL)
    assert svc.villages("ru") == ["Кок-Талаа", "Жаны-Айыл"]
    assert [r.village for r in svc.sessions("ru")] == ["Кок-Талаа", "Жаны-Айыл"]
    assert [r.village for r in svc.problems("en")] == ["Zhany-Aiyl", ""]
    assert sorted(svc.results("en").villages) == ["Kok-Talaa", "Zhany-Aiyl"]
    assert svc.session_label(women, "ru") == "Кок-Талаа · Женщины"
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(svc.form("en", tmp_path / "form.pdf", women.id)).pages)
    assert "Kok-Talaa" in text and "Zhany-Aiyl" in text and "Көк" not in text and "Жаңы" not in text


def test_the_same_title_for_another_village_says_the_list_is_the_municipalitys(demo_copy):
    """«"Нет питьевой воды" — это уже проблема 1: "Нет питьевой воды"» for a second village, even with "add it anyway"
    ticked, left a first-time user stuck. Problems are one list for the whole municipality (every village's groups
    rank the same numbers; the results are shown per village): the refusal names problem 1's village, says so, and
    how to add a project of that village's own; "add it anyway" is said to be for a title that only looks alike."""
    with open_workspace(demo_copy, create=False) as ws:
        store = NeedsStore(ws)
        store.add_problem({"ru": "Нет питьевой воды"}, LOCAL, village="Жаны-Айыл", sector="water")
        with pytest.raises(LooksLike) as same:
            store.add_problem({"ru": "Нет питьевой воды"}, LOCAL, village="Бел-Саз", similar_ok=True)
        said = [m.render("ru") for m in same.value.problems]
        assert said[0] == "«Нет питьевой воды» — это уже проблема 1: «Нет питьевой воды» (Жаны-Айыл)."
        assert "один на весь муниципалитет" in said[1] and "в каждом селе" in said[1]
        assert "«Нет питьевой воды — Бель-Саз»" in said[2]
        assert "одинаковое название — всегда одна и та же проблема" in said[3]
        ky = same.value.render("ky")
        assert "Жаңы-Айыл" in ky and "Бел-Саз" in ky  # each village in the reader's language
        with pytest.raises(LooksLike) as near:
            store.add_problem({"ru": "Нет питьевой воды!!"}, LOCAL)  # the whole municipality's: no advice on a village
        assert [m.render("en") for m in near.value.problems][0].endswith("(Zhany-Aiyl).")
        assert len(near.value.problems) == 2
        store.add_problem({"ru": "Нет питьевой воды — Бель-Саз"}, LOCAL, village="Бел-Саз", sector="water")
        assert len(store.refresh().problems) == 2


def test_a_dash_with_spaces_around_it_separates_numbers_as_the_docs_say(ws):
    """«№4 - 1» was refused («-» is not a problem number) though "-" is a separator; «4-1» worked."""
    store = NeedsStore(ws)
    for title in ("A", "B", "C", "D"):
        store.add_problem({"en": title}, LOCAL)
    for typed in ("№4 - 1", "4 -1", "4- 1", "4 — №1", "4-1"):
        assert parse_ranking(typed, store.state) == ("p4", "p1"), typed
    with pytest.raises(NeedsError):
        parse_ranking("4 - -1", store.state)
