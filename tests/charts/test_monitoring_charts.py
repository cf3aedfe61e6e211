"""The monitoring charts on the demo year: the bars are the projects' dates and costs, late projects are marked, every
text lies inside the figure in each language, and a year without dates or costs says so instead of an empty chart."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from matplotlib.dates import date2num

from pbtools.charts import monitoring as charts
from pbtools.demo import create_demo
from pbtools.fmt import money
from pbtools.i18n import translator
from pbtools.monitoring import Funding, MonitoringService
from pbtools.monitoring.forms import is_late
from pbtools.storage import open_workspace
from tests.results.test_chart_text_fits import drawn, outside  # noqa: F401 - drawn is a fixture

TODAY = date(2026, 12, 6)
LANGS = ("ky", "ru", "en")


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    path = tmp_path_factory.mktemp("charts") / "ws"
    create_demo(path)
    with open_workspace(path) as ws:
        return MonitoringService(ws).projects()


def late(project) -> bool:
    return is_late(project, TODAY)


def texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(match=lambda o: hasattr(o, "get_text"))]


@pytest.mark.parametrize("lang", LANGS)
def test_the_timeline_draws_each_projects_planned_and_actual_period(projects, lang):
    figure = charts.timeline_chart(projects, TODAY, late, lang)
    ax = figure.axes[0]
    dated = [p for p in projects if p.planned_start or p.planned_finish or p.actual_start]
    bars = {(round(b.get_x(), 3), round(b.get_width(), 3)) for b in ax.patches}
    for p in dated:
        if p.planned_start and p.planned_finish:
            start, finish = date.fromisoformat(p.planned_start), date.fromisoformat(p.planned_finish)
            assert (round(date2num(start), 3), (finish - start).days + 1) in bars
        if p.actual_start:
            began = date.fromisoformat(p.actual_start)
            end = date.fromisoformat(p.actual_finish) if p.actual_finish else TODAY
            assert (round(date2num(began), 3), (end - began).days + 1) in bars
    labels = [t.get_text() for t in ax.get_yticklabels()][::-1]  # the first project at the top
    assert [label.startswith("! ") for label in labels] == [late(p) for p in dated] and any(late(p) for p in dated)
    assert any(t.startswith(translator(lang)("Planned and actual dates")) for t in texts(figure))


@pytest.mark.parametrize("lang", LANGS)
def test_the_cost_chart_gives_plan_and_actual_of_each_project(projects, lang):
    figure = charts.cost_chart(projects, lang)
    ax = figure.axes[0]
    shown = [p for p in projects if p.planned.total or p.actual.total][::-1]
    widths = [b.get_width() for b in ax.patches]
    assert widths == [float(p.planned.total) for p in shown] + [float(p.actual.total) for p in shown]
    spent = sum((p.actual.total for p in shown), Decimal(0))
    assert any(money(spent, lang) in t for t in texts(figure))


def test_a_project_over_its_plan_is_marked(projects):
    over = replace(projects[0], actual=Funding(projects[0].planned.total + 1))
    figure = charts.cost_chart([over], "en")
    assert figure.axes[0].patches[1].get_facecolor()[:3] == pytest.approx((0xD5 / 255, 0x5E / 255, 0))
    assert "More than planned" in texts(figure)


@pytest.mark.parametrize("lang", LANGS)
def test_every_text_stays_inside_the_figure(projects, drawn, lang):
    for figure in (charts.timeline_chart(projects, TODAY, late, lang), charts.cost_chart(projects, lang)):
        assert not outside(figure, drawn), (lang, outside(figure, drawn))


def test_without_dates_or_costs_the_chart_says_why(projects):
    bare = [replace(p, planned_start="", planned_finish="", actual_start="", actual_finish="", planned=Funding(), actual=Funding())
            for p in projects]
    _ = translator("ru")
    assert _("No project has dates yet: set the planned start and finish to see the timeline.").split(":")[0] in " ".join(
        texts(charts.timeline_chart(bare, TODAY, late, "ru")))
    assert any(_("No project has a cost yet.") in t for t in texts(charts.cost_chart(bare, "ru")))


def test_an_actual_cost_far_beyond_every_plan_is_drawn_cut_and_the_others_stay_readable(projects, drawn):
    """The trial: 1 000 000 000 000 som on a 2 400 000 som project squeezed every other bar to nothing."""
    costed = [p for p in projects if p.planned.total]
    huge = replace(costed[0], actual=Funding(Decimal(10_000_000_000)))
    figure = charts.cost_chart([huge] + costed[1:], "ru")
    ax = figure.axes[0]
    most = float(max(p.planned.total for p in costed))
    assert ax.get_xlim()[1] <= charts.EDGE * most * 1.6  # the axis is the plans' (and room for labels), not the huge figure's
    smallest = min(float(p.planned.total) for p in costed)
    assert smallest / ax.get_xlim()[1] > 0.02  # the smallest plan is still a bar one can see
    label = next(t for t in texts(figure) if t.endswith(" »"))
    assert label.startswith(money(Decimal(10_000_000_000), "ru", compact=True))  # the whole amount is said
    assert not outside(figure, drawn)


@pytest.mark.parametrize("lang", LANGS)
def test_the_share_beside_an_actual_cost_says_it_is_of_the_planned_cost(projects, lang):
    """The trial: «1,8 млн сом · 75 %» beside a project 80 % complete read as its progress; it is money spent of the
    plan, and says so."""
    from pbtools.fmt import percent

    _ = translator(lang)
    shown = texts(charts.cost_chart(projects, lang))
    spent = [p for p in projects if p.planned.total and p.actual.total]
    assert spent
    for p in spent:
        share = percent(p.actual.total / p.planned.total, lang, 0)
        assert _("{amount} · {share} of the planned cost", amount=money(p.actual.total, lang, compact=True), share=share) in shown
        assert f"{money(p.actual.total, lang, compact=True)} · {share}" not in shown  # never the bare share
