"""Writing the citizens' website into a folder (see ``pbtools.publish``). Every link is relative and points at a
file the site itself holds; a folder that holds something else than an earlier site is refused, never overwritten.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from PIL import Image, ImageOps

from pbtools.budget.summary import citizens_budget
from pbtools.charts import budget as charts
from pbtools.fmt import percent
from pbtools.monitoring.follow.blocks import follow_table, promise_text, summary_text
from pbtools.monitoring.follow.compare import PROMISED_NOT_FUNDED
from pbtools.monitoring.follow.service import FollowService
from pbtools.hearings.model import CLOSED
from pbtools.hearings.store import hearing_ids, state
from pbtools.html import TEMPLATES, render
from pbtools.i18n import LANG_NAMES, LANGS, N_, Msg, check_lang, gettext, translator
from pbtools.monitoring.period_report import is_late
from pbtools.monitoring.service import MonitoringService
from pbtools.paths import file_in
from pbtools.publish import pages as P
from pbtools.reports.make import write_report

MARKER = ".pbtools-site"  # says that the folder is a site pbtools wrote, which a new publish may replace
PHOTO_SIDE, THUMB_SIDE = 1600, 480
SITE_NAME = N_("Citizens' budget and public hearings")
CHARTS = ("revenue_by_source", "spending_by_function", "plan_vs_actual", "budget_by_year")


class PublishError(Exception):
    def __init__(self, message: Msg) -> None:
        self.message = message
        super().__init__(message.render("en"))

    def render(self, lang: str) -> str:
        return self.message.render(lang)


@dataclass
class Site:
    out: Path
    files: list[Path] = field(default_factory=list)  # every file written, relative to ``out``

    def write(self, rel: str, data: bytes | str) -> str:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        tmp.replace(path)
        self.files.append(Path(rel))
        return rel


def slug(text: str) -> str:
    """A file name from an id: letters, digits, dot, dash and underscore only. An id that is not such a name already
    also gets a short hash of itself: "Көк-Талаа 2026" and "Жаңы-Айыл 2026" were both "2026", and the second
    hearing's page and protocol replaced the first's."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", text).strip(".-")
    if safe and safe == text:
        return safe
    return f"{safe or 'x'}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}"


def _pictures(attachments: Any) -> list:
    """The attachments that are pictures. The command keeps anything given as an act's photo (a non-picture as a
    document), which stopped the whole publish with a traceback."""
    from pbtools.monitoring.model import PHOTO

    return [a for a in attachments if a.kind == PHOTO]


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise PublishError(Msg(N_("{path} is a file, not a folder"), path=str(out)))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise PublishError(Msg(N_("The folder {path} is not empty and holds no earlier site: choose an empty folder"), path=str(out)))
    if not out.parent.is_dir():
        raise PublishError(Msg(N_("There is no folder {path}"), path=str(out.parent)))


def _public_image(path: Path, side: int) -> bytes:
    """A photo for the public: turned upright, at most ``side`` pixels, JPEG, its EXIF (camera, place, time) dropped."""
    with Image.open(path) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail((side, side))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


def _latest_budget(ws: Any) -> Any:
    stored = ws.list_budgets()
    if not stored:
        return None
    year = max(budget_year for _id, budget_year, *_ in stored)
    return ws.load_budget([i for i, budget_year, *_ in stored if budget_year == year][-1])


def publish_site(ws: Any, out: Path | str, langs: tuple[str, ...] = LANGS, today: date | None = None,
                 progress: Callable[[str], None] = lambda step: None) -> Site:
    """Write the website of workspace ``ws`` into ``out`` in ``langs``; returns what was written."""
    langs = tuple(check_lang(lang) for lang in langs)
    out, today = Path(out), today or date.today()
    _check_out(out)
    site = Site(out)
    site.write(MARKER, "pbtools\n")
    site.write("assets/site.css", (TEMPLATES / "publish" / "site.css").read_text(encoding="utf-8"))
    municipality = ws.municipality()
    budget = _latest_budget(ws)
    citizens = citizens_budget(budget, municipality) if budget is not None else None
    hearings = [st for st in (state(ws, i) for i in hearing_ids(ws)) if st.hearing is not None and st.status == CLOSED]
    hearings.sort(key=lambda st: (st.hearing.date, st.id), reverse=True)
    monitoring = MonitoringService(ws)
    projects, acts = monitoring.projects(), monitoring.acts()
    follow = FollowService(ws).follow()
    photo_files: dict[str, tuple[str, str]] = {}  # sha256 -> (photo, thumbnail) relative to the site

    def photo(attachment: Any) -> tuple[str, str]:
        if attachment.sha256 not in photo_files:
            source = monitoring.file_path(attachment)
            big = site.write(f"photos/{slug(attachment.sha256)}.jpg", _public_image(source, PHOTO_SIDE))
            small = site.write(f"photos/{slug(attachment.sha256)}-small.jpg", _public_image(source, THUMB_SIDE))
            photo_files[attachment.sha256] = (big, small)
        return photo_files[attachment.sha256]

    for st in hearings:
        for lang in langs:
            progress(f"protocol {st.id} {lang}")
            target = file_in(out / "files", f"protocol-{slug(st.id)}-{lang}.pdf")
            target.parent.mkdir(parents=True, exist_ok=True)
            write_report(ws, st.id, "pdf", lang, target)
            site.files.append(target.relative_to(out))
    for lang in langs:
        progress(f"pages {lang}")
        _language_pages(site, lang, langs, municipality, citizens, hearings, projects, acts, follow, photo, today)
    names = [municipality.name(lang) for lang in langs] if municipality is not None else []
    title = " / ".join(dict.fromkeys(names)) or gettext(langs[0], SITE_NAME)
    site.write("index.html", render("publish/languages.html", title=title,
                                    languages=[(l, LANG_NAMES[l], f"{l}/index.html", gettext(l, SITE_NAME)) for l in langs]))
    return site


def _language_pages(site: Site, lang: str, langs: tuple[str, ...], municipality: Any, citizens: Any, hearings: list,
                    projects: list, acts: list, follow: Any, photo: Callable, today: date) -> None:
    _ = translator(lang)
    w = P.words(lang)
    place = municipality.name(lang) if municipality is not None else w["site"]

    def page(rel_name: str, template: str, title: str, **values: Any) -> None:
        languages = [(l, LANG_NAMES[l], f"../{l}/{rel_name}") for l in langs]
        site.write(f"{lang}/{rel_name}", render(f"publish/{template}", lang=lang, title=title, place=place, w=w,
                                                 root="../", languages=languages, **values))

    chart_list = []
    if citizens is not None:
        alts = {"revenue_by_source": _("Where the money comes from, {year}", year=citizens.year),
                "spending_by_function": _("Where the money goes, {year}", year=citizens.year),
                "plan_vs_actual": _("Plan and actual, {year}", year=citizens.execution_year or citizens.year),
                "budget_by_year": _("The budget by year")}
        for name in CHARTS:
            if name == "plan_vs_actual" and citizens.execution_year is None:
                continue
            rel = site.write(f"assets/{lang}/{name}.png", _png(getattr(charts, name)(citizens, lang)))
            chart_list.append({"src": f"../{rel}", "alt": alts[name]})
    hearing_cards = []
    for st in hearings:
        summary = P.hearing_summary(st, lang, municipality)
        name = f"hearing-{slug(st.id)}.html"
        hearing_cards.append({**summary, "href": name})
        details = [(_("Date"), summary["date"]), (_("Type of hearing"), summary["type"]), (_("Venue"), summary["venue"])]
        page(name, "hearing.html", summary["title"], details=[d for d in details if d[1]],
             participants=P.participants_line(st, lang), questions=P.question_tables(st, lang),
             protocol=f"../files/protocol-{slug(st.id)}-{lang}.pdf")
    project_cards = []
    for p in projects:
        name = f"project-{slug(p.id)}.html"
        project_cards.append({"row": P.project_row(p, lang, municipality), "href": name, "late": is_late(p, today)})
        views = []
        for a in (a for a in acts if a.project_id == p.id):
            view = P.act_view(a, lang, today)
            view["photos"] = [{"href": f"../{big}", "src": f"../{small}", "alt": ph.caption or view["title"]}
                              for ph in _pictures(a.photos) for big, small in [photo(ph)]]
            views.append(view)
        photos = [{"href": f"../{big}", "src": f"../{small}", "alt": ph.caption or p.title(lang)}
                  for ph in p.photos for big, small in [photo(ph)]]
        page(name, "project.html", p.title(lang), facts_rows=P.project_facts(p, lang, municipality),
             percent=max(0, min(100, p.percent)), done=_("{percent} done", percent=percent(Decimal(p.percent) / 100, lang, 0)),
             history=P.status_history(p, lang), photos=photos, acts=views)
    follow_view = None
    if follow.rows:
        table = follow_table(follow, lang)
        follow_view = {"summary": summary_text(follow, lang) if follow.adopted is not None else
                       _("The budget of {year} is not adopted or not published yet: below, what the hearing asked it to fund.", year=follow.year),
                       "table": P.Table(list(table.header), [list(r) for r in table.rows], list(table.numeric),
                                        [r.status in PROMISED_NOT_FUNDED for r in follow.rows]),
                       "promised_title": _("Promised and not funded"),
                       "promises": [promise_text(r, lang) for r in follow.not_funded]}
    page("index.html", "home.html", w["site"], budget=P.budget_part(citizens, lang) if citizens is not None else None,
         charts=chart_list, hearings=hearing_cards, projects=project_cards, project_head=P.project_head(lang), follow=follow_view)
