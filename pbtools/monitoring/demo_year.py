"""The demo workspace's monitoring year: the sample hearing's funded options handed over and followed through
every status, a group of five, acts with photos (drawn here with Pillow, small), a correction, a response on time
and one late (overdue)."""

from __future__ import annotations

import io
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from pbtools.fmt import percent as percent_text
from pbtools.hearings.store import state
from pbtools.monitoring.model import CANCELLED, COMPLETED, IN_PROGRESS, STALLED, Funding
from pbtools.monitoring.service import MonitoringService
from pbtools.roles import FACILITATOR, MONITOR, Actor

# the group's positions in the three languages: a Russian screen said «(айылдык кеңештин депутаты)»
MEMBERS = (("Айгүл Сыдыкова", {"ky": "айылдык кеңештин депутаты", "ru": "депутат айылного кенеша", "en": "ayil kenesh deputy"}),
           ("Нурбек Алиев", {"ky": "Көк-Талаа айылынын тургуну", "ru": "житель села Кок-Талаа", "en": "resident of Kok-Talaa"}),
           ("Жамиля Токтосунова", {"ky": "аялдар кеңеши", "ru": "женсовет", "en": "women's council"}),
           ("Азамат Бекмуратов", {"ky": "жаштар уюму", "ru": "молодёжная организация", "en": "youth organisation"}),
           ("Чынара Абдыкадырова", {"ky": "айыл өкмөтүнүн адиси", "ru": "специалист айыл окмоту", "en": "ayil okmotu specialist"}))
COLOURS = ((96, 140, 200), (120, 170, 90), (200, 160, 90), (170, 100, 90))


def draw_photo(path: Path, n: int, size: tuple[int, int] = (640, 480), gps: tuple[float, float] | None = None) -> Path:
    """A small made-up "site photo" (sky, ground, a building), with EXIF GPS when ``gps`` is given."""
    w, h = size
    image = Image.new("RGB", size, COLOURS[n % len(COLOURS)])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, h * 2 // 3, w, h), fill=(110, 90, 60))
    draw.rectangle((w // 4 + n * 20, h // 3, w // 2 + n * 20, h * 2 // 3), fill=(230, 230, 225), outline=(40, 40, 40), width=3)
    draw.polygon(((w // 4 + n * 20 - 10, h // 3), (w * 3 // 8 + n * 20, h // 6), (w // 2 + n * 20 + 10, h // 3)), fill=(150, 40, 40))
    exif = Image.Exif()
    if gps is not None:
        def dms(x: float) -> tuple:
            d = int(x)
            m = int((x - d) * 60)
            return (float(d), float(m), round(((x - d) * 60 - m) * 60, 2))
        exif[0x8825] = {1: "N" if gps[0] >= 0 else "S", 2: dms(abs(gps[0])), 3: "E" if gps[1] >= 0 else "W", 4: dms(abs(gps[1]))}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif.tobytes())
    path.write_bytes(out.getvalue())
    return path


def create_monitoring_year(ws: Any, hearing_id: str, chair: str = "Гүлнара Осмонова") -> dict[str, int]:
    svc = MonitoringService(ws)
    staff = Actor(chair, FACILITATOR)
    # the projects are planned from the hearing's day (not the day the demo is made, after their later statuses)
    planned_on = state(ws, hearing_id).hearing.date
    projects = list(svc.from_hearing(staff, hearing_id, planned_on=planned_on).created)
    # and two from the municipality's action plan, typed by hand: the group follows one list
    # (villages as the sample hearing stores them: the Kyrgyz names of data/sample/villages.csv)
    for titles, village, sector, cost in (
            ({"ky": "Мектептин чатырын оңдоо", "ru": "Ремонт крыши школы", "en": "School roof repair"}, "Көк-Талаа", "education", 650000),
            ({"ky": "Көчө жарыгы", "ru": "Уличное освещение", "en": "Street lighting"}, "Кара-Суу", "lighting", 480000)):
        projects.append(svc.add_project(staff, titles, reason="Аракеттер планы 2026", village=village, sector=sector,
                                        status_date=planned_on, planned=Funding(Decimal(cost), Decimal(cost))))
    members = [svc.add_member(staff, name, position, on="2026-05-05") for name, position in MEMBERS]
    monitor = Actor(members[0].name, MONITOR)
    ids = [p.id for p in projects]
    # every status once: the first project done, then in progress, stalled, cancelled, and the rest still planned
    plan = [(COMPLETED, 100, Decimal("1120000"), "Кабыл алуу актысы 2026-09-30", ("2026-06-01", "2026-09-30")),
            (IN_PROGRESS, 60, Decimal("1300000"), "Түтүктөр тартылууда", ("2026-07-01", "")),
            (STALLED, 25, Decimal("400000"), "Мердигер иштебей калды: жабдуулар жок", ("2026-06-15", "")),
            (CANCELLED, 0, None, "Республикалык программадан каржыланат", ("", ""))]
    for pid, (status, percent, cost, reason, (start, finish)) in zip(ids, plan):
        svc.update(staff, pid, responsible="Бакыт Жумабаев", contractor="«Ала-Тоо Курулуш» ЖЧК",
                   planned_start="2026-06-01", planned_finish="2026-10-31")
        if status == IN_PROGRESS:
            svc.add_milestone(staff, pid, "Долбоордук-сметалык документтер", "2026-06-15")
            svc.milestone_done(staff, pid, "m1", "2026-06-20")
            svc.add_milestone(staff, pid, "Түтүктөрдү тартуу", "2026-09-01")
        changes: dict[str, Any] = {"actual_start": start, "actual_finish": finish}
        if cost is not None:
            changes["actual"] = Funding(cost, cost - Decimal("100000"), Decimal(0), Decimal("60000"), Decimal("40000"))
        svc.update(monitor, pid, **{k: v for k, v in changes.items() if v})
        svc.set_status(monitor, pid, status, reason=reason, percent=percent, on=finish or start or "2026-08-01")
    files = 0
    with tempfile.TemporaryDirectory() as tmp:
        photos = [draw_photo(Path(tmp) / f"site-{n}.jpg", n, gps=(42.52 + n / 100, 74.61 + n / 100) if n % 2 == 0 else None)
                  for n in range(4)]
        big = draw_photo(Path(tmp) / "wide.jpg", 1, size=(2400, 1350))  # reduced when stored
        svc.add_file(monitor, ids[0], photos[0], "Даяр объект")
        svc.add_file(monitor, ids[0], big, "Жалпы көрүнүш")
        files += 2
        present = [members[0].id, members[1].id, members[2].id]
        first = svc.file_act(monitor, ids[0], date="2026-07-10", members=present, place="Көк-Талаа",
                             findings="Иштер графикке ылайык жүрүүдө; контейнерлердин 20сы орнотулду.",
                             recommendations="Калган контейнерлерди август айына чейин орнотуу.",
                             response_due="2026-07-31", photos=[photos[0]])
        svc.record_response(staff, first.id, "Калган контейнерлер 2026-08-15те орнотулду.", on="2026-07-28")
        late = svc.file_act(monitor, ids[2] if len(ids) > 2 else ids[0], date="2026-08-05", members=present[:2],
                            findings="Иш токтоп турат, мердигер объектте жок.",
                            recommendations="Мердигер менен келишимди карап чыгуу, жаңы мөөнөт белгилөө.",
                            response_due="2026-08-25", photos=[photos[1], photos[2]])
        wrong = svc.file_act(monitor, ids[1] if len(ids) > 1 else ids[0], date="2026-08-12", members=present,
                             findings=f"Түтүктөрдүн {percent_text(Decimal('0.4'), 'ky', 0)} тартылды.", response_due="2026-09-01", photos=[photos[3]])
        fixed = svc.file_act(monitor, wrong.project_id, date="2026-08-12", members=present,
                     findings=f"Түтүктөрдүн {percent_text(Decimal('0.6'), 'ky', 0)} тартылды (мурунку актыда жаңылыш "
                              f"{percent_text(Decimal('0.4'), 'ky', 0)} деп жазылган).",
                     recommendations="Сапатты текшерүү үчүн адис чакыруу.", response_due="2026-09-01",
                     photos=[photos[3]], corrects=wrong.id)
        svc.record_response(staff, fixed.id, "Адис 2026-08-29да келип, сапатын текшерди.", on="2026-08-30")
    return {"projects": len(projects), "acts": 4, "members": len(members), "overdue_acts": 1 if late else 0, "files": files}
