"""A handed-in monitoring stream is checked to be one the core writes down to each field's type: a group member whose
name is a number folds, then breaks every act filed on the server (``name.casefold()``) (review s28)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pbtools.monitoring import records as M
from pbtools.monitoring.adopted import stream_problems
from pbtools.storage import open_workspace

MEMBER = {"id": "g1", "name": "Айгүл Сыдыкова", "position": "депутат", "added": "2026-01-10"}


def record(seq: int, kind: str, payload: dict):
    return SimpleNamespace(seq=seq, kind=kind, payload=payload, actor="Aida", key="", reason="")


def test_the_demos_monitoring_streams_pass(demo_copy):
    with open_workspace(demo_copy, create=False) as ws:
        streams = [s for s in ws.ledger.streams() if M.travels(s)]
        assert {M.GROUP, M.ACTS} <= set(streams) and any(s.startswith(M.PROJECT_PREFIX) for s in streams)
        assert {s: stream_problems(s, ws.ledger.records(s)) for s in streams} == {s: [] for s in streams}


@pytest.mark.parametrize("field, value", [("name", 5), ("position", ["x"]), ("added", {"a": 1}), ("id", 7)])
def test_a_member_with_a_field_of_another_type_is_named(field, value):
    forged = record(2, M.MEMBER_ADDED, {**MEMBER, "id": "g2", field: value})
    said = stream_problems(M.GROUP, [record(1, M.MEMBER_ADDED, MEMBER), forged])
    assert [m.render("en") for m in said] == ["Record 2 (member.added): its content is not what pbtools writes in "
                                              "such a record"]
    assert stream_problems(M.GROUP, [record(1, M.MEMBER_ADDED, MEMBER)]) == []
