"""A survey's questions as a table a municipality edits (CSV or XLSX, read like a budget file): a question row has
an id and its kind (``scale`` or ``choice``) and its text in ky/ru/en; the rows under it without an id are its
answers to choose from, in order. ``write_questions`` writes the default questions in this shape, to start from.

    id;kind;ky;ru;en
    satisfaction;scale;Бул кызматка канчалык канааттанасыз?;Насколько вы довольны этой услугой?;How satisfied...
    ;;Таптакыр канааттанбайм;Совсем не доволен;Very unsatisfied
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Sequence

from pbtools.budget.problems import Problem
from pbtools.budget.table import load_table
from pbtools.budget.text import fold
from pbtools.i18n import N_, Msg
from pbtools.services.survey import CHOICE, SCALE, SurveyQuestion
from pbtools.services.survey_store import check_questions

LANGS = ("ky", "ru", "en")


def write_questions(questions: Sequence[SurveyQuestion], path: Path | str) -> Path:
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(["id", "kind", *LANGS])
        for q in questions:
            out.writerow([q.id, q.kind, *(q.titles.get(lang, "") for lang in LANGS)])
            for choice in q.choices:
                out.writerow(["", "", *(choice.get(lang, "") for lang in LANGS)])
    return path


def read_questions(path: Path | str) -> tuple[list[SurveyQuestion], list[Problem]]:
    """The questions of the file, or ([], every problem with its row and column)."""
    table, problems = load_table(path)
    if table is None:
        return [], problems
    (header_row, header), rows = table.rows[0], table.rows[1:]
    names = [fold(str(h)) for h in header]
    missing = [n for n in ("id", "kind") if n not in names] + ([] if set(LANGS) & set(names) else ["ky / ru / en"])
    if missing:
        return [], [Problem(table.file, header_row, None, "missing_column",
                            Msg(N_("The first row must name the columns id, kind, ky, ru, en; missing: {names}"), names=", ".join(missing)))]
    col = {n: names.index(n) for n in ("id", "kind", *LANGS) if n in names}

    def cell(cells: tuple, name: str) -> str:
        i = col.get(name)
        return str(cells[i]).strip() if i is not None and i < len(cells) else ""

    found: list[dict] = []
    for row, cells in rows:
        texts = {lang: cell(cells, lang) for lang in LANGS if cell(cells, lang)}
        if cell(cells, "id"):
            kind = cell(cells, "kind").lower() or CHOICE
            if kind not in (SCALE, CHOICE):
                problems.append(Problem(table.file, row, header[col["kind"]], "bad_kind", Msg(N_("{value}: write scale or choice"), value=kind)))
            found.append({"id": cell(cells, "id"), "kind": kind, "titles": texts, "choices": [], "row": row})
        elif not found:
            problems.append(Problem(table.file, row, None, "no_question", Msg(N_("An answer comes before any question (a question row has an id)."))))
        else:
            found[-1]["choices"].append(texts)
    questions = [SurveyQuestion(q["id"], q["titles"], tuple(q["choices"]), q["kind"]) for q in found]
    for q, data in zip(questions, found):
        problems += [Problem(table.file, data["row"], None, "bad_question", m) for m in check_questions([q])]
    if not found and not problems:
        problems.append(Problem(table.file, None, None, "no_questions", Msg(N_("The file has no questions."))))
    ids = [q.id for q in questions]
    problems += [Problem(table.file, None, None, "duplicate_id", Msg(N_("Question id {id} is given twice"), id=i)) for i in sorted({i for i in ids if ids.count(i) > 1})]
    return ([] if problems else questions), problems
