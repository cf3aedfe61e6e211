"""What every tab of the Services app shares: the app (its service, language, chosen service) and one line that says
what was done or why it was refused (in the user's language, said again in a new one; a refusal changed nothing)."""

from __future__ import annotations

from pbtools.hearings.errors import HearingError
from pbtools.monitoring.errors import MonitoringError
from pbtools.roles import NotAllowed
from pbtools.services.errors import ServiceChanged, ServiceError, ServiceReplaced
from pbtools_widgets.status_line import StatusLine
from pbtools_widgets.tab import AppTab

REFUSALS = (ServiceError, HearingError, MonitoringError, NotAllowed)


class Tab(AppTab):
    def __init__(self, app) -> None:
        self.status = StatusLine(app)
        super().__init__(app)

    @property
    def service(self):
        """The core's ``ServicesService``."""
        return self.app.service

    @property
    def service_id(self) -> str | None:
        return self.app.chosen.value

    def ok(self, message) -> None:
        """What was done: a ``Told`` (said again in a new language), or a text in the screen's language."""
        self.status.ok(message)

    def refused(self, error) -> None:
        self.status.fail(error)  # each problem on a line (a refused file's with its file, row and column)

    def refused_text(self, message, problems=()) -> None:
        self.status.error(message, problems)

    def act(self, action):
        """Run one action of the screen; a refusal of the core is shown, and nothing else happens."""
        self.status.clear()
        try:
            return action()
        except REFUSALS as e:
            if isinstance(e, (ServiceReplaced, ServiceChanged)):
                # what is on disk now (a copy put back, another screen's change): the screen was showing what is gone
                self.app.services_changed(self.service_id)
            self.refused(e)
            return None
