"""Refusals of the services core: what was wrong, as ``Msg`` (rendered in the user's language); nothing stored."""

from __future__ import annotations

from pbtools.i18n import Msg, N_


class ServiceError(Exception):
    def __init__(self, problems: Msg | list[Msg]) -> None:
        self.problems = [problems] if isinstance(problems, Msg) else list(problems)
        super().__init__("; ".join(p.render("en") for p in self.problems))

    def render(self, lang: str) -> str:
        return "\n".join(p.render(lang) for p in self.problems)


class NoSuchService(ServiceError):
    def __init__(self, service_id: str) -> None:
        self.service_id = service_id
        super().__init__(Msg(N_("There is no service {id} in the register"), id=service_id))


class ServiceReplaced(ServiceError):
    """The records a write was decided on were replaced on disk meanwhile (a backup put back, a sandbox reset):
    nothing was written; the screen reads them again."""


class ServiceChanged(ServiceError):
    """Another screen changed a service after the writer read it: nothing was written (their change is not undone);
    the screen shows the register as it is now."""
