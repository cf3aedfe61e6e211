"""Every text the results charts draw (titles, bar labels, legends, tick labels) lies inside the figure, in each
language: Russian and Kyrgyz titles run much longer than English ones and were cut at the right edge."""

from __future__ import annotations

import pytest
from matplotlib.text import Text

from pbtools.charts import results as charts
from pbtools.charts import style
from pbtools.results import count_question
from pbtools.results.board import tally
from pbtools.results.export import chart_figures

LANGS = ("ky", "ru", "en")


@pytest.fixture
def drawn(monkeypatch):
    """Record each text as matplotlib really draws it, with its extent on the canvas: a tick out of view or a
    hidden axis label is never drawn, so it is not recorded."""
    seen: list = []
    draw = Text.draw

    def recording(self, renderer):
        draw(self, renderer)
        if self.get_visible() and self.get_text().strip():
            seen.append((self.get_text(), self.get_window_extent(renderer)))

    monkeypatch.setattr(Text, "draw", recording)
    return seen


def outside(figure, drawn) -> list:
    drawn.clear()
    figure.canvas.draw()
    width, height = figure.bbox.width, figure.bbox.height
    assert drawn, "nothing was drawn"
    return [(text, round(b.x0), round(b.x1), round(width)) for text, b in drawn
            if b.x0 < -0.5 or b.y0 < -0.5 or b.x1 > width + 0.5 or b.y1 > height + 0.5]


@pytest.mark.parametrize("lang", LANGS)
def test_every_results_chart_keeps_its_text_inside_the_figure(sample, drawn, lang):
    for question_id, question in sample.questions.items():
        figures = chart_figures(sample, question_id, lang)
        if question.kind != "motion":
            figures["board"] = charts.board_chart(sample, question_id, tally(sample, question_id),
                                                  count_question(sample, question_id), lang)
        for name, figure in figures.items():
            assert not outside(figure, drawn), (lang, question_id, name, outside(figure, drawn))


@pytest.mark.parametrize("lang", LANGS)
def test_the_budget_title_is_whole_on_the_board(sample, drawn, lang):
    """The title of the budget bar ("what is left ...") is all there, line breaks aside."""
    from pbtools.fmt import money
    from pbtools.i18n import translator

    result = count_question(sample, "q2")
    figure = charts.board_chart(sample, "q2", tally(sample, "q2"), result, lang)
    assert not outside(figure, drawn)
    expected = translator(lang)("Budget {budget}: funded {funded}, left {left}", budget=money(result.budget, lang),
                                funded=money(result.total_cost, lang),
                                left=money(result.budget - result.total_cost, lang))
    assert expected in [text.replace("\n", " ") for text, _box in drawn]


def test_fit_wraps_a_long_title_and_keeps_a_long_bar_label_inside(drawn):
    figure = style.new_figure()
    ax = figure.add_subplot()
    bars = ax.barh(["a", "b"], [10, 9.5])
    ax.bar_label(bars, labels=["a long label " * 3, "x"], fontsize=style.VALUE_SIZE)
    ax.set_xlim(0, 10)
    ax.set_title("Бюджет сом каржыланды калды " * 4, loc="left", fontsize=style.TITLE_SIZE)
    assert outside(figure, drawn)  # as drawn before: both run past the right edge
    style.fit(figure)
    assert not outside(figure, drawn)
    assert "\n" in ax.get_title(loc="left")
    figure.draw_without_rendering()
    assert ax.get_position().width > 0.5  # the label found room without squeezing the bars away


@pytest.mark.parametrize("lang", ("ru", "ky"))
def test_a_long_group_name_does_not_squash_the_groups_chart(store, lang):
    """The unknown group's name says why it is not known ("paper ballots; voters by phone who did not say their
    group"): in one legend row with the others it was wider than the figure, and the layout shrank the bars to a
    strip at the left with the scale's labels on top of each other (found by a new-user trial)."""
    from pbtools.hearings.model import Ballot
    from pbtools.results.groups import breakdown

    for i, (answer, sex) in enumerate([("yes", "f")] * 4 + [("no", "f")] + [("yes", "")] * 5 + [("no", "")] * 3
                                      + [("abstain", "")] * 2 + [("yes", "m")] * 2 + [("no", "m"), ("abstain", "m")]):
        voter = {"sex": sex} if sex else None
        store.cast("mo", Ballot(answer=answer), actor="phone", channel="phone" if i % 2 else "paper", key=f"k{i}", voter=voter)
    st = store.refresh()
    groups = breakdown(st, "mo", "sex")
    figure = charts.groups_chart(st, "mo", groups, "sex", lang)
    figure.canvas.draw()
    ax = figure.axes[0]
    assert ax.bbox.width > 0.6 * figure.bbox.width  # the bars have the figure's width, not a strip
    ticks = [t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()]
    assert all(a.x1 <= b.x0 for a, b in zip(ticks, ticks[1:]))  # the scale's labels side by side, none on another
