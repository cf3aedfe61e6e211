"""``pbtools monitoring report`` and ``pbtools monitoring act``: the files of the monitoring group (see monitoring.py)."""

from __future__ import annotations

import argparse


def register_reports(commands, common) -> None:
    pass
