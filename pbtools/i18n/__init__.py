"""Translations for every screen, report and message: Kyrgyz, Russian, English.

Catalogs are ordinary gettext ``.po`` files, one per area, under ``locale/<lang>/LC_MESSAGES/<area>.po`` so that
translators can use their usual tools and each part of the code keeps its own file. Message ids are the English
text with ``{name}`` placeholders (python-brace-format). An installed package carries ``.mo`` files compiled from
them at build time (setup.py), read with Python's ``gettext``; a checkout has only the ``.po`` files, read with Babel.
Either way a catalog is read once per process. A message that says a number has plural forms (``_n``), chosen by
the catalog's ``Plural-Forms`` header: Russian has three (1 голос, 2 голоса, 5 голосов), Kyrgyz two (CLDR).
"""

from __future__ import annotations

import gettext as _gettext
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

LANGS: tuple[str, ...] = ("ky", "ru", "en")
LANG_NAMES: Mapping[str, str] = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}
LOCALE_DIR = Path(__file__).with_name("locale")


def default_lang() -> str:
    """The language used when none is chosen: $PBTOOLS_LANG, else English."""
    lang = os.environ.get("PBTOOLS_LANG", "en")
    return lang if lang in LANGS else "en"


def browser_lang(accept_language: str) -> str | None:
    """The first of our languages a browser's ``Accept-Language`` header asks for ("ru-RU,ru;q=0.9,en;q=0.8" ->
    "ru"), by its weights; None when it asks for none of them."""
    asked = []
    for i, item in enumerate(accept_language.split(",")):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        asked.append((-weight, i, tag.strip().split("-")[0].lower()))
    return next((lang for weight, _i, lang in sorted(asked) if lang in LANGS and weight < 0), None)


def check_lang(lang: str | None) -> str:
    if lang is None:
        return default_lang()
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return lang


def N_(msgid: str) -> str:
    """Marks a message for extraction without translating it (it is translated where it is shown)."""
    return msgid


@dataclass(frozen=True)
class Catalog:
    """One language's messages, all areas together."""

    messages: Mapping[str, str]  # msgid -> translation
    plurals: Mapping[str, tuple[str, ...]]  # singular msgid -> its forms, in the order Plural-Forms numbers them
    plural_index: Callable[[int], int]  # n -> which form (the Plural-Forms expression)


def _english_plural(n: int) -> int:
    return 0 if n == 1 else 1


@lru_cache(maxsize=None)
def _load(lang: str) -> Catalog:
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    mo_files = sorted(folder.glob("*.mo"))
    # A build compiles every .po; a checkout may hold stale .mo files from a local build, so .mo only when complete.
    if mo_files and {p.stem for p in mo_files} >= {p.stem for p in folder.glob("*.po")}:
        return _load_mo(mo_files)
    return _load_po(lang, sorted(folder.glob("*.po")))


def _load_mo(files: list[Path]) -> Catalog:
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    plural_index: Callable[[int], int] = _english_plural
    for mo in files:
        with mo.open("rb") as f:
            translations = _gettext.GNUTranslations(f)
        plural_index = translations.plural
        forms: dict[str, dict[int, str]] = {}
        # GNUTranslations keeps its messages in _catalog: plain msgids, and (msgid, form) for plural forms.
        for key, text in translations._catalog.items():  # type: ignore[attr-defined]
            if isinstance(key, tuple):
                forms.setdefault(key[0], {})[key[1]] = text
            elif key and text:
                messages[key] = text
        plurals.update({msgid: tuple(f[i] for i in sorted(f)) for msgid, f in forms.items() if all(f.values())})
    return Catalog(messages, plurals, plural_index)


def _load_po(lang: str, files: list[Path]) -> Catalog:
    from babel.messages.pofile import read_po  # Babel is a core dependency; imported here to keep start-up light

    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    plural_expr = "(n != 1)"
    for po in files:
        with po.open("rb") as f:
            parsed = read_po(f, locale=lang)
        plural_expr = parsed.plural_expr  # the file's Plural-Forms header (Babel falls back to CLDR's rule)
        for message in parsed:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, str):
                if message.string:
                    messages[message.id] = message.string
            elif all(message.string):
                plurals[message.id[0]] = tuple(message.string)
    return Catalog(messages, plurals, _gettext.c2py(plural_expr))


def catalog(lang: str) -> Mapping[str, str]:
    """All translated messages of ``lang`` (the union of its catalogs; plural forms are in ``plural_catalog``)."""
    return _load(lang).messages


def plural_catalog(lang: str) -> Catalog:
    """``lang``'s catalog with its plural forms and the rule that picks one for a number."""
    return _load(lang)


def gettext(lang: str, msgid: str) -> str:
    return catalog(check_lang(lang)).get(msgid, msgid)


def ngettext(lang: str, singular: str, plural: str, n: int) -> str:
    """The form of a message for the number ``n``, as gettext's ``ngettext`` (English: singular when n == 1)."""
    loaded = _load(check_lang(lang))
    if singular in loaded.plurals:
        forms = loaded.plurals[singular]
        return forms[min(loaded.plural_index(n), len(forms) - 1)]
    return singular if n == 1 else plural


def translator(lang: str) -> Callable[..., str]:
    """``_ = translator("ky"); _("Total: {n}", n=5)`` translates, then fills the placeholders."""
    lang = check_lang(lang)

    def _(msgid: str, **params: Any) -> str:
        text = gettext(lang, msgid)
        return text.format(**params) if params else text

    return _


def plural_translator(lang: str) -> Callable[..., str]:
    """``_n = plural_translator("ru"); _n("{n} vote", "{n} votes", 5)`` -> "5 голосов": the form for ``n``, then
    the placeholders filled (``n`` among them)."""
    lang = check_lang(lang)

    def _n(singular: str, plural: str, n: int, **params: Any) -> str:
        return ngettext(lang, singular, plural, n).format(n=n, **params)

    return _n


@dataclass(frozen=True)
class Msg:
    """A message kept untranslated until it is shown, so the core can report problems in any language.

    ``Msg(N_("Row {row}: {value} is not a number"), row=3, value="abc").render("ru")``
    """

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, msgid: str, **params: Any) -> None:
        object.__setattr__(self, "msgid", msgid)
        object.__setattr__(self, "params", params)

    def render(self, lang: str) -> str:
        params = {k: (v.render(lang) if isinstance(v, Msg) else v) for k, v in self.params.items()}
        return gettext(lang, self.msgid).format(**params)

    def __str__(self) -> str:
        return self.render("en")


class NMsg(Msg):
    """A ``Msg`` that says a number: the form for ``n`` is chosen when it is shown, as ``_n`` does.

    ``NMsg(N_("{n} option selected."), N_("{n} options selected."), 5).render("ru")`` -> "Выбрано 5 проектов."
    The plural text travels in ``params`` (under ``_plural``, which no message uses) so that code copying a message
    by its ``msgid`` and ``params`` (pbtools/results/count.py) keeps it whole.
    """

    def __init__(self, singular: str, plural: str, n: int, **params: Any) -> None:
        super().__init__(singular, n=n, _plural=plural, **params)

    def render(self, lang: str) -> str:
        params = {k: (v.render(lang) if isinstance(v, Msg) else v) for k, v in self.params.items()}
        return ngettext(lang, self.msgid, self.params["_plural"], self.params["n"]).format(**params)


class Joined(Msg):
    """Messages shown as one, separated by commas, each in the language of the whole: "Cost: 1 → 2, Village: A → B"."""

    def __init__(self, parts: tuple[Msg, ...]) -> None:
        super().__init__("{parts}", parts=parts)

    def render(self, lang: str) -> str:
        return ", ".join(p.render(lang) for p in self.params["parts"])


def named_field(field: str, problem: Msg) -> Msg:
    """``problem`` said of a form's field, named by its message id: "Date of the visit: 31.02.2026 is not a date …".
    The one shape of a field's problem: forms, commands and checks name their fields through it."""
    return Msg(N_("{field}: {problem}"), field=Msg(field), problem=problem)


def field_namer(names: Mapping[str, str]) -> Callable[[str, Msg], Msg]:
    """The ``in_field(name, problem)`` of a form whose fields ``names`` maps to their message ids (``N_``): each
    part keeps its own field names and says their problems as ``named_field`` does. A name it lacks is shown as it
    is (a command's option such as ``--from``)."""

    def in_field(name: str, problem: Msg) -> Msg:
        return named_field(names.get(name, name), problem)

    return in_field
