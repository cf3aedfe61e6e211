"""The Pabulib app: open a ``.pb`` election (uploaded, or a hearing exported as one), count it by any rule, and see
which projects each rule funds next to the official outcome, with the count explained step by step.

Uploaded files are kept in the workspace's ``pabulib/`` folder (checked first: a malformed file is refused with its
line and nothing is kept); hearings exported as ``.pb`` are listed from ``exports/``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import ipywidgets as w

from pbtools import fmt
from pbtools.counting.count import RULES, CountError
from pbtools.counting.pabulib import PabulibError, decode_pb, parse_pb, read_pb
from pbtools.counting.result import Amount
from pbtools.counting.tallies import option_counts
from pbtools.hearings.model import label
from pbtools.html import render as html_from
from pbtools.i18n import N_, Msg
from pbtools.paths import file_in, reports_folder
from pbtools.results import pabulib as pb
from pbtools_widgets.base import AppView, choose, label_upload, on_upload, set_options
from pbtools_widgets.progress import ProgressLine
from pbtools_widgets.remembered import Remembered

COMPARED = ("greedy", "mes-add1-greedy", "phragmen")  # "compare rules": as the Results app compares a hearing,
# with the chosen rule and the file's own
PROGRESS_EVERY = 0.5  # seconds between progress updates of a long count


def stored_name(folder: Path, name: str, content: bytes) -> Path:
    """Where an upload goes: its own name, unless another file has that name (then name-2.pb, name-3.pb...)."""
    stem, path, n = Path(name).stem, file_in(folder, Path(name).name), 1
    while path.exists() and path.read_bytes() != content:
        n += 1
        path = file_in(folder, f"{stem}-{n}.pb")
    return path


class PabulibApp(AppView):
    title = N_("Pabulib elections")
    names_municipality = False  # its elections are other cities'

    def build(self) -> None:
        self.choice = w.Dropdown(layout=w.Layout(width="34rem"))
        self.upload = w.FileUpload(accept=".pb", multiple=False)
        self.remove_button = w.Button(icon="trash", layout=w.Layout(width="auto"))  # an upload only, not an export
        self.status = w.HTML()
        self.about = w.HTML()
        self.rule = w.Dropdown(layout=w.Layout(width="44rem"), style={"description_width": "8rem"})
        self.score = w.Dropdown(layout=w.Layout(width="30rem"), style={"description_width": "8rem"})
        self.count_button = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.compare_button = w.Button(layout=w.Layout(width="auto"))
        # the file's own limits (its minimum of votes) apply by default, as the city applied them; off: as pabutools
        self.ignore_limits = w.Checkbox(value=False, indent=False, layout=w.Layout(width="auto"))
        self.progress = ProgressLine(lambda: self.lang)
        self.outcome = w.HTML()
        self.table = w.HTML()
        self.steps = w.HTML()
        self.group_by = w.Dropdown(layout=w.Layout(width="24rem"), style={"description_width": "8rem"})
        self.by_group = w.HTML()
        for wide in (self.table, self.by_group):  # a column per rule or per group: scrolled under the table itself
            wide.add_class("pb-wide-table")
        self.kept = Remembered("pabulib", self.restore)  # the election, rule and score last chosen in this browser
        self.body = w.VBox([
            w.HBox([self.choice, self.upload, self.remove_button]), self.status, self.about,
            w.HBox([self.rule, self.score]), w.HBox([self.count_button, self.compare_button, self.ignore_limits]), self.progress.box,
            self.outcome, self.table, self.steps, self.group_by, self.by_group, self.kept,
        ])
        self.election, self.results, self.shown_rule, self.problem = None, {}, None, None
        self.imported: str | None = None  # the file just uploaded (said in the language shown, also after a switch)
        self.removed: str | None = None  # the upload just removed (likewise)
        # made once per opened file (each is a pass over every ballot), not at every redraw
        self.facts: pb.Facts | None = None
        self._counts = None  # option_counts of the election
        self._declared: list = []  # pb.declared_counts of the election
        self._groups: dict[str, list] = {}  # voter field -> pb.groups
        self._fields: list[str] = []  # the voter fields the open election's votes can be grouped by
        self._groups_drawn: tuple = ()  # what the votes-by-group table shows now (drawn again only when it changes)
        self._scored = None  # the election the score choice was made for
        self.choice.observe(lambda _: self.open_file(), "value")
        self.rule.observe(lambda _: self._fill_scores(), "value")
        self.count_button.on_click(lambda _: self.count_chosen())
        self.compare_button.on_click(lambda _: self.compare())
        self.remove_button.on_click(lambda _: self.remove_chosen())
        self.group_by.observe(lambda _: self.show_groups(), "value")
        self.ignore_limits.observe(lambda _: self._limits_changed(), "value")
        on_upload(self.upload, self.import_file)
        for chooser in (self.choice, self.rule, self.score):
            chooser.observe(lambda _: self._keep(), "value")

    # what the browser keeps for the next visit
    def _keep(self) -> None:
        if self.choice.value is not None:
            self.kept.value = json.dumps({"file": Path(self.choice.value).name, "rule": self.rule.value, "score": self.score.value})

    def restore(self, kept: str) -> None:
        """Open the election, rule and score chosen last time, where that file is still here."""
        try:
            chosen = json.loads(kept) if kept else {}
        except ValueError:
            return
        path = next((str(p) for p in self.files() if p.name == chosen.get("file")), None)
        if path is None:
            return
        self.choice.value = path
        choose(self.rule, chosen.get("rule"))
        choose(self.score, chosen.get("score"))  # after the rule: the scores offered depend on it

    # what there is to open
    def folder(self) -> Path:
        return Path(self.ws.path) / "pabulib"

    def files(self) -> list[Path]:
        # uploaded files, then the hearings the console exported as .pb (and those of older versions, in exports/)
        exported = [*sorted(reports_folder(self.ws.path).glob("*.pb")), *sorted((Path(self.ws.path) / "exports").glob("*.pb"))]
        found = sorted(self.folder().glob("*.pb")) + exported
        return [p for p in found if p.is_file()]

    def render(self) -> None:
        super().render()
        _ = self._
        self.choice.description = _("Election")
        label_upload(self.upload, _("Upload a .pb file"))
        self.rule.description, self.score.description = _("Rule"), _("Count by")
        self.group_by.description = _("Votes by")
        self.count_button.description = _("Count")
        self.compare_button.description = _("Compare rules")
        self.remove_button.description = _("Remove from the list")
        self.remove_button.tooltip = _("Deletes the uploaded copy kept in the workspace (not your own file)")
        self.ignore_limits.description = _("Count without the file's limits (as pabutools does)")
        self.ignore_limits.layout.display = None if self.facts is not None and pb.file_limits(self.election) else "none"
        set_options(self.choice, [(p.name, str(p)) for p in self.files()], last=True)
        self._fill_rules()
        self._fill_fields()
        self.show()

    def _fill_rules(self, prefer: str | None = None) -> None:
        set_options(self.rule, [(self._(pb.NAMES[r]), r) for r in RULES], prefer=prefer)
        self._fill_scores()

    def _fill_scores(self) -> None:
        """The scores the chosen rule can count on this file's ballots (the one chosen kept where it still can)."""
        if self.election is None or self.rule.value is None:
            set_options(self.score, [(self._(pb.SCORE_NAMES["support"]), "support")])
            return
        allowed = pb.scores(self.election.vote_type, self.rule.value)
        keep = self.score.value if self.score.value in allowed and self._scored is self.election else None
        self._scored = self.election
        set_options(self.score, [(self._(pb.SCORE_NAMES[s]), s) for s in allowed],
                    prefer=keep or pb.default_score(self.facts, self.rule.value))

    # opening a file
    def import_file(self, name: str, content: bytes) -> Path | None:
        """Check the upload as a Pabulib file; keep it only when it reads without error. Returns where it is kept."""
        try:
            parse_pb(decode_pb(content, Path(name).name), Path(name).name)
        except PabulibError as exc:
            self.problem = (name, exc.message)
            self.show()
            return None
        self.folder().mkdir(parents=True, exist_ok=True)
        path = stored_name(self.folder(), name, content)
        part = path.with_suffix(".part")
        part.write_bytes(content)
        part.replace(path)  # whole on disk before the screen says so (never a half-written file listed)
        self.problem = None
        set_options(self.choice, [(p.name, str(p)) for p in self.files()], prefer=str(path))
        self.imported = path.name
        self.show()
        return path

    def remove_chosen(self) -> None:
        """Delete the chosen upload's copy in the workspace (uploads piled up with no way out: new-user trial s27
        L9); a hearing's export is the console's and stays."""
        chosen = Path(self.choice.value) if self.choice.value is not None else None
        if chosen is None or chosen.parent != self.folder():
            return
        chosen.unlink(missing_ok=True)
        set_options(self.choice, [(p.name, str(p)) for p in self.files()])
        self.removed = chosen.name
        self.show()

    def open_file(self) -> None:
        self.election, self.results, self.shown_rule, self.problem, self.imported = None, {}, None, None, None
        self.removed = None
        if self.choice.value is not None:
            try:
                self.election = read_pb(self.choice.value)
            except PabulibError as exc:  # a kept file changed on disk since
                self.problem = (Path(self.choice.value).name, exc.message)
        opened = self.election is not None
        self.facts = pb.facts(self.election) if opened else None
        self._counts = option_counts(self.election, by=()) if opened else None
        self._declared = pb.declared_counts(self.election) if opened else []  # not counted again at each redraw
        self._groups = {}
        self._fill_rules(prefer=pb.default_rule(self.facts) if opened else None)
        self._fields = pb.voter_fields(self.election) if opened else []
        self._fill_fields()
        self.ignore_limits.layout.display = None if opened and pb.file_limits(self.election) else "none"
        self.show()

    def _limits_changed(self) -> None:
        """Counts made with the other choice no longer hold: counted again when asked."""
        self.results, self.shown_rule = {}, None
        self.show()

    def _fill_fields(self) -> None:
        set_options(self.group_by, [(self._(pb.FIELD_NAMES[f]) if f in pb.FIELD_NAMES else f, f) for f in self._fields])
        self.group_by.layout.display = None if self.group_by.options else "none"

    # counting
    def _count(self, rule: str, score: str):
        """Count with a progress line for a long Add1 count; the result with the projects' names put in."""
        _ = self._
        currency, last = self.election.currency, [0.0]

        def progress(per_voter, runs: int) -> None:
            if time.monotonic() - last[0] >= PROGRESS_EVERY:
                last[0] = time.monotonic()
                amount = Amount(per_voter.quantize(1)).render(self.lang)
                self.progress.busy(Msg(N_("Still counting: the budget of each voter is now {amount} {currency} ({runs} counts so far)."),
                                             amount=amount, currency=currency, runs=runs))

        self.progress.busy(Msg(N_("Counting by {rule}"), rule=Msg(pb.NAMES[rule])))
        try:  # the command line's count (pbtools tally): same rule, score and limits, same outcome
            return pb.named(pb.count_file(self.election, rule, score, ignore_limits=self.ignore_limits.value, progress=progress), self.election)
        finally:
            self.progress.hide()

    def count_chosen(self) -> None:
        if self.election is None or self.rule.value is None:
            return
        try:
            self.results[self.rule.value] = self._count(self.rule.value, self.score.value)
        except CountError as exc:
            self.problem = (Path(self.choice.value).name, exc.message)
        self.shown_rule = self.rule.value
        self.show()

    def compare(self) -> None:
        """The chosen rule (with its score), the file's own and the usual ones side by side; the chosen one is
        explained. Any other rule counted later adds its column (the table says so)."""
        if self.election is None or self.rule.value is None:
            return
        chosen = self.rule.value
        try:
            self.results[chosen] = self._count(chosen, self.score.value)
            for rule in dict.fromkeys((pb.default_rule(self.facts), *COMPARED)):
                if rule != chosen:
                    self.results[rule] = self._count(rule, pb.default_score(self.facts, rule))
        except CountError as exc:
            self.problem = (Path(self.choice.value).name, exc.message)
        self.shown_rule = chosen
        self.show()

    # showing
    def show(self) -> None:
        _, lang = self._, self.lang
        if self.problem is not None:
            name, message = self.problem
            refused = _("{name} was not opened: nothing changed.", name=name)
            self.status.value = html_from("status.html", kind="pb-error", text=refused, problems=[message.render(lang)])
        elif self.imported is not None:
            self.status.value = html_from("status.html", kind="pb-ok", text=_("Imported {name}.", name=self.imported), problems=[])
        elif self.removed is not None:
            said = _("Removed {name} from the list; upload it again to count it.", name=self.removed)
            self.status.value = html_from("status.html", kind="pb-ok", text=said, problems=[])
        else:
            self.status.value = ""
        for part in (self.about, self.outcome, self.table, self.steps):
            part.value = ""
        self.show_groups()
        for button in (self.count_button, self.compare_button):
            button.disabled = self.election is None  # nothing to count yet
        self.remove_button.disabled = self.choice.value is None or Path(self.choice.value).parent != self.folder()
        if self.election is None:
            if self.choice.value is None and self.problem is None:
                empty = _("No election yet: upload a Pabulib .pb file (pabulib.org), or export a hearing as .pb.")
                self.about.value = html_from("pabulib/about.html", empty=empty)
            return
        f = self.facts
        money = lambda amount: fmt.money(amount, lang, currency=f.currency)  # noqa: E731
        lines = [
            _("{voters} voters, {projects} projects, budget {budget}", voters=fmt.number(f.voters, lang), projects=f.projects, budget=money(f.budget)),
            _("Ballots: {kind}. Ties are broken by project id, as in pabutools.", kind=_(pb.VOTE_NAMES.get(f.vote_type, f.vote_type))),
        ]
        official = pb.official_rule(f)
        if official is not None:
            lines.append(official.render(lang))
        for limit in pb.file_limits(self.election):
            lines.append(limit.message().render(lang))
        lines += [d.message().render(lang) for d in self._declared]  # a file cut short, said on opening
        self.about.value = html_from("pabulib/about.html", empty="", title=f.title or Path(self.choice.value).name, lines=lines)
        if not self.results:
            return
        shown = self.results.get(self.shown_rule) or next(iter(self.results.values()))
        said = [self._n("{rule}: {n} project funded, {total} of {budget}.", "{rule}: {n} projects funded, {total} of {budget}.",
                        len(shown.selected), rule=_(pb.NAMES[shown.rule]), total=money(shown.total_cost), budget=money(shown.budget))]
        versus = pb.versus_official(self.election, shown)
        if versus is not None:
            said.append(versus.render(lang))
        applied, ignored = shown.options.get("limits", ()), shown.options.get("ignored_limits", ())
        if applied:
            said.append(_("Limits of the file applied: {limits}", limits="; ".join(lim.message().render(lang) for lim in applied)))
        if ignored:
            said.append(_("Counted without the file's limits, as pabutools does: {limits}",
                          limits="; ".join(lim.message().render(lang) for lim in ignored)))
        said += [note.render(lang) for note in shown.options.get("notes", ())]
        self.outcome.value = html_from("pabulib/outcome.html", said=said, met=_("Ties met: {n}", n=len(shown.ties)),
                                       ties=[t.message.render(lang) for t in shown.ties])
        self.table.value = self._table(f, money)
        self.steps.value = html_from("pabulib/steps.html", how=_("How {rule} counted", rule=_(pb.NAMES[shown.rule])),
                                     steps=list(shown.explain(lang)))

    def _table(self, f: pb.Facts, money) -> str:
        _ = self._
        ordered = [r for r in RULES if r in self.results]
        rows = pb.rows(self.election, {r: self.results[r] for r in ordered}, self.lang, lead=self.shown_rule, counts=self._counts)
        # the points or Borda points too when the rule shown counted them (else the order would look wrong)
        scored = self.results[self.shown_rule].score if self.shown_rule in self.results else "support"
        head = [_("Project"), _("Cost"), _("Supporters")] + ([_(pb.SCORE_NAMES[scored])] if scored != "support" else [])
        head += [_(pb.SHORT[r]) for r in ordered]
        if f.official is not None:
            head.append(_("Official"))
        lines = []
        for row in rows:
            cells = [row.label, money(row.cost), fmt.number(row.supporters, self.lang)]
            if scored != "support":
                cells.append(fmt.number(row.points, self.lang))
            cells += [f"✓ {row.picked[r]}" if row.picked[r] else "—" for r in ordered]
            if row.official is not None:
                cells.append("✓" if row.official else "—")
            lines.append(cells)
        # each rule's total under its column: how many projects, for how much (✓ n is the order it bought them)
        blank = 3 + (scored != "support")
        totals = [_("Funded: {n}, {total}", n=len(self.results[r].selected), total=money(self.results[r].total_cost)) for r in ordered]
        total = {"span": blank, "legend": _("✓ n: funded n-th, in the rule's order. Count another rule to add its column."),
                 "cells": totals + ([""] if f.official is not None else [])}
        return html_from("table.html", classes="pb-table pb-pabulib", head=head, rows=lines, total=total)

    def show_groups(self) -> None:
        """What each group of voters chose: per project, the group's voters with it on their ballot, and their share."""
        _, lang = self._, self.lang
        if self.election is None or self.group_by.value is None:
            self.by_group.value, self._groups_drawn = "", ()
            return
        field = self.group_by.value
        shown = self.results.get(self.shown_rule)
        # a large file's table has thousands of numbers to write: not again for the same election, field, language
        # and result (opening a file or switching language would otherwise draw it twice)
        drawn = (self.election, shown, field, lang)
        if len(self._groups_drawn) == 4 and all(a is b for a, b in zip(drawn[:2], self._groups_drawn)) and drawn[2:] == self._groups_drawn[2:]:
            return
        self._groups_drawn = drawn
        if field not in self._groups:
            self._groups[field] = pb.groups(self.election, field)
        found = self._groups[field]
        rows = pb.rows(self.election, {self.shown_rule: shown} if shown else {}, lang, counts=self._counts)  # the table's order

        def title(g: pb.Group) -> str:
            name = _("Not known") if g.value == "" else label(g.value, lang) if field in ("sex", "age") else g.value
            return f"{name} ({fmt.number(g.voters, lang)})"

        head = [_("Project")] + [title(g) for g in found]
        lines = []
        for row in rows:
            cells = [row.label]
            for g in found:
                n = g.votes.get(row.project, 0)
                cells.append(f"{fmt.number(n, lang)} ({fmt.percent(n / g.voters if g.voters else 0, lang, digits=0)})")
            lines.append(cells)
        self.by_group.value = html_from("table.html", classes="pb-table pb-pabulib pb-groups", head=head, rows=lines, total=None)
