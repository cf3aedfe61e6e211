"""Two Services apps (two members' screens) on one workspace: a register file imported on one over a service the other
changed since its screen showed it is refused in the screen's language, nothing of the other's is lost, and the screen
then shows the register as it is."""

from __future__ import annotations

import html

from pbtools.fmt import number
from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace
from tests.services.helpers import SAMPLE
from pbtools_widgets.services.app import ServicesApp

# the sample register with water's 450 households or waste's 9 540 people changed
WATER_500 = SAMPLE.read_text(encoding="utf-8").replace(";450;", ";500;").encode()
WASTE_9700 = SAMPLE.read_text(encoding="utf-8").replace(";9 540;", ";9 700;").encode()


def test_an_import_over_a_service_another_screen_changed_is_refused_and_the_register_shown_again(tmp_path):
    folder = tmp_path / "ws"
    with open_workspace(folder) as ws, open_workspace(folder, create=False) as other:
        ServicesService(ws).import_file(SAMPLE, LOCAL)
        mine, theirs = ServicesApp(ws, lang="ru"), ServicesApp(other, lang="en")
        theirs.register.form.import_file("water.csv", WATER_500)
        assert "pb-ok" in theirs.register.status.value

        mine.register.form.import_file("waste.csv", WASTE_9700)  # her file has water as her screen showed it: 450
        status = html.unescape(mine.register.status.value)
        assert "pb-error" in status and "«Питьевая вода» изменили в другом окне" in status and "ничего не записано" in status
        water, waste = ServicesService(ws).service("water"), ServicesService(ws).service("waste")
        assert (water.households, waste.people) == (500, 9_540)  # theirs kept, nothing of hers written
        assert number(500, "ru") in mine.register.cards.value  # her screen shows water as it is now

        mine.lang_switch.value = "ky"  # the refusal said again in the new language
        assert "«Ичүүчү суу» кызматы" in html.unescape(mine.register.status.value)

        # looked at again, her file is taken (written again with water's 500 it keeps theirs too)
        mine.register.form.import_file("both.csv", WASTE_9700.replace(b";450;", b";500;"))
        assert "pb-ok" in mine.register.status.value
        water, waste = ServicesService(ws).service("water"), ServicesService(ws).service("waste")
        assert (water.households, waste.people) == (500, 9_700)
