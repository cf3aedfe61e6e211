"""Words of the workshop screens a trial found wrong (s28): Kyrgyz «… сом чейин» needs the dative."""

from __future__ import annotations

from decimal import Decimal

from pbtools.fmt import money
from pbtools.training.texts import mes_start_raised


def test_the_raised_share_is_said_in_kyrgyz_without_a_bare_amount_before_cheyin():
    for voters in (1, 60):
        said = mes_start_raised(voters, money(Decimal(26746), "ky"), money(Decimal(25000), "ky")).render("ky")
        assert "26\xa0746\xa0сом болгонго чейин" in said and "сом чейин" not in said
