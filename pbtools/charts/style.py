"""The one chart style of pbtools: a colour-blind-safe palette and type large enough for a projector at the back
of a school hall. Every chart module takes its colours, sizes and figure from here."""

from __future__ import annotations

import textwrap
from typing import Callable

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency and in greyscale print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
PLANNED_COLOUR = "#56B4E9"  # light blue: what was planned
EXECUTED_COLOUR = "#0072B2"  # dark blue: what happened
REVENUE_COLOUR = "#009E73"
EXPENDITURE_COLOUR = "#D55E00"
TEXT_COLOUR = "#1a1a1a"
GRID_COLOUR = "#d0d0d0"

TITLE_SIZE = 24
LABEL_SIZE = 18
VALUE_SIZE = 16
SIZE = (13.33, 7.5)  # inches: 16:9, the shape of a projector screen
# The projector's board: the shape of what is left of a 1024x768 screen under the board's figures (10 in at the
# screen's 96 dpi is about its width), so that the option names stay ~26 px high there, readable from the back.
BOARD_SIZE = (10, 4.7)
BOARD_NAME_SIZE = 20
BOARD_DPI = 144  # drawn at 1.5 times the screen's 96 dpi: still sharp when a 1080p projector enlarges it
DPI = 100
WRAP = 30  # characters per line of a category label (Kyrgyz names are long)
# matplotlib's default font, DejaVu Sans, has every Kyrgyz letter (ө ү ң): no font set-up is needed offline.

def new_figure(size: tuple[float, float] = SIZE) -> Figure:
    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # draw and save without pyplot
    return figure


def wrap(label: str, width: int = WRAP) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def clean_axes(ax: Axes, axis: str = "x") -> None:
    """Only what carries meaning: no box, a light grid along the value axis, large tick labels."""
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.grid(axis=axis, color=GRID_COLOUR, linewidth=1)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=LABEL_SIZE, length=0, colors=TEXT_COLOUR)


def value_axis(ax: Axes, formatter: Callable[[float], str], axis: str = "x") -> None:
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(nbins=4))  # few ticks: amounts are long words in Kyrgyz and Russian
    target.set_major_formatter(FuncFormatter(lambda value, _pos: formatter(value)))


def title(ax: Axes, text: str, subtitle: str = "") -> None:
    ax.set_title(text + (f"\n{wrap(subtitle, 55)}" if subtitle else ""), fontsize=TITLE_SIZE, loc="left", color=TEXT_COLOUR, pad=16)


def figure_title(figure: Figure, text: str, subtitle: str = "") -> None:
    """A title over the whole figure from its left edge, for charts whose long row labels push the axes right."""
    figure.suptitle(text + (f"\n{subtitle}" if subtitle else ""), fontsize=TITLE_SIZE, x=0.01, ha="left", color=TEXT_COLOUR)


def message_figure(text: str) -> Figure:
    """A figure that only says why there is no chart (e.g. no execution figures in the file)."""
    figure = new_figure()
    ax = figure.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, wrap(text, 50), ha="center", va="center", fontsize=TITLE_SIZE, color=TEXT_COLOUR)
    return fit(figure)


def _axis_texts(figure: Figure) -> set[int]:
    """Tick labels and axis labels: constrained layout already makes room for them (and ticks out of view are kept
    but never drawn), so ``fit`` leaves them alone."""
    ids: set[int] = set()
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            ids.update(id(t) for t in (axis.label, axis.offsetText))
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                ids.update((id(tick.label1), id(tick.label2)))
    return ids


def _rewrap(text: str, chars: int) -> str:
    return "\n".join(wrap(line, max(chars, 8)) if line else line for line in text.split("\n"))


def fit(figure: Figure, margin: float = 6, rounds: int = 4) -> Figure:
    """Keep every title, note and bar label inside the figure, in every language: a text that runs past an edge is
    wrapped to the room it has; a bar label past the right edge widens its axis. Constrained layout only makes
    room for tick labels and titles' height, not for a long title's width (Russian and Kyrgyz run long)."""
    for _round in range(rounds):
        figure.draw_without_rendering()  # lays out (constrained layout included) without painting pixels
        renderer = figure.canvas.get_renderer()
        right = figure.bbox.width - margin
        skip = _axis_texts(figure)
        shrink: dict = {}  # axes -> how much its scale must widen so that its worst bar label fits
        for text in figure.findobj(match=Text):
            if id(text) in skip or not text.get_visible() or not text.get_text().strip():
                continue
            box = text.get_window_extent(renderer)
            if box.x1 <= right + 0.5 and box.x0 >= margin - 0.5:
                continue
            ax = text.axes
            if isinstance(text, Annotation) and ax is not None and text in ax.texts and box.x0 >= margin:
                if box.x1 <= figure.bbox.width - 1:
                    continue  # constrained layout counts bar labels in the axes' box: it keeps them in, at its own pad
                # a bar label past the edge: the bar's end must move left by the overflow
                start = ax.transAxes.transform((0, 0))[0]
                anchor = ax.transData.transform((text.xy[0], 0))[0] - start
                target = anchor - (box.x1 - right) - 2
                if anchor > 0 and target > anchor * 0.2:
                    shrink[ax] = max(shrink.get(ax, 1.0), anchor / target)
                continue
            room = right - max(box.x0, margin) if text.get_horizontalalignment() == "left" else right - margin
            longest = max(len(line) for line in text.get_text().split("\n"))
            # a little short of the measured room (letters differ in width); a wrapped title keeps its left edge, so
            # it needs no second layout (the board is redrawn every second: one layout fewer is 30 ms)
            chars = int(longest * room / max(box.width, 1) * 0.92)
            text.set_text(_rewrap(text.get_text(), chars))
        for ax, factor in shrink.items():  # once per axes, for all its labels: one more layout checks them
            x0, x1 = ax.get_xlim()
            ax.set_xlim(x0, x0 + (x1 - x0) * factor)
        if not shrink:  # a scale changed: lay out again to see where the labels are now
            break
    return figure
