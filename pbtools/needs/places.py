"""The village of a problem or a session: one of the municipality's villages (``budget.model.Municipality.villages``),
typed by its id or by its name in any language, stored by its Kyrgyz name as a hearing stores its villages (the
problem carried to a hearing's agenda keeps it), and shown in the reader's language (``hearings.model.village_name``,
the one lookup every screen names a village by). A village the municipality does not list is refused, naming the
ones it has; a workspace with no list of villages takes a village as typed."""

from __future__ import annotations

from typing import Any

from pbtools.budget.model import pick_name
from pbtools.hearings.model import stored_village, village_name
from pbtools.i18n import N_, Msg


class _Villages(Msg):
    """The municipality's villages, in the message's language."""

    def __init__(self, villages: Any) -> None:
        super().__init__("{villages}", villages=tuple(dict(v.names) for v in villages))

    def render(self, lang: str) -> str:
        return ", ".join(pick_name(names, lang) for names in self.params["villages"])


def village_problems(typed: str, municipality: Any) -> list[Msg]:
    """[] when ``typed`` (not empty) is a village of ``municipality`` (any village, when it lists none)."""
    villages = getattr(municipality, "villages", ())
    if not villages or any(stored_village(typed, municipality) == v.name("ky") for v in villages):
        return []
    return [Msg(N_("«{value}» is not one of the municipality's villages: choose one of {villages}"), value=typed,
                villages=_Villages(villages))]


class VillageName(Msg):
    """A stored village in the message's language; "" is the whole municipality (a problem of no one village)."""

    def __init__(self, village: str, municipality: Any) -> None:
        super().__init__("{village}", village=village, municipality=municipality)

    def render(self, lang: str) -> str:
        village = self.params["village"]
        if not village:
            return Msg(N_("the whole municipality")).render(lang)
        return shown(village, self.params["municipality"], lang)


def shown(village: str, municipality: Any, lang: str) -> str:
    """A stored village in ``lang`` ("" stays "": a problem of the whole municipality)."""
    return village_name(village, municipality, lang) if village else ""
