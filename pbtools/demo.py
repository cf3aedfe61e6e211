"""The sample workspace: a fictional rural municipality from data/sample, with its budget, a closed hearing and a
monitoring year of the projects it funded (acts with photos, a late response)."""

from __future__ import annotations

from pathlib import Path

from pbtools.budget.municipality import read_municipality
from pbtools.budget.read import read_budget
from pbtools.hearings.sample import create_sample_hearing
from pbtools.monitoring.demo_year import create_monitoring_year
from pbtools.monitoring.records import BUDGET_FOLLOW, travels
from pbtools.resources import data_dir
from pbtools.services.demo import create_demo_services
from pbtools.storage import open_workspace

SAMPLE_DIR = data_dir("sample")  # the package's copy when installed, else the checkout's data/sample
# the workspace setting that marks the demo's fictional hearing and monitoring streams: never handed in (``sync.pack``)
DEMO_SETTING = "demo"


def has_data(workspace: Path, db_url: str | None = None) -> bool:
    if db_url is None and not Path(workspace).exists():
        return False
    with open_workspace(workspace, db_url=db_url) as ws:
        # a municipality alone counts: a laptop set up from its card (``sync.card``) is not filled with the demo
        return bool(ws.list_budgets() or ws.ledger.streams() or ws.municipality() is not None)


def create_demo(workspace: Path, db_url: str | None = None, seed: int = 2026, synced: bool = True,
                practice: bool = True) -> dict[str, int]:
    """Fill ``workspace`` with the sample municipality. Returns how many budgets and hearings were stored.
    ``synced=False``: for a sandbox template only (``storage.open_workspace``); ``practice=False``: the sample
    hearing not marked as a practice hearing (tests of a municipality's own hearing handed in)."""
    budget, problems = read_budget(SAMPLE_DIR / "budget.csv")
    if budget is None:  # the shipped sample must be valid; tests check it too
        raise ValueError("; ".join(p.render("en") for p in problems))
    municipality = read_municipality(SAMPLE_DIR)
    Path(workspace).mkdir(parents=True, exist_ok=True)
    with open_workspace(workspace, db_url=db_url, synced=synced) as ws:
        ws.save_municipality(municipality)
        ws.save_budget(budget)
        ws.set_setting("lang", "ky")
        hearing_id = create_sample_hearing(ws, seed=seed, practice=practice)
        monitoring = create_monitoring_year(ws, hearing_id)
        create_demo_services(ws, seed=seed)
        # the monitoring streams are the municipality's (one group, one list of acts): once the demo's, always
        ws.set_setting(DEMO_SETTING, {"hearings": [hearing_id], "streams": [s for s in ws.ledger.streams() if travels(s)]})
    return {"budgets": 1, "hearings": 1, "projects": monitoring["projects"], "acts": monitoring["acts"]}


def demo_parts(ws) -> tuple[set[str], set[str]]:
    """(the hearings, the monitoring streams) of workspace ``ws`` that the demo made (``DEMO_SETTING``)."""
    marked = ws.get_setting(DEMO_SETTING) or {}
    streams = set(marked.get("streams") or ())
    # the budget matches, one stream per workspace, are matches of the demo's hearing's priorities once it is a demo
    # (the demo makes none; a workspace marked before they travelled does not list them)
    return set(marked.get("hearings") or ()), streams | {BUDGET_FOLLOW} if streams else streams
