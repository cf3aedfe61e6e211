"""A trainer opens a Pabulib election in the browser, counts it and compares rules, in Russian."""

from __future__ import annotations

import re

from pbtools.counting.count import count
from pbtools.counting.pabulib import parse_pb
from tests.results.test_pabulib_view import FILE


def test_upload_count_and_compare_in_russian(app_server, page, tmp_path):
    path = tmp_path / "ak-suu-mock.pb"
    path.write_text(FILE, encoding="utf-8")
    page.goto(app_server.url + "/voila/render/pabulib.ipynb?lang=ru")
    page.locator(".pb-app .pb-title", has_text="Голосования Pabulib").wait_for()
    # the upload button reads its label only, not ipywidgets' file counter "(0)"
    seen = page.locator(".pb-app .widget-upload").evaluate(
        "b => [getComputedStyle(b).fontSize, getComputedStyle(b, '::after').content]")
    assert seen == ["0px", '"Загрузить файл .pb"']
    with page.expect_file_chooser() as chooser:
        page.locator(".pb-app .widget-upload").click()
    chooser.value.set_files(str(path))
    page.locator(".pb-election", has_text="Ak-Suu").wait_for()
    assert (app_server.workspace / "pabulib" / path.name).read_text(encoding="utf-8") == FILE  # kept before it is shown
    page.get_by_role("button", name="Подсчитать").click()
    page.locator(".pb-app", has_text="Те же проекты, что и в официальном итоге.").wait_for()
    table = page.locator(".pb-pabulib")
    funded = count(parse_pb(FILE), "greedy", min_points=2).selected
    assert len(re.findall(r"✓ \d", table.inner_text())) == len(funded)
    page.get_by_role("button", name="Сравнить правила").click()
    table.locator("th", has_text="Фрагмен").wait_for()
    headers = table.locator("th").all_inner_texts()
    assert headers[-1] == "Официально" and "Равные доли + жадное" in headers
    how = page.locator(".pb-app details", has_text="Как считало правило")
    how.locator("summary").click()  # the explanation, folded until asked for, names the projects
    assert "School roof" in how.inner_text() and "Street lights" in how.inner_text()
    # opened, it stays open when the app draws it again in another language (it came back folded: s27 L7)
    page.get_by_role("button", name="English").click()
    page.locator(".pb-app details", has_text="How Greedy").wait_for()
    assert page.locator(".pb-app details[data-pb-keep=pabulib-steps]").evaluate("d => d.open")
    page.get_by_role("button", name="Русский").click()
    how.wait_for()
    assert how.evaluate("d => d.open")
    # the browser keeps the election and the rule chosen: a reload opens them again (not the file's own rule)
    from pbtools.i18n import translator
    from pbtools.results.pabulib import NAMES

    mes = translator("ru")(NAMES["mes"])
    page.get_by_label("Правило").select_option(label=mes)
    page.wait_for_function("() => (window.localStorage.getItem('pbtools.pabulib') || '').includes('\"rule\": \"mes\"')")
    page.reload()
    page.locator(".pb-election", has_text="Ak-Suu").wait_for()
    shown = "s => (s.options[s.selectedIndex]?.text || '').replace(/\\s/g, ' ')"  # option labels keep their words together
    page.wait_for_function(f"() => [...document.querySelectorAll('.pb-app select')].map({shown}).includes({mes!r})")


def test_a_long_count_shows_a_moving_bar_and_the_files_limits(app_server, page):
    """An Add1 count of Warszawa 2026 takes seconds: its bar is full and moving while the text says how far it is
    (it stayed empty), and the outcome says the file's threshold was applied (as ``pbtools tally`` does)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from tests.shared_data import pabulib_file

    path = pabulib_file("Poland_Warszawa_2026.pb")  # read where it lives; the app keeps its own copy in the workspace
    page.goto(app_server.url + "/voila/render/pabulib.ipynb?lang=ru")
    page.locator(".pb-app .pb-title", has_text="Голосования Pabulib").wait_for()
    with page.expect_file_chooser() as chooser:
        page.locator(".pb-app .widget-upload").click()
    chooser.value.set_files(str(path))
    page.locator(".pb-election", has_text="Warszawa").wait_for(timeout=120_000)
    from pbtools.i18n import translator
    from pbtools.results.pabulib import NAMES

    page.get_by_label("Правило").select_option(label=translator("ru")(NAMES["mes-add1"]))
    page.get_by_role("button", name="Подсчитать").click()
    busy = page.locator(".pb-app .pb-busy")
    busy.wait_for(timeout=60_000)
    measure = """() => {
        const el = document.querySelector('.pb-app .pb-busy');
        const bar = el && (el.querySelector('.progress-bar') || el.querySelector('[class*=progress-bar]'));
        return bar ? [bar.getBoundingClientRect().width / el.getBoundingClientRect().width, getComputedStyle(bar).animationName] : [0, ''];
    }"""
    # its first frame may be drawn before the bar's width is (seen once on a loaded machine): full within seconds
    try:
        page.wait_for_function(f"() => {{ const s = ({measure})(); return s[0] > 0.9 && s[1] === 'pb-busy-stripes'; }}", timeout=10_000)
    except PlaywrightTimeout:
        pass  # said by the assertion below, with what was seen
    seen = page.evaluate(measure)
    assert seen[0] > 0.9 and seen[1] == "pb-busy-stripes", seen
    page.locator(".pb-app", has_text="Применены ограничения файла").wait_for(timeout=180_000)
    assert page.locator(".pb-app .pb-busy").count() == 0  # done: the bar is put away


def test_every_rule_counted_on_a_projector_the_official_column_is_in_reach(app_server, page, tmp_path):
    """At 1024 px, seven rules and the official outcome make the table wider than the screen: it scrolls sideways in
    its own box (its scrollbar just under the rows in sight, not below the whole app)."""
    from pbtools.counting.count import RULES
    from pbtools.i18n import translator
    from pbtools.results.pabulib import NAMES

    page.set_viewport_size({"width": 1024, "height": 768})
    path = tmp_path / "wide-mock.pb"
    path.write_text(FILE.replace("Ak-Suu", "Wide-Suu"), encoding="utf-8")
    page.goto(app_server.url + "/voila/render/pabulib.ipynb?lang=ky")
    _ = translator("ky")
    page.locator(".pb-app .pb-title", has_text=_("Pabulib elections")).wait_for()
    with page.expect_file_chooser() as chooser:
        page.locator(".pb-app .widget-upload").click()
    chooser.value.set_files(str(path))
    page.locator(".pb-election", has_text="Wide-Suu").wait_for()
    for rule in RULES:
        page.get_by_label(_("Rule")).select_option(label=_(NAMES[rule]))
        page.get_by_role("button", name=_("Count"), exact=True).click()
        page.locator(".pb-app p", has_text=_(NAMES[rule]) + ":").first.wait_for()
    box = page.locator(".pb-wide-table", has=page.locator("th", has_text=_("Official")))
    sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth, document.documentElement.scrollWidth, innerWidth]")
    assert sizes[0] > sizes[1] and sizes[2] <= sizes[3], sizes  # the table's box scrolls, not the page
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    official = box.locator("th", has_text=_("Official")).bounding_box()
    assert official["x"] + official["width"] <= 1024


def test_a_hearings_export_names_its_projects_in_the_screens_language(app_server, page):
    """A hearing exported as .pb (``name`` Kyrgyz, ``name_ru`` and ``name_en`` beside it) showed its Kyrgyz names
    on a Russian or English screen (s27 note, "Left"): the table and the explanation follow the screen's language."""
    from pbtools.demo import demo_parts
    from pbtools.i18n import translator
    from pbtools.paths import reports_folder
    from pbtools.reports.make import write_export
    from pbtools.storage import open_workspace

    out = reports_folder(app_server.workspace) / "pb-names-sample-q1.pb"  # a name of this test's own
    with open_workspace(app_server.workspace, create=False) as ws:
        (hearing_id,) = demo_parts(ws)[0]
        write_export(ws, hearing_id, "pb", out, question="q1")  # as the console's Reports tab writes it
    try:
        page.goto(app_server.url + "/voila/render/pabulib.ipynb?lang=ru")
        _ = translator("ru")
        page.locator(".pb-app .pb-title", has_text=_("Pabulib elections")).wait_for()
        page.get_by_label(_("Election")).select_option(label=out.name)
        page.locator(".pb-election", has_text=hearing_id).wait_for()
        page.get_by_role("button", name=_("Count"), exact=True).click()
        table = page.locator(".pb-pabulib").first
        table.locator("td", has_text="P3 Уличное освещение в Кок-Талаа").wait_for()
        steps = page.locator(".pb-app details[data-pb-keep=pabulib-steps]")  # the explanation, step by step
        assert "Уличное освещение в Кок-Талаа" in steps.text_content()
        assert "Көк-Талаада" not in table.inner_text() + steps.text_content()  # the Kyrgyz name: the file's `name`
        page.get_by_role("button", name="English").click()
        table.locator("td", has_text="P3 Street lighting in Kok-Talaa").wait_for()
        assert "Street lighting in Kok-Talaa" in steps.text_content() and "Уличное" not in table.inner_text()
    finally:
        out.unlink()  # the workspace is shared: the list of elections as the other modules left it
