"""Who may write what: the roles of the people who use pbtools, and the one check every write makes.

Every write of the core (a hearing's record, a budget, a project's progress, a monitoring act, a service's survey)
names its ``Actor``: who, and in which role. The core refuses a write the role does not allow (``NotAllowed``, said
in the user's language), so the rule holds whichever screen, command or server asks; a central server checks the
same rule again before it calls the core.

A hall laptop has one user, the facilitator, who is ``LOCAL``: a municipality's own machine, allowed every write.
"""

from __future__ import annotations

from dataclasses import dataclass

from pbtools.i18n import N_, Msg, gettext

ADMIN = "admin"
FACILITATOR = "facilitator"
MONITOR = "monitor"  # a member of the joint monitoring group
TRAINER = "trainer"
OBSERVER = "observer"
ROLES = (ADMIN, FACILITATOR, MONITOR, TRAINER, OBSERVER)

ROLE_NAMES = {
    ADMIN: N_("administrator"),
    FACILITATOR: N_("facilitator"),
    MONITOR: N_("monitoring group member"),
    TRAINER: N_("trainer"),
    OBSERVER: N_("observer"),
}

# the ledger's writer on a hall laptop while nobody typed a name: an id in the records, said in the reader's language
HALL_ACTOR = "facilitator"


def actor_shown(name: str, lang: str) -> str:
    """Who wrote, as a screen says it: the unnamed hall writer as «Ведущий» / «Алып баруучу» (the English id on a
    ru or ky screen was read as a word left untranslated), any other name as typed."""
    return gettext(lang, N_("Facilitator")) if name == HALL_ACTOR else name


# The kinds of writes. A new kind of data gets a kind here and a line in ALLOWED, nowhere else.
BUDGET = "budget"          # import a budget
HEARING = "hearing"        # a hearing: agenda, registration, codes, ballots, counts, closing
MONITORING = "monitoring"  # monitored projects: progress, status, costs, photos; monitoring acts
SERVICES = "services"      # municipal services: register, tariffs, surveys, improvement plans
SANDBOX = "sandbox"        # training sandboxes (their own workspaces)
SYNC = "sync"              # handing a laptop's records in to a central server
NEEDS = "needs"            # a needs assessment: problems, focus-group sessions and their rankings
ACCESS = "access"          # a central server's municipalities and who may use them (grants)
WRITES = (BUDGET, HEARING, MONITORING, SERVICES, SANDBOX, SYNC, NEEDS, ACCESS)

WRITE_NAMES = {
    BUDGET: N_("import a budget"),
    HEARING: N_("change a hearing"),
    MONITORING: N_("record monitoring"),
    SERVICES: N_("change municipal services"),
    SANDBOX: N_("change a training sandbox"),
    SYNC: N_("hand in records"),
    NEEDS: N_("record a needs assessment"),
    ACCESS: N_("grant access to municipalities"),
}

ALLOWED: dict[str, frozenset[str]] = {
    ADMIN: frozenset(WRITES),
    # the municipality's staff: runs hearings, keeps the budget and services, hands the funded projects over
    FACILITATOR: frozenset({BUDGET, HEARING, MONITORING, SERVICES, SANDBOX, SYNC, NEEDS}),
    # reads everything; writes projects' progress and acts, never ballots, counts or hearings
    MONITOR: frozenset({MONITORING}),
    TRAINER: frozenset({SANDBOX}),
    OBSERVER: frozenset(),
}

# A copy of a municipality's data taken to a laptop (``sync pull``) is for these writes, done offline; a role takes
# the parts its own writes need (``sync.pull``: open hearings for HEARING; monitoring streams, their photos and the
# closed hearings projects come from for MONITORING) and a role that has none of them takes no copy.
OFFLINE = (HEARING, MONITORING)


class NotAllowed(Exception):
    """The actor's role does not allow this write; nothing was written."""

    def __init__(self, actor: "Actor", write: str) -> None:
        self.actor, self.write = actor, write
        self.message = Msg(N_("{name} ({role}) may not {write}"), name=actor.name or "—",
                           role=Msg(ROLE_NAMES.get(actor.role, actor.role)),
                           write=Msg(WRITE_NAMES.get(write, write)))
        super().__init__(self.message.render("en"))

    def render(self, lang: str) -> str:
        return self.message.render(lang)


@dataclass(frozen=True)
class Actor:
    """Who writes: a name (kept in the ledger with every record) and a role."""

    name: str
    role: str = FACILITATOR

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; one of {', '.join(ROLES)}")

    def may(self, write: str) -> bool:
        if write not in WRITES:
            raise ValueError(f"unknown kind of write {write!r}")
        return write in ALLOWED[self.role]

    def require(self, write: str) -> None:
        """Raise ``NotAllowed`` unless the role allows this write."""
        if not self.may(write):
            raise NotAllowed(self, write)


class NoCopy(NotAllowed):
    """The actor's role writes nothing a copy is taken for (``OFFLINE``): no copy is taken."""

    def __init__(self, actor: "Actor") -> None:
        self.actor, self.write = actor, ""
        self.message = Msg(N_("{name} ({role}) may not take a copy of the municipality's data: a copy is for running "
                              "hearings or recording monitoring on a laptop"), name=actor.name or "—",
                           role=Msg(ROLE_NAMES.get(actor.role, actor.role)))
        Exception.__init__(self, self.message.render("en"))


def offline_writes(actor: "Actor") -> tuple[str, ...]:
    """The writes of ``OFFLINE`` ``actor``'s role allows; ``NoCopy`` when none."""
    writes = tuple(w for w in OFFLINE if actor.may(w))
    if not writes:
        raise NoCopy(actor)
    return writes


LOCAL = Actor("", ADMIN)  # the hall laptop's own user (no logins there)


def as_actor(actor: "Actor | str") -> Actor:
    """An ``Actor`` from what older callers pass: a plain name is the laptop's facilitator."""
    return actor if isinstance(actor, Actor) else Actor(actor, FACILITATOR)


def signed(actor: "Actor | str", write: str) -> str:
    """The name a record keeps of whoever writes it, once their role allows ``write`` (``NotAllowed`` otherwise:
    the caller writes nothing). Stores that take a plain name (the hall laptop's screens) take an ``Actor`` too."""
    who = as_actor(actor)
    who.require(write)
    return who.name
