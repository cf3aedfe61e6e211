"""The protocol as Word and PDF: the files are opened (python-docx, pypdf) and their figures checked against the
hearing's tallies and its count; Kyrgyz and Russian protocols hold no English words."""

from __future__ import annotations

import re

import pytest
from docx import Document as read_docx
from pypdf import PdfReader

from pbtools.budget.summary import citizens_budget
from pbtools.fmt import money, number, percent
from pbtools.hearings.model import MOTION, POINTS
from pbtools.hearings.tally import tally_ballots, tally_counts
from pbtools.i18n import translator
from pbtools.reports.document import Table
from pbtools.reports.make import load, write_report
from pbtools.reports.protocol import build_protocol
from pbtools.results import count_question
from tests.reports.conftest import pbtools

LANGS = ("ky", "ru", "en")
HEX = re.compile(r"\b[0-9a-f]{64}\b")
ALLOWED_LATIN = {"pbtools", "verify"}  # the command named in the footer


@pytest.fixture(scope="module")
def files(sample, tmp_path_factory):
    from pbtools.storage import open_workspace

    folder = tmp_path_factory.mktemp("protocols")
    out = {}
    with open_workspace(sample[0], create=False) as ws:
        for lang in LANGS:
            for fmt in ("docx", "pdf"):
                out[lang, fmt] = write_report(ws, sample[1], fmt, lang, folder / f"protocol-{lang}.{fmt}")
    return out


def table_ids(st, lang) -> list[str]:
    doc = build_protocol(st, lang, charts=False)
    return [b.id for b in doc.blocks if isinstance(b, Table)]


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.mark.parametrize("lang", LANGS)
def test_docx_figures_match_the_count(files, sample_state, ws, lang):
    st = sample_state
    _ = translator(lang)
    docx = read_docx(str(files[lang, "docx"]))
    tables = dict(zip(table_ids(st, lang), docx.tables))
    c = st.counters
    for by, counter in (("age", c.by_age), ("village", c.by_village), ("category", c.by_category)):
        rows = cells(tables[f"participants-{by}"])
        assert sum(int(number_cell.replace("\u00a0", "").replace(",", "")) for _, number_cell, *rest in rows[1:-1]) == c.total
        assert rows[-1][1:] == [number(c.total, lang), percent(1, lang), number(c.women, lang), number(c.men, lang)]
        assert len(rows) - 2 == len(counter)
    for q in st.questions.values():
        rows = cells(tables[f"results-{q.id}"])
        tally = tally_ballots(q, st.ballots_for(q.id))
        if q.kind == MOTION:
            hands = tally_counts(q, st.counts_for(q.id))["total"]
            for row in rows[1:]:
                key = {_("Yes"): "yes", _("No"): "no", _("Abstain"): "abstain"}[row[0]]
                assert row[1:] == [number(tally[key], lang), number(hands[key], lang), number(tally[key] + hands[key], lang)]
            continue
        result = count_question(st, q.id)
        options = {str(o.number): o for o in st.options_of(q.id)}
        for row in rows[1:-1]:
            o = options[row[0]]
            assert row[1] == o.title(lang)
            assert row[2] == number(tally[o.id], lang)
            assert row[-2] == money(o.cost, lang)
            assert row[-1] == (_("funded") if o.id in result.selected else "—")
        assert rows[-1][-2] == money(result.total_cost, lang)
    # each option's village by its name in the protocol's language, whether the agenda named it by id or by a name
    villages = {key: v.name(lang) for v in ws.municipality().villages for key in (v.id, *v.names.values())}
    for row in cells(tables["options"])[1:-1]:
        o = next(o for o in st.options.values() if str(o.number) == row[0])
        assert row[2] == (_("All villages") if o.village == "all" else villages.get(o.village, o.village)), row
    text = "\n".join(p.text for p in docx.paragraphs)
    assert st.hearing.chair in text and all(name in text for name in st.hearing.commission)
    citizens = citizens_budget(ws.load_budget(), ws.municipality())  # the demo's one budget, of the hearing's year
    assert f"{_('Revenue')}: {money(citizens.revenue, lang)}" in text
    assert f"{_('Budget for projects')}: {money(st.hearing.budget, lang)}" in text
    assert _("Protocol of the public budget hearing") in text


def flat(text: str) -> str:
    """Runs of white space (line breaks, no-break spaces) as one space, as text extraction gives them."""
    return re.sub(r"\s+", " ", text)


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_figures_match_the_count(files, sample_state, ws, sample, lang):
    st = sample_state
    _ = translator(lang)
    text = pdf_text(files[lang, "pdf"])
    whole = flat(text)
    c = st.counters
    assert flat(f"{_('Registered participants')}: {number(c.total, lang)}") in whole
    assert flat(f"{_('Women')}: {number(c.women, lang)} ({percent(c.women / c.total, lang)})") in whole
    for q in st.questions.values():
        if q.kind == MOTION:
            continue
        tally = tally_ballots(q, st.ballots_for(q.id))
        base = sum(tally.values()) if q.kind == POINTS else len(st.ballots_for(q.id))
        section = whole.split(_("Question {n}: {title}", n=list(st.questions).index(q.id) + 1, title=q.title(lang)))[1]
        for o in st.options_of(q.id):
            # the row: number, title (it may wrap), then the votes and their share
            votes, share = flat(number(tally[o.id], lang)), flat(percent(tally[o.id] / base, lang))
            pattern = rf"{o.number} {re.escape(o.title(lang).split()[0])}[^%]*? {re.escape(votes)} {re.escape(share)}"
            assert re.search(pattern, section), (o.id, pattern)
        result = count_question(st, q.id)
        assert flat(money(result.total_cost, lang)) in section
    records = ws.ledger.records(f"hearing:{sample[1]}")
    assert records[-1].hash in whole.replace(" ", "")


def test_kyrgyz_pdf_has_kyrgyz_letters_and_no_english(files):
    text = pdf_text(files["ky", "pdf"])
    assert {"ң", "ө", "ү", "Ө", "Ү"} & set(text) >= {"ң", "ө", "ү"}
    latin = set(re.findall(r"[A-Za-z]{2,}", HEX.sub("", text))) - ALLOWED_LATIN
    assert not latin, latin


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_word_protocol_has_no_english_words(files, lang):
    docx = read_docx(str(files[lang, "docx"]))
    text = "\n".join([p.text for p in docx.paragraphs] + [c.text for t in docx.tables for row in t.rows for c in row.cells])
    latin = set(re.findall(r"[A-Za-z]{2,}", HEX.sub("", text))) - ALLOWED_LATIN
    assert not latin, latin


def test_an_open_hearing_gives_a_draft(tmp_path):
    from pbtools.hearings.model import Participant
    from pbtools.storage import open_workspace
    from tests.hearings.conftest import build

    with open_workspace(tmp_path / "ws") as ws:
        store = build(ws)
        store.register(Participant("f", "30_44", "Ак-Суу"), actor="door")
        store.cast_typed("approval", "1 2", actor="clerk")
        st, records = load(ws, "h1")
        doc = build_protocol(st, "ru", charts=False)
        assert doc.blocks[0].text == translator("ru")("Draft: the hearing is not closed yet; the figures may still change.")
        write_report(ws, "h1", "pdf", "ru", tmp_path / "draft.pdf")
    assert "Черновик" in pdf_text(tmp_path / "draft.pdf")


def test_report_command(sample, tmp_path):
    out = tmp_path / "p.docx"
    done = pbtools("report", sample[1], "--format", "docx", "--lang", "ru", "--out", str(out), "--workspace", str(sample[0]))
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and out.stat().st_size > 10_000
    missing = pbtools("report", "no-such", "--format", "pdf", "--lang", "ky", "--out", str(tmp_path / "x.pdf"),
                      "--workspace", str(sample[0]))
    assert missing.returncode == 2 and "no-such" in missing.stderr and not (tmp_path / "x.pdf").exists()
    nowhere = pbtools("report", sample[1], "--format", "pdf", "--out", str(tmp_path / "nope" / "x.pdf"), "--workspace", str(sample[0]))
    assert nowhere.returncode == 2 and "nope" in nowhere.stderr


WORD = re.compile(r"[\w№%-]+")


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_tables_never_split_a_word(files, ws, sample_state, lang):
    """Each word of every table cell comes out of the PDF whole: a column too narrow for "финансируется" used to
    print "финансируе" on one line and "тся" on the next."""
    words = set(WORD.findall(pdf_text(files[lang, "pdf"])))
    doc = build_protocol(sample_state, lang, charts=False, municipality=ws.municipality())  # as the file was made
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert {f"results-{q}" for q in sample_state.questions} <= {t.id for t in tables}
    split = {word for t in tables for row in (t.header, *t.rows) for cell in row for word in WORD.findall(cell)} - words
    assert not split, split


def test_column_widths_give_each_column_its_longest_word():
    from fpdf import FPDF

    from pbtools.hearings.cards import font_path
    from pbtools.reports.pdf import FONT, WIDTH, column_widths

    pdf = FPDF()
    pdf.add_font(FONT, "", str(font_path()))
    pdf.add_font(FONT, "B", str(font_path().with_name("DejaVuSans-Bold.ttf")))
    block = Table(("№", "Долбоор", "Бюллетендердин үлүшү", "Каржыланат"), (("1", "Суу " * 30, "12 %", "—"),),
                  widths=(1, 12, 1, 1))
    widths = column_widths(pdf, block, 8.5)
    assert sum(widths) == pytest.approx(WIDTH)
    pdf.set_font(FONT, "B", 8.5)
    for width, word in zip(widths[2:], ("Бюллетендердин", "Каржыланат")):
        assert width >= pdf.get_string_width(word) + 2 * pdf.c_margin
    assert widths[1] > widths[2]  # the title column still gets the most room
    assert column_widths(pdf, Table(("x" * 400,), ()), 8.5) is None  # a word wider than the page at this size


def paragraphs(path) -> list[str]:
    return [p.text for p in read_docx(str(path)).paragraphs]


def ballot_text(q, lang) -> str:
    """What the protocol must say of a ballot, written out here from the question (kind and its limit)."""
    from pbtools.hearings.model import APPROVAL, RANKING, label

    from pbtools.i18n import plural_translator

    _, _n = translator(lang), plural_translator(lang)
    extra = {APPROVAL: lambda: _n("up to {n} option", "up to {n} options", q.max_choices),
             RANKING: lambda: _("the top {k} in order", k=q.max_choices),
             POINTS: lambda: _n("{n} point per voter", "{n} points per voter", q.points)}.get(q.kind)
    return label(q.kind, lang) + ("; " + extra() if extra else "")


@pytest.mark.parametrize("lang", LANGS)
def test_protocol_states_how_each_question_was_counted_who_signs_and_shows_the_chart(files, sample_state, lang):
    from babel.dates import format_date
    from datetime import date

    from pbtools.i18n import gettext
    from pbtools.results.count import RULE_NAMES

    st, _ = sample_state, translator(lang)
    h = st.hearing
    lines = paragraphs(files[lang, "docx"])
    text = "\n".join(lines)
    assert f"{_('Venue')}: {h.venue_in(lang)}" in lines and h.venue_in(lang)  # the venue in the reader's language
    assert f"{_('Date')}: {format_date(date.fromisoformat(h.date), 'long', locale=lang)}" in lines
    assert f"{_('Secretary')}: {h.secretary}" in lines and h.secretary
    signers = [(_("Chair"), h.chair), (_("Secretary"), h.secretary)] + [(_("Member of the counting commission"), n) for n in h.commission]
    start = max(i for i, x in enumerate(lines) if x.endswith(f". {_('Signatures')}")) + 1
    assert lines[start:start + len(signers)] == [f"{role}: ______________________  {name}" for role, name in signers]
    heads = [i for i, x in enumerate(lines) if re.match(re.escape(_("Question {n}: {title}", n=0, title="")).replace("0", r"\d+"), x)]
    assert len(heads) == len(st.questions)
    charted = 0
    for n, q in enumerate(st.questions.values()):
        section = lines[heads[n]:heads[n + 1] if n + 1 < len(heads) else len(lines)]
        assert section[0] == _("Question {n}: {title}", n=n + 1, title=q.title(lang))
        assert f"{_('Ballot')}: {ballot_text(q, lang)}" in section, q.id
        if q.kind == MOTION:
            continue
        result = count_question(st, q.id)
        assert f"{_('Counting rule')}: {gettext(lang, RULE_NAMES[result.rule])}" in section
        (tie_line,) = [x for x in section if x.startswith(f"{_('Tie rule')}: ")]
        if result.tie_rule.kind == "field":
            assert str(result.tie_rule.seed) in tie_line  # the lot can be drawn again from it
        ties = [t.message.render(lang) for t in result.ties]
        for tie in ties:  # each tie, as the count explains it, under "Ties and how they were broken"
            assert any(x.endswith(tie) for x in section[section.index(_("Ties and how they were broken")):]), tie
        if not ties:
            assert _("There was no tie.") in section
        charted += bool(result.selected)
    docx = read_docx(str(files[lang, "docx"]))
    assert charted and len(docx.inline_shapes) == charted  # the allocation chart of each counted question
    assert text.count(_("Allocation of the budget")) == charted
    images = sum(len(page.images) for page in PdfReader(str(files[lang, "pdf"])).pages)
    assert images == charted


def test_void_reasons_are_printed_in_the_protocols_language(tmp_path):
    from pbtools.hearings.model import Participant
    from pbtools.hearings.records import REASONS, UNDO_LAST
    from pbtools.i18n import gettext
    from pbtools.storage import open_workspace
    from tests.hearings.conftest import build

    with open_workspace(tmp_path / "ws") as ws:
        store = build(ws)
        store.register(Participant("f", "30_44", "Ак-Суу"), actor="door")
        store.cast_typed("approval", "1 2", actor="clerk")
        store.undo_last("approval", actor="clerk")  # stored as the key
        old = store.cast_typed("approval", "2", actor="clerk")
        store.void(old.seq, actor="clerk", reason="undo last")  # as older versions stored it, in English
        typed = store.cast_typed("approval", "3", actor="clerk")
        store.void(typed.seq, actor="clerk", reason="Эки жолу терилген")  # a person's reason, kept as typed
        st, _records = load(ws, "h1")
    for lang in ("ky", "ru"):
        doc = build_protocol(st, lang, charts=False)
        title = gettext(lang, "Voided ballots")
        at = next(i for i, b in enumerate(doc.blocks) if getattr(b, "text", None) == title)
        voided = doc.blocks[at + 1].items  # "ballot 1 (1 2), record 9: <reason>" in the protocol's language
        wanted = gettext(lang, REASONS[UNDO_LAST])
        assert sorted(i.split(": ", 1)[1] for i in voided) == sorted([wanted, wanted, "Эки жолу терилген"])
        assert not any("undo" in i for i in voided)


@pytest.mark.parametrize("lang", LANGS)
def test_ties_and_how_they_were_broken_are_printed(tmp_path, lang):
    from pbtools.hearings.model import Participant
    from pbtools.storage import open_workspace
    from tests.hearings.conftest import build

    _ = translator(lang)
    with open_workspace(tmp_path / "ws") as ws:
        store = build(ws)
        for typed in ("1 3", "3 1", "2", "4"):  # №1 and №3 tie, and so do №2 and №4
            store.register(Participant("f", "30_44", "Ак-Суу"), actor="door")
            store.cast_typed("approval", typed, actor="clerk")
        st, _records = load(ws, "h1")
        out = write_report(ws, "h1", "docx", lang, tmp_path / "ties.docx")
    ties = [t.message.render(lang) for t in count_question(st, "approval").ties]
    assert len(ties) == 2
    lines = paragraphs(out)
    start = lines.index(_("Question {n}: {title}", n=list(st.questions).index("approval") + 1, title=st.questions["approval"].title(lang)))
    heading = lines.index(_("Ties and how they were broken"), start)
    assert lines[heading + 1:heading + 3] == [f"1. {ties[0]}", f"2. {ties[1]}"]


@pytest.mark.parametrize("before", [40, 46, 47, 48, 49])  # 48 lines: the heading fell at the foot of page 1
def test_a_pdf_heading_never_ends_a_page(tmp_path, before):
    from pbtools.reports.document import Document, Heading, Paragraph
    from pbtools.reports.pdf import write_pdf

    doc = Document("en", "Protocol")
    doc.add(*(Paragraph(f"line {i}") for i in range(before)), Heading("SECTION TWO"), Paragraph("first line of two"))
    pages = [page.extract_text() for page in PdfReader(str(write_pdf(doc, tmp_path / "p.pdf"))).pages]
    where = next(i for i, text in enumerate(pages) if "SECTION TWO" in text)
    assert "first line of two" in pages[where]


def test_an_amount_is_never_broken_inside_a_column():
    # "1 950 000 сом" is joined by no-break spaces: a column narrower than it printed "1 950 000 со" / "м"
    from fpdf import FPDF

    from pbtools.fmt import money
    from pbtools.hearings.cards import font_path
    from pbtools.reports.pdf import FONT, column_widths

    pdf = FPDF()
    pdf.add_font(FONT, "", str(font_path()))
    pdf.add_font(FONT, "B", str(font_path().with_name("DejaVuSans-Bold.ttf")))
    amount = money(1_950_000, "ky")
    block = Table(("Долбоор", "Наркы"), (("Суу " * 40, amount),), widths=(20, 1), total=True)
    widths = column_widths(pdf, block, 8.5)
    pdf.set_font(FONT, "B", 8.5)
    assert widths[1] > pdf.get_string_width(amount)
