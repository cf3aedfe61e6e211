"""Numbers, money and percentages written the way each language writes them (Babel/CLDR).

ky and ru group thousands with a non-breaking space and use a decimal comma ("12 345 678 сом", compact
"12,3 млн сом"); en uses commas and a point ("12,345,678 som", "12.3M som"). The space before the unit is
non-breaking too, so an amount never wraps in a chart label or on a projector.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import lru_cache

from babel import Locale
from babel.numbers import format_compact_decimal, get_currency_symbol, parse_pattern

from pbtools.i18n import N_, Msg, check_lang, gettext

NBSP = "\u00a0"
SOM = N_("som")


def _dec(value: Decimal | int | float | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _precision(value: Decimal, digits: int = 2) -> Context:
    """A context holding every digit kept: the default 28 digits refuse (InvalidOperation) a count of points of 51
    digits, which a Pabulib file may give."""
    return Context(prec=max(28, value.adjusted() + digits + 4 if value.is_finite() and value else 0))


def rounded(value: Decimal, digits: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP, context=_precision(value, digits))


@lru_cache(maxsize=None)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@lru_cache(maxsize=None)
def _pattern(lang: str, digits: int | None):
    """The locale's decimal pattern (``digits`` None) or one with fixed fraction digits, parsed once: a large table
    formats thousands of numbers, and parsing the locale and the pattern each time was a third of drawing it."""
    if digits is None:
        return _locale(lang).decimal_formats[None]
    return parse_pattern("#,##0" + ("." + "0" * digits if digits else ""))


def number(value: Decimal | int | float | str, lang: str | None = None, digits: int | None = None, compact: bool = False) -> str:
    """``value`` with the locale's separators; ``digits`` fixes the fraction digits (rounded half up);
    ``compact`` writes "12,3 млн" / "12.3M" (one fraction digit) from a thousand up."""
    lang = check_lang(lang)
    value = _dec(value)
    with localcontext(_precision(value, digits or 3)):  # Babel rounds in the current context
        if compact and abs(value) >= 1000:
            return format_compact_decimal(value, locale=lang, fraction_digits=1)
        if digits is None:
            return _pattern(lang, None).apply(value, _locale(lang))
        return _pattern(lang, digits).apply(rounded(value, digits), _locale(lang))


def money(amount: Decimal | int | float | str, lang: str | None = None, compact: bool = False, currency: str = "KGS") -> str:
    """An amount in som: "12 345 678 сом" or, ``compact``, "12,3 млн сом" / "12.3M som".

    Whole som are shown without fraction; an amount with tyiyn keeps two digits so nothing is hidden.
    Compact amounts keep one fraction digit (below a thousand they are written in full). Another ``currency``
    (ISO code: a Pabulib file's PLN, EUR...) is written by its symbol in ``lang`` ("€", "PLN").
    """
    lang = check_lang(lang)
    amount = _dec(amount)
    unit = gettext(lang, SOM) if currency in ("KGS", "") else _currency_symbol(currency, lang)
    whole = amount == amount.to_integral_value()
    text = number(amount, lang, digits=0 if whole or compact else 2, compact=compact)
    return f"{text}{NBSP}{unit}"


class Money(Msg):
    """An amount in som inside a message (``Msg``), written as the language it is shown in writes money."""

    def __init__(self, amount: Decimal) -> None:
        super().__init__("{amount}", amount=amount)

    def render(self, lang: str) -> str:
        return money(self.params["amount"], lang)


@lru_cache(maxsize=256)
def _currency_symbol(currency: str, lang: str) -> str:
    return get_currency_symbol(currency, locale=lang)


# Kyrgyz writes a percentage as Russian does, the sign after a no-break space ("75 %", as the translations of
# this project's texts do); CLDR's Kyrgyz has "75%", which put «75 %» and «60%» on one screen.
PERCENT_PATTERNS = {"ky": "#,##0\u00a0%"}


@lru_cache(maxsize=None)
def _percent_pattern(lang: str, digits: int | None):
    pattern = PERCENT_PATTERNS.get(lang) or _locale(lang).percent_formats[None].pattern
    fraction = ".##" if digits is None else "." + "0" * digits if digits else ""
    return parse_pattern(pattern.replace("#,##0", "#,##0" + fraction, 1))


def percent(fraction: Decimal | int | float | str, lang: str | None = None, digits: int | None = 1) -> str:
    """A share given as a fraction (0.623) written as a percentage: "62,3 %" (ky, ru: a no-break space before the
    sign), "62.3%" (en); ``digits`` fraction digits (rounded half up), or None for at most two, as needed ("4,55 %",
    "5 %"). Every percentage pbtools shows is written by this function."""
    lang = check_lang(lang)
    value = _dec(fraction)
    places = 2 if digits is None else digits
    with localcontext(_precision(value, places + 2)):
        value = rounded(value * 100, places) / 100
        return _percent_pattern(lang, digits).apply(value, _locale(lang))


class Percent(Msg):
    """A share (a fraction) inside a message (``Msg``), written as the language it is shown in writes percentages."""

    def __init__(self, fraction: Decimal | int | str, digits: int | None = 0) -> None:
        super().__init__("{share}", share=fraction, digits=digits)

    def render(self, lang: str) -> str:
        return percent(self.params["share"], lang, self.params["digits"])
