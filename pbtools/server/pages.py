"""pbtools' own pages, served by the same process as the apps: the home page and static files.

The home page is plain HTML (no kernel), so it appears at once, even offline on a slow laptop.
"""

from __future__ import annotations

import html
from pathlib import Path

import tornado.web
from jupyter_server.base.handlers import JupyterHandler

from pbtools.i18n import LANG_NAMES, LANGS, N_, translator

# Each app is a notebook in notebooks/; the home page links those that exist, in this order.
APPS = (
    ("budget.ipynb", N_("Citizens' budget"), N_("The municipality's budget, plainly: where the money comes from and where it goes.")),
    ("console.ipynb", N_("Hearing console"), N_("Agenda, registration at the door, paper ballots and show-of-hands counts.")),
    ("results.ipynb", N_("Results"), N_("Results for the projector, charts and a comparison of counting rules.")),
    ("pabulib.ipynb", N_("Pabulib elections"), N_("Any participatory budgeting election from Pabulib, counted by each rule next to its official outcome.")),
)

DEFAULT_LANG = "ky"


def pick_lang(requested: str | None) -> str:
    return requested if requested in LANGS else DEFAULT_LANG


def home_html(lang: str, municipality: str, notebooks: Path) -> str:
    _ = translator(lang)
    switch = " ".join(
        f'<a href="?lang={code}" class="lang{" current" if code == lang else ""}" hreflang="{code}">{html.escape(name)}</a>'
        for code, name in LANG_NAMES.items()
    )
    cards = "\n".join(
        f'<a class="app" id="app-{nb.removesuffix(".ipynb")}" href="voila/render/{nb}?lang={lang}">'
        f"<strong>{html.escape(_(title))}</strong><span>{html.escape(_(text))}</span></a>"
        for nb, title, text in APPS
        if (notebooks / nb).exists()
    )
    title = _("Public budget hearings")
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · pbtools</title><link rel="stylesheet" href="pbtools/static/home.css"></head>
<body><header><nav class="langs">{switch}</nav><h1>{html.escape(title)}</h1>
<p class="municipality">{html.escape(municipality)}</p></header>
<main class="apps">{cards}</main></body></html>"""


class HomeHandler(JupyterHandler):
    """Behind the facilitator's login when the server has one (``auth.py``), like the apps it links to."""

    def initialize(self, workspace: Path, db_url: str | None, notebooks: Path) -> None:
        self.workspace, self.db_url, self.notebooks = workspace, db_url, notebooks

    @tornado.web.authenticated
    def get(self) -> None:
        lang = pick_lang(self.get_argument("lang", None))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.write(home_html(lang, self._municipality_name(lang), self.notebooks))

    def _municipality_name(self, lang: str) -> str:
        from pbtools.storage import open_workspace

        with open_workspace(self.workspace, db_url=self.db_url, create=False) as ws:
            municipality = ws.municipality()
        return municipality.name(lang) if municipality else ""


def handlers(workspace: Path, db_url: str | None, static: Path, notebooks: Path) -> list:
    return [
        (r"/", HomeHandler, {"workspace": workspace, "db_url": db_url, "notebooks": notebooks}),
        (r"/pbtools/static/(.*)", tornado.web.StaticFileHandler, {"path": str(static)}),
    ]
