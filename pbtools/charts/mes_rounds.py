"""One round of Equal Shares as a picture for a hall: every voter's share as a bar, the part paid in this round in
orange on top of what they keep (blue). Voters keep their place from round to round, so Next/Back shows the bars
going down where people paid."""

from __future__ import annotations

from matplotlib.figure import Figure

from pbtools.charts.style import LABEL_SIZE, PALETTE, TEXT_COLOUR, clean_axes, figure_title, fit, new_figure

KEEP, PAY = PALETTE[0], PALETTE[1]


def round_chart(keep: list[float], pay: list[float], title: str, subtitle: str, ylabel: str) -> Figure:
    figure = new_figure((13.33, 6.5))
    ax = figure.add_subplot()
    xs = range(len(keep))
    ax.bar(xs, keep, width=0.9, color=KEEP, linewidth=0)
    ax.bar(xs, pay, bottom=keep, width=0.9, color=PAY, linewidth=0)
    clean_axes(ax, axis="y")
    ax.set_xticks([])
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE, color=TEXT_COLOUR)
    ax.set_xlim(-0.6, len(keep) - 0.4)
    top = max([k + p for k, p in zip(keep, pay)] or [1])
    ax.set_ylim(0, top * 1.05 if top else 1)
    figure_title(figure, title, subtitle)
    return fit(figure)
