"""The sample hearing of the demo workspace: a closed participatory-budget vote in a fictional ayil aimak.

Set in the demo's municipality (``data/sample``: municipality.csv, villages.csv, projects.csv). About 120
participants (close to half women, every age group, the villages weighted by population), an approval, a points and a ranking
question typed from paper (one pile by two clerks), each counted by what its ballots give (votes, points, Borda
points), a few ballots voided with reasons, some ballots cast with voting codes, and a show-of-hands count by sex
on a motion. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import random
from dataclasses import replace
from decimal import Decimal
from typing import Any

from pbtools.hearings.agenda_io import read_agenda
from pbtools.hearings.model import (
    APPROVAL, MOTION, PB_VOTE, POINTS, RANKING, Ballot, Hearing, Option, Participant, Question,
)
from pbtools.hearings.store import create_hearing
from pbtools.resources import data_dir

SAMPLE_DIR = data_dir("sample")  # the package's copy when installed, else the checkout's data/sample

# Used when data/sample is not there (an installed package without the data folder).
_MUNICIPALITY = "Ак-Суу айыл аймагы"
_VILLAGES = {"Ак-Суу": 3400, "Кара-Булак": 2400, "Жаңы-Жол": 1800, "Төрт-Көл": 1400, "Чоң-Таш": 1000}
_OPTIONS = (  # id, ky, ru, en, cost, village, sector, proposer
    ("P1", "Ичүүчү суу түтүгүн алмаштыруу", "Замена водопровода питьевой воды", "Replace the drinking-water pipe", 1_450_000, "Ак-Суу", "water", "initiative_group"),
    ("P2", "Көчө жарыгы (40 чырак)", "Уличное освещение (40 фонарей)", "Street lighting (40 lamps)", 620_000, "Кара-Булак", "lighting", "citizens"),
    ("P3", "Балдар бакчасынын чатырын оңдоо", "Ремонт крыши детского сада", "Repair the kindergarten roof", 880_000, "Ак-Суу", "education", "municipality"),
    ("P4", "Спорт аянтчасы", "Спортивная площадка", "Sports ground", 540_000, "Жаңы-Жол", "culture_sport", "initiative_group"),
    ("P5", "Таштанды чогултуучу контейнерлер", "Контейнеры для сбора мусора", "Waste containers", 310_000, "Төрт-Көл", "waste", "council"),
    ("P6", "ФАПтын имаратын жылуулоо", "Утепление здания ФАП", "Insulate the rural health post", 470_000, "Чоң-Таш", "health", "citizens"),
)


def _csv(name: str) -> list[dict[str, str]]:
    path = SAMPLE_DIR / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def sample_setting() -> tuple[str, dict[str, int], list[Option]]:
    """(municipality, village -> population, options): from ``data/sample`` (the demo's municipality) when its
    files are there and valid, else the small built-in set above. Village ids in projects.csv become names."""
    villages = {row["name_ky"]: int(row["population"]) for row in _csv("villages.csv") if row.get("name_ky")}
    names = {row["id"]: row["name_ky"] for row in _csv("villages.csv") if row.get("id")}
    municipality = next((row["ky"] for row in _csv("municipality.csv") if row.get("field") == "name"), "")
    options, problems = read_agenda(SAMPLE_DIR / "projects.csv") if (SAMPLE_DIR / "projects.csv").exists() else ([], [1])
    if villages and municipality and options and not problems:
        return municipality, villages, [replace(o, village=names.get(o.village, "")) for o in options]
    return _MUNICIPALITY, dict(_VILLAGES), [
        Option(i, n, {"ky": ky, "ru": ru, "en": en}, Decimal(cost), {}, village, sector, proposer)
        for n, (i, ky, ru, en, cost, village, sector, proposer) in enumerate(_OPTIONS, start=1)
    ]


def _people(rng: random.Random, n: int, villages: list[str], weights: list[int]) -> list[Participant]:
    people = []
    for i in range(n):
        category = rng.choices(["resident", "deputy", "staff", "initiative_group", "guest"], [100, 6, 5, 9, 3])[0]
        village = rng.choices(villages, weights)[0]
        if category == "guest":
            village = "Көрүнүш"  # a neighbouring municipality
        sex = "f" if rng.random() < 0.47 else "m"
        age = rng.choices(["18_29", "30_44", "45_59", "60_plus"], [22, 33, 28, 17])[0]
        people.append(Participant(sex, age, village, category))
    return people


def _preferences(rng: random.Random, person: Participant, options: list[Option]) -> list[Option]:
    """Options in this person's order of preference: some popularity, a pull towards their own village."""
    popularity = {o.id: 1.0 + (len(options) - o.number) * 0.15 for o in options}
    score = {o.id: popularity[o.id] + (1.2 if o.village == person.village else 0) + rng.gauss(0, 0.9) for o in options}
    return sorted(options, key=lambda o: -score[o.id])


def create_sample_hearing(ws: Any, seed: int = 2026, participants: int = 120, practice: bool = True) -> str:
    """Build the closed sample hearing in ``ws``; returns its id. ``practice``: marked as a practice hearing (the
    demo's: trainers may delete it, and it is never handed in); False for tests of a real hearing's hand-in."""
    rng = random.Random(seed)
    municipality, population, options = sample_setting()
    villages = list(population)
    weights = [population[v] for v in villages]
    total_cost = sum((o.cost for o in options), Decimal(0))
    hearing = Hearing(
        id=f"sample-{seed}", municipality=municipality, type=PB_VOTE, date="2026-04-18",
        venue=f"{villages[0]} айылы, №1 орто мектептин чоң залы", villages=tuple(villages), chair="Гүлнара Осмонова",
        secretary="Бакыт Жумабаев", facilitator="Айпери Токтогулова",
        commission=("Нурлан Асанов", "Жылдыз Кадырова", "Эрмек Сатыбалдиев"),
        budget=(total_cost * Decimal("0.45")).quantize(Decimal(1000)), title="Жарандардын бюджети 2027",
        titles={"ky": "Жарандардын бюджети 2027", "ru": "Гражданский бюджет 2027", "en": "Citizens' budget 2027"},
        venues={"ky": f"{villages[0]} айылы, №1 орто мектептин чоң залы",
                "ru": f"село {villages[0]}, большой зал средней школы №1",
                "en": f"{villages[0]} village, the hall of secondary school No. 1"},
        practice=practice,
    )
    store = create_hearing(ws, hearing, actor=hearing.secretary)
    store.add_options(options, actor=hearing.secretary)
    ids = tuple(o.id for o in options)
    store.define_question(Question("q1", APPROVAL, {"ky": "Эң керектүү 3 долбоорду тандаңыз", "ru": "Выберите до 3 самых нужных проектов", "en": "Choose up to 3 most needed projects"}, ids, max_choices=3), actor=hearing.facilitator)
    store.define_question(Question("q2", POINTS, {"ky": "5 упайды долбоорлорго бөлүңүз", "ru": "Распределите 5 баллов между проектами", "en": "Spread 5 points over the projects"}, ids, points=5, stacking=True, score="points"), actor=hearing.facilitator)
    store.define_question(Question("q3", RANKING, {"ky": "Биринчи үч долбоорду иреттеңиз", "ru": "Расставьте три первых проекта по порядку", "en": "Rank your top three projects"}, ids, max_choices=3, score="borda"), actor=hearing.facilitator)
    store.define_question(Question("q4", MOTION, {"ky": "Угуунун сунуштарын айылдык кеңешке жөнөтүү", "ru": "Направить предложения слушаний в айылный кенеш", "en": "Send the hearing's proposals to the local council"}), actor=hearing.chair)
    store.open(actor=hearing.chair)

    people = _people(rng, participants, villages, weights)
    for person in people:
        store.register(person, actor="Каттоо 1")
    codes = store.issue_codes(30, actor=hearing.secretary)

    clerks = ("Катчы Айгүл", "Катчы Мирлан")
    voters = [p for p in people if rng.random() < 0.88]
    for i, person in enumerate(voters):
        prefs = _preferences(rng, person, options)
        k = rng.choices([1, 2, 3], [15, 30, 55])[0]
        ballot = Ballot(tuple((o.id, 1) for o in prefs[:k]))
        if i < len(codes):  # the first voters used their code cards on a tablet
            store.cast("q1", ballot, actor="tablet", channel="code", code=codes[i])
        else:
            store.cast("q1", ballot, actor=clerks[i % 2])
    for i, person in enumerate(voters[: int(len(voters) * 0.9)]):
        prefs = _preferences(rng, person, options)
        split = rng.choice([(5,), (3, 2), (2, 2, 1), (1, 1, 1, 1, 1)])
        store.cast("q2", Ballot(tuple((o.id, v) for o, v in zip(prefs, split))), actor=clerks[i % 2])
    # the ranking pile is typed twice (double entry); the second clerk slips twice, both corrected after comparing
    ranking = [Ballot(tuple((o.id, r) for r, o in enumerate(_preferences(rng, p, options)[:3], start=1)))
               for p in voters[: int(len(voters) * 0.85)]]
    slips = {7, 31}
    for i, ballot in enumerate(ranking):
        store.cast("q3", ballot, actor=clerks[0], pile="R1", entry=1)
        typed = Ballot(tuple((o, 4 - r) for o, r in ballot.marks)) if i in slips else ballot
        store.cast("q3", typed, actor=clerks[1], pile="R1", entry=2)
    for difference in store.differences("R1"):  # found by comparing the piles; the paper agrees with the first clerk
        wrong = next(b for b in store.state.pile("R1", 2) if b.position == difference.position)
        store.void(wrong.seq, actor=hearing.secretary, reason="Кагаз бюллетень менен салыштырылды: иреттер туура эмес терилген")
        store.cast("q3", difference.first, actor=clerks[1], pile="R1", entry=2, position=difference.position)
    for question, reason in (("q1", "Эки жолу терилген"), ("q2", "Бюллетень башка суроого таандык")):
        last = max(b.seq for b in store.state.ballots_for(question))
        store.void(last, actor=hearing.secretary, reason=reason)
    hands = {sex: {"yes": 0, "no": 0, "abstain": 0} for sex in ("f", "m")}
    for person in people:
        hands[person.sex][rng.choices(["yes", "no", "abstain"], [86, 8, 6])[0]] += 1
    store.enter_count("q4", hands, actor=hearing.commission[0], group_by="sex")
    store.close(actor=hearing.chair, reason="Угуу аяктады")
    return hearing.id

