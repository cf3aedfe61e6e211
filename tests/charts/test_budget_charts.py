"""The citizens' budget charts: the bars are the summary's figures, every label is in the chosen language."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from pbtools.budget.model import Budget, BudgetLine
from pbtools.budget.read import read_budget, read_municipality
from pbtools.budget.summary import citizens_budget
from pbtools.charts import budget as charts
from pbtools.charts.style import wrap
from pbtools.fmt import money, percent
from pbtools.i18n import translator
from tests.results.test_chart_text_fits import drawn, outside  # noqa: F401 - drawn is a fixture

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
CHARTS = (charts.revenue_by_source, charts.spending_by_function, charts.plan_vs_actual, charts.budget_by_year)


@pytest.fixture(scope="module")
def summary():
    budget, _ = read_budget(SAMPLE / "budget.csv")
    return citizens_budget(budget, read_municipality(SAMPLE))


def texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(match=lambda o: hasattr(o, "get_text"))]


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_chart_renders_to_png(summary, chart, lang):
    figure = chart(summary, lang)
    assert isinstance(figure, Figure)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    assert out.getvalue().startswith(b"\x89PNG") and len(out.getvalue()) > 10_000


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_revenue_bars_are_the_sources(summary, lang):
    figure = charts.revenue_by_source(summary, lang)
    ax = figure.axes[0]
    widths = [p.get_width() for p in ax.patches][::-1]
    assert widths == [float(p.amount) for p in summary.revenue_by_source]
    labels = [t.get_text() for t in ax.get_yticklabels()][::-1]
    assert labels == [wrap(p.name(lang)) for p in summary.revenue_by_source]
    all_text = texts(figure)
    grant = next(p for p in summary.revenue_by_source if p.key == "grant")
    assert f"{money(grant.amount, lang, compact=True)} · {percent(grant.share, lang)}" in all_text
    title = translator(lang)("Where the money comes from, {year}", year=summary.year)
    assert any(t.startswith(title) for t in all_text)


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_titles_are_translated(summary, lang):
    for chart in CHARTS:
        title = chart(summary, lang).axes[0].get_title(loc="left").splitlines()[0]
        english = chart(summary, "en").axes[0].get_title(loc="left").splitlines()[0]
        assert title != english and title


def test_spending_bars_largest_first_with_per_resident(summary):
    figure = charts.spending_by_function(summary, "ru")
    ax = figure.axes[0]
    widths = [p.get_width() for p in ax.patches][::-1]
    assert widths == sorted(widths, reverse=True) == [float(p.amount) for p in summary.spending_by_function]
    assert money(summary.spending_per_resident, "ru") in ax.get_title(loc="left").replace("\n", " ")


def test_plan_vs_actual_bars(summary):
    figure = charts.plan_vs_actual(summary, "ky")
    bars = [p.get_width() for ax in figure.axes for p in ax.patches]
    expected = []
    for side in ("revenue", "expenditure"):
        items = [p for p in summary.plan_vs_actual if p.side == side][::-1]
        expected += [float(p.planned) for p in items] + [float(p.executed) for p in items]
    assert bars == expected


def test_plan_vs_actual_without_execution_says_so():
    budget = Budget(2026, (BudgetLine("revenue", "1311", {"en": "Grant"}, "grant", {2026: 100}),
                           BudgetLine("expenditure", "709", {"en": "Schools"}, "709", {2026: 100})))
    figure = charts.plan_vs_actual(citizens_budget(budget), "ru")
    expected = translator("ru")("The budget file has no execution figures, so plan and actual cannot be compared.")
    assert wrap(expected, 50) in texts(figure)


def test_charts_never_use_pyplot():
    code = (
        "import sys\n"
        "from pbtools.budget.read import read_budget\n"
        "from pbtools.budget.summary import citizens_budget\n"
        "from pbtools.charts import budget as c\n"
        f"b, _ = read_budget({str(SAMPLE / 'budget.csv')!r}); s = citizens_budget(b)\n"
        "[f(s, 'ky').savefig('/dev/null', format='png') for f in (c.revenue_by_source, c.spending_by_function, c.plan_vs_actual, c.budget_by_year)]\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
@pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
def test_every_text_lies_inside_the_figure(summary, chart, lang, drawn):
    assert outside(chart(summary, lang), drawn) == []


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_plan_and_actual_legend_covers_no_bar_label(summary, lang):
    """The legend sat inside the bars' area, over the "100 %" label of a long bar near its corner; now it lies
    outside every axes, apart from every bar, label and tick, whatever the figures."""
    figure = charts.plan_vs_actual(summary, lang)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legends = [*figure.legends, *(ax.get_legend() for ax in figure.axes if ax.get_legend() is not None)]
    (legend,) = legends
    box = legend.get_window_extent(renderer)
    assert not [ax for ax in figure.axes if ax.get_window_extent(renderer).overlaps(box)]
    others = [t for ax in figure.axes for t in [*ax.texts, *ax.get_yticklabels(), *ax.get_xticklabels()] if t.get_text().strip()]
    bars = [p for ax in figure.axes for p in ax.patches]
    assert others and bars
    assert not [t.get_text() for t in others if t.get_window_extent(renderer).overlaps(box)]
    assert not [p for p in bars if p.get_window_extent(renderer).overlaps(box)]
    assert any("%" in t.get_text() for ax in figure.axes for t in ax.texts)
