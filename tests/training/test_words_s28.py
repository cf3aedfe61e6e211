"""Words of the workshop screens a trial found wrong (s28): Kyrgyz «… сом чейин» needs the dative."""

from __future__ import annotations

from decimal import Decimal

from pbtools.fmt import money
from pbtools.training.texts import mes_start_raised


def test_the_raised_share_is_said_in_kyrgyz_without_a_bare_amount_before_cheyin():
    for voters in (1, 60):
        said = mes_start_raised(voters, money(Decimal(26746), "ky"), money(Decimal(25000), "ky")).render("ky")
        assert "26\xa0746\xa0сом болгонго чейин" in said and "сом чейин" not in said


def test_what_if_says_the_question_counted_the_budget_and_each_option_s_cost_and_votes(tmp_path):
    """s28 M4: on a projector "What if" showed only "funded" or "—": the room could not see why. It names the
    question counted (the approval vote; the mock hearing has several), its ballots, the budget, each option's cost
    and votes, and what each rule spends."""
    from pbtools.hearings.tally import tally_ballots
    from pbtools.training.service import PICTURE_QUESTION, TrainingService

    service = TrainingService(tmp_path)
    service.open("whatif")
    service.simulate(60, seed=2)
    st = service.state()
    votes = tally_ballots(st.questions[PICTURE_QUESTION], st.ballots_for(PICTURE_QUESTION))
    options = sorted(st.options.values(), key=lambda o: o.number)
    said = {lang: service.what_if(lang) for lang in ("ky", "ru", "en")}
    assert said["en"].counted == ("Counted: question 1 «Choose up to 3 most needed projects» (approval), 60 ballots; "
                                  f"the budget is {money(st.hearing.budget, 'en')}.")
    assert said["ru"].counted.startswith("Подсчитан вопрос 1 «Выберите до 3 самых нужных проектов» (одобрение): "
                                         "60 бюллетеней; бюджет — ")
    assert said["ky"].counted.startswith("1-суроо «") and "60 бюллетень" in said["ky"].counted
    assert said["ru"].figures == tuple((money(o.cost, "ru"), votes[o.id]) for o in options)
    assert len(said["en"].spent) == len(said["en"].rules) and all(s.endswith("som") for s in said["en"].spent)
    service.close()
