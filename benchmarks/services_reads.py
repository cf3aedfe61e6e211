"""What one action of the Services app reads: a typed survey line (on a survey that already has N answers) and a draw
of the improvement plan tab, driven from Python as a clerk would (the widgets, no browser).

    PYTHONPATH=.:.pyalias .venv/bin/python benchmarks/services_reads.py [--answers 300] [--lines 50]

Prints the time per typed line and per plan draw, with how many times each ledger stream was read for it. A line
read the survey's whole stream about 4 times (and the register 6 times) before `survey_store.SurveyFold`; now the
survey's new records once, and the count shown after the line needs no read.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from pbtools.services.survey import Answer, Respondent
from pbtools.storage import open_workspace
from pbtools_widgets.services.app import ServicesApp

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "services.csv"


def count_reads(ws) -> dict:
    reads: dict = {}
    records = ws.ledger.records

    def counted(stream, *args, **kw):
        reads[stream] = reads.get(stream, 0) + 1
        return records(stream, *args, **kw)

    ws.ledger.records = counted
    return reads


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--lines", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, open_workspace(Path(tmp) / "ws") as ws:
        svc = ServicesService(ws)
        svc.import_file(SAMPLE, LOCAL)
        svc.start_survey("water", "2026", "2026-05-14", LOCAL)
        village = svc.surveys("water")[0].villages[0]
        svc.record_answers("water", "2026", [Answer(Respondent(village, "f", "30_44"), {"satisfaction": 4})] * args.answers, LOCAL)
        svc.start_plan("water", LOCAL)
        app = ServicesApp(ws, lang="en")
        app.tab.selected_index = app.tabs.index(app.entry)
        reads = count_reads(ws)
        start = time.perf_counter()
        for _ in range(args.lines):
            app.entry.typed.submit("1 1 2 4 2 1")
        per_line = (time.perf_counter() - start) / args.lines * 1000
        print(f"survey entry: {per_line:.1f} ms per typed line ({args.answers}+ answers stored); reads per line: survey "
              f"{reads.get('services:survey:water', 0) / args.lines:.1f}, register {reads.get('services:register', 0) / args.lines:.1f}")
        app.tab.selected_index = app.tabs.index(app.plan)
        plan = app.plan
        for k in range(3):
            plan.a_title.value, plan.cost.value, plan.deadline.value = f"Activity {k}", "100 000", "30.09.2027"
            plan.add_activity()
        plan.follow_plan()
        reads.clear()
        start = time.perf_counter()
        for _ in range(10):
            plan.draw()
        per_draw = (time.perf_counter() - start) / 10 * 1000
        projects = sum(v for k, v in reads.items() if k.startswith("monitoring:project:"))
        print(f"plan tab: {per_draw:.1f} ms per draw (3 followed activities); reads per draw: plan "
              f"{reads.get('services:plan:water', 0) / 10:.1f}, register {reads.get('services:register', 0) / 10:.1f}, "
              f"projects {projects / 10:.1f} (3 activities)")


if __name__ == "__main__":
    main()
