"""The workshop's texts, once: the Training app shows them beside its screens, and the facilitator's guide and the
handouts (``handouts.py``) print the same ones, so the two never disagree. Message ids, translated where shown."""

from __future__ import annotations

from pbtools.i18n import N_, NMsg
from pbtools.needs.aggregate import RULE_EXPLAINED, RULE_NAMES as NEEDS_RULE_NAMES
from pbtools.results.count import RULE_IDEAS
from pbtools.training.whatif_words import WHY_KIND

NEEDS_INTRO = N_("Before the hearing, every village's women, men, youth and elders meet in groups. Each group lists the problems it sees and puts them in order. The lists are added up by a rule everyone can check, and the result is shown for each group and each village too, so that no group's priorities disappear.")
NEEDS_ONE_LIST = N_("The problems are typed once, one list for the whole municipality: the groups of every village rank them by their numbers, and the results show each village's places too.")
NEEDS_ENTRY = N_("Type a group's result as the problem numbers from the form, the most important first: 3 1 7.")
MOCK_INTRO = N_("A mock hearing in a sandbox: a copy of the sample municipality that can be reset in one click. Simulated voters fill it in seconds; workshop participants can vote on their phones at the same time.")
WHATIF_INTRO = N_("The same ballots, counted three ways. Then the same people's preferences, asked with another kind of ballot.")
MES_INTRO = N_("Equal Shares, round by round. Every voter starts with the same share of the budget. In each round, the option whose supporters can pay for it at the lowest price is bought; each supporter pays an equal part, or all they have left if that is less.")
MES_BAR = N_("Each bar is one voter's share. Orange: what they pay in this round. Blue: what they keep for the next rounds.")
MES_DONE = N_("No option left can be paid for by its supporters' remaining shares: the rounds end here. Money left over is then spent by the completion (greedy).")


def mes_start(voters: int, share: str) -> NMsg:
    """Round 0's caption: the voters (a number: its plural form) and each one's share."""
    return NMsg("Start: {n} voter, with a share of {share}.", "Start: {n} voters, each with a share of {share}.",
                voters, share=share)


def mes_start_raised(voters: int, share: str, even: str) -> NMsg:
    """Round 0's caption when the completion raised the share above budget ÷ voters (said, or it reads wrong)."""
    return NMsg("Start: {n} voter. The budget divided among the voters is {even} each; with that their options could not use enough of the budget, so every share was raised step by step to {share}, as long as what is bought still fits the budget. The rounds start from {share} each.",
                "Start: {n} voters. The budget divided among them is {even} each; with that their options could not use enough of the budget, so every share was raised step by step to {share}, as long as what is bought still fits the budget. The rounds start from {share} each.",
                voters, share=share, even=even)


GUIDE_STEPS = (
    N_("Before the workshop: create a sandbox (Training app, Mock hearing tab, or pbtools sandbox create NAME)."),
    N_("Needs assessment: hand out the paper forms, let each group rank its problems, type each result, and show the chart of who ranked what."),
    N_("Carry the top problems over to a draft hearing's agenda in one step; their costs are filled in on the agenda."),
    N_("Mock hearing: simulate a hall of voters (150 is a usual school hall) and let participants vote on their phones."),
    N_("What if: compare the rules on the same ballots, then the kinds of ballot; read each sentence aloud."),
    N_("Equal Shares step by step: go through the rounds with Next and Back; ask the room who pays in each round."),
    N_("After the workshop: reset the sandbox so the next group starts clean."),
)


def sections() -> list[tuple[str, list[str | tuple[str, dict]]]]:
    """(heading, paragraphs) of the workshop material; a paragraph is a msgid, or (msgid, placeholders)."""
    return [
        (N_("Needs assessment"), [NEEDS_INTRO, NEEDS_ONE_LIST, *[(RULE_EXPLAINED[r], {"n": 3}) for r in RULE_EXPLAINED], NEEDS_ENTRY]),
        (N_("Mock hearing"), [MOCK_INTRO]),
        (N_("Three ways to count"), [WHATIF_INTRO, *RULE_IDEAS.values()]),
        (N_("Kinds of ballot"), list(WHY_KIND.values())),
        (N_("Equal Shares step by step"), [MES_INTRO, MES_BAR, MES_DONE]),
    ]


__all__ = ["sections", "GUIDE_STEPS", "NEEDS_RULE_NAMES"]
