"""pbtools' own pages, served by the same process as the apps: the home page and static files.

The home page is plain HTML (no kernel), so it appears at once, even offline on a slow laptop.
"""

from __future__ import annotations

from pathlib import Path

import tornado.web
from jupyter_server.base.handlers import JupyterHandler

from pbtools.central.hub import hub_actor, may_open
from pbtools.html import markup, render_in
from pbtools.i18n import LANG_NAMES, LANGS, N_, translator
from pbtools.server import TEMPLATES
from pbtools.server.auth import FacilitatorIdentity
from pbtools.server.hub_pages import COOKIE as LANG_COOKIE
from pbtools.storage import open_workspace

# Each app is a notebook in notebooks/; the home page links those that exist, in this order.
APPS = (
    ("budget.ipynb", N_("Citizens' budget"), N_("The municipality's budget, plainly: where the money comes from and where it goes.")),
    ("console.ipynb", N_("Hearing console"), N_("Agenda, registration at the door, paper ballots and show-of-hands counts.")),
    ("results.ipynb", N_("Results"), N_("Results for the projector, charts and a comparison of counting rules.")),
    ("training.ipynb", N_("Training"), N_("Workshops: needs assessment, a mock hearing with simulated voters, counting rules compared, Equal Shares step by step.")),
    ("services.ipynb", N_("Municipal services"), N_("Services, their tariffs and what their users say: the register, tariff options for a hearing, the survey board, scorecards.")),
    ("pabulib.ipynb", N_("Pabulib elections"), N_("Any participatory budgeting election from Pabulib, counted by each rule next to its official outcome.")),
    ("monitoring.ipynb", N_("Project monitoring"), N_("The funded projects from the hearing to completion: progress, costs, photos and the monitoring group's acts.")),
)

DEFAULT_LANG = "ky"


def pick_lang(requested: str | None) -> str:
    return requested if requested in LANGS else DEFAULT_LANG


def home_html(lang: str, municipality: str, notebooks: Path, xsrf: str = "", role: str | None = None) -> str:
    """The home page; ``xsrf`` (the form field's HTML) when the facilitator logged in and may log out: a small form
    that POSTs to /logout (never a link: a GET does not log out). Behind the hub, ``role`` leaves out the apps the
    role may not open (they would answer 403)."""
    _ = translator(lang)
    apps = [{"id": nb.removesuffix(".ipynb"), "notebook": nb, "title": _(title), "text": _(text)}
            for nb, title, text in APPS if (notebooks / nb).exists() and (role is None or may_open(role, nb))]
    return render_in(TEMPLATES, "home.html", lang=lang, langs=LANG_NAMES.items(), title=_("Public budget hearings"),
                     municipality=municipality, apps=apps, xsrf=markup(xsrf), log_out=_("Log out"))


class HomeHandler(JupyterHandler):
    """Behind the facilitator's login when the server has one (``auth.py``), like the apps it links to."""

    def initialize(self, workspace: Path, db_url: str | None, notebooks: Path) -> None:
        self.workspace, self.db_url, self.notebooks = workspace, db_url, notebooks

    @tornado.web.authenticated
    def get(self) -> None:
        # ?lang=, else the language last chosen in this browser (on the hub's pages too: a login there in Russian
        # opened the apps' home in Kyrgyz), remembered for the next visit
        asked = self.get_argument("lang", None)
        lang = pick_lang(asked if asked in LANGS else self.get_cookie(LANG_COOKIE))
        if asked in LANGS and self.get_cookie(LANG_COOKIE) != asked:
            self.set_cookie(LANG_COOKIE, asked, path="/", expires_days=365, samesite="Lax")  # not a secret
        self.set_header("Content-Type", "text/html; charset=utf-8")
        # the logout button only where pbtools' own login is on (a central server's hub logs out its own way)
        login = isinstance(self.identity_provider, FacilitatorIdentity) and self.identity_provider.auth_enabled
        on_hub = hub_actor()
        self.write(home_html(lang, self._municipality_name(lang), self.notebooks, self.xsrf_form_html() if login else "",
                             on_hub.role if on_hub else None))

    def _municipality_name(self, lang: str) -> str:
        with open_workspace(self.workspace, db_url=self.db_url, create=False) as ws:
            municipality = ws.municipality()
        return municipality.name(lang) if municipality else ""


def handlers(workspace: Path, db_url: str | None, static: Path, notebooks: Path) -> list:
    return [
        (r"/", HomeHandler, {"workspace": workspace, "db_url": db_url, "notebooks": notebooks}),
        (r"/pbtools/static/(.*)", tornado.web.StaticFileHandler, {"path": str(static)}),
    ]
