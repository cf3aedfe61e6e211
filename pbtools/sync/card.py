"""A municipality's card: its names (ky, ru, en), its villages and its oblast and rayon, as the central server has
them, in a small file a facilitator's laptop is set up from without the server's database password.

    write_card(central_ws.municipality(), "ak_suu", "ak_suu.pbtools-card.json")   # `pbtools central card ak_suu`
    init_from_card("~/.local/share/pbtools/workspace", "ak_suu.pbtools-card.json")  # `pbtools workspace init --from-card`

A hand-in is matched to its municipality by name (``sync.push``), and its hearing's villages must be the
municipality's: a laptop set up from the card carries exactly the server's names and villages, so its hand-ins
match. The card holds nothing secret (no password, no data of people). Setting up refuses a workspace that already
holds anything (a municipality, a budget, a hearing, the demo's): a card never renames a laptop's data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from pbtools.budget.model import Municipality, Village
from pbtools.i18n import LANGS, N_, Msg
from pbtools.storage.errors import StorageError

FORMAT = "pbtools-municipality-card"
FORMAT_VERSION = 1
MAX_BYTES = 1 << 20  # a card of some hundred villages is a few KB


class CardRefused(StorageError):
    """Nothing was written: ``message`` says why, in any language."""


def card_of(municipality: Municipality, code: str) -> dict[str, Any]:
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "code": code,
            "names": dict(municipality.names), "oblast": dict(municipality.oblast), "rayon": dict(municipality.rayon),
            "villages": [{"id": v.id, "names": dict(v.names), "population": v.population} for v in municipality.villages]}


def write_card(municipality: Municipality, code: str, out: Path | str) -> Path:
    out = Path(out)
    out.write_text(json.dumps(card_of(municipality, code), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


def _names(value: Any) -> dict[str, str] | None:
    if not isinstance(value, Mapping):
        return None
    names = {str(k): v.strip() for k, v in value.items() if k in LANGS and isinstance(v, str) and v.strip()}
    return names if len(names) == len(value) else None


def read_card(path: Path | str) -> tuple[str, Municipality]:
    """(the municipality's code, the municipality) of the card ``path``; ``CardRefused`` naming the problem."""
    path = Path(path)
    bad = CardRefused(Msg(N_("{file} is not a municipality card written by pbtools central card"), file=path.name))
    try:
        if path.stat().st_size > MAX_BYTES:
            raise bad
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CardRefused(Msg(N_("There is no file {file}"), file=str(path))) from None
    except (OSError, ValueError):
        raise bad from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("format_version") != FORMAT_VERSION:
        raise bad
    names, villages = _names(data.get("names")), []
    if not names:
        raise CardRefused(Msg(N_("{file}: the municipality has no name"), file=path.name))
    for i, v in enumerate(data.get("villages") or [], start=1):
        v_names = _names(v.get("names")) if isinstance(v, dict) else None
        population = v.get("population") if isinstance(v, dict) else None
        if not v_names or not isinstance(population, int) or population < 0 or not isinstance(v.get("id", ""), str):
            raise CardRefused(Msg(N_("{file}: village {n} is not one pbtools writes (names, population)"),
                                  file=path.name, n=i))
        villages.append(Village(v_names, population, v.get("id", "")))
    municipality = Municipality(names, tuple(villages), _names(data.get("oblast") or {}) or {},
                                _names(data.get("rayon") or {}) or {})
    return str(data.get("code", "")), municipality


def init_from_card(workspace: Path | str, card: Path | str, db_url: str | None = None) -> Municipality:
    """A new workspace at ``workspace`` (made when missing) for the municipality of ``card``; the municipality.
    ``CardRefused`` (nothing written) for a card that is not one, or a workspace that already holds anything."""
    from pbtools.demo import has_data
    from pbtools.storage import open_workspace

    _code, municipality = read_card(card)
    if has_data(Path(workspace), db_url):
        raise CardRefused(Msg(N_("The workspace {path} already holds data: a card sets up an empty one only (choose "
                                 "another folder with --workspace)"), path=str(workspace)))
    Path(workspace).mkdir(parents=True, exist_ok=True)
    with open_workspace(workspace, db_url=db_url) as ws:
        ws.save_municipality(municipality)
    return municipality
