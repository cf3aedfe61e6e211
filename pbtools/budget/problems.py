"""A problem found in a budget file: where it is (file, row, column) and what was expected, in any language."""

from __future__ import annotations

from dataclasses import dataclass

from pbtools.fmt import number
from pbtools.i18n import N_, Msg

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str  # file name as given
    row: int | None  # the row as Excel or LibreOffice number it (a CSV record, even spanning lines; XLSX sheet row); None: the whole file
    column: str | None  # the column's header as written in the file, or its letter when it has no header
    kind: str  # stable identifier for programs and tests, e.g. "total_mismatch" (see docs/budget-format.md)
    message: Msg
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def where(self, lang: str) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(Msg(N_("row {row}"), row=self.row).render(lang))
        if self.column:
            parts.append(Msg(N_("column «{column}»"), column=self.column).render(lang))
        return ", ".join(parts)

    def render(self, lang: str) -> str:
        label = Msg(N_("error") if self.is_error else N_("warning")).render(lang)
        return f"{self.where(lang)}: {label}: {self.message.render(lang)}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


class Number(Msg):
    """A number inside a message, written the way the message's language writes numbers ("7 176,1" / "7,176.1")."""

    def __init__(self, value) -> None:  # noqa: ANN001 - Decimal or int
        object.__setattr__(self, "msgid", "{value}")
        object.__setattr__(self, "params", {"value": value})

    def render(self, lang: str) -> str:
        return number(self.params["value"], lang)
