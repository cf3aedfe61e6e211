"""A hearing as tables for a spreadsheet: options, ballots per question (invalid, voided, against registrations),
counts, participants, what each group chose, the allocation and
the anonymised ballots. ``workbook_sheets`` builds them once (raw values: int, exact Decimal som, text);
``write_xlsx`` writes one Excel workbook, ``write_csv_zip`` one CSV per sheet in a zip (UTF-8 with BOM, so Excel
opens Cyrillic correctly).

Ballots are anonymised: no record number, clerk, time, pile or code hash, and they are sorted by what they hold,
so the order in which people voted cannot be read from the file.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pbtools.counting.names import RULE_NAMES
from pbtools.dates import sheet_day_format
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import BLANK, MOTION, SPOILED, alternatives, label, municipality_name, village_name
from pbtools.i18n import check_lang, gettext, translator
from pbtools.paths import private_file
from pbtools.reports.participants import participant_breakdowns
from pbtools.reports.voting import QuestionReport, question_reports
from pbtools.results.groups import GROUPINGS, UNKNOWN, breakdown


@dataclass(frozen=True)
class Sheet:
    key: str  # stable file name in the CSV zip ("options", "counts", ...)
    title: str  # the sheet's name in the reader's language
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    money: tuple[int, ...] = ()  # columns holding som
    dates: tuple[int, ...] = ()  # columns holding days (ISO text): written as dates a spreadsheet can sort and count
    # (a ``date`` value in any column is written as one too)
    total: bool = False  # the last row is a total (bold)


def _hearing(st: HearingState, lang: str, municipality: Any = None) -> Sheet:
    _ = translator(lang)
    h = st.hearing
    rows = [(_("Municipality"), municipality_name(h.municipality, municipality, lang)), (_("Type of hearing"), label(h.type, lang)),
            (_("Date"), _day(h.date)), (_("Venue"), h.venue_in(lang)), (_("Villages"), ", ".join(village_name(v, municipality, lang) for v in h.villages)),
            (_("Chair"), h.chair),
            (_("Secretary"), h.secretary), (_("Counting commission"), ", ".join(h.commission)),
            (_("Budget for projects"), h.budget), (_("Registered participants"), st.counters.total),
            (_("Women"), st.counters.women), (_("Men"), st.counters.men)]
    rows += [(_("Sex not given"), st.counters.sex_not_given)] if st.counters.sex_not_given else []
    return Sheet("hearing", _("Hearing"), (_("Field"), _("Value")), rows)


def _options(st: HearingState, lang: str, municipality: Any) -> Sheet:
    """The agenda. An alternative of a choose-one question (a tariff) has no cost of its own (each covers the
    same service's cost; summed they would count it again): its cost cell is empty and its tariff is in the
    column of who pays it, a month, as the protocol's option says."""
    _ = translator(lang)
    choices = alternatives(st.questions.values())
    rows = []
    for o in st.sorted_options():
        tariff = o.tariff_monthly if o.id in choices else None
        rows.append((o.number, o.id, o.title(lang), village_name(o.village, municipality, lang), label(o.sector, lang),
                     label(o.proposer, lang), None if o.id in choices else o.cost,
                     tariff if o.tariff_payer == "household" else None, tariff if o.tariff_payer == "person" else None))
    return Sheet("options", _("Options"), (_("No."), _("Identifier"), _("Option"), _("Village"), _("Sector"),
                                          _("Proposed by"), _("Cost"), _("Tariff a month per household"),
                                          _("Tariff a month per person")), rows, money=(6, 7, 8))


def _questions(reports: list[QuestionReport], lang: str) -> Sheet:
    """Per question: ballots by channel, invalid ones (never counted for an option), voided ones, and the
    registrations they are compared with, with the warning when there are more ballots than registered (and for
    each double-entry pile whose two entries still differ)."""
    _ = translator(lang)
    rows = []
    for r in reports:
        t = r.turnout
        rows.append((r.question.title(lang), label(r.question.kind, lang), r.ballots, t.paper, t.phone,
                     r.invalid[SPOILED], r.invalid[BLANK], len(r.voided), t.registered,
                     " ".join([*([t.warning.render(lang)] if t.warning is not None else []),
                               *(note.render(lang) for note in r.disputes)])))
    return Sheet("questions", _("Questions"), (_("Question"), _("Ballot"), _("Ballots counted"), _("Paper"), _("Phone"),
                                              _("Invalid: spoiled"), _("Invalid: blank"), _("Ballots voided"),
                                              _("Registered participants"), _("Warning")), rows)


def _keys(r: QuestionReport, lang: str) -> list[tuple[str, str, str]]:
    """(key, number, name) of what a question's tally counts: its options, or yes/no/abstain."""
    if r.question.kind == MOTION:
        return [(k, "", label(k, lang)) for k in r.tally]
    return [(o.id, str(o.number), o.title(lang)) for o in r.options.values()]


def _counts(reports: list[QuestionReport], lang: str) -> Sheet:
    _ = translator(lang)
    rows = []
    for r in reports:
        selected = list(r.result.selected) if r.result is not None else []
        for key, num, name in _keys(r, lang):
            # the one number per option (ballots, plus hands where the count takes them), then where it came from
            hands = r.hands.get("total", {}).get(key, 0) if r.hands else ""
            rows.append((r.question.title(lang), label(r.question.kind, lang), num, name, r.votes.get(key, 0),
                         r.tally.get(key, 0), r.first.get(key, "") if r.first else "",
                         hands if r.hands_counted else "", hands if not r.hands_counted else "",
                         selected.index(key) + 1 if key in selected else ""))
    return Sheet("counts", _("Counts"), (_("Question"), _("Ballot"), _("No."), _("Option"), _("Votes or points"),
                                        _("Of which on ballots"), _("First preferences"), _("Of which show of hands"),
                                        _("Show of hands not counted (the rule needs whole ballots)"),
                                        _("Funded (order)")), rows)


def _participants(st: HearingState, lang: str, municipality: Any = None) -> Sheet:
    _ = translator(lang)
    names = {"age": _("Age group"), "village": _("Village"), "category": _("Category")}
    rows = [(names[by], village_name(r.key, municipality, lang) if by == "village" else label(r.key, lang), r.total, r.women, r.men)
            for by, items in participant_breakdowns(st).items() for r in items]
    return Sheet("participants", _("Participants"), (_("Grouping"), _("Group"), _("Participants"), _("Women"), _("Men")), rows)


def _breakdowns(st: HearingState, reports: list[QuestionReport], lang: str) -> Sheet:
    # here, not at the top: pbtools.charts.results loads matplotlib (~0.6-1 s); only the breakdown sheet needs a name
    from pbtools.charts.results import unknown_name

    _ = translator(lang)
    names = {"sex": _("Sex"), "age": _("Age group"), "village": _("Village"), "category": _("Category")}
    rows = []
    for r in reports:
        keys = _keys(r, lang)
        for by in GROUPINGS:
            for g in breakdown(st, r.question.id, by):
                group = unknown_name(g.channels, lang) if g.group == UNKNOWN else (g.group if by == "village" else label(g.group, lang))
                rows += [(r.question.title(lang), names[by], group, g.ballots, num, name, g.tally.get(key, 0))
                         for key, num, name in keys]
    return Sheet("breakdowns", _("By group"), (_("Question"), _("Grouping"), _("Group"), _("Ballots"), _("No."),
                                              _("Option"), _("Votes or points")), rows)


def _allocation(reports: list[QuestionReport], lang: str) -> Sheet:
    _ = translator(lang)
    rows = []
    for r in reports:
        if r.result is None or r.question.choose_one:  # a choice between alternatives allocates no budget
            continue
        spent = Decimal(0)
        for i, pid in enumerate(r.result.selected, start=1):
            o = r.options[pid]
            spent += o.cost
            rows.append((r.question.title(lang), gettext(lang, RULE_NAMES.get(r.result.rule, r.result.rule)), i,
                         o.number, o.title(lang), o.cost, spent, r.result.budget))
    return Sheet("allocation", _("Allocation"), (_("Question"), _("Counting rule"), _("Order"), _("No."), _("Option"),
                                                _("Cost"), _("Spent so far"), _("Budget")), rows, money=(5, 6, 7))


def _ballots(st: HearingState, lang: str) -> Sheet:
    _ = translator(lang)
    options = st.sorted_options()
    rows = []
    for q in st.questions.values():
        ballots = sorted((tuple(sorted(c.ballot.marks)), c.ballot.answer) for c in st.ballots_for(q.id))
        for n, (marks, answer) in enumerate(ballots, start=1):
            values = dict(marks)
            rows.append((q.title(lang), n, label(answer, lang) if answer else "", *(values.get(o.id, "") for o in options)))
    header = (_("Question"), _("Ballot"), _("Answer"), *(f"№{o.number}" for o in options))
    return Sheet("ballots", _("Ballots"), header, rows)


def workbook_sheets(st: HearingState, lang: str, municipality: Any = None) -> list[Sheet]:
    lang = check_lang(lang)
    reports = question_reports(st)
    return [_hearing(st, lang, municipality), _options(st, lang, municipality), _questions(reports, lang), _counts(reports, lang), _participants(st, lang, municipality),
            _breakdowns(st, reports, lang), _allocation(reports, lang), _ballots(st, lang)]


def _sheet_title(title: str, used: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    while name in used:
        name = name[:28] + f"_{len(used)}"
    used.add(name)
    return name


def _day(value: Any) -> Any:
    """An ISO day as a date (what else is left as it is: "—", empty)."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def write_xlsx(sheets: list[Sheet], out: Path | str, lang: str = "en") -> Path:
    """The sheets as one workbook at ``out``; its date cells shown as ``lang`` writes days (``sheet_day_format``)."""
    # here, not at the top: openpyxl costs ~0.2-0.4 s to import and the .csv and .pb exports do not need it
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    day_format = sheet_day_format(lang)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(_sheet_title(sheet.title, used))
        ws.append(list(sheet.header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            values = [_day(v) if i in sheet.dates else v for i, v in enumerate(row)]
            ws.append(values)
            for i, v in enumerate(values):
                if isinstance(v, date):  # a real date cell (a datetime is one too), shown as the language writes days
                    ws.cell(ws.max_row, i + 1).number_format = day_format
        for col in sheet.money:
            for (cell,) in ws.iter_rows(min_row=2, min_col=col + 1, max_col=col + 1):
                # a real number, grouped in thousands as the reader's Excel or LibreOffice groups them (a space in
                # ky/ru); whole som without a fraction, tyiyn with two digits, as pbtools.fmt.money writes them
                whole = not isinstance(cell.value, (int, float, Decimal)) or cell.value == int(cell.value)
                cell.number_format = "#,##0" if whole else "#,##0.00"
        if sheet.total and sheet.rows:
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        for i, name in enumerate(sheet.header, start=1):
            width = max([len(str(name))] + [len(str(row[i - 1])) for row in sheet.rows[:200]])
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(6, width + 2))
        ws.freeze_panes = "A2"
    out = Path(out)
    with private_file(out) as tmp:
        wb.save(str(tmp))
    return out


def write_csv_zip(sheets: list[Sheet], out: Path | str) -> Path:
    out = Path(out)
    with private_file(out) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for sheet in sheets:
            text = io.StringIO(newline="")
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(sheet.header)
            writer.writerows(sheet.rows)
            z.writestr(f"{sheet.key}.csv", "\ufeff" + text.getvalue())
    return out
