"""Each counting rule in words, as screens, reports and refusals name it (message ids: translate with ``pbtools.i18n``)."""

from __future__ import annotations

from pbtools.i18n import N_

RULE_NAMES = {
    "greedy": N_("Greedy (most votes first)"),
    "greedy-no-skip": N_("Greedy, stopping at the first option that does not fit"),
    "mes": N_("Method of Equal Shares"),
    "mes-add1": N_("Method of Equal Shares, shares raised until the budget is used"),
    "mes-add1-greedy": N_("Method of Equal Shares, completed by greedy"),
    "phragmen": N_("Phragmén"),
}
