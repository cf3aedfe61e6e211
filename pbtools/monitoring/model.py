"""What the joint monitoring group keeps: monitored projects, the group's members, monitoring acts and the
municipality's responses. Plain frozen dataclasses, folded from the ledger (``fold.py``); money is ``Decimal`` som,
dates are ISO text ("2026-05-14", "" when not known).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Mapping

from pbtools.budget.model import pick_name
from pbtools.i18n import N_, gettext

# Status of a project
PLANNED, IN_PROGRESS, COMPLETED, STALLED, CANCELLED = "planned", "in_progress", "completed", "stalled", "cancelled"
STATUSES = (PLANNED, IN_PROGRESS, COMPLETED, STALLED, CANCELLED)

# What a stored file is
PHOTO, DOCUMENT = "photo", "document"

# Where a project came from
BY_HAND, FROM_HEARING, FROM_PLAN = "hand", "hearing", "plan"
ORIGINS = (BY_HAND, FROM_HEARING, FROM_PLAN)

LABELS: Mapping[str, str] = {
    PLANNED: N_("Planned"),
    IN_PROGRESS: N_("In progress"),
    COMPLETED: N_("Completed"),
    STALLED: N_("Stalled"),
    CANCELLED: N_("Cancelled"),
    PHOTO: N_("Photo"),
    DOCUMENT: N_("Document"),
    BY_HAND: N_("Added by hand"),
    FROM_HEARING: N_("From a hearing"),
    FROM_PLAN: N_("From the action plan"),
}


def status_label(code: str, lang: str) -> str:
    """A status (or any code of this module) in ``lang``; the code itself when unknown."""
    return gettext(lang, LABELS[code]) if code in LABELS else code


@dataclass(frozen=True)
class Funding:
    """A cost and where its money comes from (som). The split is optional: all four parts 0 means "not split";
    when any part is given, the parts add up to ``total`` (checked on every write)."""

    total: Decimal = Decimal(0)
    local_budget: Decimal = Decimal(0)
    grant: Decimal = Decimal(0)
    community_money: Decimal = Decimal(0)  # the community's contribution in money
    community_in_kind: Decimal = Decimal(0)  # ... in kind (labour, materials), valued in som

    PARTS = ("local_budget", "grant", "community_money", "community_in_kind")

    @property
    def split(self) -> Decimal:
        return self.local_budget + self.grant + self.community_money + self.community_in_kind

    @property
    def is_split(self) -> bool:
        return any(getattr(self, p) for p in self.PARTS)


@dataclass(frozen=True)
class HearingLink:
    """The hearing decision a project carries out: nothing typed twice."""

    hearing_id: str
    question_id: str
    option_id: str
    votes: int  # the one number per option (``pbtools.results.votes``), as the protocol prints it
    option_number: int = 0  # the number on the ballot
    hearing_date: str = ""


@dataclass(frozen=True)
class Milestone:
    id: str  # "m1", "m2"... within the project
    title: str
    planned: str = ""  # ISO date
    done: str = ""  # ISO date, "" while not done


@dataclass(frozen=True)
class Attachment:
    """A photo or document stored in the workspace folder under its content's hash (the same file twice is stored
    once). A photo larger than ``files.MAX_SIDE`` is reduced; ``original_sha256`` is the hash of the file as given
    (what makes a second copy the same), ``sha256`` that of the file kept."""

    sha256: str  # of the stored file
    original_sha256: str  # of the file as it was given
    name: str  # the file's name as given
    kind: str  # PHOTO or DOCUMENT
    media_type: str  # e.g. image/jpeg, application/pdf
    size: int  # bytes stored
    stored: str  # path of the stored file, relative to the workspace folder
    thumbnail: str = ""  # path of the thumbnail (photos), relative to the workspace folder
    width: int = 0
    height: int = 0
    original_size: int = 0
    reduced: bool = False  # the photo was made smaller
    latitude: float | None = None  # from the photo's EXIF GPS, when it has one
    longitude: float | None = None
    taken_at: str = ""  # EXIF DateTimeOriginal as ISO, when present
    caption: str = ""

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class StatusChange:
    status: str
    date: str  # the day the change happened (as said; default: the day it was recorded)
    reason: str
    actor: str
    seq: int  # the ledger record
    before: str = ""  # the status before


@dataclass(frozen=True)
class Project:
    id: str
    titles: Mapping[str, str]  # language -> title ("ky"/"ru"/"en"); a title typed in one language is kept as typed
    village: str = ""
    sector: str = "other"  # one of pbtools.hearings.model.SECTORS
    responsible: str = ""  # responsible person
    contractor: str = ""
    planned: Funding = field(default_factory=Funding)  # planned cost and its split
    actual: Funding = field(default_factory=Funding)  # actual cost and its split
    planned_start: str = ""
    planned_finish: str = ""
    actual_start: str = ""
    actual_finish: str = ""
    status: str = PLANNED
    status_date: str = ""
    status_reason: str = ""
    percent: int = 0  # 0..100
    plan_ref: str = ""  # the item of the municipality's action plan (БАП/ПДМС) it carries out
    budget_code: str = ""  # the budget line that pays for it (the follow-up matches a priority to the line by it)
    notes: str = ""
    origin: str = BY_HAND
    link: HearingLink | None = None
    # filled by the fold from their own records:
    milestones: tuple[Milestone, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    statuses: tuple[StatusChange, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    seq: int = 0  # last record folded
    hash: str = ""  # its hash: a write decided on this project is written only while that record is on disk

    def title(self, lang: str) -> str:
        return pick_name(self.titles, lang)

    @property
    def photos(self) -> tuple[Attachment, ...]:
        return tuple(a for a in self.attachments if a.kind == PHOTO)

    @property
    def documents(self) -> tuple[Attachment, ...]:
        return tuple(a for a in self.attachments if a.kind == DOCUMENT)


# The fields of a project a write may change (``MonitoringService.update``); the rest come from their own records.
EDITABLE = ("titles", "village", "sector", "responsible", "contractor", "planned", "actual", "planned_start",
            "planned_finish", "actual_start", "actual_finish", "status", "status_date", "status_reason", "percent",
            "plan_ref", "budget_code", "notes")


@dataclass(frozen=True)
class Member:
    """A member of the joint monitoring group (kept in the ledger: added, and removed with a reason)."""

    id: str  # "g1", "g2"...
    name: str
    # e.g. council deputy, resident of Kok-Talaa, NGO: as typed (one text, shown as it is in every language), or
    # {lang: text} when given in several (the sample group's), shown in the screen's language (``position_in``)
    position: str | Mapping[str, str] = ""
    active: bool = True
    added: str = ""  # ISO date
    removed: str = ""

    def position_in(self, lang: str) -> str:
        return pick_name(self.position, lang) if isinstance(self.position, Mapping) else self.position

    def label(self, lang: str) -> str:
        """"Айгүл Сыдыкова (айылдык кеңештин депутаты)": the name, and the position in ``lang`` when there is one."""
        position = self.position_in(lang)
        return f"{self.name} ({position})" if position else self.name


@dataclass(frozen=True)
class Response:
    """The municipality's response to an act: its own record, never part of the act."""

    act_id: str
    text: str
    date: str  # ISO date
    actor: str
    seq: int


@dataclass(frozen=True)
class Act:
    """A monitoring act, as filed. Never edited: a correction is a new act whose ``corrects`` names the old one,
    which is then shown as corrected (``corrected_by``)."""

    id: str  # "A-2026-001"
    number: int  # 1, 2... in the order filed
    date: str  # the day of the visit
    project_id: str  # the object visited
    members: tuple[str, ...]  # ids of the members present
    findings: str
    recommendations: str = ""
    response_due: str = ""  # the deadline for the municipality's response ("" none asked)
    place: str = ""
    photos: tuple[Attachment, ...] = ()
    corrects: str = ""  # the id of the act this one corrects
    filed_by: str = ""
    filed_at: datetime | None = None
    seq: int = 0
    # from later records:
    corrected_by: str = ""  # the id of the act that corrects this one
    responses: tuple[Response, ...] = ()

    @property
    def corrected(self) -> bool:
        return bool(self.corrected_by)

    @property
    def response(self) -> Response | None:
        """The latest response recorded, or None."""
        return self.responses[-1] if self.responses else None


def is_overdue(act: Act, today: date) -> bool:
    """The response was due before ``today`` and none is recorded. A corrected act is not: its correction (which
    carries its own deadline) is the one followed."""
    return bool(act.response_due) and not act.responses and not act.corrected and date.fromisoformat(act.response_due) < today


@dataclass(frozen=True)
class HistoryEntry:
    """One record of a project's history: who, when, what before and after."""

    seq: int
    kind: str  # the record's kind, e.g. "project.changed"
    at: datetime
    actor: str
    before: Mapping[str, object]  # plain JSON values (money as text)
    after: Mapping[str, object]
    reason: str = ""
    hash: str = ""


@dataclass(frozen=True)
class Handover:
    """What ``from_hearing`` did: projects created now, and those that existed already (a second handover)."""

    created: tuple[Project, ...]
    existing: tuple[Project, ...]
