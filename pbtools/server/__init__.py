"""Serving the apps: a standalone Voila application with pbtools' own pages mounted beside the notebooks.

This is the only part of pbtools that imports voila, tornado or jupyter_server.
"""
