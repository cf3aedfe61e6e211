"""The citizens' budget charts: where the money comes from, where it goes, plan against actual, and the years.

Each function takes the figures of ``pbtools.budget.summary.citizens_budget`` and a language, and returns a
``Figure`` labelled in that language with amounts written for its locale ("12,3 млн сом").
"""

from __future__ import annotations

from decimal import Decimal

from matplotlib.figure import Figure

from pbtools.budget.model import EXPENDITURE, REVENUE
from pbtools.budget.summary import CitizensBudget, Part
from pbtools.charts import style
from pbtools.fmt import money, number, percent
from pbtools.i18n import translator


def _compact(lang: str):
    return lambda value: money(Decimal(str(round(value))), lang, compact=True) if value else "0"


def _parts_chart(parts: tuple[Part, ...], lang: str, heading: str, subtitle: str, colours: tuple[str, ...]) -> Figure:
    figure = style.new_figure()
    ax = figure.add_subplot()
    labels = [style.wrap(p.name(lang)) for p in parts][::-1]  # largest at the top
    values = [float(p.amount) for p in parts][::-1]
    bars = ax.barh(labels, values, color=[colours[i % len(colours)] for i in range(len(parts))][::-1], height=0.65)
    ax.bar_label(bars, labels=[f"{money(p.amount, lang, compact=True)} · {percent(p.share, lang)}" for p in parts][::-1],
                 padding=8, fontsize=style.VALUE_SIZE, color=style.TEXT_COLOUR)
    style.clean_axes(ax)
    style.value_axis(ax, _compact(lang))
    ax.set_xlim(0, max(values, default=1) * 1.35)  # room for the value labels
    style.title(ax, heading, subtitle)
    return style.fit(figure)


def revenue_by_source(summary: CitizensBudget, lang: str) -> Figure:
    _ = translator(lang)
    subtitle = _("Total: {amount}", amount=money(summary.revenue, lang))
    return _parts_chart(summary.revenue_by_source, lang, _("Where the money comes from, {year}", year=summary.year), subtitle, style.PALETTE)


def spending_by_function(summary: CitizensBudget, lang: str) -> Figure:
    _ = translator(lang)
    subtitle = _("Total: {amount}", amount=money(summary.expenditure, lang))
    if summary.spending_per_resident is not None:
        subtitle += " · " + _("{amount} per resident", amount=money(summary.spending_per_resident, lang))
    return _parts_chart(summary.spending_by_function, lang, _("Where the money goes, {year}", year=summary.year), subtitle, (style.EXPENDITURE_COLOUR,))


def plan_vs_actual(summary: CitizensBudget, lang: str) -> Figure:
    """Last year's plan against what was received and spent: revenue sources above, functions below."""
    _ = translator(lang)
    if summary.execution_year is None:
        return style.message_figure(_("The budget file has no execution figures, so plan and actual cannot be compared."))
    sides = [(side, [p for p in summary.plan_vs_actual if p.side == side]) for side in (REVENUE, EXPENDITURE)]
    sides = [(side, items) for side, items in sides if items]
    figure = style.new_figure((style.SIZE[0], max(style.SIZE[1], 2.0 + 0.7 * len(summary.plan_vs_actual))))
    axes = figure.subplots(len(sides), 1, sharex=True, squeeze=False, height_ratios=[len(items) for _s, items in sides])[:, 0]
    side_name = {REVENUE: _("Revenue"), EXPENDITURE: _("Expenditure")}
    height = 0.4
    for ax, (side, items) in zip(axes, sides):
        items = items[::-1]
        positions = list(range(len(items)))
        planned = ax.barh([y + height / 2 for y in positions], [float(p.planned) for p in items], height, color=style.PLANNED_COLOUR, label=_("Plan"))
        done = ax.barh([y - height / 2 for y in positions], [float(p.executed) for p in items], height, color=style.EXECUTED_COLOUR, label=_("Actual"))
        ax.bar_label(done, labels=[percent(p.rate, lang, 0) if p.rate is not None else "" for p in items],
                     padding=6, fontsize=style.VALUE_SIZE, color=style.TEXT_COLOUR)
        ax.set_yticks(positions, [style.wrap(p.name(lang)) for p in items])
        style.clean_axes(ax)
        ax.tick_params(axis="y", labelsize=style.VALUE_SIZE)
        style.value_axis(ax, _compact(lang))
        ax.set_ylabel(side_name[side], fontsize=style.LABEL_SIZE)
    # under the chart, outside every axes: inside, it sat over the longest bar's "100 %" label
    figure.legend(handles=[planned, done], fontsize=style.LABEL_SIZE, frameon=False, loc="outside lower left", ncol=2)
    revenue_plan, revenue_done = summary.execution_totals(REVENUE)
    spent_plan, spent_done = summary.execution_totals(EXPENDITURE)
    subtitle = _("Revenue received: {done} of {planned}; spent: {spent} of {budgeted}",
                 done=money(revenue_done, lang, compact=True), planned=money(revenue_plan, lang, compact=True),
                 spent=money(spent_done, lang, compact=True), budgeted=money(spent_plan, lang, compact=True))
    style.title(axes[0], _("Plan and actual, {year}", year=summary.execution_year), subtitle)
    return style.fit(figure)


def budget_by_year(summary: CitizensBudget, lang: str) -> Figure:
    """Revenue and expenditure of the year before, the budget year and the forecast years, with the change."""
    _ = translator(lang)
    years: list[tuple[int, Decimal, Decimal]] = []
    if summary.previous_year is not None:
        years.append((summary.previous_year, summary.previous_revenue, summary.previous_expenditure))
    years.append((summary.year, summary.revenue, summary.expenditure))
    years += list(summary.forecast)
    figure = style.new_figure()
    ax = figure.add_subplot()
    x = list(range(len(years)))
    width = 0.38
    rev = ax.bar([i - width / 2 for i in x], [float(r) for _y, r, _e in years], width, color=style.REVENUE_COLOUR, label=_("Revenue"))
    exp = ax.bar([i + width / 2 for i in x], [float(e) for _y, _r, e in years], width, color=style.EXPENDITURE_COLOUR, label=_("Expenditure"))
    # the axis carries the unit; bar labels stay short so two neighbours never overlap
    ax.bar_label(rev, labels=[number(r, lang, compact=True) for _y, r, _e in years], padding=4, fontsize=style.VALUE_SIZE - 2)
    ax.bar_label(exp, labels=[number(e, lang, compact=True) for _y, _r, e in years], padding=4, fontsize=style.VALUE_SIZE - 2)
    names = []
    for y, _r, _e in years:
        kind = _("forecast") if y > summary.year else (_("budget") if y == summary.year else _("plan"))
        names.append(f"{y}\n{kind}")
    ax.set_xticks(x, names)
    style.clean_axes(ax, axis="y")
    style.value_axis(ax, _compact(lang), axis="y")
    ax.set_ylim(0, max(float(max(r, e)) for _y, r, e in years) * 1.18)
    ax.legend(handles=[rev, exp], fontsize=style.LABEL_SIZE, frameon=False, loc="upper left")
    subtitle = ""
    if summary.revenue_change is not None:
        subtitle = _("Change from {year}: revenue {revenue}, expenditure {expenditure}", year=summary.previous_year,
                     revenue=_signed(summary.revenue_change, lang), expenditure=_signed(summary.expenditure_change, lang))
    style.title(ax, _("The budget by year"), subtitle)
    return style.fit(figure)


def _signed(change: Decimal | None, lang: str) -> str:
    if change is None:
        return "—"
    return ("+" if change > 0 else "") + percent(change, lang)
