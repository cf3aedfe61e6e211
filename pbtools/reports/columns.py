"""How wide a table's columns are, in the PDF and in Word alike: every column at least as wide as its longest word
(a figure such as "1 150 000 сом" is one word: its spaces are no-break spaces), the rest of the width shared as the
table's ``widths`` ask. So neither file breaks "Завершён" into "Заверше/н" or a sum into "1 150 00/0 сом"."""

from __future__ import annotations

from typing import Callable

from pbtools.reports.document import Table


def fit_columns(block: Table, measure: Callable[[str, bool], float], pad: float, width: float) -> list[float] | None:
    """Column widths (in the unit of ``measure`` and ``width``) giving every column the room of its longest word
    plus ``pad`` (the cell's margins); None when the words do not fit in ``width``. ``measure(text, bold)``."""
    weights = block.widths or (1,) * len(block.header)
    least = []
    for c in range(len(block.header)):
        widest = 0.0
        for r, values in enumerate((block.header, *block.rows)):
            bold = r == 0 or (block.total and r == len(block.rows))
            # split at plain spaces only: "1 950 000 сом" is held together by no-break spaces, one piece
            widest = max([widest] + [measure(word, bold) for word in values[c].split(" ")])
        least.append(widest + pad)
    if sum(least) > width:
        return None
    widths = [width * wt / sum(weights) for wt in weights]
    while True:  # raise the too narrow columns to their least width, taking the room from the others
        short = [c for c, w in enumerate(widths) if w < least[c] - 1e-9]
        if not short:
            return widths
        for c in short:
            widths[c] = least[c]
        free = [c for c in range(len(widths)) if c not in short and widths[c] > least[c]]
        excess = sum(widths) - width
        room = sum(widths[c] for c in free)
        if room <= 0:
            return widths
        for c in free:
            widths[c] -= excess * widths[c] / room
