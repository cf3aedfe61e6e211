"""What the board shows, hide/reveal, the charts' bars and labels, the export files, and the app in Python."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from matplotlib.colors import to_hex
from matplotlib.image import imread

from pbtools.charts import results as charts
from pbtools.charts.style import wrap
from pbtools.fmt import money, percent
from pbtools.hearings.model import Ballot
from pbtools.hearings.store import HearingStore
from pbtools.results import compare_rules, count_question, participation
from pbtools.results.board import results_hidden, set_results_hidden, snapshot, tally
from pbtools.results.export import chart_figures, export_charts

LANGS = ("ky", "ru", "en")


def texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(match=lambda o: hasattr(o, "get_text"))]


def test_hidden_while_open_shown_when_closed_unless_chosen(store, ws):
    st = store.refresh()
    assert results_hidden(ws, st)
    board = snapshot(st, "ap", hidden=True)
    assert board.tally is None and board.result is None and board.participation.total == 0
    set_results_hidden(ws, st.id, False)
    assert not results_hidden(ws, st)
    store.close(actor="chair")
    ws.set_setting(f"results_hidden:{st.id}", None)
    assert not results_hidden(ws, store.refresh())
    set_results_hidden(ws, st.id, True)
    assert results_hidden(ws, store.refresh())


@pytest.mark.parametrize("lang", LANGS)
def test_votes_bars_are_the_tally_and_funded_are_blue(sample, lang):
    result = count_question(sample, "q1")
    votes = tally(sample, "q1")
    figure = charts.votes_chart(sample, "q1", votes, result, lang, ballots=len(sample.ballots_for("q1")))
    ax = figure.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    by_name = {wrap(charts.option_name(sample, o, lang), 34): o for o in votes}
    for bar, name in zip(ax.patches, names):
        option = by_name[name]
        assert bar.get_width() == votes[option]
        assert to_hex(bar.get_facecolor()) == (charts.FUNDED if option in result.selected else charts.NOT_FUNDED).lower()


@pytest.mark.parametrize("lang", LANGS)
def test_budget_bar_is_filled_by_the_funded_options(sample, lang):
    result = count_question(sample, "q1")
    figure = charts.budget_chart(sample, result, lang)
    widths = [p.get_width() for p in figure.axes[0].patches]
    assert widths[:len(result.selected)] == [float(sample.options[o].cost) for o in result.selected]
    assert sum(widths) == pytest.approx(float(result.budget))
    left = money(result.budget - result.total_cost, lang)
    assert any(left in t for t in texts(figure))


@pytest.mark.parametrize("lang", LANGS)
def test_participation_always_shows_the_share_of_women(sample, lang):
    p = participation(sample)
    figure = charts.participation_chart(p, lang)
    assert any(percent(p.women_share, lang) in t for t in texts(figure))


def test_comparison_chart_marks_each_rules_choice(sample):
    comparison = compare_rules(sample, "q1")
    figure = charts.comparison_chart(sample, "q1", comparison, "en")
    filled = sum(1 for c in figure.axes[0].collections if to_hex(c.get_facecolor()[0]) == charts.FUNDED.lower())
    assert filled == sum(len(r.selected) for r in comparison.results.values())


def test_export_writes_every_chart_as_png_and_svg(sample, tmp_path):
    figures = chart_figures(sample, "q1", "ky")
    assert {"votes", "budget", "participation", "groups-sex", "groups-village", "groups-age", "groups-category", "rounds",
            "rules"} == set(figures)
    for by in ("age", "category"):  # each group of that grouping has its bars
        from pbtools.results.groups import breakdown

        legend = [t.get_text() for t in figures[f"groups-{by}"].axes[0].get_legend().get_texts()]
        assert len(legend) == len(breakdown(sample, "q1", by)) >= 1
    paths = export_charts(tmp_path, sample, "q1", figures)
    assert len(paths) == 2 * len(figures)
    for path in paths:
        if path.suffix == ".png":
            assert imread(path).ndim == 3
        else:
            assert ET.parse(path).getroot().tag.endswith("svg")
    assert not list(tmp_path.glob("*.part"))


def test_hidden_results_export_participation_only(sample):
    assert set(chart_figures(sample, "q1", "en", hidden=True)) == {"participation"}


def test_motion_charts(sample):
    figures = chart_figures(sample, "q4", "ru")
    assert "rules" not in figures and "votes" in figures
    widths = sorted(p.get_width() for p in figures["votes"].axes[0].patches)
    assert widths == sorted(tally(sample, "q4").values())


def test_app_follows_ballots_from_another_store_and_reveals(store, ws):
    pytest.importorskip("ipywidgets")
    from pbtools_widgets.results_app import ResultsApp

    app = ResultsApp(ws, lang="ru")
    assert app.board.hidden and app.board.ballots == 0
    other = HearingStore(ws, store.id)  # another process in the hall: the clerk's laptop, a phone
    other.cast("ap", Ballot((("a", 1), ("b", 1))), actor="clerk")
    app.poll()
    assert app.board.ballots == 1 and 'id="pb-board-ballots">1<' in app.head.value
    app.reveal.value = True
    assert ws.get_setting(f"results_hidden:{store.id}") is False
    assert not app.board.hidden and app.board.result is not None and bytes(app.image.value).startswith(b"\x89PNG")
    app.tabs.selected_index = 4
    assert app.panes["compare"].children
    seen: list[tuple[int, int]] = []
    app.progress.bar.observe(lambda change: seen.append((app.progress.bar.value, app.progress.bar.max)), "value")
    app.export.click()
    svgs = list((ws.path / "exports").glob("*.svg"))
    assert "pb-exported" in app.exported.value and len(svgs) >= 5
    assert all(f'download="{svg.name}"' in app.exported.value for svg in svgs)
    assert str(ws.path) not in app.exported.value  # the server's folder means nothing where the board is downloaded
    files = 2 * len(svgs)
    assert seen[-1] == (files, files) and len(seen) >= files  # a step per file, shown while the export ran
    assert app.progress.bar.layout.visibility == "hidden" and not app.export.disabled


def test_the_groups_tab_draws_each_grouping_in_each_language(store, ws):
    from pbtools_widgets.results_app import ResultsApp

    store.cast("ap", Ballot((("a", 1),)), actor="clerk", voter={"sex": "f", "village": "Ак-Суу"})
    app = ResultsApp(ws, lang="ru")
    app.reveal.value = True
    app.tabs.selected_index = 2  # Groups
    pane = app.panes["groups"]
    assert app.grouping.value == "sex" and pane.children[0] is app.grouping
    first = bytes(pane.children[1].value)
    assert first.startswith(b"\x89PNG")
    app.grouping.value = "village"
    assert bytes(pane.children[1].value).startswith(b"\x89PNG") and bytes(pane.children[1].value) != first
    app.lang_switch.value = "ky"  # the buttons are relabelled, the grouping chosen stays
    assert app.grouping.value == "village" and "Айылдар" in [label for label, _ in app.grouping.options]


def test_village_names_in_the_charts_follow_the_language(sample):
    from pbtools.budget.municipality import read_municipality
    from pbtools.hearings.sample import SAMPLE_DIR

    m = read_municipality(SAMPLE_DIR)  # the sample hearing's municipality
    differ = [v for v in m.villages if v.name("ru") != v.name("ky") and v.name("ky") in sample.hearing.villages]
    assert differ  # the test can tell the languages apart
    figure = charts.participation_chart(participation(sample), "ru", m)
    labels = {t.get_text().replace("\\n", " ") for ax in figure.axes for t in ax.get_yticklabels()}
    assert differ[0].name("ru") in labels and differ[0].name("ky") not in labels


def test_the_groups_chart_gives_shares_of_each_groups_ballots(store):
    """Approval ballots mark several options: 6 women's ballots all marking a and b are "100 % of the women's
    ballots" for each (not 50 % of their 12 marks), as the board says; the legend gives the 6 ballots."""
    from pbtools.results.groups import breakdown

    for _ in range(6):
        store.cast("ap", Ballot((("a", 1), ("b", 1))), actor="clerk", voter={"sex": "f"})
    for _ in range(5):
        store.cast("ap", Ballot((("c", 1),)), actor="clerk", voter={"sex": "m"})
    st = store.refresh()
    figure = charts.groups_chart(st, "ap", breakdown(st, "ap", "sex"), "sex", "en")
    ax = figure.axes[0]
    widths = {bars.get_label(): [round(p.get_width(), 3) for p in bars.patches] for bars in ax.containers}
    (women,) = [k for k in widths if k.endswith(": 6")]  # six ballots, not twelve marks
    options = list(reversed(st.questions["ap"].options))  # drawn bottom-up
    assert [widths[women][options.index(o)] for o in ("a", "b", "c")] == [1.0, 1.0, 0.0]
    (men,) = [k for k in widths if k.endswith(": 5")]
    assert widths[men][options.index("c")] == 1.0
    assert "share of each group's ballots" in " ".join(t.get_text() for t in figure.findobj(match=lambda o: hasattr(o, "get_text")))


def test_the_compare_tab_says_what_the_mark_on_differing_options_means(tmp_path):
    pytest.importorskip("ipywidgets")
    from pbtools.hearings.sample import create_sample_hearing
    from pbtools.storage import open_workspace
    from pbtools_widgets.results_app import ResultsApp

    with open_workspace(tmp_path / "ws") as ws:
        hearing = create_sample_hearing(ws)
        differences = compare_rules(state_of(ws, hearing), "q1").differences
        app = ResultsApp(ws, lang="ru")
        app.tabs.selected_index = list(app.panes).index("compare") + 1
        text = " ".join(c.value for c in app.panes["compare"].children if hasattr(c, "value") and isinstance(c.value, str))
        assert differences  # the sample's rules disagree on some options
        assert "≠ на рисунке отмечает варианты, по которым правила расходятся" in text
        from pbtools.i18n import translator
        from pbtools.results.count import RULE_IDEAS

        idea = translator("ru")(RULE_IDEAS["mes"])
        assert text.count(idea) == 1  # MES and MES + greedy are compared; their idea is said once


def state_of(ws, hearing_id):
    from pbtools.hearings.store import state

    return state(ws, hearing_id)


def test_the_board_says_why_equal_shares_left_money_that_an_option_would_fit(store):
    """MES may leave money while an unfunded option would fit in it (its supporters' shares are spent): the board
    names those options and says why, instead of looking like a mistake."""
    import random

    from pbtools.hearings.model import APPROVAL, Question

    ids = tuple(store.state.options)
    store.define_question(Question("mq", APPROVAL, {"en": "Up to 3"}, ids, max_choices=3, rule="mes"), actor="f")
    rng = random.Random(7)
    for _ in range(200):  # ballots until MES leaves such money (the count decides, not the test)
        store.cast("mq", Ballot(tuple((o, 1) for o in rng.sample(ids, rng.randint(1, 3)))), actor="clerk")
        st = store.refresh()
        board = snapshot(st, "mq", hidden=False)
        left = board.result.budget - board.result.total_cost
        # options with supporters (one nobody voted for is said apart: see the next test)
        fitting = [o for o in ids if o not in board.result.selected and st.options[o].cost <= left and board.tally.get(o)]
        if fitting:
            break
    assert fitting, "no ballot set left money unspent"
    (note,) = [n for n in board.notes if "unspent" in n.render("en")]
    en = note.render("en")
    assert money(left, "en") in en and all(f"№{st.options[o].number} " in en for o in fitting)
    assert "не смогли оплатить" in note.render("ru") and "төлөй алышкан жок" in note.render("ky")
    greedy = snapshot(st, "ap", hidden=False)  # greedy takes whatever fits: never such a note
    assert not [n for n in greedy.notes if "unspent" in n.render("en")]


def test_money_left_where_an_option_nobody_voted_for_would_fit_says_nobody_voted(store):
    """Equal Shares left 700 000 som and the board said "№4 would fit, but their supporters could not pay": №4 had
    no supporters at all. An option without votes is said apart: nobody voted for it, and it is never funded."""
    from pbtools.hearings.model import APPROVAL, Question

    ids = tuple(store.state.options)
    cheapest = min(ids, key=lambda o: store.state.options[o].cost)
    voted = [o for o in ids if o != cheapest]
    store.define_question(Question("mz", APPROVAL, {"en": "Shares"}, ids, max_choices=1, rule="mes"), actor="f")
    for o in voted:  # one ballot each: Equal Shares buys at most what one voter's share pays
        store.cast("mz", Ballot(((o, 1),)), actor="clerk")
    st = store.refresh()
    board = snapshot(st, "mz", hidden=False)
    left = board.result.budget - board.result.total_cost
    assert cheapest not in board.result.selected and st.options[cheapest].cost <= left  # the case itself
    (note,) = [n for n in board.notes if "unspent" in n.render("en")]
    name = f"№{st.options[cheapest].number} "
    supported = [o for o in voted if o not in board.result.selected and st.options[o].cost <= left]
    for lang, nobody, could_not in (("en", "nobody voted", "could not pay"), ("ru", "никто не голосовал", "не смогли оплатить"),
                                    ("ky", "эч ким добуш берген жок", "төлөй алышкан жок")):
        text = note.render(lang)
        assert name in text and nobody in text and money(left, lang) in text
        assert (could_not in text) == bool(supported), (lang, text)


def test_a_group_of_one_ballot_draws_no_bar_and_says_its_size(store):
    """One man's ballot is no "100 % of men": his group gets no bar, comes last in grey, and every bar says how
    many of how many ("5 of 6 · 83 %"), so a tiny group cannot draw the longest bar."""
    from pbtools.results.groups import breakdown

    for i in range(6):
        store.cast("ap", Ballot((("a", 1),) if i else (("b", 1),)), actor="clerk", voter={"sex": "f"})
    store.cast("ap", Ballot((("b", 1),)), actor="clerk", voter={"sex": "m"})
    st = store.refresh()
    figure = charts.groups_chart(st, "ap", breakdown(st, "ap", "sex"), "sex", "en")
    ax = figure.axes[0]
    containers = list(ax.containers)
    labels = [c.get_label() for c in containers]
    assert labels[-1].startswith("Man") and "too few" in labels[-1] and "1" in labels[-1]
    assert all(p.get_width() == 0 for p in containers[-1].patches)
    longest = max((p.get_width(), c.get_label()) for c in containers for p in c.patches)
    assert longest[1].startswith("Woman") and round(longest[0], 3) == round(5 / 6, 3)
    texts = [t.get_text() for t in ax.texts]
    assert "5 of 6 · 83%" in texts and "1 of 1" in texts


def test_the_legend_puts_no_brackets_in_brackets(store):
    """Secret paper ballots next to a show of hands by sex: the legend read "Неизвестно (тайный бумажный
    бюллетень) (9)"; each group's size now follows a colon, and the axis caption says where to find it."""
    from pbtools.charts.results import unknown_name
    from pbtools.results.groups import breakdown
    from pbtools.results.votes import option_votes

    for marks in ((("a", 1), ("b", 1)), (("a", 1),), (("b", 1), ("c", 1))) * 2:
        store.cast("ap", Ballot(marks), actor="clerk")  # no voter's group: a secret paper ballot
    store.enter_count("ap", {"f": {"a": 7, "b": 3}, "m": {"a": 4, "c": 2}}, actor="commission", group_by="sex")
    st = store.refresh()
    groups = breakdown(st, "ap", "sex")
    for lang in ("ru", "ky", "en"):
        figure = charts.groups_chart(st, "ap", groups, "sex", lang)
        legend = [t.get_text().replace("\n", " ") for t in figure.axes[0].get_legend().get_texts()]  # (wrapped)
        assert all(name.count("(") <= 1 and name.count(")") <= 1 for name in legend), legend
        paper = unknown_name(frozenset({"paper"}), lang)
        (unknown,) = [g for g in groups if g.group == "unknown"]
        assert f"{paper}: {sum(unknown.tally.values())}" in legend  # its votes: the chart counts votes when hands are in
        caption = figure.axes[0].get_xlabel()
        assert "(" in caption and not any(word in caption for word in ("brackets", "скобках", "кашаада"))
    # the bars add up to the one number per option the board gives
    per_option = {o: sum(g.tally.get(o, 0) for g in groups) for o in st.questions["ap"].options}
    total = option_votes(st, "ap").total
    assert per_option == {o: total.get(o, 0) for o in per_option} and per_option["a"] == 4 + 11


def test_the_unknown_group_is_named_by_why_it_is_not_known(store):
    """A phone ballot whose voter did not say their group is not "a secret paper ballot"."""
    from pbtools.charts.results import unknown_name
    from pbtools.results.groups import UNKNOWN, breakdown

    store.cast("ap", Ballot((("a", 1),)), actor="phone", channel="phone")
    st = store.refresh()
    (unknown,) = [g for g in breakdown(st, "ap", "sex") if g.group == UNKNOWN]
    assert unknown.channels == {"phone"}
    for lang in ("en", "ru", "ky"):
        name = charts.group_name(UNKNOWN, lang, channels=unknown.channels)
        assert name == unknown_name(frozenset({"phone"}), lang) != unknown_name(frozenset({"paper"}), lang)
    assert "phone" in charts.group_name(UNKNOWN, "en", channels=unknown.channels)
    store.cast("ap", Ballot((("a", 1),)), actor="clerk")
    mixed = [g for g in breakdown(store.refresh(), "ap", "sex") if g.group == UNKNOWN][0]
    assert "paper" in charts.group_name(UNKNOWN, "en", channels=mixed.channels) and "phone" in charts.group_name(UNKNOWN, "en", channels=mixed.channels)
