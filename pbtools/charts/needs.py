"""Who ranked what: a grid of problems (rows, in the overall order) by groups or villages (columns), each cell the
place that group's own count gave the problem. Darker is a higher priority; an empty cell: the group did not list it.
A problem women put first but the whole count put fifth shows at once."""

from __future__ import annotations

from typing import Mapping, Sequence

from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from pbtools.charts.style import LABEL_SIZE, PALETTE, TEXT_COLOUR, VALUE_SIZE, figure_title, fit, message_figure, new_figure, wrap

_SCALE = LinearSegmentedColormap.from_list("priority", ["#ffffff", PALETTE[0]])


def places_chart(rows: Sequence[str], columns: Sequence[str], places: Sequence[Sequence[int | None]], title: str,
                 subtitle: str = "", empty: str = "") -> Figure:
    """``places[r][c]``: the place column c gave row r (1 = first), None when it did not rank it."""
    if not rows or not columns:
        return message_figure(empty or title)
    height = min(4 + 0.55 * len(rows), 14)
    figure = new_figure((max(10.0, 4.5 + 1.9 * len(columns)), height))
    ax = figure.add_subplot()
    worst = max([p for row in places for p in row if p is not None] or [1])
    shade = [[(worst + 1 - p) / worst if p is not None else 0.0 for p in row] for row in places]
    ax.imshow(shade, cmap=_SCALE, vmin=0, vmax=1, aspect="auto")
    for r, row in enumerate(places):
        for c, p in enumerate(row):
            if p is not None:
                light = shade[r][c] > 0.55
                ax.text(c, r, str(p), ha="center", va="center", fontsize=VALUE_SIZE, fontweight="bold",
                        color="white" if light else TEXT_COLOUR)
    ax.set_xticks(range(len(columns)), [wrap(c, 14) for c in columns], fontsize=LABEL_SIZE - 2)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), [wrap(r, 34) for r in rows], fontsize=LABEL_SIZE - 3)
    ax.tick_params(length=0, colors=TEXT_COLOUR)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_xticks([c - 0.5 for c in range(1, len(columns))], minor=True)
    ax.set_yticks([r - 0.5 for r in range(1, len(rows))], minor=True)
    ax.grid(which="minor", color="#d0d0d0", linewidth=1)
    ax.tick_params(which="minor", length=0)
    figure_title(figure, title, subtitle)
    return fit(figure)


def chart_rows(outcome_order: Sequence[str], parts: Mapping[str, Mapping[str, int]]) -> list[list[int | None]]:
    """The grid of places: rows in ``outcome_order`` (problem ids), one column per part (its problem -> place)."""
    return [[parts[key].get(pid) for key in parts] for pid in outcome_order]
