"""What every tab of the Services app shares: the app (its service, language, chosen service) and one line that says
what was done or why it was refused (in the user's language; a refusal changed nothing)."""

from __future__ import annotations

import ipywidgets as w

from pbtools.hearings.errors import HearingError
from pbtools.monitoring.errors import MonitoringError
from pbtools.html import render as html_from
from pbtools.roles import NotAllowed
from pbtools.services.errors import ServiceError
from pbtools_widgets.tab import AppTab

REFUSALS = (ServiceError, HearingError, MonitoringError, NotAllowed)


class Tab(AppTab):
    def __init__(self, app) -> None:
        self.status = w.HTML()
        super().__init__(app)

    @property
    def service(self):
        """The core's ``ServicesService``."""
        return self.app.service

    @property
    def service_id(self) -> str | None:
        return self.app.chosen.value

    def ok(self, text: str) -> None:
        self.status.value = html_from("status.html", kind="pb-ok", text=text, problems=[])

    def refused(self, error) -> None:
        if hasattr(error, "file_problems"):  # a refused file: each problem with its file, row and column
            problems = error.render(self.lang).splitlines()
        else:
            problems = [p.render(self.lang) for p in getattr(error, "problems", ())] or [error.render(self.lang)]
        self.status.value = html_from("status.html", kind="pb-error", text=problems[0], problems=problems[1:])

    def refused_text(self, text: str, problems=()) -> None:
        self.status.value = html_from("status.html", kind="pb-error", text=text, problems=list(problems))

    def act(self, action):
        """Run one action of the screen; a refusal of the core is shown, and nothing else happens."""
        self.status.value = ""
        try:
            return action()
        except REFUSALS as e:
            self.refused(e)
            return None
