"""Translations for every screen, report and message: Kyrgyz, Russian, English.

Catalogs are ordinary gettext ``.po`` files, one per area, under ``locale/<lang>/LC_MESSAGES/<area>.po`` so that
translators can use their usual tools and each part of the code keeps its own file. Message ids are the English
text with ``{name}`` placeholders (python-brace-format). The catalogs are read once per process with Babel.
"""

from __future__ import annotations

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


def check_lang(lang: str | None) -> str:
    if lang is None:
        return default_lang()
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return lang


def N_(msgid: str) -> str:
    """Marks a message for extraction without translating it (it is translated where it is shown)."""
    return msgid


@lru_cache(maxsize=None)
def catalog(lang: str) -> Mapping[str, str]:
    """All translated messages of ``lang``: the union of its ``.po`` files."""
    from babel.messages.pofile import read_po  # Babel is a core dependency; imported here to keep start-up light

    messages: dict[str, str] = {}
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as f:
            for message in read_po(f, locale=lang):
                if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
                    messages[message.id] = message.string
    return messages


def gettext(lang: str, msgid: str) -> str:
    return catalog(check_lang(lang)).get(msgid, msgid)


def translator(lang: str) -> Callable[..., str]:
    """``_ = translator("ky"); _("Total: {n}", n=5)`` translates, then fills the placeholders."""
    lang = check_lang(lang)

    def _(msgid: str, **params: Any) -> str:
        text = gettext(lang, msgid)
        return text.format(**params) if params else text

    return _


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
