"""Proposals from the floor and decisions to the council: entered in the console, stored as hash-chained ledger
records, printed in the protocol (and the computed results printed as results, not as decisions)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from docx import Document as read_docx

from pbtools.fmt import money
from pbtools.hearings.decisions import PROPOSAL, add_decision, add_proposal, read_minutes, strike
from pbtools.hearings.store import HearingError, HearingStore
from pbtools.i18n import N_, Msg, translator
from pbtools.reports.make import write_report

LANGS = ("ky", "ru", "en")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ws(request, tmp_path):
    from pbtools.storage import open_workspace

    url = request.getfixturevalue("pg_fresh_url") if request.param == "postgres" else None
    with open_workspace(tmp_path / "ws", db_url=url) as workspace:
        yield workspace


@pytest.fixture
def store(ws):
    from pbtools.hearings.model import Participant
    from tests.hearings.conftest import build

    s = build(ws)
    for sex in "fmf":
        s.register(Participant(sex, "30_44", "Ак-Суу"), actor="door")
        s.cast_typed("approval", "1 2", actor="clerk")
    return s


def docx_text(path) -> str:
    doc = read_docx(str(path))
    return "\n".join([p.text for p in doc.paragraphs] + ["|".join(c.text for c in row.cells) for t in doc.tables for row in t.rows])


def test_from_the_store_to_the_protocol(store, ws, tmp_path):
    a = add_proposal(store, "Айгүл, Ак-Суу", "Көпүрөнү оңдоо", "150 000", "deferred", actor="secretary")
    b = add_proposal(store, "Бакыт", "Спорт аянтчасы", "", "rejected", actor="secretary")
    wrong = add_proposal(store, "Бакыт", "Эки жолу терилди", None, "accepted", actor="secretary")
    c = add_decision(store, "Каржыланган долбоорлорду айылдык кеңешке жөнөтүү", "decision", actor="secretary")
    d = add_decision(store, "Көпүрөнү кийинки жылдын бюджетине кароо", "recommendation", actor="secretary")
    strike(store, wrong, actor="secretary", reason="typed twice")
    # ledger records of the hearing's stream, in the hash chain like every other record
    records = {r.seq: r for r in ws.ledger.records(store.stream)}
    assert records[a].kind == PROPOSAL and records[a].payload == {"who": "Айгүл, Ак-Суу", "text": "Көпүрөнү оңдоо",
                                                                  "cost": "150000", "outcome": "deferred"}
    assert records[a].prev_hash == records[a - 1].hash and not store.verify()
    m = read_minutes(ws, store.id)
    assert [p.seq for p in m.proposals] == [a, b] and [x.seq for x in m.decisions] == [c, d]
    assert m.proposals[0].cost == Decimal(150000) and m.proposals[1].cost is None
    store.close(actor="chair")
    for lang in LANGS:
        _ = translator(lang)
        text = docx_text(write_report(ws, store.id, "docx", lang, tmp_path / f"p-{lang}.docx"))
        assert f"1|Айгүл, Ак-Суу|Көпүрөнү оңдоо|{money(Decimal(150000), lang)}|{_('deferred')}" in text
        assert f"2|Бакыт|Спорт аянтчасы|—|{_('rejected')}" in text
        assert "Эки жолу терилди" not in text  # struck
        assert f"1. {_('Decision')}: Каржыланган долбоорлорду айылдык кеңешке жөнөтүү" in text
        assert f"2. {_('Recommendation')}: Көпүрөнү кийинки жылдын бюджетине кароо" in text
        assert _("Results of the voting") in text and _("Proposals from the floor") in text
        # the count is printed as a result of the vote, never as a decision of the hearing
        assert "To propose to the local council for funding" not in text
        quoted = "“Up to 3”" if lang == "en" else "«Up to 3»"  # its own "?" is never followed by ":"
        assert _("{question}: funded by the count: {options}; total {total}", question=quoted,
                 options="; ".join(f"№{o.number} {o.title(lang)}" for o in _funded(store)),
                 total=money(sum(o.cost for o in _funded(store)), lang)) in text


def _funded(store):
    from pbtools.results import count_question

    st = store.refresh()
    return [st.options[o] for o in count_question(st, "approval").selected]


def test_a_protocol_without_entries_says_so(store, ws, tmp_path):
    for lang in ("ru", "ky"):
        _ = translator(lang)
        text = docx_text(write_report(ws, store.id, "docx", lang, tmp_path / f"e-{lang}.docx"))
        assert _("No proposal from the floor was recorded.") in text
        assert _("No decision or recommendation was recorded.") in text


@pytest.mark.parametrize("lang", LANGS)
def test_bad_entries_are_refused_with_the_reason_and_change_nothing(store, ws, lang):
    head = ws.ledger.head(store.stream)
    cases = [
        (lambda: add_proposal(store, "", "x", "12 5", "maybe", actor="s"),
         [Msg(N_("Estimated cost: {value} is not an amount in som"), value="12 5"), Msg(N_("Proposal: say who made it")),
          Msg(N_("Proposal: choose accepted, rejected or deferred"))]),
        (lambda: add_proposal(store, "Бакыт", "  ", "-5", "accepted", actor="s"),
         [Msg(N_("Estimated cost: the cost cannot be negative")), Msg(N_("Proposal: the text is missing"))]),
        (lambda: add_decision(store, "", "order", actor="s"),
         [Msg(N_("Decision: the text is missing")), Msg(N_("Choose decision or recommendation"))]),
        (lambda: strike(store, 1, actor="s", reason="why"),
         [Msg(N_("Record {seq} is not a proposal or a decision of this hearing"), seq=1)]),
    ]
    for call, expected in cases:
        with pytest.raises(HearingError) as refused:
            call()
        assert refused.value.render(lang) == "; ".join(m.render(lang) for m in expected)
    assert ws.ledger.head(store.stream) == head


def test_nothing_can_be_added_once_the_hearing_is_closed(store, ws):
    store.close(actor="chair")
    with pytest.raises(HearingError) as refused:
        add_decision(store, "Кеч калган чечим", "decision", actor="s")
    assert refused.value.render("ru") == translator("ru")("The hearing is closed; nothing can be changed")


def test_the_console_tab_records_and_strikes(store, ws):
    pytest.importorskip("ipywidgets")
    from pbtools_widgets.console.app import ConsoleApp

    app = ConsoleApp(ws, lang="ru")
    app.select(store.id)
    app.tabs.selected_index = list(app.panels).index("decisions")
    panel = app.panels["decisions"]
    _ = translator("ru")
    assert app.tabs.get_title(list(app.panels).index("decisions")) == _("Decisions")
    panel.who.value, panel.text.value, panel.cost.value = "Айгүл", "Көпүрөнү оңдоо", "1 2"
    panel.outcome.value = "accepted"
    panel.add_proposal.click()
    assert _("Estimated cost: {value} is not an amount in som", value="1 2") in panel.message.value
    assert not read_minutes(ws, store.id) and panel.text.value == "Көпүрөнү оңдоо"  # kept for fixing
    panel.cost.value = "250 000"
    panel.add_proposal.click()
    (p,) = read_minutes(ws, store.id).proposals
    assert (p.who, p.text, p.cost, p.outcome) == ("Айгүл", "Көпүрөнү оңдоо", Decimal(250000), "accepted")
    assert _("Proposal recorded (record {seq})", seq=p.seq) in panel.message.value
    assert f'id="pb-minute-{p.seq}"' in panel.listing.value and panel.text.value == ""
    panel.decision.value, panel.kind.value = "Кеңешке жөнөтүү", "recommendation"
    panel.add_decision.click()
    (d,) = read_minutes(ws, store.id).decisions
    assert d.kind == "recommendation" and f'id="pb-minute-{d.seq}"' in panel.listing.value
    other = HearingStore(ws, store.id)  # ballots from another screen redraw the tab: the choice stays
    other.cast_typed("approval", "3", actor="clerk 2")
    panel.outcome.value = "deferred"
    app.poll()
    assert panel.outcome.value == "deferred"
    panel.strike_seq.value, panel.strike_reason.value = d.seq, "жаңылыш"
    panel.strike.click()
    assert not read_minutes(ws, store.id).decisions and f'id="pb-minute-{d.seq}"' not in panel.listing.value
    # closed: the buttons greyed out say why, in the screen's language (they said nothing)
    assert "pb-decisions-closed" not in panel.closed_note.value
    store.close(actor="chair")
    app.poll()
    assert panel.add_decision.disabled and 'id="pb-decisions-closed"' in panel.closed_note.value
    assert _("The hearing is closed: proposals and decisions can no longer be recorded. Record them before closing.") in panel.closed_note.value


@pytest.mark.parametrize("typed, amount", [("150 000", "150000"), ("150 000 сом", "150000"), ("1,5", "1.5"),
                                           ("", None), ("-", None), ("—", None)])
def test_an_estimated_cost_is_read_as_people_write_it(typed, amount):
    from pbtools.hearings.decisions import parse_cost

    assert parse_cost(typed) == ((Decimal(amount) if amount else None), None)


@pytest.mark.parametrize("typed", ["12 5", "abc", "-100"])
def test_a_cost_that_is_not_an_amount_is_refused(typed):
    from pbtools.hearings.decisions import parse_cost

    amount, problem = parse_cost(typed)
    assert amount is None and problem is not None


def test_the_folded_state_gives_the_same_minutes_as_reading_the_ledger(store):
    # the console lists them from the store's state (folded as records arrive), the protocol from the records
    from pbtools.hearings.decisions import minutes

    first = add_proposal(store, "Aida", "Repair the bridge", "150 000", "deferred", actor="secretary")
    add_decision(store, "Send the funded options to the council", "decision", actor="secretary")
    add_proposal(store, "Nur", "A bus stop", "", "accepted", actor="secretary")
    strike(store, first, actor="chair", reason="typed twice")
    folded = minutes(store.refresh().other.values())
    assert folded == read_minutes(store.ws, store.id)
    assert [p.who for p in folded.proposals] == ["Nur"] and len(folded.decisions) == 1
