"""Money, numbers and percentages in each language."""

from decimal import Decimal as D

import pytest
from babel.numbers import format_decimal

from pbtools.fmt import NBSP, money, number, percent


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


def test_money_in_another_currency_uses_its_symbol():
    # a Pabulib election counts in its own currency: never "som" for zloty or euro
    assert money(D(1_070_000), "ru", currency="PLN") == f"1{NBSP}070{NBSP}000{NBSP}PLN"
    assert money(D("12.5"), "en", currency="EUR") == f"12.50{NBSP}€"
    assert money(D(5), "ky", currency="KGS") == money(D(5), "ky") == f"5{NBSP}сом"
