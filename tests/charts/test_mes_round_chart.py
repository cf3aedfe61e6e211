"""The Equal Shares round chart: its value axis in the language's number format, no title repeating the caption
the app shows above it, and a figure low enough for a 1024x768 projector."""

from __future__ import annotations

import pytest

from pbtools.charts.mes_rounds import SIZE, round_chart
from pbtools.fmt import number

KEEP = [25_000.0, 12_500.0, 25_000.0, 3_000.0]
PAY = [0.0, 12_500.0, 0.0, 22_000.0]


def drawn_ticks(figure):
    figure.draw_without_rendering()
    ax = figure.axes[0]
    low, high = ax.get_ylim()
    return [(tick, label.get_text()) for tick, label in zip(ax.get_yticks(), ax.get_yticklabels()) if low <= tick <= high]


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_value_axis_reads_in_the_language(lang):
    ticks = drawn_ticks(round_chart(KEEP, PAY, "Share of each voter, som", lang))
    assert len(ticks) >= 3
    assert all(text == number(round(value), lang) for value, text in ticks)
    big = [text for value, text in ticks if value >= 10_000]
    # thousands are grouped: never the bare "25000" a hall cannot read at a glance
    assert big and all(text != str(int(value)) for value, text in ticks if value >= 10_000)


def test_thousands_separators_differ_by_language():
    en = dict(drawn_ticks(round_chart(KEEP, PAY, "y", "en")))
    ru = dict(drawn_ticks(round_chart(KEEP, PAY, "y", "ru")))
    value = next(v for v in en if v >= 10_000)
    assert "," in en[value] and "," not in ru[value] and en[value].replace(",", "") == ru[value].replace("\xa0", "").replace(" ", "")


def test_no_title_and_low_enough_for_a_projector():
    figure = round_chart(KEEP, PAY, "Доля каждого избирателя, сом", "ru")
    assert figure._suptitle is None and not figure.axes[0].get_title()
    width, height = SIZE
    # at the screen's 96 dpi: under 1000 px wide and at most 270 px high, leaving the caption and Back/Next room
    assert width * 96 <= 1000 and height * 96 <= 270
    figure.draw_without_rendering()
    label = figure.axes[0].yaxis.label.get_window_extent()
    assert label.height <= figure.bbox.height  # the long Russian label is wrapped to the chart's height
