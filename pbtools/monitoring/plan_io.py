"""The municipality's action plan (БАП/ПДМС) and the projects' spreadsheet: read and written in the same columns."""

from __future__ import annotations


def import_plan(service, actor, path):  # noqa: ANN001
    raise NotImplementedError("coming in the next commit")


def write_projects(projects, path):  # noqa: ANN001
    raise NotImplementedError("coming in the next commit")


def write_history(entries, path):  # noqa: ANN001
    raise NotImplementedError("coming in the next commit")
