"""Results charts for the projector: votes per option, the budget bar, participation, what each group chose, the
rounds of Equal Shares and the comparison of rules.

Each function takes core objects (``HearingState``, ``Result``, ``Participation``, ``Comparison``) and a language,
and returns a ``Figure`` in the shared style (``pbtools.charts.style``): funded options in blue, the others in
orange, so the difference does not rest on red and green; amounts are written for the locale.
"""

from __future__ import annotations

from decimal import Decimal, ROUND_HALF_UP
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from pbtools.charts import style
from pbtools.counting.names import RULE_NAMES
from pbtools.counting.result import Result
from pbtools.counting.steps import Buy
from pbtools.fmt import money, number, percent
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import ANSWERS, LABELS, MOTION, POINTS, label, village_name
from pbtools.i18n import N_, gettext, translator
from pbtools.hearings.voters import UNKNOWN

if TYPE_CHECKING:  # the results' types only: charts draw them and never import the results' code (it imports charts)
    from pbtools.results.count import Comparison
    from pbtools.results.groups import GroupTally, Participation

FUNDED = style.PALETTE[0]  # blue
NOT_FUNDED = style.PALETTE[1]  # orange
LEFT_COLOUR = "#e6e6e6"
ANSWER_COLOURS = {"yes": style.PALETTE[2], "no": style.PALETTE[5], "abstain": "#999999"}
GROUP_NAMES = {"sex": N_("Sex"), "age": N_("Age group"), "village": N_("Village"), "category": N_("Category")}


def option_name(state: HearingState, option_id: str, lang: str) -> str:
    option = state.options.get(option_id)
    return f"№{option.number} {option.title(lang)}" if option else option_id


def unknown_name(channels: frozenset, lang: str) -> str:
    """The group of ballots that say nothing of their voter, named by why: a secret paper ballot, a phone voter
    who did not say, both, or a show of hands counted by another grouping."""
    _ = translator(lang)
    paper = "paper" in channels
    phone = bool(channels - {"paper"})
    if paper and phone:
        return _("Not known (paper ballots; phone voters who did not say)")
    if phone:
        return _("Not said (phone voters)")
    if paper:
        return _("Not known (secret paper ballot)")
    return _("Not known (show of hands by another grouping)")


def group_name(key: str, lang: str, municipality: Any = None, channels: frozenset = frozenset({"paper"})) -> str:
    """A group as people read it: "Woman", "18–29", a village in ``lang`` (``municipality`` knows its names);
    ``channels``: how the unknown group's ballots came, which says why they are not known."""
    if key == UNKNOWN:
        return unknown_name(channels, lang)
    return label(key, lang) if key in LABELS else village_name(key, municipality, lang)


def _compact(lang: str):
    return lambda value: money(Decimal(str(round(value))), lang, compact=True) if value else "0"


def _votes_axes(ax, state: HearingState, question_id: str, tally: Mapping[str, int], result: Result | None, lang: str,
                names: int = style.VALUE_SIZE, chars: int = 34) -> None:
    """``names``: the option names' size in points, wrapped at ``chars`` characters a line."""
    _ = translator(lang)
    question = state.questions[question_id]
    funded = set(result.selected) if result is not None else set()
    options = [o.id for o in state.options_of(question_id)]
    options.sort(key=lambda o: -tally.get(o, 0))  # most votes at the top
    options.reverse()
    values = [tally.get(o, 0) for o in options]
    colours = [FUNDED if o in funded else NOT_FUNDED for o in options] if result is not None else [FUNDED] * len(options)
    bars = ax.barh([style.wrap(option_name(state, o, lang), chars) for o in options], values, color=colours, height=0.7)
    ax.bar_label(bars, labels=[number(v, lang) for v in values], padding=8, fontsize=max(names, style.VALUE_SIZE) + 4,
                 color=style.TEXT_COLOUR, fontweight="bold")
    style.clean_axes(ax)
    ax.tick_params(axis="y", labelsize=names)
    ax.xaxis.set_visible(False)
    ax.set_xlim(0, max(values + [1]) * 1.25)  # room for the largest label: fit need not lay the board out twice
    if result is not None:
        # on the board, over the bars' right end: the long names leave no room beside the short bars
        where = {"loc": "lower right", "bbox_to_anchor": (1, 1), "ncol": 2, "borderaxespad": 0.1} if names > style.VALUE_SIZE else {"loc": "lower right"}
        names = (_("Chosen"), _("Not chosen")) if question.choose_one else (_("Funded"), _("Not funded"))
        ax.legend(handles=[Patch(color=FUNDED, label=names[0]), Patch(color=NOT_FUNDED, label=names[1])],
                  fontsize=style.LABEL_SIZE, frameon=False, **where)
    word = _("Points") if question.kind == POINTS else _("Votes")
    ax.set_xlabel(word, fontsize=style.LABEL_SIZE)


def votes_chart(state: HearingState, question_id: str, tally: Mapping[str, int], result: Result | None, lang: str,
                ballots: int | None = None) -> Figure:
    """Votes (or points) per option, the funded ones in blue when ``result`` is given."""
    _ = translator(lang)
    figure = style.new_figure()
    ax = figure.add_subplot()
    _votes_axes(ax, state, question_id, tally, result, lang)
    subtitle = _("Ballots: {n}", n=number(ballots, lang)) if ballots is not None else ""
    style.title(ax, state.questions[question_id].title(lang), subtitle)
    return style.fit(figure)


def _budget_axes(ax, state: HearingState, result: Result, lang: str, board: bool = False) -> None:
    """``board``: the amounts beside the bar, where the option names are, and no scale (the projector's board
    has no room for both at a size read from the back of the hall)."""
    _ = translator(lang)
    start = 0.0
    for i, option_id in enumerate(result.selected):
        cost = float(state.options[option_id].cost) if option_id in state.options else 0.0
        ax.barh([0], [cost], left=start, color=style.PALETTE[i % 6] if i % 6 != 1 else style.PALETTE[4], edgecolor="white", linewidth=2)
        if cost >= float(result.budget) * 0.06:  # a label only where it fits
            ax.text(start + cost / 2, 0, f"№{state.options[option_id].number}", ha="center", va="center",
                    fontsize=style.LABEL_SIZE, color="white", fontweight="bold")
        start += cost
    left = float(result.budget) - start
    if left > 0:
        ax.barh([0], [left], left=start, color=LEFT_COLOUR, edgecolor="white", linewidth=2)
    ax.set_xlim(0, max(float(result.budget), start))
    ax.set_yticks([])
    style.clean_axes(ax)
    # in full: rounded, "2,5 млн: funded 2 млн, left 550 тыс." did not add up (1 950 000 funded)
    summary = _("Budget {budget}: funded {funded}, left {left}", budget=money(result.budget, lang),
                funded=money(result.total_cost, lang), left=money(result.budget - result.total_cost, lang))
    if board:
        ax.set_yticks([0], [style.wrap(summary, 36)])
        ax.tick_params(axis="y", labelsize=style.LABEL_SIZE)
        ax.xaxis.set_visible(False)
        ax.grid(False)
        return
    style.value_axis(ax, _compact(lang))
    ax.set_title(summary, fontsize=style.LABEL_SIZE, loc="left", color=style.TEXT_COLOUR)


def budget_chart(state: HearingState, result: Result, lang: str) -> Figure:
    """The budget as one bar filled by the funded options, in the order they were funded, and what is left."""
    figure = style.new_figure((style.SIZE[0], 2.6))
    _budget_axes(figure.add_subplot(), state, result, lang)
    return style.fit(figure)


def board_size(options: int) -> tuple[float, float]:
    """The board's figure: taller past six options (two lines of name each), so that names never overlap."""
    return style.BOARD_SIZE[0], max(style.BOARD_SIZE[1], 1.7 + 0.5 * options)


def board_chart(state: HearingState, question_id: str, tally: Mapping[str, int], result: Result | None, lang: str) -> Figure:
    """The projector's one picture: votes per option and, under it, the budget bar (one figure: one redraw)."""
    if result is None or state.questions[question_id].choose_one:  # alternatives share no budget: no budget bar
        return votes_chart(state, question_id, tally, result, lang)
    figure = style.new_figure(board_size(len(state.options_of(question_id))))
    top, bottom = figure.subplots(2, 1, height_ratios=[6, 1])
    _votes_axes(top, state, question_id, tally, result, lang, names=style.BOARD_NAME_SIZE, chars=36)
    _budget_axes(bottom, state, result, lang, board=True)
    return style.fit(figure)


def motion_chart(state: HearingState, question_id: str, tally: Mapping[str, int], lang: str) -> Figure:
    _ = translator(lang)
    figure = style.new_figure(style.BOARD_SIZE)  # on the projector's board, like board_chart
    ax = figure.add_subplot()
    total = sum(tally.get(a, 0) for a in ANSWERS)
    values = [tally.get(a, 0) for a in ANSWERS][::-1]
    bars = ax.barh([label(a, lang) for a in ANSWERS][::-1], values, color=[ANSWER_COLOURS[a] for a in ANSWERS][::-1], height=0.6)
    ax.bar_label(bars, labels=[f"{number(v, lang)} · {percent(Decimal(v) / total, lang)}" if total else "0" for v in values],
                 padding=8, fontsize=style.VALUE_SIZE + 4, fontweight="bold")
    style.clean_axes(ax)
    ax.tick_params(axis="y", labelsize=style.BOARD_NAME_SIZE)
    ax.xaxis.set_visible(False)
    ax.set_xlim(0, max(values + [1]) * 1.3)
    style.title(ax, state.questions[question_id].title(lang), _("Votes: {n}", n=number(total, lang)))
    return style.fit(figure)


def participation_chart(p: Participation, lang: str, municipality: Any = None) -> Figure:
    """Who came: counts and shares by sex, age group, village and category; the share of women in the title."""
    _ = translator(lang)
    figure = style.new_figure((style.SIZE[0], 9))
    axes = figure.subplots(2, 2).ravel()
    for ax, (by, items) in zip(axes, p.by.items()):
        items = items[::-1]
        # UNKNOWN here is people who did not give it at the door ("Not given"), not a secret ballot
        names = [label(s.key, lang) if s.key == UNKNOWN else group_name(s.key, lang, municipality) for s in items]
        bars = ax.barh([style.wrap(name, 18) for name in names], [s.count for s in items],
                       color=style.PALETTE[list(p.by).index(by)], height=0.65)
        ax.bar_label(bars, labels=[f"{s.count} · {percent(s.share, lang, 0)}" if s.share is not None else "0" for s in items],
                     padding=6, fontsize=style.VALUE_SIZE - 2)
        style.clean_axes(ax)
        ax.tick_params(axis="y", labelsize=style.VALUE_SIZE - 2)
        ax.xaxis.set_visible(False)
        ax.set_xlim(0, max([s.count for s in items] + [1]) * 1.4)
        ax.set_title(gettext(lang, GROUP_NAMES[by]), fontsize=style.LABEL_SIZE, loc="left")
    women = percent(p.women_share, lang) if p.women_share is not None else "—"
    figure.suptitle(_("Participants: {n}; women: {women} ({share})", n=number(p.total, lang), women=number(p.women, lang), share=women),
                    fontsize=style.TITLE_SIZE, x=0.01, ha="left", color=style.TEXT_COLOUR)
    return style.fit(figure)


MIN_GROUP = 5  # ballots: a smaller group's share is drawn as no bar (one ballot would be a bar at 100 %)


def groups_chart(state: HearingState, question_id: str, groups: Sequence[GroupTally], by: str, lang: str,
                 municipality: Any = None) -> Figure:
    """What each group chose: per option, one bar per group, as a share of that group's ballots (groups differ in
    size; an approval ballot marks several options, so shares of marks would not say "60 % of the group wanted
    it"), or of its points on a points ballot, or of its figures where hands were counted. Beside each bar: the
    votes, the group's size and the share ("3 of 12 · 25 %"); the size is in the legend too ("Woman: 12"). A group of fewer than
    ``MIN_GROUP`` ballots gets no bar (its figures only, in grey) and comes last: a share of one or two ballots
    says nothing of a group and would draw the longest bar."""
    _ = translator(lang)
    question = state.questions[question_id]
    keys = list(question.options) if question.kind != MOTION else list(ANSWERS)
    keys.reverse()
    by_ballots = question.kind != POINTS and not any(g.hands for g in groups)

    def size(g: GroupTally) -> int:
        return g.ballots if by_ballots else sum(g.tally.values())

    def small(g: GroupTally) -> bool:
        return (g.ballots if by_ballots or not g.hands else sum(g.tally.values())) < MIN_GROUP

    groups = sorted(groups, key=small)  # stable: the usual order, the small groups last
    figure = style.new_figure((style.SIZE[0], max(style.SIZE[1], 2.5 + 0.3 * len(keys) * max(len(groups), 1))))
    ax = figure.add_subplot()
    height = 0.8 / max(len(groups), 1)
    for i, g in enumerate(groups):
        total = size(g)
        tiny = small(g)
        shares = [0 if tiny or not total else g.tally.get(k, 0) / total for k in keys]
        ys = [y + 0.4 - height * (i + 0.5) for y in range(len(keys))]
        name = group_name(g.group, lang, municipality, g.channels)
        if tiny:
            name = _("{group}: {n}, too few for a share", group=name, n=number(total, lang))
            colour = "#bbbbbb"
        else:
            name = f"{name}: {number(total, lang)}"  # a colon: some names have brackets of their own
            colour = style.PALETTE[i % len(style.PALETTE)] if i % 8 != 6 else "#777777"
        labels = [_("{votes} of {n}", votes=number(g.tally.get(k, 0), lang), n=number(total, lang))
                  + ("" if tiny or not total else " · " + percent(Decimal(g.tally.get(k, 0)) / total, lang, 0)) for k in keys]
        bars = ax.barh(ys, shares, height, color=colour, label=style.wrap(name, 30))  # (legend: see below)
        ax.bar_label(bars, labels=labels, padding=4, fontsize=style.VALUE_SIZE - 4,
                     color="#777777" if tiny else style.TEXT_COLOUR)
    names = [label(k, lang) if question.kind == MOTION else option_name(state, k, lang) for k in keys]
    ax.set_yticks(range(len(keys)), [style.wrap(n, 34) for n in names])
    style.clean_axes(ax)
    ax.tick_params(axis="y", labelsize=style.VALUE_SIZE - 2)
    style.value_axis(ax, lambda v: percent(Decimal(str(v)), lang, 0))
    ax.set_xlim(0, 1.35)  # the scale ends at 100 %, with room for "12 of 30 · 40 %" past the longest bar
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    # below the bars, never over them; its names wrapped, since constrained layout narrows the bars until a
    # legend wider than the figure fits (the unknown group's long name left a strip of bars)
    ax.legend(fontsize=style.VALUE_SIZE, frameon=False, loc="upper left", bbox_to_anchor=(0, -0.12), ncol=min(len(groups), 3) or 1)
    of = (_("share of each group's ballots (after its name below: its ballots)") if by_ballots
          else _("share of each group's points (after its name below: its points)") if question.kind == POINTS
          else _("share of each group's votes (after its name below: its votes)"))
    ax.set_xlabel(of, fontsize=style.VALUE_SIZE - 4, loc="left")
    style.title(ax, _("What each group chose: {grouping}", grouping=gettext(lang, GROUP_NAMES[by])), question.title(lang))
    return style.fit(figure)


def rounds_chart(state: HearingState, result: Result, lang: str, voters: int | None = None) -> Figure:
    """Equal Shares, round by round: what was bought and the most a supporter paid for it (in whole som, as the
    hearing says amounts). ``voters``: those who share the budget, so the subtitle can say the share each started
    with and, after a completion that raised it, the raised one in words."""
    _ = translator(lang)
    buys = [s for s in result.steps if isinstance(s, Buy)]
    if not buys:
        return style.message_figure(_("Equal Shares bought nothing: no option's supporters could pay for it together."))
    figure = style.new_figure((style.SIZE[0], max(style.SIZE[1], 1.5 + 0.8 * len(buys))))
    ax = figure.add_subplot()
    buys = buys[::-1]
    names = [_("Round {round}: {option}", round=s.round, option=option_name(state, s.project, lang)) for s in buys]
    costs = [float(s.cost) for s in buys]
    bars = ax.barh([style.wrap(n, 40) for n in names], costs, color=FUNDED, height=0.65)
    ax.bar_label(bars, labels=[_("{cost}; up to {price} each", cost=money(_decimal(s.cost), lang, compact=True),
                                 price=money(_decimal(s.price), lang)) for s in buys],
                 padding=8, fontsize=style.VALUE_SIZE - 2)
    style.clean_axes(ax)
    ax.tick_params(axis="y", labelsize=style.VALUE_SIZE - 2)
    style.value_axis(ax, _compact(lang))
    ax.set_xlim(0, max(costs) * 1.6)
    per_voter = result.options.get("per_voter_budget")
    start = _decimal(Decimal(result.budget) / voters) if voters else None
    raised = _decimal(per_voter) if per_voter is not None else None
    if start is not None and raised is not None and raised > start:
        subtitle = _("Each voter's share: {start} (the budget divided equally), raised to {raised} so that more of the budget is used",
                     start=money(start, lang), raised=money(raised, lang))
    elif start is not None or raised is not None:
        subtitle = _("Each voter's share: {amount}", amount=money(start if start is not None else raised, lang))
    else:
        subtitle = ""
    style.title(ax, _("Equal Shares, round by round"), subtitle)
    return style.fit(figure)


def _decimal(value) -> Decimal:
    """In whole som, half up: a hearing's amounts (docs/counting.md)."""
    if hasattr(value, "numerator") and not isinstance(value, (int, Decimal)):
        value = Decimal(int(value.numerator)) / Decimal(int(value.denominator))
    return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def comparison_chart(state: HearingState, question_id: str, comparison: Comparison, lang: str) -> Figure:
    """Options (rows) by rules (columns): a filled square where the rule funds the option; differing rows marked."""
    _ = translator(lang)
    rules = list(comparison.results)
    options = [o.id for o in state.options_of(question_id)][::-1]
    differing = {d.option for d in comparison.differences}
    figure = style.new_figure((style.SIZE[0], max(style.SIZE[1], 1.8 + 0.6 * len(options))))
    ax = figure.add_subplot()
    for x, rule in enumerate(rules):
        funded = set(comparison.results[rule].selected)
        for y, o in enumerate(options):
            on = o in funded
            ax.scatter([x], [y], s=900, marker="s", color=FUNDED if on else "white", edgecolors=FUNDED if on else "#999999", linewidths=2)
    ax.set_xticks(range(len(rules)), [style.wrap(gettext(lang, RULE_NAMES[r]), 16) for r in rules], fontsize=style.VALUE_SIZE)
    ax.set_yticks(range(len(options)), [style.wrap(("≠ " if o in differing else "") + option_name(state, o, lang), 38) for o in options])
    for tick, o in zip(ax.get_yticklabels(), options):
        tick.set_fontweight("bold" if o in differing else "normal")
    ax.xaxis.tick_top()
    style.clean_axes(ax, axis="y")
    ax.tick_params(labelsize=style.VALUE_SIZE)
    ax.spines["bottom"].set_visible(False)
    ax.set_xlim(-0.6, len(rules) - 0.4)
    ax.set_ylim(-0.6, len(options) - 0.4)
    totals = "; ".join(_("{rule}: {amount}", rule=gettext(lang, RULE_NAMES[r]), amount=money(comparison.results[r].total_cost, lang))
                       for r in rules)
    style.figure_title(figure, _("The same ballots, counted by different rules"), totals)
    return style.fit(figure)
