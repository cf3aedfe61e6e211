"""What monitoring refuses, as typed exceptions carrying ``Msg`` (said in ky/ru/en). Catch them by type, never by
the text. A refusal writes nothing. A role's refusal is ``pbtools.roles.NotAllowed`` (also typed, with a ``Msg``)."""

from __future__ import annotations

from pbtools.i18n import N_, Msg
from pbtools.monitoring.checks import in_field


class MonitoringError(Exception):
    """Refused input; ``problems`` say why, in any language."""

    def __init__(self, problems: list[Msg] | Msg) -> None:
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("; ".join(m.render("en") for m in self.problems))

    @property
    def message(self) -> Msg:
        return self.problems[0]

    def render(self, lang: str) -> str:
        return "; ".join(m.render(lang) for m in self.problems)


class NoSuchProject(MonitoringError):
    def __init__(self, project_id: str) -> None:
        self.project_id = project_id
        super().__init__(Msg(N_("There is no monitored project {id}"), id=project_id))


class ProjectReplaced(MonitoringError):
    """The project's records on disk are no longer those a form or a write was decided on (a backup put back, a
    sandbox reset meanwhile): nothing was written; the screen reads the project again."""

    def __init__(self, project_id: str) -> None:
        self.project_id = project_id
        super().__init__([Msg(N_("The records of project {id} were replaced on disk after your form was opened (a backup put back, a practice sandbox reset): nothing of yours was saved."), id=project_id),
                          Msg(N_("The form now shows the project as it is on disk: check it and save again."))])


class ActsReplaced(MonitoringError):
    """The monitoring acts on disk are no longer those the write was decided on (a backup put back meanwhile)."""

    def __init__(self) -> None:
        super().__init__(Msg(N_("The monitoring acts were replaced on disk while you were writing (a backup put back): nothing was saved. Look at the acts as they are now and write it again.")))


class GroupReplaced(MonitoringError):
    """The group's records on disk are no longer those the write was decided on (a backup put back meanwhile)."""

    def __init__(self) -> None:
        super().__init__(Msg(N_("The monitoring group's members were replaced on disk meanwhile (a backup put back): nothing was saved. Look at the group as it is now and do it again.")))


class NoSuchAct(MonitoringError):
    def __init__(self, act_id: str) -> None:
        self.act_id = act_id
        super().__init__(Msg(N_("There is no monitoring act {id}"), id=act_id))


class NoSuchMember(MonitoringError):
    def __init__(self, member: str) -> None:
        self.member = member
        super().__init__(Msg(N_("{member} is not a member of the monitoring group"), member=member))


class InvalidValue(MonitoringError):
    """A value given for a field is not acceptable (each problem names the field)."""


class CostQuestioned(InvalidValue):
    """An actual cost far beyond the plan: stored only once the user confirms it (a typo is the likelier cause)."""


class ProjectExists(InvalidValue):
    """A project with this id exists already (e.g. created a moment before by another screen)."""

    def __init__(self, project_id: str) -> None:
        self.project_id = project_id
        super().__init__([in_field("id", Msg(N_("the project {id} exists already"), id=project_id))])


class HearingNotClosed(MonitoringError):
    """Funded options are handed over only from a closed hearing (its count is final)."""

    def __init__(self, hearing_id: str) -> None:
        self.hearing_id = hearing_id
        super().__init__(Msg(N_("The hearing {id} is not closed: its funded options are handed over once it is closed"), id=hearing_id))


class NoSuchHearing(MonitoringError):
    def __init__(self, hearing_id: str) -> None:
        self.hearing_id = hearing_id
        super().__init__(Msg(N_("There is no hearing {id}"), id=hearing_id))


class PlanRefused(MonitoringError):
    """An action plan file with problems: nothing was imported. ``file_problems``: the budget import's ``Problem``s
    (file, row, column named), all of them."""

    def __init__(self, file_problems: list) -> None:
        self.file_problems = file_problems
        super().__init__([_located(p) for p in file_problems])


class FileRefused(MonitoringError):
    """A photo or document that cannot be stored (unreadable, empty, not a file)."""


class ChainBrokenError(MonitoringError):
    """A monitoring stream does not verify: nothing read from it is shown. ``problems_found``: the ledger's."""

    def __init__(self, message: Msg, problems_found: list) -> None:
        self.problems_found = problems_found
        super().__init__(message)


class _Located(Msg):
    """A budget-import ``Problem`` as a message: "file, row 3, column «cost»: error: ..."."""

    def __init__(self, problem) -> None:  # noqa: ANN001
        object.__setattr__(self, "msgid", "{where}")
        object.__setattr__(self, "params", {})
        object.__setattr__(self, "problem", problem)

    def render(self, lang: str) -> str:
        return self.problem.render(lang)


def _located(problem) -> Msg:  # noqa: ANN001
    return _Located(problem)
