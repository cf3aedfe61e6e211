"""The citizens' website: every page in ky/ru/en linked to the others, every link and image inside the folder,
nothing private in any file, figures from the workspace, and a folder that holds something else refused."""

from __future__ import annotations

import re
from datetime import date
from html import escape
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pbtools.fmt import money, number
from pbtools.hearings.codes import format_code
from pbtools.hearings.model import APPROVAL, Ballot, Hearing, Option, Participant, Question
from pbtools.hearings.store import create_hearing, state
from pbtools.i18n import LANGS, translator
from pbtools.monitoring import MonitoringService, is_overdue
from pbtools.publish.site import publish_site
from pbtools.results.votes import option_votes
from pbtools.roles import MONITOR, Actor
from pbtools.storage import open_workspace
from pbtools.monitoring.demo_year import MEMBERS

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("Жамиля Төлөгөнова", "Үсөн Бекмырзаев", "Чыңгыз Абдыкеримов")


def add_named_hearing(ws) -> list[str]:
    """A closed hearing that records participants' names and gives voting codes; returns the codes."""
    hearing = Hearing(id="named-2026", municipality="Көк-Талаа айыл аймагы", type="pb_vote", date="2026-10-02",
                      venue="Көк-Талаа", villages=("Көк-Талаа",), chair="Төрага", secretary="Катчы", budget=Decimal(500000),
                      titles={"ky": "Көк-Талаа 2027", "ru": "Кок-Талаа 2027", "en": "Kok-Talaa 2027"}, record_names=True)
    store = create_hearing(ws, hearing, actor="Катчы")
    store.add_options([Option("A", 1, {"ky": "Көпүрө", "ru": "Мост", "en": "Bridge"}, Decimal(300000), village="Көк-Талаа"),
                       Option("B", 2, {"ky": "Китепкана", "ru": "Библиотека", "en": "Library"}, Decimal(250000), village="Көк-Талаа")],
                      actor="Катчы")
    store.define_question(Question("q1", APPROVAL, {"ky": "Тандаңыз", "ru": "Выберите", "en": "Choose"}, ("A", "B"), max_choices=1), actor="Катчы")
    store.open(actor="Төрага")
    for i, name in enumerate(NAMES):
        store.register(Participant("f" if i % 2 == 0 else "m", "30_44", "Көк-Талаа", name=name), actor="Каттоо")
    codes = store.issue_codes(3, actor="Катчы")
    for code, option in zip(codes, ("A", "A", "B")):
        store.cast("q1", Ballot(((option, 1),)), actor="tablet", channel="code", code=code)
    store.close(actor="Төрага")
    return codes


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.viewport = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("href", "src", "action", "srcset", "poster", "data"):
            if values.get(name) is not None:
                self.links.append(values[name])
        if tag == "meta" and values.get("name") == "viewport":
            self.viewport = True


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tests.fixtures.monitoring_year import build_monitoring_year

    folder = build_monitoring_year(tmp_path_factory.mktemp("site") / "ws")
    with open_workspace(folder) as ws:
        codes = add_named_hearing(ws)
        svc = MonitoringService(ws)  # an act that asks no response (the demo's all have a deadline)
        svc.file_act(Actor("Нурбек Алиев", MONITOR), svc.projects()[0].id, date="2026-11-20", members=[svc.members()[0].id],
                     findings="Текшерүү: контейнерлер ордунда.")
        out = folder.parent / "site"
        publish_site(ws, out)
        hashes = {h for h in state(ws, "named-2026").codes}
        return {"out": out, "ws": folder, "codes": codes, "hashes": hashes}


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_language_has_its_pages_linked_to_the_same_page_in_the_others(site):
    out = site["out"]
    names = {p.name for p in (out / "ky").glob("*.html")}
    assert "index.html" in names and "hearing-sample-2026.html" in names and "hearing-named-2026.html" in names
    for lang in LANGS:
        assert {p.name for p in (out / lang).glob("*.html")} == names
        for name in names:
            parser = Links()
            parser.feed((out / lang / name).read_text(encoding="utf-8"))
            for other in LANGS:
                if other != lang:
                    assert f"../{other}/{name}" in parser.links, (lang, name, other)
    index = Links()
    index.feed((out / "index.html").read_text(encoding="utf-8"))
    assert {f"{lang}/index.html" for lang in LANGS} <= set(index.links)


def test_every_link_and_image_is_relative_and_inside_the_folder(site):
    out = site["out"].resolve()
    checked = 0
    for page in _pages(out):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.viewport, f"{page} has no viewport meta (phones)"
        for link in parser.links:
            assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//|^/", link, re.I), f"{page.name}: {link} is not a relative link"
            path, _hash, fragment = link.partition("#")
            target = (page.parent / path).resolve() if path else page
            if fragment:  # a place in a page: that page has the id
                assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), f"{page.name}: {link} has no target"
            assert target.is_relative_to(out), f"{page.name}: {link} leaves the site"
            assert target.is_file(), f"{page.name}: {link} is missing"
            checked += 1
    assert checked > 50
    css = (out / "assets" / "site.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css


def _all_text(out: Path) -> dict[Path, str]:
    """Every file's text: HTML and CSS as written, PDF as its extracted text, images as their bytes."""
    from pypdf import PdfReader

    texts = {}
    for path in out.rglob("*"):
        if path.is_file():
            if path.suffix == ".pdf":
                texts[path] = "\n".join(page.extract_text() for page in PdfReader(path).pages)
            else:
                texts[path] = path.read_bytes().decode("utf-8", errors="ignore")
    return texts


def test_nothing_private_in_any_file(site):
    texts = _all_text(site["out"])
    assert any(p.suffix == ".pdf" for p in texts) and any(p.suffix == ".jpg" for p in texts)
    secrets = [*NAMES, *site["codes"], *(format_code(c) for c in site["codes"]), *site["hashes"]]
    for path, text in texts.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} is published in {path}"
    # the group's members sign the printed act; the website names none of them, nor who typed the ballots
    for path, text in texts.items():
        if path.suffix == ".html":
            for name, _position in MEMBERS:
                assert name not in text, f"{name!r} is published in {path}"
            assert "Катчы Айгүл" not in text and "Каттоо" not in text


def test_photos_are_published_without_their_exif(site):
    from PIL import Image

    photos = sorted((site["out"] / "photos").glob("*.jpg"))
    assert photos
    for photo in photos:
        with Image.open(photo) as image:
            assert not image.getexif(), photo


def test_pages_show_the_workspace_figures(site):
    out = site["out"]
    with open_workspace(site["ws"]) as ws:
        st = state(ws, "sample-2026")
        projects = MonitoringService(ws).projects()
        acts = MonitoringService(ws).acts()
    page = (out / "ru" / "hearing-sample-2026.html").read_text(encoding="utf-8")
    for question in ("q1", "q2", "q3"):
        for option, votes in option_votes(st, question).total.items():
            assert re.search(f'<td class="num" data-label="[^"]*">{number(votes, "ru")}</td>', page)
    assert "../files/protocol-sample-2026-ru.pdf" in page
    home = (out / "ky" / "index.html").read_text(encoding="utf-8")
    assert home.count('href="project-') == len(projects)
    for p in projects:
        assert money(p.planned.total, "ky") in home
    answered = next(a for a in acts if a.responses)
    page = (out / "en" / f"project-{answered.project_id}.html").read_text(encoding="utf-8")
    assert escape(answered.findings) in page and escape(answered.responses[0].text) in page
    late = [a for a in acts if is_overdue(a, date.today())]
    assert late
    page = (out / "en" / f"project-{late[0].project_id}.html").read_text(encoding="utf-8")
    assert escape(late[0].findings) in page and 'class="act late"' in page and "The response is overdue." in page
    for a in acts:  # every act on its project's page, in every language
        for lang in LANGS:
            assert escape(a.findings) in (out / lang / f"project-{a.project_id}.html").read_text(encoding="utf-8")


def test_acts_are_named_by_the_ids_the_app_and_the_printed_act_use_and_one_asking_nothing_says_so(site):
    """The trial: «Акт мониторинга № 3 от 12 августа 2026 г. — Исправлен актом A-2026-004», the act being A-2026-003
    in the app and on paper; and an act with no deadline showed «Ответ органа МСУ:» followed by nothing."""
    with open_workspace(site["ws"]) as ws:
        acts = MonitoringService(ws).acts()
    corrected = next(a for a in acts if a.corrected_by)
    none_asked = next(a for a in acts if not a.response_due and not a.responses)
    for lang in LANGS:
        _ = translator(lang)
        for project_id in {corrected.project_id, none_asked.project_id}:
            page = (site["out"] / lang / f"project-{project_id}.html").read_text(encoding="utf-8")
            heads = re.findall(r"<h3>([^<]*)</h3>", page)
            assert len(heads) == sum(1 for a in acts if a.project_id == project_id)
            assert all(re.search(r"A-\d{4}-\d{3}", h) for h in heads) and not any("№" in h or "No." in h for h in heads), heads
        page = (site["out"] / lang / f"project-{corrected.project_id}.html").read_text(encoding="utf-8")
        said = escape(_("Corrected by act {act}", act=corrected.corrected_by))
        assert said in page and any(corrected.corrected_by in h for h in re.findall(r"<h3>([^<]*)</h3>", page))
        page = (site["out"] / lang / f"project-{none_asked.project_id}.html").read_text(encoding="utf-8")
        response = escape(_("Response of the municipality"))
        assert f"<strong>{response}:</strong></p>" not in page, lang
        assert f"<strong>{response}:</strong> {escape(_('none was asked (no deadline was set)'))}</p>" in page


def test_a_folder_with_other_files_is_refused_and_left_alone(site, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    result = subprocess.run([sys.executable, "-m", "pbtools", "publish", "--out", str(folder), "--workspace", str(site["ws"]),
                             "--lang", "ru"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert "не пуста" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_publish_again_into_the_same_site_and_in_one_language(site, tmp_path):
    out = tmp_path / "one"
    result = subprocess.run([sys.executable, "-m", "pbtools", "publish", "--out", str(out), "--workspace", str(site["ws"]),
                             "--site-lang", "ky"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert (out / "ky" / "index.html").is_file() and not (out / "ru").exists()
    again = subprocess.run([sys.executable, "-m", "pbtools", "publish", "--out", str(out), "--workspace", str(site["ws"]),
                            "--site-lang", "ky", "--lang", "ru"], capture_output=True, text=True, cwd=ROOT)
    assert again.returncode == 0, again.stderr
    assert "Сайт записан" in again.stdout and not (out / "ru").exists()


def test_the_home_page_says_what_was_promised_and_not_funded(site):
    from pbtools.monitoring.follow.blocks import promise_text
    from pbtools.monitoring.follow.service import FollowService

    with open_workspace(site["ws"]) as ws:
        follow = FollowService(ws).follow()
    assert follow.not_funded
    for lang in LANGS:
        home = (site["out"] / lang / "index.html").read_text(encoding="utf-8")
        assert 'id="follow"' in home
        for row in follow.not_funded:
            assert escape(promise_text(row, lang)) in home


def test_a_citizen_reads_every_village_and_no_command_on_the_demo_site(demo_copy, tmp_path):
    """The demo (no adopted budget yet): a project for every village says so, not an empty cell, and the follow-up
    section speaks to citizens, not to whoever runs the command line."""
    from pbtools.i18n import translator

    with open_workspace(demo_copy) as ws:
        everywhere = [p for p in MonitoringService(ws).projects() if not p.village]
        publish_site(ws, tmp_path / "site")
    assert everywhere
    for lang in LANGS:
        home = (tmp_path / "site" / lang / "index.html").read_text(encoding="utf-8")
        assert "pbtools budget" not in home and 'id="follow"' in home
        rows = re.findall(r'<tr[^>]*><td[^>]*><a href="project-([^"]+)\.html">[^<]*</a></td><td[^>]*>([^<]*)</td>', home)
        assert {p.id for p in everywhere} <= {pid for pid, _ in rows}
        assert all(cell == translator(lang)("All villages") for pid, cell in rows if pid in {p.id for p in everywhere})
        page = (tmp_path / "site" / lang / f"project-{everywhere[0].id}.html").read_text(encoding="utf-8")
        assert translator(lang)("All villages") in page


def test_on_a_phone_each_cell_of_a_wide_table_carries_its_columns_name(site):
    """site.css shows a table of more than three columns as one card per row on a phone, each cell under the name
    its data-label gives: every such cell must carry its own column's header (the funded column was off-screen)."""
    checked = 0
    for path in _pages(site["out"]):
        text = path.read_text(encoding="utf-8")
        for table in re.findall(r"<table[^>]*>.*?</table>", text, re.S):
            head = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", table, re.S)
            if len(head) <= 3:
                continue
            assert table.startswith('<table class="stack">'), path
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("</thead>")[1], re.S):
                assert re.findall(r'<td[^>]*data-label="([^"]*)"', row) == head, (path, row)
                checked += 1
    assert checked > 20
    assert "table.stack td::before { content: attr(data-label)" in (site["out"] / "assets" / "site.css").read_text(encoding="utf-8")


def test_a_chart_opens_alone_with_a_tap_to_be_zoomed_on_a_phone(site):
    for lang in LANGS:
        home = (site["out"] / lang / "index.html").read_text(encoding="utf-8")
        charts = re.findall(r'<img src="(\.\./assets/[^"]+\.png)"', home)
        assert charts
        for src in charts:
            assert f'<a href="{src}"><img src="{src}"' in home and (site["out"] / lang / src).resolve().is_file()
