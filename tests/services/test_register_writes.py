"""Two screens writing the register of services: a save or a file import is decided on the register as its screen
read it (``register_read``). A service another screen changed since is not overwritten (their change would be undone
without a word), nor is anything decided on a register a backup put back replaced; changes to other services do not
refuse it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pbtools.roles import FACILITATOR, Actor
from pbtools.services.errors import ServiceChanged, ServiceError, ServiceReplaced
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace
from tests.fixtures.db_copies import copy_db, restore_db
from tests.services.helpers import SAMPLE

AIDA, BAKYT = Actor("Aida", FACILITATOR), Actor("Bakyt", FACILITATOR)


@pytest.fixture
def two(tmp_path):
    """The sample register (water, waste) and two screens on it, each with its own connection."""
    folder = tmp_path / "ws"
    with open_workspace(folder) as ws, open_workspace(folder, create=False) as other:
        ServicesService(ws).import_file(SAMPLE, AIDA)
        yield folder, ServicesService(ws), ServicesService(other)


def _service(services, sid):
    return next(s for s in services if s.id == sid)


def test_the_second_save_of_a_service_changed_meanwhile_is_refused_and_nothing_is_lost(two):
    _, a, b = two
    shown_a, point_a = a.register_read()
    shown_b, point_b = b.register_read()
    b.save(replace(_service(shown_b, "water"), households=500), BAKYT, based_on=point_b)
    with pytest.raises(ServiceChanged) as e:  # Aida changes the rate of water as her screen showed it (450 households)
        a.save(replace(_service(shown_a, "water"), households=450, collection_rate=_service(shown_a, "water").collection_rate / 2),
               AIDA, based_on=point_a)
    said = {lang: e.value.render(lang) for lang in ("ky", "ru", "en")}
    assert "Drinking water was changed by Bakyt" in said["en"] and "nothing was written" in said["en"]
    assert "«Питьевая вода» изменил(а) Bakyt" in said["ru"] and "ничего не записано" in said["ru"]
    assert "«Ичүүчү суу» кызматын" in said["ky"] and "эч нерсе жазылган жок" in said["ky"]
    water = a.service("water")
    assert water.households == 500 and water.collection_rate == _service(shown_a, "water").collection_rate

    # a change of another service since her look does not refuse hers; looked at again, hers is taken
    a.save(replace(_service(shown_a, "waste"), people=9_600), AIDA, based_on=point_a)
    shown_a, point_a = a.register_read()
    a.save(replace(_service(shown_a, "water"), collection_rate=_service(shown_a, "water").collection_rate / 2), AIDA, based_on=point_a)
    water, waste = a.service("water"), a.service("waste")
    assert (water.households, water.collection_rate, waste.people) == (500, _service(shown_b, "water").collection_rate / 2, 9_600)


def test_a_save_without_a_read_replaces_nothing_and_a_new_one_registered_meanwhile_is_kept(two):
    _, a, b = two
    water = a.service("water")
    with pytest.raises(ServiceError, match="already in the register"):
        a.save(replace(water, households=1), AIDA)
    _, point = a.register_read()
    b.save(replace(water, id="water2", households=10), BAKYT)
    with pytest.raises(ServiceError, match="already in the register"):
        a.save(replace(water, id="water2", households=20), AIDA, based_on=point)
    assert (a.service("water").households, a.service("water2").households) == (450, 10)


def test_an_import_over_a_service_changed_meanwhile_is_refused_whole(two, tmp_path):
    _, a, b = two
    _, point_a = a.register_read()
    shown_b, point_b = b.register_read()
    b.save(replace(_service(shown_b, "waste"), people=10_000), BAKYT, based_on=point_b)
    with pytest.raises(ServiceChanged, match="Waste collection was changed by Bakyt"):
        a.import_file(SAMPLE, AIDA, based_on=point_a)
    assert a.service("waste").people == 10_000 and len(a.ws.ledger.records("services:register")) == 3
    _, point_a = a.register_read()  # looked at again: the file is what she means
    a.import_file(SAMPLE, AIDA, based_on=point_a)
    assert a.service("waste").people == 9_540


def test_a_save_decided_on_a_register_a_backup_replaced_is_not_written(two, tmp_path):
    folder, a, b = two
    backup = copy_db(folder, tmp_path / "backup.sqlite")
    b.save(replace(b.service("waste"), people=10_000), BAKYT, based_on=b.register_read()[1])
    shown, point = a.register_read()  # she sees the register with Bakyt's change
    restore_db(folder, backup)
    with pytest.raises(ServiceReplaced) as e:
        a.save(replace(_service(shown, "water"), households=460), AIDA, based_on=point)
    assert "Drinking water was decided on records no longer there" in e.value.render("en")
    assert "«Питьевая вода»" in e.value.render("ru") and "эч нерсе жазылган жок" in e.value.render("ky")
    assert a.service("water").households == 450 and len(a.ws.ledger.records("services:register")) == 2
