"""Writing an ``Election`` as a ``.pb`` file that pabutools and the equalshares.net tool can read back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pbtools.counting.model import NAME_LANGS, POINT_TYPES, Election, Project
from pbtools.paths import write_private


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _other_names(p: Project) -> dict[str, str]:
    """A project's ``name_<lang>`` cells: its name in each language but the one its ``name`` cell holds (a hearing's
    Kyrgyz name), so that the reader gives back the same names."""
    written = "" if p.names.get("") else next((lang for lang in NAME_LANGS if p.names.get(lang)), None)
    return {f"name_{lang}": p.names[lang] for lang in NAME_LANGS if lang != written and p.names.get(lang)}


def format_pb(election: Election) -> str:
    out = io.StringIO(newline="")
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    meta = dict(election.meta)
    meta.update(
        num_projects=str(len(election.projects)),
        num_votes=str(len(election.ballots)),
        budget=str(election.budget),
        vote_type=election.vote_type,
    )
    if election.currency:
        meta["currency"] = election.currency
    w.writerow(["META"])
    w.writerow(["key", "value"])
    for key, value in meta.items():
        w.writerow([key, value])

    others = [{**p.attributes, **_other_names(p)} for p in election.projects]  # the names, not an attribute, say it
    extra = sorted({k for cells in others for k in cells} - {"name", "category", "district"})
    w.writerow(["PROJECTS"])
    w.writerow(["project_id", "cost", "name", "category", "district", *extra])
    for p, cells in zip(election.projects, others):
        w.writerow([p.id, p.cost, p.name(""), _cell(p.sector), _cell(p.area), *(_cell(cells.get(k)) for k in extra)])

    points = election.vote_type in POINT_TYPES
    fields = sorted({k for b in election.ballots for k in b.voter})
    w.writerow(["VOTES"])
    w.writerow(["voter_id", "vote", *(["points"] if points else []), *fields])
    number = 0
    for ballot in election.ballots:
        for copy in range(ballot.weight):  # Pabulib has one row per voter
            number += 1
            voter_id = ballot.voter_id or str(number)
            if ballot.weight > 1:
                voter_id = f"{voter_id}-{copy + 1}"
            row = [voter_id, ",".join(ballot.choice)]
            if points:
                row.append(",".join(str(v) for v in ballot.points) if ballot.points else "None")  # pabutools reads "None" as missing
            row.extend(_cell(ballot.voter.get(k)) for k in fields)
            w.writerow(row)
    return out.getvalue()


def write_pb(election: Election, path: str | Path) -> None:
    write_private(path, format_pb(election))  # the ballots: owner-only
