"""The municipality and its villages from two small CSV files (UTF-8), as in data/sample:

``municipality.csv``: ``field,ky,ru,en`` with rows ``name``, ``rayon``, ``oblast``;
``villages.csv``: ``id,name_ky,name_ru,name_en,population`` (one row per village; ``id`` optional).
"""

from __future__ import annotations

import csv
from pathlib import Path

from pbtools.budget.numbers import whole_number
from pbtools.budget.model import Municipality, Village
from pbtools.budget.problems import Problem
from pbtools.i18n import LANGS, N_, Msg


class MunicipalityError(ValueError):
    """The files could not be read; ``problems`` says where and why (render them in the user's language)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.where('en')}: {p.message.render('en')}" for p in problems))
        self.problems = problems


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(row as a spreadsheet numbers it, values by column) after the header row; blank rows left out. A record is
    one row even when a quoted cell spans lines, and a blank line is a row (Excel, LibreOffice)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        records = list(csv.reader(f))
    header = [h.strip() for h in (records[0] if records else [])]
    return [(number, {k: v.strip() for k, v in zip(header, record) if k}) for number, record in enumerate(records[1:], start=2)
            if any(v.strip() for v in record)]


def read_municipality(path: str | Path) -> Municipality:
    """A folder holding municipality.csv and villages.csv, or the path of municipality.csv."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    main, villages_file = folder / "municipality.csv", folder / "villages.csv"
    problems: list[Problem] = []
    for file in (main, villages_file):
        if not file.is_file():
            problems.append(Problem(file.name, None, None, "file_not_found", Msg(N_("The file was not found."))))
    if problems:
        raise MunicipalityError(problems)

    fields: dict[str, dict[str, str]] = {}
    for row, values in _rows(main):
        key = values.get("field", "")
        names = {lang: values[lang] for lang in LANGS if values.get(lang)}
        if key in ("name", "rayon", "oblast") and names:
            fields[key] = names
    if "name" not in fields:
        problems.append(Problem(main.name, None, "field", "missing_name", Msg(N_("The row «name» with the municipality's name (columns ky, ru, en) is missing."))))

    villages = []
    for row, values in _rows(villages_file):
        names = {lang: values.get(f"name_{lang}", "") for lang in LANGS if values.get(f"name_{lang}")}
        population = values.get("population", "").replace(" ", "").replace("\u00a0", "")
        if not names:
            problems.append(Problem(villages_file.name, row, "name_ky", "missing_name", Msg(N_("The village has no name."))))
        if whole_number(population) is None:
            problems.append(Problem(villages_file.name, row, "population", "not_a_number", Msg(N_("{value} is not a population: expected a whole number."), value=values.get("population", ""))))
            continue
        villages.append(Village(names, int(population), values.get("id", "")))
    if problems:
        raise MunicipalityError(problems)
    return Municipality(fields["name"], tuple(villages), fields.get("oblast", {}), fields.get("rayon", {}))
