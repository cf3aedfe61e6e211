"""Joint monitoring: the projects a hearing funded (or the action plan lists) followed to the ribbon, the group's
members, its monitoring acts and the municipality's responses, all in the workspace's hash-chained ledger.

    from pbtools.monitoring import MonitoringService
    from pbtools.roles import Actor, MONITOR
    from datetime import date

    svc = MonitoringService(ws)                       # ws: pbtools.storage.open_workspace(...)
    me = Actor("Айгүл", MONITOR)                      # every write names who writes, in which role
    svc.from_hearing(me, "sample-2026")               # Handover(created=(Project, ...), existing=(...))
    svc.import_plan(me, "plan.xlsx")                  # PlanRefused (file/row/column each) and nothing stored
    p = svc.add_project(me, {"ky": "Суу түтүгү"}, village="Көк-Талаа", planned=Funding(Decimal("150000")))
    svc.add_from_plan(me, {"ky": "Көпүрө"}, "БАП 2.3", village="Көк-Талаа")   # origin: from the plan
    svc.set_status(me, p.id, "in_progress", percent=30, reason="...")   # or svc.update(me, p.id, contractor="...")
    svc.add_file(me, p.id, "photo.jpg")                # Attachment (same file twice: stored and recorded once)
    g = svc.add_member(me, "Айгүл", "депутат")
    act = svc.file_act(me, p.id, date="2026-06-01", members=[g.id], findings="...", response_due="2026-06-15",
                       photos=["a.jpg"])              # a correction: file_act(..., corrects=act.id)
    svc.record_response(me, act.id, "Оңдолду", on="2026-06-10")
    svc.projects(); svc.project(id); svc.history(id); svc.acts(project_id=None); svc.overdue(date.today())
    svc.export_xlsx("projects.xlsx"); svc.verify()    # [] when every monitoring record and file is intact

Model: ``model.py`` (Project, Funding, HearingLink, Milestone, Attachment, StatusChange, Member, Act, Response,
HistoryEntry, Handover, STATUSES, status_label, is_overdue). Errors: ``errors.py`` (MonitoringError and typed
subclasses, each with ``render(lang)``); a role's refusal is ``pbtools.roles.NotAllowed``. See docs/monitoring.md.
"""

from pbtools.monitoring.errors import (
    ChainBrokenError, CostQuestioned, FileRefused, HearingNotClosed, InvalidValue, MonitoringError, NoSuchAct, NoSuchHearing,
    NoSuchMember, NoSuchProject, PlanRefused, ProjectExists,
)
from pbtools.monitoring.model import (
    CANCELLED, COMPLETED, DOCUMENT, IN_PROGRESS, PHOTO, PLANNED, STALLED, STATUSES, Act, Attachment, Funding, Handover,
    HearingLink, HistoryEntry, Member, Milestone, Project, Response, StatusChange, is_overdue, status_label,
)
from pbtools.monitoring.service import MonitoringService

__all__ = [
    "MonitoringService", "Project", "Funding", "HearingLink", "Milestone", "Attachment", "StatusChange", "Member",
    "Act", "Response", "HistoryEntry", "Handover", "STATUSES", "PLANNED", "IN_PROGRESS", "COMPLETED", "STALLED",
    "CANCELLED", "PHOTO", "DOCUMENT", "status_label", "is_overdue", "MonitoringError", "NoSuchProject", "NoSuchAct",
    "NoSuchMember", "NoSuchHearing", "InvalidValue", "HearingNotClosed", "PlanRefused", "FileRefused", "ProjectExists",
    "ChainBrokenError", "CostQuestioned",
]
