"""Shared builders for the services tests: a workspace with the sample register, services typed by hand."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from pbtools.roles import LOCAL
from pbtools.services.model import CostItem, Service, Tariff
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "services.csv"


def village_water(households: int = 450, cost: D = D(1_105_000), rate: D = D("0.82")) -> Service:
    """The issue's example: a village that rebuilt its water system for 450 households."""
    return Service("water", {"ky": "Ичүүчү суу", "ru": "Питьевая вода", "en": "Drinking water"}, ("Көк-Талаа", "Жаңы-Айыл"),
                   households, 0, "enterprise", (CostItem({"en": "salaries"}, cost - 105_000), CostItem({"en": "electricity"}, D(105_000))),
                   (Tariff({"en": "in-house connection"}, D(1800)), Tariff({"en": "standpipe"}, D(600))), rate, ("7063",))


def workspace_with(tmp_path: Path, *services: Service, db_url: str | None = None):
    ws = open_workspace(tmp_path / "ws", db_url=db_url)
    if services:
        ServicesService(ws).save(services[0], LOCAL) if len(services) == 1 else [ServicesService(ws).save(s, LOCAL) for s in services]
    return ws
