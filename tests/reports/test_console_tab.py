"""The console's Reports tab: a button writes the file, progress moves while it does, then a download link."""

from __future__ import annotations

import base64
import re

from pbtools.counting.pabulib import read_pb
from pbtools.i18n import translator
from pbtools.reports.audit import check_audit


def test_reports_tab_writes_each_file_with_progress_and_a_link(ws, sample):
    from pbtools_widgets.console.app import ConsoleApp

    app = ConsoleApp(ws, lang="ru")
    app.select(sample[1])
    app.refresh_panels()
    app.tabs.selected_index = list(app.panels).index("reports")  # the facilitator opens the tab
    panel = app.panels["reports"]
    _ = translator("ru")
    assert app.tabs.get_title(list(app.panels).index("reports")) == _("Reports")
    seen: list[int] = []
    panel.progress.observe(lambda change: seen.append(change["new"]), "value")

    panel.report_lang.value = "ky"
    panel.buttons["pdf"].click()
    out = sample[0] / "reports" / f"protocol-{sample[1]}-ky.pdf"
    assert out.is_file() and out.name in panel.message.value and str(out.parent) not in panel.message.value  # its name, never the server's path
    assert seen[-1] == panel.progress.max and len(set(seen)) >= 3  # every step was shown
    link = re.search(r'href="data:application/pdf;base64,([^"]+)"', panel.result.value)
    assert link and base64.b64decode(link.group(1)) == out.read_bytes()
    assert panel.progress.layout.visibility == "hidden" and not any(b.disabled for b in panel.buttons.values())

    panel.question.value = "q2"
    panel.buttons["pb"].click()
    assert read_pb(sample[0] / "reports" / f"{sample[1]}-q2.pb").vote_type == "cumulative"

    panel.buttons["audit"].click()
    assert check_audit(sample[0] / "reports" / f"audit-{sample[1]}.jsonl").ok
