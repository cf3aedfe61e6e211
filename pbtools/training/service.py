"""The Training app's service: a sandbox to work in, simulated voters for its open hearing, "what if" counts with
their sentences, Equal Shares round by round, and the needs assessment of the sandbox. Plain data in and out, texts
already in the reader's language; refusals are ``TrainingError``/``HearingError`` (``render(lang)``). No widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from pbtools.budget.numbers import whole_number
from pbtools.counting.result import Amount
from pbtools.counting.ties import TieRule
from pbtools.hearings.model import label
from pbtools.hearings.records import stream_of
from pbtools.hearings.store import create_hearing, new_hearing_id, state
from pbtools.i18n import N_, Msg, named_field, plural_translator, translator
from pbtools.needs.service import NeedsService
from pbtools.phones.mode import OPEN as OPEN_MODE, phone_mode, set_phone_mode
from pbtools.phones.urls import ROOT, Urls
from pbtools.results.count import compare_rules
from pbtools.results.election import election_for
from pbtools.roles import SANDBOX, TRAINER, Actor
from pbtools.storage import open_workspace
from pbtools.training import mes_rounds, whatif_words as words
from pbtools.training.mock_hearing import TRAINER_NAME
from pbtools.training.errors import SandboxError, SimulationError
from pbtools.training.population import REAL_HALL
from pbtools.training.sandbox import (
    create_sandbox, get_sandbox, kept_sandbox, list_sandboxes, remove_sandbox, reset_sandbox, restore_sandbox,
)
from pbtools.training.sandbox_contents import Contents, contents, remove_question, reset_question
from pbtools.training.preferences import hall_ballots
from pbtools.training.simulate import hall_of, simulate_hall
from pbtools.training.texts import MES_DONE, mes_start, mes_start_raised
from pbtools.training.whatif import KINDS, compare_kinds

DEFAULT_SANDBOX = "training"
PICTURE_QUESTION = "q1"  # the approval question of the mock hearing: what the rounds and "what if" count
HALL_SETTING = "training.last_hall"  # the last simulated hall of a sandbox: {"voters", "seed"}
SEED_FIELD = N_("Hall variant")  # the simulation's seed, as its box is labelled: the same number, the same hall


def hall_range() -> Msg:
    """What the hall's size box takes (``REAL_HALL``), said beside it before anything is simulated: it was said only
    when Simulate refused a number."""
    low, high = REAL_HALL
    return Msg(N_("From {low} to {high} voters, as at real hearings"), low=low, high=high)


@dataclass(frozen=True)
class Simulated:
    voters: int
    ballots: int
    seconds: float


@dataclass(frozen=True)
class WhatIf:
    rules: tuple[str, ...]  # rule names
    rows: tuple[tuple[str, tuple[bool, ...]], ...]  # option, funded by each rule
    rule_sentences: tuple[str, ...]
    kinds: tuple[str, ...]  # ballot kinds compared, in the reader's language
    kind_rows: tuple[tuple[str, tuple[bool, ...]], ...]  # option, funded under each kind (Equal Shares completed)
    kind_sentences: tuple[str, ...]
    counted: str = ""  # which question, how many ballots, the budget (``whatif_words.counted_line``)
    figures: tuple[tuple[str, int], ...] = ()  # each row's option: (cost, votes)
    spent: tuple[str, ...] = ()  # what each rule spends


@dataclass(frozen=True)
class RoundPicture:
    number: int  # 0: the start
    caption: str
    keep: tuple[float, ...]  # per voter: what they keep after this round (som)
    pay: tuple[float, ...]  # per voter: what they pay in this round
    last: bool


class TrainingService:
    def __init__(self, root: Path | str | None = None, actor: Actor | None = None) -> None:
        self.root = root
        self.actor = actor or Actor(TRAINER_NAME, TRAINER)
        self.sandbox = None
        self.ws = None
        self.created = False  # whether the last ``open`` made the sandbox (a typo opens a new one: said so)
        self.hall_size, self.seed = 0, 0
        self._rounds = None

    # -- the sandbox
    def open(self, name: str = DEFAULT_SANDBOX, create: bool = True):
        """Work in sandbox ``name`` (made from the sample municipality when it does not exist yet)."""
        if name in self.sandboxes():
            sandbox, created = get_sandbox(name, self.root), False
        elif create:
            sandbox, created = create_sandbox(name, actor=self.actor, root=self.root), True
        else:
            return None
        if self.ws is not None:
            self.ws.close()
        self._use(sandbox, open_workspace(sandbox.path, create=False))
        self.created = created
        return sandbox

    def sandboxes(self) -> list[str]:
        """The names of the sandboxes there are (to open one, not make a new one by a typo)."""
        return [s.name for s in list_sandboxes(self.root)]

    def remove_question(self, lang: str) -> tuple[Contents, str]:
        """What the open sandbox holds and the question the trainer confirms before it is removed, in ``lang``."""
        seen = self.contents()
        return seen, remove_question(self.sandbox.name, seen).render(lang)

    def remove(self, confirmed: Contents) -> str:
        """Remove the open sandbox for good, with the copy its last reset kept (``remove_sandbox``: the trainer's
        ``SANDBOX`` right, as for a reset); its name. ``confirmed``: what the trainer was told would go; when the
        sandbox holds more or other since, nothing is removed and ``SandboxError`` says to confirm again."""
        self.actor.require(SANDBOX)
        name = self.sandbox.name
        if self.contents() != confirmed:
            raise SandboxError(Msg(N_("Sandbox {name} has changed since you were asked: nothing was removed. Look at "
                                      "what it holds now and confirm again."), name=name))
        sandbox = self.sandbox
        self.ws.close()  # no handle left on a database whose folder goes
        self.sandbox = self.ws = None
        self._rounds = None
        try:
            remove_sandbox(name, actor=self.actor, root=self.root)
        except BaseException:
            try:  # refused before anything moved: the sandbox is still there, as it was
                self._use(sandbox, open_workspace(sandbox.path, create=False))
            except Exception:
                self.sandbox = self.ws = None
            raise
        return name

    def contents(self) -> Contents:
        """What a reset would take out of the open sandbox (the trainer is told before confirming)."""
        return contents(self.ws, self.sandbox)

    def reset_question(self, lang: str) -> tuple[Contents, str]:
        """What the open sandbox holds and the question the trainer confirms, in ``lang``."""
        seen = self.contents()
        return seen, reset_question(self.sandbox.name, seen).render(lang)

    def reset(self, confirmed: Contents):
        """The sandbox as new: its ballots and needs assessment gone, the mock hearing open again; the sandbox as it
        was is kept aside (``restore``). ``confirmed``: what the trainer was told would go. When the sandbox holds
        more or other since (phones voted meanwhile), nothing is reset and ``SandboxError`` says to confirm again."""
        self.actor.require(SANDBOX)
        if self.contents() != confirmed:
            raise SandboxError(Msg(N_("Sandbox {name} has changed since you were asked: nothing was reset. Look at "
                                      "what it holds now and confirm again."), name=self.sandbox.name))
        return self._replace(reset_sandbox)

    def kept(self):
        """The copy the last reset of the open sandbox kept aside, or None."""
        return kept_sandbox(self.sandbox.name, self.root) if self.sandbox is not None else None

    def restore(self):
        """The open sandbox as it was before its last reset; the one it replaces is kept aside in turn."""
        return self._replace(restore_sandbox)

    def _replace(self, action):
        name = self.sandbox.name
        self.ws.close()  # its folder is about to move: no handle left on the old database
        try:
            sandbox = action(name, actor=self.actor, root=self.root)
        except BaseException:
            try:  # refused before anything moved: the sandbox is still there, as it was
                self._use(self.sandbox, open_workspace(self.sandbox.path, create=False))
            except Exception:
                self.sandbox = self.ws = None
            raise
        self._use(sandbox, open_workspace(sandbox.path, create=False))
        return sandbox

    def _use(self, sandbox, ws) -> None:
        self.sandbox, self.ws = sandbox, ws
        hall = ws.get_setting(HALL_SETTING) or {}
        self.hall_size, self.seed, self._rounds = int(hall.get("voters", 0)), int(hall.get("seed", 0)), None

    def state(self):
        return state(self.ws, self.sandbox.open_hearing)

    def ballots(self) -> int:
        return sum(1 for b in self.state().ballots.values() if b.question == PICTURE_QUESTION)

    # -- workshop participants' phones
    def phones_open(self) -> bool:
        """Whether the mock hearing takes participants' phones (open mode: one vote per phone)."""
        return phone_mode(self.ws, self.sandbox.open_hearing) == OPEN_MODE

    def open_phones(self) -> str:
        """Let workshop participants vote in the mock hearing from their phones, in open mode (one vote per phone,
        no codes to hand out: a practice vote), recorded in the sandbox; the path of its phone pages. Served by
        ``pbtools serve`` under /practice/<sandbox>/ into the sandbox's own database (``server/practice_vote.py``)."""
        self.actor.require(SANDBOX)
        if not self.state().hearing.practice:  # never so in a sandbox made here; said, not assumed
            raise SandboxError(Msg(N_("The hearing {id} is not a practice hearing"), id=self.sandbox.open_hearing))
        if not self.phones_open():
            # the trainer's SANDBOX right covers every write in a sandbox (as the needs assessment's)
            set_phone_mode(self.ws, self.sandbox.open_hearing, OPEN_MODE, actor=self.actor.name)
        return self.phone_path()

    def phone_path(self, urls: Urls = ROOT) -> str:
        """The address of the mock hearing's phone pages under ``urls`` (the server's: a path; a screen's
        ``Urls.public``: the whole address a phone opens)."""
        return urls.practice(self.sandbox.name).vote(self.sandbox.open_hearing)

    # -- simulated voters
    @staticmethod
    def read_hall(voters: int | str, seed: int | str) -> tuple[int, int]:
        """The hall's size and variant as typed in their boxes; ``SimulationError`` naming the box when one is empty
        or not a whole number (a number box read "100.5" as 100, and an empty one as the number before)."""
        low, high = REAL_HALL
        read = []
        for typed, field, hint in ((voters, N_("Voters"), Msg(N_("give a number of voters from {low} to {high}"), low=low, high=high)),
                                   (seed, SEED_FIELD, Msg(N_("the same number gives the same hall")))):
            if isinstance(typed, int) and not isinstance(typed, bool):
                read.append(typed)
                continue
            text = str(typed).strip()
            number = whole_number(text, signed=True)  # -5: a number, refused by the range that names it
            if number is None:
                said = (Msg(N_("nothing is typed; {hint}; nothing was simulated"), hint=hint) if not text else
                        Msg(N_("«{value}» is not a whole number; {hint}; nothing was simulated"), value=text, hint=hint))
                raise SimulationError(named_field(field, said))
            read.append(number)
        return read[0], read[1]

    def simulate(self, voters: int | str, seed: int | str = 1) -> Simulated:
        """``voters`` simulated people vote in the mock hearing. A number outside the app's halls (``REAL_HALL``: a
        bounded box turned -5 into 60 and 1 000 000 000 into 350 and stored those halls) is refused, naming the
        field and the range, before anything is stored; so is a box that is empty or holds no whole number."""
        low, high = REAL_HALL
        voters, seed = self.read_hall(voters, seed)
        if not low <= voters <= high:
            raise SimulationError(Msg(N_("{field}: give a number of voters from {low} to {high}, not {n}; nothing was "
                                         "simulated"), field=Msg(N_("Voters")), low=low, high=high, n=voters))
        report = simulate_hall(self.ws, self.sandbox.open_hearing, voters, seed, actor=self.actor)
        # kept in the sandbox, so a reloaded page still compares the kinds of ballot of the same preferences
        self.ws.set_setting(HALL_SETTING, {"voters": voters, "seed": seed})
        self.hall_size, self.seed, self._rounds = voters, seed, None
        return Simulated(report.registered, report.total_ballots, report.seconds)

    # -- what if
    def what_if(self, lang: str) -> WhatIf:
        st = self.state()
        comparison = compare_rules(st, PICTURE_QUESTION)
        rules, rows, figures = words.funded_table(comparison, st, PICTURE_QUESTION, lang)
        kind_rows, kind_said, kinds = (), (), ()
        if self.hall_size:
            hall = hall_of(self.ws, st, self.hall_size, self.seed)
            table = compare_kinds(st, hall, PICTURE_QUESTION)
            kinds = tuple(label(k, lang).split(" (")[0] for k in KINDS)
            order = sorted(st.options.values(), key=lambda o: o.number)
            kind_rows = tuple((f"№{o.number} {o.title(lang)}", tuple(o.id in table[k].results["mes-add1-greedy"].selected for k in KINDS))
                              for o in order)
            stored = [b.ballot for b in sorted(st.ballots.values(), key=lambda b: b.seq) if b.question == PICTURE_QUESTION]
            note = words.hall_note(stored, hall_ballots(hall, st.questions[PICTURE_QUESTION], st.hearing.budget))
            kind_said = tuple(m.render(lang) for m in note + words.kind_sentences(table, st))
        return WhatIf(rules, tuple(rows), tuple(m.render(lang) for m in words.rule_sentences(comparison, st)),
                      kinds, kind_rows, kind_said, words.counted_line(st, PICTURE_QUESTION, comparison).render(lang),
                      tuple(figures), words.spent(comparison, lang))

    # -- Equal Shares round by round
    def rounds(self, refresh: bool = False) -> mes_rounds.Rounds:
        """The rounds of Equal Shares (with the Add1 completion's share) on the mock hearing's approval ballots, as
        they were when first asked for (or at the last ``refresh``): a walkthrough keeps its figures while phones
        vote (Next silently recounted 302 ballots in the middle of a walkthrough of 260). ``rounds_behind`` says
        whether newer ballots are stored."""
        if self._rounds is None or refresh:
            st = self.state()
            question = st.questions[PICTURE_QUESTION]
            election = election_for(st, PICTURE_QUESTION)
            tie = TieRule(question.tie_rule, question.seed if question.tie_rule == "field" else None)
            ballots = sum(1 for b in st.ballots.values() if b.question == PICTURE_QUESTION)
            self._rounds = (mes_rounds.replay_add1(election, "support", tie), {o.id: o for o in st.options.values()},
                            (st.seq, st.hash), ballots)
        return self._rounds[0]

    def rounds_behind(self) -> tuple[int, int] | None:
        """(ballots the rounds count, ballots stored now) when the mock hearing has changed since the rounds were
        counted (phones voted, another hall was simulated from another screen); None when they are current."""
        if self._rounds is None or self.sandbox is None:
            return None
        if self.ws.ledger.tip(stream_of(self.sandbox.open_hearing)) == self._rounds[2]:  # a reset may end at the same seq
            return None
        return self._rounds[3], self.ballots()

    def round_picture(self, k: int, lang: str) -> RoundPicture:
        """Round ``k`` (0: everyone's share at the start) as bars and a caption."""
        _ = translator(lang)
        rounds = self.rounds()
        options = self._rounds[1]
        k = max(0, min(k, len(rounds.rounds)))
        if k == 0:
            share = Amount(rounds.share.__round__(), "KGS").render(lang)
            if rounds.share > rounds.even:  # the completion's share: said, or "8 916 each" reads as budget ÷ voters
                caption = mes_start_raised(len(rounds.voters), share, Amount(rounds.even.__round__(), "KGS").render(lang)).render(lang)
            else:
                caption = mes_start(len(rounds.voters), share).render(lang)
            keep = tuple(float(rounds.share) for _v in rounds.voters)
            return RoundPicture(0, caption, keep, tuple(0.0 for _v in keep), not rounds.rounds)
        r = rounds.rounds[k - 1]
        option = options.get(r.option)
        name = f"№{option.number} {option.title(lang)}" if option else r.option
        _n = plural_translator(lang)
        caption = _n("Round {round}: {option} is bought for {cost}. {n} supporter pays, at most {price}.",
                     "Round {round}: {option} is bought for {cost}. {n} supporters pay, each at most {price}.", r.payers,
                     round=k, option=name, cost=Amount(r.cost, "KGS").render(lang), price=Amount(round(max(r.paid)), "KGS").render(lang))
        if k == len(rounds.rounds):
            caption += " " + _(MES_DONE)
        return RoundPicture(k, caption, tuple(float(a) for a in r.after), tuple(float(p) for p in r.paid), k == len(rounds.rounds))

    def round_chart(self, k: int, lang: str):
        from pbtools.charts.mes_rounds import round_chart  # here, not at the top: matplotlib costs ~0.6-1 s to import

        _ = translator(lang)
        pic = self.round_picture(k, lang)  # its caption is shown above the chart: the chart repeats no title
        return round_chart(list(pic.keep), list(pic.pay), _("Share of each voter, som"), lang)

    def new_draft_hearing(self, seen=None) -> str:
        """A practice hearing in draft in the sandbox (the mock hearing's villages and budget), for the needs
        assessment's top problems to become its options; its id. ``seen``: the point the screen's needs lists were
        drawn at: refused (``Replaced``, no draft made) when those records were replaced since (a reset)."""
        self.actor.require(SANDBOX)
        check = self.needs().for_draft(seen) if seen is not None else None
        mock = self.state().hearing
        hearing = replace(mock, id=new_hearing_id(date.today().isoformat()), date=date.today().isoformat(), practice=True)
        return create_hearing(self.ws, hearing, actor=self.actor.name, check=check).id

    # -- needs assessment (in the sandbox)
    def needs(self):
        return NeedsService(self.ws)

    # -- on paper
    def printouts(self, lang: str, folder: Path | str) -> list[tuple[Path, str]]:
        """What a workshop hands out on paper, in ``lang``, written to ``folder``: the facilitator's guide, the
        participants' handout and, with a sandbox open, the needs assessment's paper form (its problems listed, empty
        rows for more); each file's path and the title it bears (trial s28 M1: they were only in the CLI)."""
        from pbtools.training.handouts import write_handouts  # here: the PDF writer is slow to import

        _ = translator(lang)
        guide, handout = write_handouts(lang, folder)
        made = [(guide, _(N_("Workshop guide"))), (handout, _(N_("Workshop handout")))]
        if self.sandbox is not None:
            made.append((self.needs().form(lang, Path(folder) / f"needs-form-{lang}.pdf"),
                         _(N_("Needs assessment: ranking the problems"))))
        return made

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
