"""Whose budget a file is: the place a title row names, matched against the municipality in any language."""

from __future__ import annotations

import pytest

from pbtools.budget.municipality import read_municipality
from pbtools.budget.place import place_in_titles, same_place
from pbtools.demo import SAMPLE_DIR

NAMES = read_municipality(SAMPLE_DIR).names  # Көк-Талаа айыл аймагы / Кок-Талаинский айылный аймак / Kok-Talaa ayil aimak


@pytest.mark.parametrize("title, ours", [
    ("Көк-Талаа айыл аймагынын жергиликтүү бюджети", True),
    ("Кок-Талаа айыл аймагынын бюджети", True),  # without ө
    ("Местный бюджет Кок-Талаинского айылного аймака", True),
    ("Local budget of Kok-Talaa ayil aimak, 2026", True),
    ("Ак-Суу айыл аймагынын жергиликтүү бюджети", False),
    ("Бюджет Кок-Жарского айылного аймака", False),  # shares "Кок" only
    ("Budget of Kara-Kujur aiyl aimak", False),
])
def test_same_place(title, ours):
    place = place_in_titles([title])
    assert place and same_place(place, NAMES) is ours


def test_titles_without_a_place_name_none():
    assert place_in_titles(["Бюджет на 2026 год", "тыс. сом"]) == {}
    assert same_place({}, NAMES)  # nothing said: the workspace's own


def test_a_title_in_three_languages_is_split():
    place = place_in_titles(["Көк-Талаа айыл аймагынын бюджети / Бюджет Кок-Талаинского айылного аймака / Budget of Kok-Talaa ayil aimak"])
    assert set(place) == {"ky", "ru", "en"} and place["en"].startswith("Budget of Kok")
