"""Charts for the projector: the tariff options side by side (what a household pays a month, and what the budget
pays a year), and a survey question's satisfaction by group. matplotlib ``Figure`` in the shared style (no pyplot).
"""

from __future__ import annotations

from typing import Any, Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator

from pbtools.charts import style
from pbtools.fmt import money, percent
from pbtools.i18n import N_, gettext
from pbtools.services.model import HOUSEHOLD, Service
from pbtools.services.places import group_name
from pbtools.services.survey_results import QuestionResult, dec
from pbtools.services.tariffs import OPTION_NAMES, CoveringTariff


def tariff_chart(service: Service, options: Sequence[CoveringTariff], lang: str) -> Figure:
    """One bar per option: the tariff a month per household (or person); today's tariff as a line; each bar says
    the subsidy from the budget it needs."""
    figure = style.new_figure()
    ax = figure.add_subplot()
    names = [style.wrap(gettext(lang, OPTION_NAMES.get(t.option, N_("Tariff")))) for t in options]
    values = [float(t.monthly) for t in options]
    bars = ax.barh(range(len(options)), values, color=style.PALETTE[0])
    ax.set_yticks(range(len(options)), names, fontsize=style.LABEL_SIZE)
    # bar labels as Annotations a few points off the bar's end: ``style.fit`` widens the scale for a long one rather
    # than wrapping it back onto the bar (leading spaces were dropped by the wrap: "0 сом" sat on the bar's end)
    ax.bar_label(bars, labels=[gettext(lang, N_("{amount} a month; budget {subsidy} a year")).format(
        amount=money(t.monthly, lang), subsidy=money(t.subsidy, lang)) for t in options], padding=8, fontsize=style.VALUE_SIZE)
    current = next((t.current_monthly for t in options if t.current_monthly is not None), None)
    # a band above the first bar holds today's tariff's label, inside the axes (below the last bar it sat under the axis)
    band = max(0.35, 0.12 * len(options))  # bars are 0.8 high, one a unit: about one line of text
    ax.set_ylim(len(options) - 0.5, -0.4 - band)
    if current is not None:
        ax.axvline(float(current), color=style.PALETTE[5], linestyle="--")
        ax.text(float(current), -0.4 - band / 2, " " + gettext(lang, N_("today: {amount}")).format(amount=money(current, lang)),
                color=style.PALETTE[5], fontsize=style.VALUE_SIZE, va="center")
    ax.set_xlim(0, max(values + [float(current or 0)]) * 1.9 or 1)
    style.value_axis(ax, lambda v: money(v, lang))
    style.clean_axes(ax)
    per = N_("Tariff a month per household") if options and options[0].payer == HOUSEHOLD else N_("Tariff a month per person")
    style.title(ax, service.name(lang), gettext(lang, per))
    return style.fit(figure)


def satisfaction_chart(result: QuestionResult, grouping: str, lang: str, municipality: Any = None) -> Figure:
    """The share satisfied (4–5) per group, with the number of answers beside every bar; a group too small is
    drawn without a bar, its figures in grey. Villages are named in ``lang`` by ``municipality``'s names."""
    figure = style.new_figure()
    ax = figure.add_subplot()
    groups = result.groups[grouping]
    names = [style.wrap(group_name(grouping, g.key, municipality, lang)) for g in groups]
    values = [0.0 if g.small or g.satisfied is None else float(g.satisfied) for g in groups]
    bars = ax.barh(range(len(groups)), values, color=style.PALETTE[2])
    ax.set_yticks(range(len(groups)), names, fontsize=style.LABEL_SIZE)
    ax.invert_yaxis()
    labels = ax.bar_label(bars, labels=[f"{percent(dec(g.satisfied), lang, digits=0) if g.satisfied is not None else '—'} (n={g.n})"
                                        if not g.small else gettext(lang, N_("too few answers (n={n})")).format(n=g.n) for g in groups],
                          padding=8, fontsize=style.VALUE_SIZE)
    for label, g in zip(labels, groups):
        label.set_color("#777777" if g.small else style.TEXT_COLOUR)
    ax.set_xlim(0, 1.4)  # room for the labels right of a full bar
    style.value_axis(ax, lambda v: percent(v, lang, digits=0))
    ax.xaxis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1]))  # a share goes to 100 %, not to the room's 120 %
    style.clean_axes(ax)
    style.title(ax, result.question.title(lang), gettext(lang, N_("Satisfied (4 or 5)")))
    return style.fit(figure)
