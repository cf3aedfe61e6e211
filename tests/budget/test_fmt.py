"""Money, numbers and percentages in each language."""

from decimal import Decimal as D

import pytest
from babel.numbers import format_decimal

from pbtools.fmt import NBSP, Percent, money, number, percent
from pbtools.i18n import Msg


@pytest.mark.parametrize("lang, full, compact", [
    ("ru", "12 345 678 сом", "12,3 млн сом"),
    ("ky", "12 345 678 сом", "12,3 млн сом"),
    ("en", "12,345,678 som", "12.3M som"),
])
def test_money(lang, full, compact):
    assert money(D("12345678"), lang).replace(NBSP, " ") == full
    assert money(D("12345678"), lang, compact=True).replace(NBSP, " ") == compact


def test_money_never_breaks_and_keeps_tyiyn():
    assert " " not in money(D("12345678"), "ru")
    assert money(D("1234.5"), "en") == f"1,234.50{NBSP}som"
    assert money(D("999"), "ru", compact=True) == f"999{NBSP}сом"
    assert money(D("-1500"), "en") == f"-1,500{NBSP}som"


def test_percent_and_number():
    assert percent(D("0.665"), "en") == "66.5%"
    assert percent(D("0.665"), "ru").replace(NBSP, " ") == "66,5 %"
    assert percent(D("0.0005"), "en") == "0.1%"  # half up, not half even
    assert number(D("1234567.891"), "ru", digits=2) == format_decimal(D("1234567.89"), locale="ru")
    assert number(7, "ky") == "7"


def test_kyrgyz_writes_a_percentage_as_russian_does_with_a_space_that_never_breaks():
    """The trial: «75 % аткарылды» and «60% аткарылды» on one Kyrgyz screen (CLDR's ky has no space)."""
    for value, digits in ((D("0.75"), 0), (D("0.623"), 1), (D(1), 0)):
        assert percent(value, "ky", digits) == percent(value, "ru", digits)
    assert percent(D("0.75"), "ky", 0) == f"75{NBSP}%" and percent(D("0.75"), "en", 0) == "75%"


def test_percent_with_as_many_digits_as_needed_and_inside_a_message():
    assert percent(D("0.0455"), "ru", None) == f"4,55{NBSP}%" and percent(D("0.05"), "en", None) == "5%"
    assert Percent(D("0.4")).render("ky") == f"40{NBSP}%" and Percent(D("0.4")).render("en") == "40%"
    assert Msg("{project} has {share} of the votes, less than the {minimum} needed: not eligible.", project="P1",
               share=Percent(D("0.0455"), None), minimum=Percent(D("0.05"), None)).render("en") == (
        "P1 has 4.55% of the votes, less than the 5% needed: not eligible.")


def test_money_in_another_currency_uses_its_symbol():
    # a Pabulib election counts in its own currency: never "som" for zloty or euro
    assert money(D(1_070_000), "ru", currency="PLN") == f"1{NBSP}070{NBSP}000{NBSP}PLN"
    assert money(D("12.5"), "en", currency="EUR") == f"12.50{NBSP}€"
    assert money(D(5), "ky", currency="KGS") == money(D(5), "ky") == f"5{NBSP}сом"
