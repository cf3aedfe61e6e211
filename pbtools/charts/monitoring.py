"""The monitoring charts: the projects' timeline (planned against actual start and finish, late ones marked) and
their planned against actual cost. Each takes ``pbtools.monitoring`` projects and a language and returns a
``Figure`` in the one chart style (``style.py``), for the Monitoring app and the reports alike."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Callable, Sequence

from matplotlib.dates import AutoDateLocator, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from pbtools.charts import style
from pbtools.fmt import money, percent
from pbtools.i18n import translator

if TYPE_CHECKING:  # the type only: charts sit below the monitoring code that draws with them
    from pbtools.monitoring.model import Project

LATE_COLOUR = "#D55E00"  # vermillion: late, in every chart and on the screen
ROW_HEIGHT = 0.75  # inches per project


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _month(lang: str) -> Callable[[float, object], str]:
    from babel.dates import format_date
    from matplotlib.dates import num2date

    return lambda value, _pos: format_date(num2date(value).date(), "LLL yyyy", locale=lang)


def _size(rows: int) -> tuple[float, float]:
    return (style.SIZE[0], max(style.SIZE[1] * 0.6, 2.2 + ROW_HEIGHT * rows))


def undated(projects: Sequence[Project]) -> list[Project]:
    """The projects the timeline leaves out: no planned start or finish, no actual start (the screen names them)."""
    return [p for p in projects if not (p.planned_start or p.planned_finish or p.actual_start)]


def timeline_chart(projects: Sequence[Project], today: date, late: Callable[[Project], bool], lang: str) -> Figure:
    """One row per project: the planned period (light), the actual one (dark; up to ``today`` while not finished),
    today's line; a late project's name in vermillion with "!". Projects without dates are left out (``undated``)."""
    _ = translator(lang)
    left_out = {p.id for p in undated(projects)}
    dated = [p for p in projects if p.id not in left_out]
    if not dated:
        return style.message_figure(_("No project has dates yet: set the planned start and finish to see the timeline."))
    figure = style.new_figure(_size(len(dated)))
    ax = figure.add_subplot()
    height = 0.36
    names = []
    for y, p in enumerate(reversed(dated)):  # the first project at the top
        start, finish = _day(p.planned_start), _day(p.planned_finish)
        if start and finish:
            ax.barh(y + height / 2, (finish - start).days + 1, left=date2num(start), height=height, color=style.PLANNED_COLOUR)
        began, ended = _day(p.actual_start), _day(p.actual_finish)
        if began:
            end = ended or max(today, began)
            ax.barh(y - height / 2, (end - began).days + 1, left=date2num(began), height=height,
                    color=LATE_COLOUR if late(p) else style.EXECUTED_COLOUR, hatch="" if ended else "//", edgecolor="white")
        names.append(("! " if late(p) else "") + style.wrap(p.title(lang), 26))
    ax.set_yticks(range(len(dated)), names)
    for tick, p in zip(ax.get_yticklabels(), reversed(dated)):
        if late(p):
            tick.set_color(LATE_COLOUR)
            tick.set_fontweight("bold")
    ax.axvline(date2num(today), color=style.TEXT_COLOUR, linewidth=2, linestyle="--")
    ax.xaxis_date()
    ax.xaxis.set_major_locator(AutoDateLocator(maxticks=6))
    ax.xaxis.set_major_formatter(FuncFormatter(_month(lang)))
    left, right = ax.get_xlim()
    ax.set_xlim(min(left, date2num(today - timedelta(days=10))), max(right, date2num(today + timedelta(days=10))))
    style.clean_axes(ax)
    ax.tick_params(axis="y", labelsize=style.VALUE_SIZE)
    handles = [Patch(color=style.PLANNED_COLOUR, label=_("Plan")), Patch(color=style.EXECUTED_COLOUR, label=_("Actual")),
               Patch(facecolor=style.EXECUTED_COLOUR, hatch="//", edgecolor="white", label=_("Under way")),
               Patch(color=LATE_COLOUR, label=_("Late")), Line2D([], [], color=style.TEXT_COLOUR, linestyle="--", linewidth=2, label=_("Today"))]
    figure.legend(handles=handles, fontsize=style.VALUE_SIZE, frameon=False, loc="outside lower left", ncol=5)
    late_count = sum(1 for p in dated if late(p))
    subtitle = _("{n} late: past the planned finish and not completed", n=late_count) if late_count else ""
    style.figure_title(figure, _("Planned and actual dates"), subtitle)
    return style.fit(figure)


def _compact(lang: str):
    return lambda value: money(Decimal(str(round(value))), lang, compact=True) if value else "0"


EDGE = 2  # the cost axis ends past twice the largest plan: an actual cost beyond is drawn cut


def cost_chart(projects: Sequence[Project], lang: str) -> Figure:
    """Planned against actual cost per project, the actual as a share of the planned cost written beside it ("1,8 млн
    сом · 75 % плана расходов"); a project that cost more than planned in vermillion."""
    _ = translator(lang)
    shown = [p for p in projects if p.planned.total or p.actual.total]
    if not shown:
        return style.message_figure(_("No project has a cost yet."))
    figure = style.new_figure(_size(len(shown)))
    ax = figure.add_subplot()
    rows = shown[::-1]
    y = list(range(len(rows)))
    height = 0.4
    ax.barh([i + height / 2 for i in y], [float(p.planned.total) for p in rows], height, color=style.PLANNED_COLOUR)
    over = [bool(p.planned.total) and p.actual.total > p.planned.total for p in rows]
    # an actual cost many times the largest plan would squeeze every other bar to nothing: it is drawn to the edge,
    # cut (marked »), its label saying the whole amount
    edge = EDGE * max(p.planned.total for p in rows)
    cut = [bool(edge) and p.actual.total > edge for p in rows]
    actual = ax.barh([i - height / 2 for i in y], [float(edge if c else p.actual.total) for p, c in zip(rows, cut)], height,
                     color=[LATE_COLOUR if o else style.EXECUTED_COLOUR for o in over])
    # the share is of money, said so: beside a project 80 % complete, a bare «75 %» read as its progress
    ax.bar_label(actual, labels=[(_("{amount} · {share} of the planned cost", amount=money(p.actual.total, lang, compact=True),
                                    share=percent(p.actual.total / p.planned.total, lang, 0))
                                  if p.planned.total and p.actual.total else (money(p.actual.total, lang, compact=True) if p.actual.total else ""))
                                 + (" »" if c else "") for p, c in zip(rows, cut)], padding=6, fontsize=style.VALUE_SIZE, color=style.TEXT_COLOUR)
    ax.set_yticks(y, [style.wrap(p.title(lang), 26) for p in rows])
    style.clean_axes(ax)
    ax.tick_params(axis="y", labelsize=style.VALUE_SIZE)
    style.value_axis(ax, _compact(lang))
    ax.set_xlim(0, max(float(max(p.planned.total, edge if c else p.actual.total)) for p, c in zip(rows, cut)) * 1.3)
    handles = [Patch(color=style.PLANNED_COLOUR, label=_("Planned cost")), Patch(color=style.EXECUTED_COLOUR, label=_("Actual cost"))]
    if any(over):
        handles.append(Patch(color=LATE_COLOUR, label=_("More than planned")))
    figure.legend(handles=handles, fontsize=style.LABEL_SIZE, frameon=False, loc="outside lower left", ncol=3)
    total_planned = sum((p.planned.total for p in shown), Decimal(0))
    total_actual = sum((p.actual.total for p in shown), Decimal(0))
    style.figure_title(figure, _("Planned and actual cost"), _("Spent: {actual} of {planned} planned",
                                                     actual=money(total_actual, lang), planned=money(total_planned, lang)))
    return style.fit(figure)
