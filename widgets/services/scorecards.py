"""The Scorecards tab: the chosen service's one-page scorecard for the hearing and the council, as PDF or Word, in any
of the three languages; written into the workspace's reports folder and offered as a download (the link carries the
file itself, so it works offline)."""

from __future__ import annotations

import ipywidgets as w

from pbtools.i18n import LANG_NAMES, LANGS, N_
from pbtools_widgets.console.reports import download_link
from pbtools_widgets.services.tab import Tab
from pbtools_widgets.status_line import Told


class ScorecardsTab(Tab):
    title = N_("Scorecards")

    def build(self) -> None:
        self.language = w.ToggleButtons(options=[(LANG_NAMES[code], code) for code in LANGS], value=self.app.lang,
                                        style={"button_width": "7rem"})
        self.buttons = {fmt: w.Button(layout=w.Layout(width="16rem")) for fmt in ("pdf", "docx")}
        self.buttons["pdf"].button_style = "primary"
        for fmt, button in self.buttons.items():
            button.add_class(f"pb-svc-scorecard-{fmt}")
            button.on_click(lambda _b, fmt=fmt: self.write(fmt))
        self.link = w.HTML()
        self.box = w.VBox([self.language, w.HBox(list(self.buttons.values())), self.status, self.link])
        self._screen_lang = self.app.lang

    def render(self) -> None:
        _ = self._
        if self.lang != self._screen_lang:  # the screen's language changed: the scorecard follows it
            self._screen_lang = self.language.value = self.lang
        self.language.description = _("Language")
        self.buttons["pdf"].description, self.buttons["docx"].description = _("Scorecard (PDF)"), _("Scorecard (Word)")
        for button in self.buttons.values():
            button.disabled = self.service_id is None

    def write(self, fmt: str):
        if self.service_id is None:
            return None
        self.link.value = ""
        path = self.act(lambda: self.service.scorecard_file(self.service_id, self.language.value, fmt))
        if path is not None:
            self.ok(Told(N_("Made: {file}"), file=path.name))
            self.link.value = download_link(path, self._("Download {name}", name=path.name))
        return path
