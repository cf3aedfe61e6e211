"""What the results board (the projector) asks of a workspace, in one place: the screen (``widgets/results_app.py``)
wires events to it and draws what it returns. It knows which hearing the board shows when nobody chose one, when
new records arrived (ballots typed or sent from phones in other processes), whether results are hidden, how a
question is counted for each tab, and where the charts are exported. Plain data out; nothing of widgets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from pbtools.counting.result import Result
from pbtools.hearings.console_service import HearingList, list_hearings
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import OPEN
from pbtools.hearings.records import stream_of
from pbtools.hearings.store import HearingStore, hearing_ids
from pbtools.results.board import Board, chain_problem, results_hidden, set_results_hidden, snapshot
from pbtools.results.count import Comparison, compare_rules, count_question, family, no_budget_shared
from pbtools.results.export import chart_figures, export_charts
from pbtools.results.groups import GroupTally, breakdown

ROUNDS_RULE = "mes-add1-greedy"  # the rounds tab explains Equal Shares even where the question counts by another rule


def hearing_to_show(listed: HearingList, chosen: str | None, current: str | None) -> str | None:
    """The hearing the board shows: the facilitator's choice while it is listed; else it stays on an open hearing,
    and moves from a draft or closed one to the hearing to show (an open one, newest first; one still without
    questions is not one: the board would go blank while the facilitator prepares it)."""
    status = {h.id: h.status for h in listed.items}
    if chosen in status:
        return chosen
    if status.get(current) == OPEN:
        return current
    return listed.to_show


class ResultsService:
    """The board's hold on one workspace and the hearing it shows. ``state`` is None until a hearing is chosen;
    ``broken`` says why its records cannot be trusted (checked once, when it is opened), else None."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.store: HearingStore | None = None
        self.broken = None

    @property
    def state(self) -> HearingState | None:
        return self.store.state if self.store is not None else None

    def hearings(self, lang: str) -> HearingList:
        return list_hearings(self.ws, lang)

    def hearing_ids(self) -> tuple[str, ...]:
        """One small query: a hearing created in another process shows up in it."""
        return tuple(hearing_ids(self.ws))

    def heads(self, ids: tuple[str, ...]) -> dict[str, tuple[int, str]]:
        """How far each hearing's records go, and their last hash: a change says it moved on (was opened, got
        ballots) or was replaced (a backup restored)."""
        return {hearing_id: self.ws.ledger.tip(stream_of(hearing_id)) for hearing_id in ids}

    def choose(self, hearing_id: str | None) -> HearingState | None:
        """Show ``hearing_id`` (None: nothing); the one already shown is brought up to date."""
        if hearing_id is None:
            self.store = None
        elif self.store is None or self.store.id != hearing_id:
            self.store = HearingStore(self.ws, hearing_id)
            self.broken = chain_problem(self.ws, hearing_id)
        else:
            self.store.refresh()
        return self.state

    def has_news(self) -> bool:
        return self.store is not None and self.ws.ledger.tip(self.store.stream) != (self.store.state.seq, self.store.state.hash)

    def refresh(self) -> HearingState | None:
        return self.store.refresh() if self.store is not None else None

    def hidden(self) -> bool:
        """Whether the results of the shown hearing are hidden from the projector until voting closes."""
        return results_hidden(self.ws, self.state)

    def set_hidden(self, hidden: bool) -> None:
        set_results_hidden(self.ws, self.store.id, hidden)

    def board(self, question_id: str) -> Board:
        """The board of a question as it stands (counted now; hidden figures left out)."""
        return snapshot(self.state, question_id, self.hidden())

    def rounds(self, board: Board) -> tuple[Result, int] | None:
        """The Equal Shares count the rounds tab explains, and the number of ballots sharing the budget; None when
        there is no budget to share (``no_budget_shared``: a motion, a choice between alternatives). Asked only of a
        board that shows its results."""
        st = self.state
        if no_budget_shared(st.questions[board.question_id]) is not None:
            return None
        if board.hidden:
            raise ValueError("the results are hidden: no rounds to explain")
        result = board.result if family(board.result.rule) == "mes" else count_question(st, board.question_id, ROUNDS_RULE)
        return result, len(st.ballots_for(board.question_id))

    def comparison(self, question_id: str) -> Comparison | None:
        """Every rule's count of the question side by side; None when there is no budget to share (a motion, a
        choice between alternatives)."""
        if no_budget_shared(self.state.questions[question_id]) is not None:
            return None
        return compare_rules(self.state, question_id)

    def groups(self, question_id: str, grouping: str) -> list[GroupTally]:
        return breakdown(self.state, question_id, grouping)

    @property
    def exports(self) -> Path:
        return self.ws.path / "exports"

    def export(self, board: Board, lang: str, progress: Callable | None = None) -> list[Path]:
        """The board's charts as PNG and SVG files in the workspace's ``exports`` folder."""
        figures = chart_figures(self.state, board.question_id, lang, hidden=board.hidden, result=board.result,
                                municipality=self.ws.municipality())
        return export_charts(self.exports, self.state, board.question_id, figures, progress=progress)
