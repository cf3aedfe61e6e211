"""A project's village, as every monitoring screen, report, file and command names it: looked up in the municipality's
list of villages (``budget.model.Municipality.villages``: each village's id and its names in ky/ru/en) by
``hearings.model.village_name``, the one lookup the hearings and the services name theirs by, and said in the
reader's language; a project of every village (none named) is "All villages"; a village the municipality does not
list is shown as written. A project stores its village as a hearing does, by its Kyrgyz name (``stored_values``),
whichever language or id it was typed in, so that one village is one village in the filters."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from pbtools.hearings.model import ALL_VILLAGES, stored_village, village_name


def village_shown(village: str, municipality: Any, lang: str) -> str:
    """A stored village in ``lang`` ("" — every village — is "All villages")."""
    return village_name(village or ALL_VILLAGES, municipality, lang)


def project_village(project: Any, municipality: Any, lang: str) -> str:
    return village_shown(project.village, municipality, lang)


def village_choices(projects: Iterable[Any], municipality: Any, lang: str) -> list[tuple[str, str]]:
    """(the village in ``lang``, as stored) of each village the projects name, in the order of their names in
    ``lang``; every village ("", or "all" as a handover once stored it) is not one. Stored again: older projects
    kept a village as typed (its Russian name), and one village is one choice (``forms.filtered`` matches alike)."""
    stored = {stored_village(p.village, municipality) for p in projects
              if p.village and p.village.strip().casefold() != ALL_VILLAGES}
    return sorted(((village_shown(v, municipality, lang), v) for v in stored), key=lambda c: (c[0].casefold(), c[1]))


def stored_values(values: Mapping[str, Any], municipality: Any) -> dict[str, Any]:
    """``values`` of a project with its village as stored: the municipality's village by its Kyrgyz name, every
    village ("all" in any language) as "", one the municipality does not list as written."""
    village = values.get("village")
    if not isinstance(village, str) or not village.strip() or municipality is None:
        return dict(values)
    stored = stored_village(village.strip(), municipality)
    return {**values, "village": "" if stored == ALL_VILLAGES else stored}
