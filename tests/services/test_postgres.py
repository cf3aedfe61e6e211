"""The services in a PostgreSQL workspace: the same register, survey and results as with SQLite."""

from __future__ import annotations

from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace
from tests.services.helpers import SAMPLE


def test_register_and_survey_on_postgresql(pg_fresh_url, tmp_path):
    with open_workspace(tmp_path / "ws", db_url=pg_fresh_url) as ws:
        svc = ServicesService(ws)
        svc.import_file(SAMPLE, LOCAL)
        svc.start_survey("waste", "2026", "2026-03-01", LOCAL)
        for line in ("1 1 1 4 2 1", "2 2 4 5 - 3", "3 1 2 1 5 1"):
            svc.enter_answer("waste", "2026", line, LOCAL)
    with open_workspace(tmp_path / "ws", db_url=pg_fresh_url) as ws:  # read back by a new connection
        svc = ServicesService(ws)
        assert [s.id for s in svc.services()] == ["water", "waste"]
        found = svc.results("waste")
        assert found.respondents == 3
        assert found.questions[0].overall.counts == (1, 0, 0, 1, 1)
        assert found.questions[1].overall.n == 2
        assert ws.ledger.verify("services:register") == []
