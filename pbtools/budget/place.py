"""Whose budget a file is: the municipality a title row names ("Көк-Талаа айыл аймагынын жергиликтүү бюджети"),
and whether that is the workspace's municipality. Per-resident figures use the workspace's population, so they are
computed only for a budget of the same place."""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from pbtools.budget.model import Budget, Municipality, pick_name
from pbtools.budget.text import fold, script_language, starts_with_any
from pbtools.i18n import N_, Msg

# words that say a title row names a place
_PLACE_WORDS = ("аймаг", "аймак", "айылн", "aimak", "aymak", "aimag", "окмот", "okmot", "шаар", "город", "city", "town",
                "municipal", "муниципал", "мэри")
# words of a place's name that do not tell one place from another
_GENERIC = ("айыл", "ayil", "aiyl", "aimak", "aymak", "aimag", "аймаг", "аймак", "айылн", "окмот", "okmot", "local", "budget",
            "бюджет", "жергилик", "местн", "of", "шаар", "город", "city", "town", "municipal", "муниципал", "мэри", "район",
            "rayon", "district", "облус", "област", "oblast", "region")


def place_in_titles(titles: list[str]) -> dict[str, str]:
    """language -> the title that names the place (a title in three languages, "ky / ru / en", is split)."""
    for text in titles:
        if starts_with_any(text, _PLACE_WORDS):
            parts = [p.strip() for p in text.split(" / ") if p.strip()]
            found: dict[str, str] = {}
            for part in parts:
                found.setdefault(script_language([part]), part)
            return found
    return {}


def _stems(name: str) -> list[str]:
    # inflected forms ("Кок-Талаинского", "Көк-Талаа") share their beginning: four letters of a long word
    return [w[:4] if len(w) > 4 else w for w in fold(name).split() if not w.startswith(_GENERIC) and not w.isdigit()]


def same_place(budget_place: Mapping[str, str], names: Mapping[str, str]) -> bool:
    """True when the budget names no place, or one of ``names`` (the municipality in any language) is in it."""
    if not budget_place:
        return True
    words = fold(" ".join(budget_place.values())).split()
    for name in names.values():
        stems = _stems(name)
        if stems and all(any(w == s or (len(s) == 4 and w.startswith(s)) for w in words) for s in stems):
            return True
    return False



class PlaceName(Msg):
    """A municipality's name inside a message, in the message's language."""

    def __init__(self, names: Mapping[str, str]) -> None:
        object.__setattr__(self, "msgid", "{name}")
        object.__setattr__(self, "params", {"names": dict(names)})

    def render(self, lang: str) -> str:
        return pick_name(self.params["names"], lang)


def for_workspace(budget: Budget, municipality: Municipality | None) -> tuple[Budget, Msg | None]:
    """The budget as stored in a workspace: one that names no place is the workspace municipality's; one that names
    another place keeps its name, and the message says its figures per resident are not computed."""
    if municipality is None:
        return budget, None
    if not budget.municipality:
        return replace(budget, municipality=dict(municipality.names)), None
    if same_place(budget.municipality, municipality.names):
        return budget, None
    return budget, Msg(N_("The file is the budget of «{place}», not of {municipality}: it is stored under its own name, and figures per resident (which need this municipality's population) are not computed for it."),
                       place=PlaceName(budget.municipality), municipality=PlaceName(municipality.names))
