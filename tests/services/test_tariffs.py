"""The tariff that covers the cost: hand-checked examples, exact until rounded up to the tyiyn at the end."""

from __future__ import annotations

import random
from decimal import Decimal as D
from fractions import Fraction

import pytest

from pbtools.services.errors import ServiceError
from pbtools.services.tariffs import TARGET, TARGET_SUBSIDISED, TODAY, covering_tariff, parse_rate, parse_subsidy, tariff_options, up_to_tyiyn
from tests.services.helpers import village_water


def test_village_of_450_households():
    # 1 105 000 som a year; 450 households, 82 % of them pay: 450 × 0.82 = 369 paying households.
    # 1 105 000 / 369 = 2 994.5799… -> 2 994.58 a year; / 12 = 249.5483… -> 249.55 a month
    t = covering_tariff(village_water())
    assert t.exact_yearly == Fraction(1_105_000, 369)
    assert (t.yearly, t.monthly) == (D("2994.58"), D("249.55"))
    assert t.current_monthly == D("150.00")  # 1 800 som a year with a connection
    assert t.change_monthly == D("99.55")


def test_exact_figures_are_not_rounded():
    # 540 000 som over 450 households all paying: 1 200.00 a year, 100.00 a month exactly
    t = covering_tariff(village_water(cost=D(540_000), rate=D(1)))
    assert (t.yearly, t.monthly) == (D("1200.00"), D("100.00"))


def test_rounded_up_so_the_cost_is_covered():
    # 1 000 som over 3 households: 333.333… Half up would give 333.33, and 3 × 333.33 = 999.99 < 1 000
    t = covering_tariff(village_water(households=3, cost=D(1000), rate=D(1)))
    assert t.yearly == D("333.34")
    assert t.monthly == D("27.78")  # 27.777… up
    assert t.collected >= 1000


def test_subsidy_and_collection_rate():
    # (1 105 000 − 300 000) / (450 × 0.95) = 805 000 / 427.5 = 1 883.0409… -> 1 883.05; / 12 = 156.920… -> 156.93
    t = covering_tariff(village_water(), D("0.95"), D(300_000))
    assert (t.yearly, t.monthly) == (D("1883.05"), D("156.93"))
    assert t.subsidy == D(300_000)


def test_options_for_a_hearing():
    options = tariff_options(village_water(), D("0.95"), D(300_000))
    assert [o.option for o in options] == [TODAY, TARGET, "subsidy", TARGET_SUBSIDISED]
    assert options[0].monthly > options[1].monthly > options[3].monthly  # more paying, more subsidy: less to pay
    assert tariff_options(village_water()) == [covering_tariff(village_water(), option=TODAY)]


def test_rounding_is_the_least_tyiyn_that_covers():
    rng = random.Random(7)
    for _ in range(500):
        cost = D(rng.randrange(1, 5_000_000_00)) / 100
        households = rng.randrange(1, 5000)
        rate = D(rng.randrange(1, 101)) / 100
        t = covering_tariff(village_water(households, cost, rate))
        need = Fraction(cost)
        assert Fraction(t.yearly) * households * Fraction(rate) >= need
        assert Fraction(t.yearly - D("0.01")) * households * Fraction(rate) < need
        assert Fraction(t.monthly) * 12 >= t.exact_yearly > Fraction(t.monthly - D("0.01")) * 12


def test_up_to_tyiyn():
    assert up_to_tyiyn(Fraction(6666, 100)) == D("66.66")
    assert up_to_tyiyn(Fraction(66661, 1000)) == D("66.67")
    assert up_to_tyiyn(Fraction(0)) == D("0.00")


@pytest.mark.parametrize("text, value", [("0,85", D("0.85")), ("0.85", D("0.85")), ("85 %", D("0.85")), ("85%", D("0.85")), ("85", D("0.85")), ("1", D(1))])
def test_rates_as_typed(text, value):
    assert parse_rate(text) == value


@pytest.mark.parametrize("text", ["0", "150 %", "abc", "-0,5", ""])
def test_bad_rates_are_refused(text):
    with pytest.raises(ServiceError) as e:
        parse_rate(text)
    assert "collection rate" in e.value.render("en")
    assert "жыйноо" in e.value.render("ky")


def test_subsidy_as_typed_and_refused():
    assert parse_subsidy("300 000 сом") == D(300_000)
    with pytest.raises(ServiceError):
        parse_subsidy("-5")


def test_impossible_tariffs_are_refused():
    with pytest.raises(ServiceError) as e:
        covering_tariff(village_water(), subsidy=D(2_000_000))
    assert "more than the yearly cost" in e.value.render("en")
    with pytest.raises(ServiceError):
        covering_tariff(village_water(households=0))
    with pytest.raises(ServiceError):
        covering_tariff(village_water(), D(0))


def test_where_a_year_is_not_twelve_months_the_note_says_why_with_the_figures():
    """2 994,58 a year beside 249,55 a month (× 12 = 2 994,60) read as a mistake: each is rounded up from the exact
    tariff, by design; the note says so with the figures, in every language, and only when they differ."""
    from pbtools.fmt import money
    from pbtools.services.tariffs import rounding_note

    t = covering_tariff(village_water())
    assert t.monthly * 12 != t.yearly
    note = rounding_note([t])
    for lang, word in (("ky", "тегеректелет"), ("ru", "округляются"), ("en", "rounded up")):
        text = note.render(lang)
        assert word in text and all(money(v, lang) in text for v in (t.monthly, t.monthly * 12, t.yearly)), text
    exact = covering_tariff(village_water(households=100, cost=D(120_000), rate=D(1)))  # 1 200 a year, 100 a month
    assert exact.monthly * 12 == exact.yearly and rounding_note([exact]) is None
    assert rounding_note([exact, t]).params["yearly"].params["amount"] == t.yearly  # the first option that differs


def test_the_tariffs_tab_s_figures_are_refused_by_field_name():
    """s23 finding 29: "-100 — не сумма в сомах" did not say which of the two fields was wrong."""
    from pbtools.services.tariffs import tariff_figures

    assert tariff_figures("95 %", "300 000") == (D("0.95"), D(300_000))
    assert tariff_figures(" ", "") == (None, None)
    with pytest.raises(ServiceError) as e:
        tariff_figures("150 %", "-100")
    ru = [p.render("ru") for p in e.value.problems]
    assert ru[0].startswith("Целевой уровень собираемости: 150 %") and ru[1] == "Субсидия из бюджета, сом в год: -100 — не сумма в сомах"
    with pytest.raises(ServiceError) as e:
        tariff_figures("", "-100")
    assert e.value.render("ky").startswith("Бюджеттен субсидия, жылына сом: -100")
    assert e.value.render("en") == "Subsidy from the budget, som a year: -100 is not an amount in som"
