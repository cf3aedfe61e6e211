"""A Pabulib election on the screens: what its file says of itself, and what each counting rule picks from it.

For trainers and anyone checking a city's count: open a ``.pb`` file, count it by the rule the city used and by
others, and see which projects each rule funds next to the official outcome (the file's ``selected`` column).
Pure functions over ``Election`` and ``Result``; the screen is ``widgets.pabulib_app``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Mapping

from pbtools.budget.numbers import whole_number
from pbtools.counting import compact_tallies
from pbtools.counting.count import count
from pbtools.counting.model import ORDINAL, POINT_TYPES, Election
from pbtools.counting.names import RULE_NAMES
from pbtools.counting.result import Amount, Result
from pbtools.counting.tallies import option_counts
from pbtools.counting.ties import TieRule
from pbtools.i18n import N_, Msg, NMsg
from pbtools.results.count import relabel, relabelled

# equalshares.net is a website (the method's authors' counting tool): named as one, with what its completion does
# a file is counted by supporters, points or Borda points ("Count by"): greedy's name says none of them (it said
# "most votes first" beside points)
NAMES = {**RULE_NAMES, "greedy": N_("Greedy (the highest score first)"), "mes-add1-ens": N_("Method of Equal Shares, completed as on the equalshares.net website (shares raised until the next step would overspend)")}
SHORT = {"greedy": N_("Greedy"), "greedy-no-skip": N_("Greedy, no skipping"), "mes": N_("Equal Shares"),
         "mes-add1": N_("Equal Shares, shares raised"), "mes-add1-ens": N_("Equal Shares, as on the equalshares.net website"),
         "mes-add1-greedy": N_("Equal Shares + greedy"), "phragmen": N_("Phragmén")}  # table headers
VOTE_NAMES = {"approval": N_("approval (each voter marks the projects they support)"), "choose-1": N_("one project per voter"),
              "cumulative": N_("points spread over projects"), "scoring": N_("a score for each project"), "ordinal": N_("a ranking")}
SCORE_NAMES = {"support": N_("Supporters"), "points": N_("Points given"), "borda": N_("Borda points of the rankings")}
# The rule a file's META ``rule`` names, as pbtools counts it (equalshares.net's Add1: see docs/counting.md).
# "greedy-threshold" is greedy among the projects with at least the file's min_project_score_threshold votes: the
# greedy rule with the file's limits, which apply by default (``file_limits``).
OFFICIAL_RULES = {"greedy": "greedy", "greedy-no-skip": "greedy-no-skip", "equalshares/add1": "mes-add1-ens",
                  "equalshares": "mes", "greedy-threshold": "greedy", "equalshares/add1-comparison": "mes-add1-ens"}
# equalshares.net's comparison step: greedy's outcome replaces Equal Shares' when more voters prefer it, by a measure
# the file does not name (projects approved, or none approved). Not made by pbtools: counted by Equal Shares, said
# (Wieliczka 2023's official outcome is the Equal Shares one, so the comparison kept it there).
COMPARED = "equalshares/add1-comparison"
UNKNOWN_RULE = "unknown"  # META rule where the city's rule is not known (12 of the 47 shared files): said, not shown raw
# (official_rule)
# META: a project whose score (the points its ballots give it; approvals count 1) is lower is not eligible
THRESHOLD = "min_project_score_threshold"


@dataclass(frozen=True)
class Facts:
    title: str  # "Poland · Świecie · 2023"
    description: str
    vote_type: str
    voters: int
    projects: int
    budget: Decimal
    currency: str
    official_rule: str  # META ``rule`` as written ("" when not given)
    official: tuple[str, ...] | None  # ids of the projects the file marks selected; None: no such column
    min_score: int | None  # META threshold for a project to be eligible (``THRESHOLD``)


def facts(election: Election) -> Facts:
    meta = election.meta
    title = " · ".join(v.strip() for v in (meta.get("country", ""), meta.get("unit", ""), meta.get("subunit", ""),
                                            meta.get("instance", "")) if v and v.strip())
    return Facts(title, meta.get("description", "").strip(), election.vote_type, compact_tallies.participants(election),
                 len(election.projects), election.budget, election.currency, meta.get("rule", "").strip(),
                 official_outcome(election), min_score(election))


def min_score(election: Election) -> int | None:
    """The META threshold of score (points given, approvals counting 1) for a project to be eligible; None when the
    file sets none. Pabulib's score is the points on points ballots: Częstochowa 2025's official outcomes are
    reproduced with it, not with the number of voters."""
    return whole_number(election.meta.get(THRESHOLD, "").strip()) or None


def official_outcome(election: Election) -> tuple[str, ...] | None:
    """Ids of the projects the file marks selected; None when it has no ``selected`` column (projects only: cheap)."""
    marked = [p for p in election.projects if "selected" in p.attributes]
    return tuple(p.id for p in marked if p.attributes["selected"].strip() not in ("", "0")) if marked else None


def project_label(project, lang: str) -> str:
    """A project as the tables and explanations name it: "12 Park lighting", in ``lang`` where the file names it
    so (a hearing's export: ``name_ru``, ``name_en``), else as its ``name``; the id alone when it has no name."""
    name = project.own_name(lang)
    return project.id if name is None else f"{project.id} {name}"


def project_names(election: Election, lang: str) -> dict[str, str | None]:
    """Each project's name in ``lang`` (falling back as ``project_label`` does), None where the file names it not:
    what ``pbtools tally --json`` adds beside the ids (``names``)."""
    return {p.id: p.own_name(lang) for p in election.projects}


def scores(vote_type: str, rule: str) -> tuple[str, ...]:
    """What the rule can count on such ballots: supporters always; the points given; Borda points (not by MES).
    Phragmén counts supporters only."""
    if rule == "phragmen":
        return ("support",)
    if vote_type in POINT_TYPES:
        return ("support", "points")
    if vote_type == ORDINAL and not rule.startswith("mes"):
        return ("support", "borda")
    return ("support",)


class _RuleAsWritten(Msg):
    """A rule the file names and pbtools counts: its name in the user's language, then the file's word for it."""

    def __init__(self, rule: str, written: str) -> None:
        super().__init__(NAMES[rule], written=written)

    def render(self, lang: str) -> str:
        return f"{Msg(self.msgid).render(lang)} ({self.params['written']})"


def official_rule(f: Facts) -> Msg | None:
    """What the file says of its own rule (META ``rule``), for the screen; None where it names none."""
    if f.official_rule == UNKNOWN_RULE:
        return Msg(N_("Official rule: the file says it is not known."))
    if not f.official_rule:
        return None
    counted_as = OFFICIAL_RULES.get(f.official_rule)
    rule = _RuleAsWritten(counted_as, f.official_rule) if counted_as else f.official_rule
    return Msg(N_("Official rule (as the file names it): {rule}."), rule=rule)


def default_rule(f: Facts) -> str:
    return OFFICIAL_RULES.get(f.official_rule, "greedy")


def default_score(f: Facts, rule: str) -> str:
    """Points and Borda points where the ballots give them (what a hearing with dot voting or rankings counts)."""
    return scores(f.vote_type, rule)[-1]


@dataclass(frozen=True)
class Limit:
    """A limit the file sets on the count itself, as the city applied it (META ``key`` = ``value``)."""

    key: str
    value: int

    def message(self) -> Msg:
        if self.key == THRESHOLD:
            return Msg(N_("Projects with a score below {n} are not eligible (the file's {key}; the score is the points "
                          "given, one per approval)."), n=Amount(self.value), key=self.key)
        return Msg(N_("{key} = {value} (the file's limit)"), key=self.key, value=self.value)  # pragma: no cover - one kind yet

    def to_json(self) -> dict:
        return {"key": self.key, "value": self.value}


def file_limits(election: Election) -> list[Limit]:
    """The limits the file's META sets on the count: its ``min_project_score_threshold`` (a project with a lower
    score is not eligible). Other META fields (``max_length``, ``max_sum_cost``...) bound what a ballot may hold,
    not the count, so they are not limits here."""
    threshold = min_score(election)
    return [Limit(THRESHOLD, threshold)] if threshold else []


@dataclass(frozen=True)
class Declared:
    """A number the file's META declares (``num_votes``, ``num_projects``) that is not what the file holds: a file
    cut short at a line end reads as a whole, smaller election (a download that stopped part-way), so it is said."""

    key: str
    declared: int
    read: int

    def message(self) -> Msg:
        def number(n: int) -> Msg:
            return NMsg("{n} vote", "{n} votes", n) if self.key == "num_votes" else NMsg("{n} project", "{n} projects", n)

        return Msg(N_("The file says {declared} ({key}) but holds {read}: it may be cut short. Is it the whole file?"),
                   declared=number(self.declared), read=number(self.read), key=self.key)

    def to_json(self) -> dict:
        return {"key": self.key, "declared": self.declared, "read": self.read}


def declared_counts(election: Election) -> list[Declared]:
    """The META numbers of votes and projects that differ from the VOTES and PROJECTS rows read (none in any of
    the shared real files); a number not given, or not a whole number, is not checked."""
    held = {"num_votes": compact_tallies.participants(election), "num_projects": len(election.projects)}
    found = [(key, whole_number(election.meta.get(key, "").strip()), read) for key, read in held.items()]
    return [Declared(key, said, read) for key, said, read in found if said is not None and said != read]


def count_file(election: Election, rule: str | None = None, score: str | None = None, tie_rule: TieRule = TieRule(),
               ignore_limits: bool = False, progress=None, engine: str | None = None) -> Result:
    """Count a Pabulib election as the city did: by default by the rule its META names and with the file's own
    limits (``file_limits``); ``ignore_limits`` counts without them, as pabutools does. The one path of both the
    ``pbtools tally`` command and the Pabulib app, so the same choices give the same outcome.

    ``result.options``: ``limits`` (applied) and ``ignored_limits`` (``Limit`` lists), ``declared`` (``Declared``:
    META numbers the file does not hold), and ``notes`` (``Msg``): the file's numbers that differ from what it holds,
    said first; when the rule funds a project nobody voted for (greedy and Phragmén do, as pabutools does, if money is
    left), it says so."""
    f = facts(election)
    rule = rule or default_rule(f)
    score = score or default_score(f, rule)
    limits = file_limits(election)
    applied = [] if ignore_limits else limits
    threshold = next((lim.value for lim in applied if lim.key == THRESHOLD), None)
    result = count(election, rule, score=score, tie_rule=tie_rule, min_points=threshold, progress=progress, engine=engine)
    notes = list(result.options.get("notes", ()))
    unsupported = unsupported_funded(election, result)
    if unsupported:
        notes.append(Msg(N_("Funded although nobody voted for them: {projects}. Like pabutools, this rule takes a project "
                            "without votes when money is left for it; a hearing's count never funds one."),
                         projects=", ".join(unsupported)))
    if f.official_rule not in (*OFFICIAL_RULES, UNKNOWN_RULE, "") and result.rule == default_rule(f):
        notes.append(Msg(N_("Counted by the greedy rule because the file's rule, {rule}, is not one pbtools counts."),
                         rule=f.official_rule))
    if f.official_rule == COMPARED and result.rule == OFFICIAL_RULES[COMPARED]:
        notes.append(Msg(N_("The city also compared this outcome with greedy's, as equalshares.net can: greedy's is taken "
                            "if more voters prefer it. pbtools does not make that comparison: this is the Equal Shares "
                            "outcome alone.")))
    declared = declared_counts(election)  # said first: a file cut short makes the rest of the count moot
    notes[:0] = [d.message() for d in declared]
    result = replace(result, options={**result.options, "declared": tuple(declared)})
    return replace(result, options={**result.options, "limits": tuple(applied),
                                    "ignored_limits": tuple(limits) if ignore_limits else (), "notes": tuple(notes)})


def unsupported_funded(election: Election, result: Result) -> list[str]:
    """Ids of the funded projects that no ballot supports (in the order funded)."""
    compact = compact_tallies.compact_votes(election)
    supported = compact_tallies.supported(compact) if compact is not None else {pid for b in election.ballots if b.weight for pid in b.choice}
    return [pid for pid in result.selected if pid not in supported]


def result_json(result: Result, election: Election | None = None) -> dict:
    """``Result.to_json`` with the limits applied and ignored, the META numbers the file does not hold, and, given
    the ``election``, the projects the file marks selected (``official``, null when it has no such column) and
    whether the count funds the same (``same_as_official``)."""
    out = result.to_json()
    if election is not None:
        official = official_outcome(election)
        out["official"] = list(official) if official is not None else None
        out["same_as_official"] = set(official) == set(result.selected) if official is not None else None
    out["limits"] = [lim.to_json() for lim in result.options.get("limits", ())]
    out["ignored_limits"] = [lim.to_json() for lim in result.options.get("ignored_limits", ())]
    out["declared"] = [d.to_json() for d in result.options.get("declared", ())]
    return out


class _Name(Msg):
    """A project as the file names it ("12 Park lighting"), in the language it is shown in (``project_label``): a
    screen switched to another language shows the same count with the names of that language."""

    def __init__(self, project) -> None:
        super().__init__("{project}", project=project)

    def render(self, lang: str) -> str:
        return project_label(self.params["project"], lang)


def named(result: Result, election: Election) -> Result:
    """The result with project ids in its explanation replaced by id and name (where the file has names)."""
    names = {p.id: _Name(p) for p in election.projects}
    return relabelled(result, names, (relabel(n, names) for n in result.options.get("notes", ())))


@dataclass(frozen=True)
class Row:
    project: str
    label: str  # project_label: id and name
    cost: Decimal
    supporters: int  # voters with the project on their ballot
    points: int  # points given to it (1 per approval); Borda points on rankings
    picked: Mapping[str, int | None]  # rule -> place in its selection (1 = first bought), None: not funded
    official: bool | None  # marked selected in the file; None: the file does not say


def rows(election: Election, results: Mapping[str, Result], lang: str, lead: str | None = None, counts=None) -> list[Row]:
    """One row per project, labelled in ``lang``: those the ``lead`` rule funds first (default: the first result's),
    in the order it bought them; then the others by supporters. ``counts``: the election's ``option_counts`` if
    already made (a screen makes them once per file: they take a pass over every ballot)."""
    counts = counts if counts is not None else option_counts(election, by=())
    support = {p.id: counts[p.id].votes for p in election.projects}
    points = {p.id: counts[p.id].borda if election.vote_type == ORDINAL else counts[p.id].points for p in election.projects}
    official = official_outcome(election)
    places = {rule: {pid: i for i, pid in enumerate(r.selected, start=1)} for rule, r in results.items()}
    first = places.get(lead) or next(iter(places.values()), {})
    ordered = sorted(election.projects, key=lambda p: (p.id not in first, first.get(p.id, 0), -support[p.id], p.id))
    return [Row(p.id, project_label(p, lang), p.cost, support[p.id], points[p.id], {rule: at.get(p.id) for rule, at in places.items()},
                None if official is None else p.id in official) for p in ordered]


def versus_official(election: Election, result: Result) -> Msg | None:
    """Whether the rule funds the projects the file marks selected; None when the file does not say."""
    official = official_outcome(election)
    if official is None:
        return None
    ours, theirs = set(result.selected), set(official)
    if ours == theirs:
        return Msg(N_("The same projects as the official outcome."))
    return Msg(N_("Not the official outcome: funded here but not officially: {extra}; funded officially but not here: {missing}."),
               extra=", ".join(sorted(ours - theirs)) or "—", missing=", ".join(sorted(theirs - ours)) or "—")


# Votes by group: the voter fields a file gives (sex, age, district, voting method...), age in the hearings' bands.
FIELD_NAMES = {"sex": N_("Sex"), "age": N_("Age group"), "district": N_("District"), "neighborhood": N_("Neighbourhood"),
               "voting_method": N_("Voting method")}
MAX_GROUPS = 30  # a field with more distinct values (a free-text answer, a time taken) is no grouping


def age_group(value: str) -> str:
    """A Pabulib age (years) as a hearing's age group ("30_44"); "" when it is not a whole number."""
    years = whole_number(value.strip())
    if years is None:
        return ""
    return "under_18" if years < 18 else "18_29" if years < 30 else "30_44" if years < 45 else "45_59" if years < 60 else "60_plus"


def _group_of(field: str, voter: Mapping[str, str]) -> str:
    value = voter.get(field, "").strip()
    if field == "age":
        return age_group(value)
    return value.lower() if field == "sex" else value


def voter_fields(election: Election) -> list[str]:
    """The voter fields the votes can be grouped by: known ones first, then any other with 2 to 30 values."""
    values: dict[str, set[str]] = {}
    for voter in _distinct_voters(election):
        for name in voter:
            seen = values.setdefault(name, set())
            if len(seen) <= MAX_GROUPS:
                seen.add(_group_of(name, voter))
    usable = [name for name, seen in values.items() if 2 <= len(seen - {""}) <= MAX_GROUPS]
    return sorted(usable, key=lambda name: (name not in FIELD_NAMES, list(FIELD_NAMES).index(name) if name in FIELD_NAMES else 0, name))


@dataclass(frozen=True)
class Group:
    value: str  # "" for voters the file says nothing about
    voters: int
    votes: Mapping[str, int]  # project id -> voters of the group with it on their ballot


def _distinct_voters(election: Election):
    """The voter mappings of the ballots, each once, in order of first use (both readers share equal mappings)."""
    compact = compact_tallies.compact_votes(election)
    if compact is not None:
        return compact.voters
    return {id(b.voter): b.voter for b in election.ballots}.values()


def groups(election: Election, field: str) -> list[Group]:
    """Each group's voters and what they voted for; the largest groups first (ages young to old), the unknown last."""
    compact = compact_tallies.compact_votes(election)
    voters, votes = _compact_groups(election, compact, field) if compact is not None else _ballot_groups(election, field)
    bands = ("under_18", "18_29", "30_44", "45_59", "60_plus")
    order = sorted(voters, key=lambda g: (g == "", bands.index(g) if field == "age" and g in bands else 0, -voters[g], g))
    return [Group(g, voters[g], votes[g]) for g in order]


def _compact_groups(election: Election, compact, field: str) -> tuple[dict, dict]:
    """The groups' voters and votes from the compiled reader's arrays: each distinct voter mapping's group, once."""
    names: dict[str, int] = {}
    of_voter = [names.setdefault(_group_of(field, voter), len(names)) for voter in compact.voters]
    ids = [p.id for p in election.projects]
    counts, votes = compact_tallies.by_group(compact, ids, of_voter, len(names))
    return ({g: counts[i] for g, i in names.items() if counts[i]},
            {g: {pid: n for pid, n in zip(ids, votes[i]) if n} for g, i in names.items() if counts[i]})


def _ballot_groups(election: Election, field: str) -> tuple[dict, dict]:
    voters: dict[str, int] = {}
    votes: dict[str, dict[str, int]] = {}
    for ballot in election.ballots:
        group = _group_of(field, ballot.voter)
        voters[group] = voters.get(group, 0) + ballot.weight
        tally = votes.setdefault(group, {})
        for pid in set(ballot.choice):
            tally[pid] = tally.get(pid, 0) + ballot.weight
    return voters, votes
