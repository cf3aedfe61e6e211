"""Attacks on `pbtools publish` through what users type: ids that are no safe file name must neither leave the
folder nor land two hearings on one page (one hearing's page and signed protocol replaced by another's)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings.errors import HearingError
from pbtools.hearings.model import APPROVAL, Ballot, Hearing, Option, Question
from pbtools.hearings.records import is_hearing_id
from pbtools.hearings.store import create_hearing
from pbtools.publish.site import publish_site, slug
from pbtools.storage import open_workspace


def closed_hearing(ws, hearing_id: str, title: str) -> None:
    hearing = Hearing(id=hearing_id, municipality="Көк-Талаа айыл аймагы", type="pb_vote", date="2026-10-02",
                      venue="Көк-Талаа", villages=("Көк-Талаа",), chair="Төрага", secretary="Катчы", budget=Decimal(500000),
                      titles={"ky": title, "ru": title, "en": title})
    store = create_hearing(ws, hearing, actor="Катчы")
    store.add_options([Option("A", 1, {"ky": "Көпүрө", "ru": "Мост", "en": "Bridge"}, Decimal(300000), village="Көк-Талаа")],
                      actor="Катчы")
    store.define_question(Question("q1", APPROVAL, {"ky": "Т", "ru": "В", "en": "C"}, ("A",), max_choices=1), actor="Катчы")
    store.open(actor="Төрага")
    store.cast("q1", Ballot((("A", 1),)), actor="tablet", channel="paper")
    store.close(actor="Төрага")


@pytest.mark.parametrize("ids", [("Көк-Талаа 2026", "Жаңы-Айыл 2026"), ("a/b", "a-b"), ("../x", "x"), ("..", "...")])
def test_ids_that_are_no_file_names_are_no_hearings_and_never_share_a_page(tmp_path, ids):
    """Such ids were once stored (and published through ``slug``); a hearing is now never created under one, and
    ``slug`` still keeps two apart should one come from an older workspace."""
    assert len({slug(i) for i in ids}) == 2
    with open_workspace(tmp_path / "ws") as ws:
        for n, hearing_id in enumerate(ids):
            if is_hearing_id(hearing_id):
                closed_hearing(ws, hearing_id, f"Hearing-title-{n}")
            else:
                with pytest.raises(HearingError):
                    closed_hearing(ws, hearing_id, f"Hearing-title-{n}")
        out = tmp_path / "site"
        site = publish_site(ws, out, langs=("en",))
    made = [i for i in ids if is_hearing_id(i)]
    assert len(list((out / "en").glob("hearing-*.html"))) == len(made)
    assert len(list((out / "files").glob("protocol-*-en.pdf"))) == len(made)
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "ws"]


def test_a_safe_id_keeps_its_name():
    assert slug("sample-2026") == "sample-2026" and slug("water-a1") == "water-a1"


def test_an_act_whose_photo_is_no_picture_is_published_without_it(tmp_path):
    """An act's "photo" given to the command (the app checks it is a picture; the command keeps anything, as a
    document) stopped the whole publish with a traceback; typed findings come out as text, never as HTML."""
    from pbtools.monitoring import MonitoringService
    from tests.monitoring.conftest import MEMBER, STAFF

    not_a_photo = tmp_path / "report.jpg"
    not_a_photo.write_text("<svg onload=alert(1)>no picture</svg>")
    with open_workspace(tmp_path / "ws") as ws:
        svc = MonitoringService(ws)
        project = svc.add_project(STAFF, {"ky": "Жарык", "ru": "Свет", "en": "Light"})
        member = svc.add_member(STAFF, "Айгүл Токтосунова")
        svc.file_act(MEMBER, project.id, date="2026-06-05", members=[member.id], findings="<script>alert(1)</script> ok",
                     photos=[not_a_photo])
        out = tmp_path / "site"
        publish_site(ws, out, langs=("en",))
    page = (out / "en" / f"project-{slug(project.id)}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ok" in page and "<script" not in page
    assert "onload" not in page and "Токтосунова" not in page
    assert not (out / "photos").exists() or not any((out / "photos").iterdir())
