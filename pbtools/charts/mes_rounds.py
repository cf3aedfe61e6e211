"""One round of Equal Shares as a picture for a hall: every voter's share as a bar, the part paid in this round in
orange on top of what they keep (blue). Voters keep their place from round to round, so Next/Back shows the bars
going down where people paid. No title: the app shows the round's caption just above the picture."""

from __future__ import annotations

from matplotlib.figure import Figure

from pbtools.charts.style import LABEL_SIZE, PALETTE, TEXT_COLOUR, clean_axes, fit, new_figure, value_axis, wrap
from pbtools.fmt import number

KEEP, PAY = PALETTE[0], PALETTE[1]
# Wide and low: under the tab's texts, its Back/Next row and the caption, the whole picture fits a 1024x768
# projector without scrolling at each step (about 970x270 px at the screen's 96 dpi).
SIZE = (10, 2.7)


def round_chart(keep: list[float], pay: list[float], ylabel: str, lang: str) -> Figure:
    figure = new_figure(SIZE)
    ax = figure.add_subplot()
    xs = range(len(keep))
    ax.bar(xs, keep, width=0.9, color=KEEP, linewidth=0)
    ax.bar(xs, pay, bottom=keep, width=0.9, color=PAY, linewidth=0)
    clean_axes(ax, axis="y")
    value_axis(ax, lambda value: number(round(value), lang), axis="y")  # "25 000", "25,000": the language's own
    ax.set_xticks([])
    # the chart is low: its label on two lines (Kyrgyz and Russian run long)
    ax.set_ylabel(wrap(ylabel, 16), fontsize=LABEL_SIZE, color=TEXT_COLOUR)
    ax.set_xlim(-0.6, len(keep) - 0.4)
    top = max([k + p for k, p in zip(keep, pay)] or [1])
    ax.set_ylim(0, top * 1.05 if top else 1)
    return fit(figure)
