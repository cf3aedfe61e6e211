"""Tariff options put to the hall with the existing ballot kinds, and their outcome in the protocol."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from pbtools.fmt import money
from pbtools.hearings.model import MOTION, NO, SINGLE, YES, Ballot, Hearing
from pbtools.hearings.store import HearingStore, create_hearing
from pbtools.reports.make import write_report
from pbtools.reports.voting import question_reports
from pbtools.roles import LOCAL, Actor, NotAllowed
from pbtools.services.service import ServicesService
from pbtools.services.tariffs import tariff_options
from tests.services.helpers import village_water, workspace_with


def _hearing(ws) -> HearingStore:
    return create_hearing(ws, Hearing(id="", municipality="Көк-Талаа айыл аймагы", type="draft_budget", date="2026-05-10"), actor="Aida")


def test_a_choice_between_tariffs_takes_the_most_voted(tmp_path):
    with workspace_with(tmp_path, village_water()) as ws:
        store = _hearing(ws)
        qid = ServicesService(ws).put_tariffs_to_hearing(store.id, "water", LOCAL, D("0.95"), D(300_000))
        st = store.refresh()
        q = st.questions[qid]
        assert q.kind == SINGLE and len(q.options) == 4
        options = tariff_options(village_water(), D("0.95"), D(300_000))
        for o, t in zip(q.options, options):  # the figures are in the option texts, in each language
            for lang in ("ky", "ru", "en"):
                assert money(t.monthly, lang) in st.options[o].title(lang) and money(t.subsidy, lang) in st.options[o].title(lang)
        store.open(actor="Aida")
        votes = {q.options[0]: 3, q.options[1]: 5, q.options[2]: 2, q.options[3]: 4}
        for option, n in votes.items():
            for _ in range(n):
                store.cast(qid, Ballot(((option, 1),)), actor="clerk")
        (report,) = question_reports(store.refresh())
        assert list(report.result.selected) == [q.options[1]]  # 5 votes: the only one taken
        store.close(actor="Aida")
        out = write_report(ws, store.id, "pdf", "ru", tmp_path / "protocol.pdf")
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split()).replace("\u00a0", " ")
        assert "Какой тариф на услугу «Питьевая вода»?" in text
        assert " ".join(money(options[1].monthly, "ru").split()) in text


def test_a_motion_on_a_tariff_is_adopted_or_not(tmp_path):
    with workspace_with(tmp_path, village_water()) as ws:
        store = _hearing(ws)
        qid = ServicesService(ws).put_tariffs_to_hearing(store.id, "water", LOCAL, motion=True)
        q = store.refresh().questions[qid]
        assert q.kind == MOTION and money(D("249.55"), "ky") in q.title("ky")
        store.open(actor="Aida")
        for answer in (YES, YES, NO):
            store.cast(qid, Ballot(answer=answer), actor="clerk")
        (report,) = question_reports(store.refresh())
        assert report.motion_adopted is True


def test_the_same_tariffs_put_twice_are_refused_naming_the_question_and_nothing_is_added(tmp_path):
    """s23 finding 10: a second "Put to the hearing as a choice" added a second question with the same 4 options."""
    from pbtools.services.errors import ServiceError

    with workspace_with(tmp_path, village_water()) as ws:
        store = _hearing(ws)
        svc = ServicesService(ws)
        qid = svc.put_tariffs_to_hearing(store.id, "water", LOCAL, D("0.95"), D(300_000))
        motion = svc.put_tariffs_to_hearing(store.id, "water", LOCAL, motion=True)
        before = store.refresh().seq
        with pytest.raises(ServiceError) as refused:
            svc.put_tariffs_to_hearing(store.id, "water", LOCAL, D("0.95"), D(300_000))
        assert refused.value.render("ru") == (f"Эти тарифы уже есть в повестке этих слушаний — вопрос {qid} "
                                              "«Какой тариф на услугу «Питьевая вода»?»: ничего не добавлено.")
        assert qid in refused.value.render("ky") and "күн тартибинде" in refused.value.render("ky")
        assert f"as question {qid} «Which tariff for Drinking water?»" in refused.value.render("en")
        with pytest.raises(ServiceError) as refused:
            svc.put_tariffs_to_hearing(store.id, "water", LOCAL, motion=True)
        assert motion in refused.value.render("en")
        st = store.refresh()
        assert st.seq == before and len(st.questions) == 2 and len(st.options) == 4  # nothing written
        other = svc.put_tariffs_to_hearing(store.id, "water", LOCAL, D("0.9"))  # other figures: another choice
        assert other not in (qid, motion) and len(store.refresh().questions[other].options) == 2


def test_only_those_allowed_put_tariffs_to_a_hearing(tmp_path):
    with workspace_with(tmp_path, village_water()) as ws:
        store = _hearing(ws)
        with pytest.raises(NotAllowed):
            ServicesService(ws).put_tariffs_to_hearing(store.id, "water", Actor("Bakyt", "monitor"))
        assert store.refresh().questions == {}


def _text_of_docx(path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [" | ".join(c.text for c in row.cells) for t in doc.tables for row in t.rows]
    return "\n".join(parts).replace("\u00a0", " ")


def test_a_choice_between_tariffs_reads_chosen_in_the_protocol_with_no_cost_added_up(tmp_path):
    with workspace_with(tmp_path, village_water()) as ws:
        store = _hearing(ws)
        qid = ServicesService(ws).put_tariffs_to_hearing(store.id, "water", LOCAL, D("0.95"), D(300_000))
        q = store.refresh().questions[qid]
        assert q.choose_one
        store.open(actor="Aida")
        for option, n in zip(q.options, (3, 2, 6, 1)):
            for _ in range(n):
                store.cast(qid, Ballot(((option, 1),)), actor="clerk")
        (report,) = question_reports(store.refresh())
        chosen = report.result.selected  # the outcome still comes from the exact count
        assert list(chosen) == [q.options[2]]
        store.close(actor="Aida")
        st = store.refresh()
        title = st.options[q.options[2]].title("ru")
        pdf = write_report(ws, store.id, "pdf", "ru", tmp_path / "protocol.pdf")
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split()).replace("\u00a0", " ")
        assert "выбран по итогам голосования" in text and " ".join(title.split())[:40] in text
        cost = " ".join(money(village_water().yearly_cost, "ru").split())
        assert cost not in text  # no option "costs" the service's yearly cost, and no total adds it up 4 times
        assert " ".join(money(village_water().yearly_cost * 4, "ru").split()) not in text
        assert "финансируется" not in text.lower() and "Бюджет 1" not in text
        docx = write_report(ws, store.id, "docx", "ky", tmp_path / "protocol.docx")
        body = _text_of_docx(docx)
        assert "тандалды" in body
        agenda_row, result_row = [line for line in body.splitlines() if line.startswith(f"{st.options[q.options[2]].number} | ")]
        assert agenda_row.endswith("| —")  # the options proposed: no cost of its own
        assert result_row.endswith("| тандалды") and "| 6 |" in result_row  # the results: its votes, and chosen
        assert money(village_water().yearly_cost, "ky") not in body
        assert "каржыланат" not in body


def test_choose_one_is_only_for_a_single_choice(tmp_path):
    from pbtools.hearings.errors import HearingError
    from pbtools.hearings.model import APPROVAL, Option, Question

    with workspace_with(tmp_path, village_water()) as ws:
        store = _hearing(ws)
        for n in (1, 2):
            store.add_option(Option(f"o{n}", n, {"en": f"Tariff {n}"}, D(100)), actor="Aida")
        with pytest.raises(HearingError) as refused:
            store.define_question(Question("q1", APPROVAL, {"en": "Which?"}, ("o1", "o2"), max_choices=1, choose_one=True), actor="Aida")
        assert "single-choice" in refused.value.problems[0].render("en")
        assert store.refresh().questions == {}


def test_the_board_says_which_tariff_was_chosen_with_no_budget_bar(tmp_path):
    from pbtools.charts.results import board_chart
    from pbtools.results.board import snapshot

    with workspace_with(tmp_path, village_water()) as ws:
        store = _hearing(ws)
        qid = ServicesService(ws).put_tariffs_to_hearing(store.id, "water", LOCAL, D("0.95"))
        q = store.refresh().questions[qid]
        store.open(actor="Aida")
        for option, n in zip(q.options, (1, 4)):
            for _ in range(n):
                store.cast(qid, Ballot(((option, 1),)), actor="clerk")
        board = snapshot(store.refresh(), qid, hidden=False)
        assert list(board.result.selected) == [q.options[1]]
        figure = board_chart(store.refresh(), qid, board.tally, board.result, "ru")
        assert len(figure.axes) == 1  # the votes only: no budget bar "Бюджет 1 105 000: профинансировано ..."
        legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
        assert legend == ["Выбран", "Не выбран"]


def test_a_phone_ballot_between_tariffs_shows_no_cost(tmp_path):
    """On a voter's phone, tariff options are alternatives: none "costs" the service's yearly cost."""
    from pbtools.server.ballot_form import ballot_fields

    with workspace_with(tmp_path, village_water()) as ws:
        store = _hearing(ws)
        qid = ServicesService(ws).put_tariffs_to_hearing(store.id, "water", LOCAL, D("0.95"), D(300_000))
        st = store.refresh()
        q = st.questions[qid]
        page = ballot_fields(q, [st.options[o] for o in q.options], {}, "ru")
        assert st.options[q.options[0]].title("ru")[:20] in page
        assert " ".join(money(village_water().yearly_cost, "ru").split()) not in " ".join(page.replace("\u00a0", " ").split())


def _voted_tariff_choice(ws, votes=(2, 5, 1, 3)):
    """A closed hearing whose one question is a choice between the water tariffs, with ``votes`` per option."""
    store = _hearing(ws)
    qid = ServicesService(ws).put_tariffs_to_hearing(store.id, "water", LOCAL, D("0.95"), D(300_000))
    q = store.refresh().questions[qid]
    store.open(actor="Aida")
    for option, n in zip(q.options, votes):
        for _ in range(n):
            store.cast(qid, Ballot(((option, 1),)), actor="clerk")
    store.close(actor="Aida")
    return store, qid


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_results_app_says_a_tariff_is_chosen_by_most_votes_not_counted_by_a_budget_rule(tmp_path, lang):
    pytest.importorskip("ipywidgets")
    from pbtools.counting.names import RULE_NAMES
    from pbtools.i18n import translator
    from pbtools_widgets.results_app import ResultsApp

    _ = translator(lang)
    with workspace_with(tmp_path, village_water()) as ws:
        store, qid = _voted_tariff_choice(ws)
        app = ResultsApp(ws, lang=lang)
        assert app.board.question_id == qid and not app.board.hidden
        notes = app.notes.value
        assert _("The option with the most votes is chosen") in notes
        assert all(_(name) not in notes for name in RULE_NAMES.values())  # no "Counted by: Greedy"
        assert _("Counted by: {rule}", rule="") not in notes
        shares_none = _("A choice between alternatives shares no budget: the option with the most votes is chosen.")
        for tab in ("rounds", "compare"):  # no Equal Shares rounds nor rules compared: there is no budget to share
            app.tabs.selected_index = list(app.panes).index(tab) + 1
            (only,) = app.panes[tab].children
            assert shares_none in only.value


def test_a_tariff_choice_exports_its_votes_but_no_budget_rounds_or_rules(tmp_path):
    from pbtools.results.export import chart_figures
    from pbtools.results.service import ResultsService

    with workspace_with(tmp_path, village_water()) as ws:
        store, qid = _voted_tariff_choice(ws)
        st = store.refresh()
        assert set(chart_figures(st, qid, "ru")) == {"participation", "votes", "groups-sex", "groups-village",
                                                      "groups-age", "groups-category"}
        service = ResultsService(ws)
        service.choose(store.id)
        assert service.comparison(qid) is None and service.rounds(service.board(qid)) is None


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_console_lists_a_tariff_choice_as_chosen_by_most_votes(tmp_path, lang):
    pytest.importorskip("ipywidgets")
    from pbtools.counting.names import RULE_NAMES
    from pbtools.i18n import translator
    from pbtools_widgets.console import ConsoleApp

    _ = translator(lang)
    with workspace_with(tmp_path, village_water()) as ws:
        store, qid = _voted_tariff_choice(ws)
        app = ConsoleApp(ws, lang=lang)
        app.tabs.selected_index = list(app.panels).index("hearing")
        details = app.panels["hearing"].details.value
        title = store.refresh().questions[qid].title(lang)
        (item,) = [i for i in details.split("<li>")[1:] if title.split()[0] in i]
        assert _("The option with the most votes is chosen") in item
        assert all(_(name) not in item for name in RULE_NAMES.values())


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_workbook_lists_tariffs_under_their_own_heading_never_as_costs(tmp_path, lang):
    from openpyxl import load_workbook

    from pbtools.i18n import translator
    from pbtools.reports.make import write_export

    _ = translator(lang)
    with workspace_with(tmp_path, village_water()) as ws:
        store, qid = _voted_tariff_choice(ws)
        st = store.refresh()
        q = st.questions[qid]
        out = write_export(ws, store.id, "xlsx", tmp_path / "hearing.xlsx", lang=lang)
        sheet = load_workbook(out)[_("Options")]
        header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        by_id = {row[header.index(_("Identifier"))]: dict(zip(header, row)) for row in rows}
        options = tariff_options(village_water(), D("0.95"), D(300_000))
        assert [o for o in by_id if o in q.options] == list(q.options)
        for option_id, t in zip(q.options, options):  # the tariff a household pays a month, as the option says
            row = by_id[option_id]
            assert row[_("Cost")] is None  # no option "costs" the service's yearly cost: a sum adds nothing
            assert D(str(row[_("Tariff a month per household")])) == t.monthly
            assert money(t.monthly, lang) in st.options[option_id].title(lang)
            assert row[_("Tariff a month per person")] is None
        assert not any(cell == village_water().yearly_cost for row in rows for cell in row)


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_verify_recounts_a_tariff_choice_as_chosen_never_funded(tmp_path, capsys, lang):
    from pbtools.cli import main
    from pbtools.i18n import translator
    from pbtools.reports.make import write_export

    _ = translator(lang)
    with workspace_with(tmp_path, village_water()) as ws:
        store, qid = _voted_tariff_choice(ws)
        st = store.refresh()
        out = write_export(ws, store.id, "audit", tmp_path / "audit.jsonl")
    capsys.readouterr()
    assert main(["verify", str(out), "--lang", lang]) == 0
    text = capsys.readouterr().out
    winner = st.options[st.questions[qid].options[1]]  # 5 votes of 11
    said = _("Chosen by the vote (the option with the most votes): {option}", option=f"№{winner.number} {winner.title(lang)}")
    assert said in text
    assert _("Funded: {options} ({total} of {budget})", options="", total="", budget="").split(":")[0] not in text
    assert money(village_water().yearly_cost, lang) not in text  # no "1 105 000 of 1 105 000"


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_citizens_website_shows_a_tariff_chosen_by_most_votes_with_no_cost_or_funding(tmp_path, lang):
    from pbtools.i18n import translator
    from pbtools.publish.pages import question_tables

    _ = translator(lang)
    with workspace_with(tmp_path, village_water()) as ws:
        store, qid = _voted_tariff_choice(ws)
        st = store.refresh()
    (table,) = question_tables(st, lang)
    assert table["note"] == _("The option with the most votes is chosen")
    assert _("Cost") not in table["table"].head and _("Funded") not in table["table"].head
    cells = [cell for row in table["table"].rows for cell in row]
    assert cells.count(_("chosen")) == 1 and money(village_water().yearly_cost, lang) not in cells
    chosen = [row for row in table["table"].rows if _("chosen") in row]
    assert chosen[0][1] == st.options[st.questions[qid].options[1]].title(lang)  # 5 votes of 11


@pytest.mark.parametrize("motion", [False, True])
def test_two_windows_putting_the_same_tariffs_at_the_same_moment_add_them_once(tmp_path, monkeypatch, motion):
    """Both windows found no such question, then both wrote: the later one's question is refused under the hearing's
    lock, and its options leave the agenda again."""
    from pbtools.hearings.console_service import ConsoleService
    from pbtools.services.errors import ServiceError

    with workspace_with(tmp_path, village_water()) as ws:
        store = _hearing(ws)
        first, second = ServicesService(ws), ServicesService(ws)
        figures = {"motion": True} if motion else {}
        real = ConsoleService.next_question_id
        won = []

        def the_other_window_meanwhile(console):  # after this window's look, before its question is written
            monkeypatch.setattr(ConsoleService, "next_question_id", real)
            won.append(second.put_tariffs_to_hearing(store.id, "water", LOCAL, **figures))
            return real(console)

        monkeypatch.setattr(ConsoleService, "next_question_id", the_other_window_meanwhile)
        with pytest.raises(ServiceError) as refused:
            first.put_tariffs_to_hearing(store.id, "water", LOCAL, **figures)
        assert won[0] in refused.value.render("en")
        st = store.refresh()
        assert list(st.questions) == won
        assert {o for o in st.options} == set(st.questions[won[0]].options)  # no option left on no question
