"""The one chart style of pbtools: a colour-blind-safe palette and type large enough for a projector at the back
of a school hall. Every chart module takes its colours, sizes and figure from here."""

from __future__ import annotations

import textwrap
from typing import Callable

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
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


def message_figure(text: str) -> Figure:
    """A figure that only says why there is no chart (e.g. no execution figures in the file)."""
    figure = new_figure()
    ax = figure.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, wrap(text, 50), ha="center", va="center", fontsize=TITLE_SIZE, color=TEXT_COLOUR)
    return figure
