"""Every results chart of one question as files: PNG for slides and the protocol, SVG for print and editing.

Files go to the workspace's ``exports/`` folder, named ``results-<hearing>-<question>-<chart>.<png|svg>``; an
export again replaces them. Hidden results export participation only, so an export cannot reveal them early.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from matplotlib.figure import Figure

from pbtools.charts import results as charts
from pbtools.counting.result import Result
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import MOTION
from pbtools.i18n import N_, Msg
from pbtools.paths import file_in, private_file, private_folder
from pbtools.results.board import tally
from pbtools.results.count import compare_rules, count_question
from pbtools.results.groups import breakdown, participation

FORMATS = ("png", "svg")


def chart_figures(state: HearingState, question_id: str, lang: str, hidden: bool = False, municipality: Any = None,
                  result: Result | None = None) -> dict[str, Figure]:
    """Chart name -> figure, every chart the results app shows for this question (participation only if hidden)."""
    figures = {"participation": charts.participation_chart(participation(state), lang, municipality)}
    if hidden:
        return figures
    question = state.questions[question_id]
    if result is None and question.kind != MOTION:
        result = count_question(state, question_id)
    votes = tally(state, question_id)  # the one number per option, as on the board
    for by in ("sex", "village", "age", "category"):
        figures[f"groups-{by}"] = charts.groups_chart(state, question_id, breakdown(state, question_id, by), by, lang, municipality)
    if question.kind == MOTION:
        figures["votes"] = charts.motion_chart(state, question_id, votes, lang)
        return figures
    ballots = len(state.ballots_for(question_id))
    figures["votes"] = charts.votes_chart(state, question_id, votes, result, lang, ballots)
    if question.choose_one:  # alternatives (tariffs) share no budget: no budget bar, no rounds, no rules compared
        return figures
    figures["budget"] = charts.budget_chart(state, result, lang)
    comparison = compare_rules(state, question_id)
    figures["rounds"] = charts.rounds_chart(state, comparison.results["mes-add1-greedy"], lang, ballots)
    figures["rules"] = charts.comparison_chart(state, question_id, comparison, lang)
    return figures


def _safe(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text)


def export_charts(folder: Path, state: HearingState, question_id: str, figures: dict[str, Figure],
                  progress: Callable[[int, int, Msg], None] | None = None) -> list[Path]:
    """Write each figure as PNG and SVG into ``folder``; returns the paths written. ``progress(done, total,
    message)`` is told before each file (a dozen charts take some seconds)."""
    folder = Path(folder)
    private_folder(folder)
    paths = []
    total = len(figures) * len(FORMATS)
    for name, figure in figures.items():
        for fmt in FORMATS:
            if progress is not None:
                progress(len(paths), total, Msg(N_("Writing {file}"), file=f"{name}.{fmt}"))
            path = file_in(folder, f"results-{_safe(state.id)}-{_safe(question_id)}-{name}.{fmt}")
            with private_file(path) as tmp:  # a half-written file never takes the real name
                figure.savefig(tmp, format=fmt, dpi=150, bbox_inches="tight")
            paths.append(path)
    if progress is not None:
        progress(total, total, Msg(N_("Done")))
    return paths
