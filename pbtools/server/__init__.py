"""Serving the apps: a standalone Voila application with pbtools' own pages mounted beside the notebooks.

This is the only part of pbtools that imports voila, tornado or jupyter_server.
"""

from pathlib import Path

TEMPLATES = Path(__file__).with_name("templates")  # the server's pages: the facilitator's and the voters'
