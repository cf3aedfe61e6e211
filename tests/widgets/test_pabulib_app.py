"""The Pabulib app driven from Python, as a user would: a file uploaded, a rule chosen, buttons clicked."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from pbtools.counting.count import count
from pbtools.counting.pabulib import parse_pb, write_pb
from pbtools.i18n import translator
from pbtools.storage import open_workspace
from tests.results.test_pabulib_view import FILE, with_points
from pbtools_widgets.pabulib_app import COMPARED, PabulibApp


@pytest.fixture
def ws(tmp_path):
    with open_workspace(tmp_path / "ws") as workspace:
        yield workspace


def upload(app: PabulibApp, name: str, text: str) -> None:
    data = text.encode()
    app.upload.value = ({"name": name, "type": "", "size": len(data), "content": memoryview(data), "last_modified": datetime.now(timezone.utc)},)


def test_an_uploaded_election_is_kept_and_counted_by_the_files_own_rule(ws):
    app = PabulibApp(ws, lang="ru")
    assert "pabulib" in app.about.value.lower() and app.rule.value is not None
    upload(app, "mock.pb", FILE)
    kept = ws.path / "pabulib" / "mock.pb"
    assert kept.read_text() == FILE and "pb-ok" in app.status.value
    assert app.choice.value == str(kept)
    assert "Kyrgyzstan · Ak-Suu · 2026" in app.about.value and "100\u00a0€" in app.about.value
    assert app.rule.value == "greedy"  # META rule
    app.count_button.click()
    expected = count(parse_pb(FILE), "greedy", min_points=2)  # the file's threshold applies
    assert "Те же проекты, что и в официальном итоге." in app.outcome.value
    assert len(re.findall(r"✓ \d", app.table.value)) == len(expected.selected)
    assert "School roof" in app.steps.value  # the explanation names the projects
    imported = app.status.value
    app.lang_switch.value = "ky"
    assert "Расмий жыйынтыктагы долбоорлор менен бирдей." in app.outcome.value
    assert app.status.value != imported and "mock.pb" in app.status.value  # the upload's notice follows the language
    assert translator("ky")("Imported {name}.", name="mock.pb") in app.status.value


def test_compare_counts_each_usual_rule_beside_the_official_outcome(ws):
    app = PabulibApp(ws, lang="en")
    upload(app, "mock.pb", FILE)
    app.compare_button.click()
    assert set(COMPARED) <= set(app.results)
    head = app.table.value.split("</tr>")[0]
    assert "Phragmén" in head and "Greedy" in head and "Official" in head
    e = parse_pb(FILE)
    for rule in COMPARED:
        picked = count(e, rule, min_points=2).selected
        assert app.results[rule].selected == picked


def test_compare_counts_the_files_own_rule_too_and_says_how_to_add_another(ws):
    """An Equal Shares file compared greedy, Equal Shares + greedy and Phragmén only: the city's own rule was not
    among them unless chosen, and nothing said the other rules were left out (new-user trial s27 M3)."""
    app = PabulibApp(ws, lang="en")
    upload(app, "ens.pb", FILE.replace("rule;greedy", "rule;equalshares/add1"))
    assert app.rule.value == "mes-add1-ens"
    app.rule.value = "greedy"  # another rule chosen: the file's own is still compared
    app.compare_button.click()
    assert set(app.results) == {"mes-add1-ens", *COMPARED}
    assert "Equal Shares, as on the equalshares.net website" in app.table.value.split("</tr>")[0]
    assert "Count another rule to add its column." in app.table.value
    app.lang_switch.value = "ru"
    assert "Подсчитайте по другому правилу" in app.table.value


@pytest.mark.parametrize("lang", ["en", "ru", "ky"])
def test_greedys_name_in_the_pabulib_app_says_no_votes_when_points_are_counted(ws, lang):
    """"Greedy (most votes first)" was shown beside "Count by: Points" (new-user trial s27 L6)."""
    app = PabulibApp(ws, lang=lang)
    upload(app, "points.pb", with_points(FILE).replace("vote_type;approval", "vote_type;cumulative"))
    assert app.score.value == "points"
    shown = app.rule.options
    greedy = translator(lang)("Greedy (the highest score first)")
    assert any(label == greedy for label, _value in shown)
    assert translator(lang)("Greedy (most votes first)") not in str(shown)


def test_a_malformed_upload_is_refused_with_its_line_and_nothing_is_kept(ws):
    app = PabulibApp(ws, lang="ky")
    upload(app, "mock.pb", FILE)
    bad = FILE.replace("g;2,4", "g;2,9")  # project 9 is not in PROJECTS
    upload(app, "bad.pb", bad)
    line = FILE.splitlines().index("g;2,4") + 1
    assert "pb-error" in app.status.value and f"bad.pb, {line}-сап" in app.status.value and "9" in app.status.value
    assert "өзгөргөн жок" in app.status.value
    assert sorted(p.name for p in (ws.path / "pabulib").iterdir()) == ["mock.pb"]
    assert app.choice.value.endswith("mock.pb") and "Ak-Suu" in app.about.value  # what was open stays open


def test_a_different_file_with_the_same_name_does_not_replace_the_first(ws):
    app = PabulibApp(ws, lang="en")
    upload(app, "mock.pb", FILE)
    upload(app, "mock.pb", FILE.replace("budget;100", "budget;90"))
    assert sorted(p.name for p in (ws.path / "pabulib").iterdir()) == ["mock-2.pb", "mock.pb"]
    assert app.choice.value.endswith("mock-2.pb") and "90\u00a0€" in app.about.value


def test_a_hearing_exported_as_pb_is_listed_and_each_rule_offers_what_it_can_count(ws):
    (ws.path / "exports").mkdir(parents=True)
    write_pb(parse_pb(with_points(FILE.replace("vote_type;approval", "vote_type;cumulative").replace("rule;greedy", "rule;unknown"))),
             ws.path / "exports" / "h1-q2.pb")
    app = PabulibApp(ws, lang="en")
    assert app.choice.value.endswith("h1-q2.pb")
    assert app.rule.value == "greedy"  # no rule the app knows: greedy
    assert [v for _, v in app.score.options] == ["support", "points"] and app.score.value == "points"
    app.score.value = "support"
    app.rule.value = "mes"
    assert app.score.value == "support"  # the choice made is kept where the rule can count it
    app.rule.value = "phragmen"
    assert [v for _, v in app.score.options] == ["support"]


def test_votes_by_group_are_shown_for_the_fields_the_file_gives(ws):
    from tests.results.test_pabulib_view import GROUPED

    app = PabulibApp(ws, lang="ru")
    upload(app, "grouped.pb", GROUPED)
    assert [v for _, v in app.group_by.options][:3] == ["sex", "age", "district"]
    assert "Женщина (4)" in app.by_group.value and "Мужчина (2)" in app.by_group.value
    app.group_by.value = "age"
    assert "Младше 18 (1)" in app.by_group.value and "Неизвестно (1)" in app.by_group.value
    upload(app, "mock.pb", FILE)  # no voter fields: no grouping offered
    assert app.group_by.options == () and app.by_group.value == "" and app.group_by.layout.display == "none"


def test_compare_counts_the_rule_shown_even_after_another_file_was_counted(ws):
    app = PabulibApp(ws, lang="en")
    upload(app, "mock.pb", FILE)
    app.rule.value = "mes"
    app.count_button.click()
    upload(app, "other.pb", FILE.replace("rule;greedy", "rule;greedy-no-skip"))  # the file's own rule is chosen
    assert app.rule.value == "greedy-no-skip"
    app.compare_button.click()
    assert app.shown_rule == "greedy-no-skip" and "greedy-no-skip" in app.results and "mes" not in app.results
    assert app.outcome.value.startswith("<p>Greedy, stopping at the first option")


def test_points_counted_are_shown_and_each_rule_has_its_total(ws):
    points_file = FILE.replace("vote_type;approval", "vote_type;cumulative").replace("voter_id;vote\n", "voter_id;vote;points\n")
    for line in ("a;1", "b;1", "c;1,3", "d;1,2", "e;2,3", "f;2,3", "g;2,4"):
        n = line.count(",") + 1
        points_file = points_file.replace(f"\n{line}\n", f"\n{line};{','.join(['2'] * n)}\n")
    app = PabulibApp(ws, lang="en")
    upload(app, "points.pb", points_file)
    assert app.score.value == "points"
    app.count_button.click()
    head = app.table.value.split("</tr>")[0]
    assert "Points given" in head
    e = parse_pb(points_file)
    from pbtools.counting.tallies import option_counts

    given = option_counts(e, by=())
    row_1 = next(r for r in app.table.value.split("<tr>") if r.startswith("<td>1 School roof"))
    assert f"<td>{given['1'].points}</td>" in row_1  # 2 points from each of its 4 voters
    result = app.results[app.shown_rule]
    assert f"Funded: {len(result.selected)}" in app.table.value.split("pb-total")[1]


def test_the_browser_keeps_the_election_rule_and_score_for_the_next_visit(ws):
    """What the user chose is handed to the browser to keep; a new app (a reload) given it back opens the same."""
    first = PabulibApp(ws, lang="ru")
    upload(first, "a.pb", FILE)
    upload(first, "b.pb", FILE.replace("Ak-Suu", "Kara-Suu"))
    first.choice.value = str(ws.path / "pabulib" / "a.pb")
    first.rule.value = "mes"
    kept = json.loads(first.kept.value)
    assert kept == {"file": "a.pb", "rule": "mes", "score": first.score.value}
    again = PabulibApp(ws, lang="ru")
    assert again.choice.value.endswith("b.pb") and again.rule.value == "greedy"  # left alone: the last file, its rule
    again.kept.kept = first.kept.value  # what the browser sends when the page is shown
    assert again.choice.value.endswith("a.pb") and again.rule.value == "mes" and "Ak-Suu" in again.about.value
    gone = PabulibApp(ws, lang="ru")
    gone.kept.kept = json.dumps({"file": "removed.pb", "rule": "mes"})  # a file no longer here: nothing changes
    assert gone.choice.value.endswith("b.pb") and gone.rule.value == "greedy"


def test_nothing_to_count_until_an_election_is_open_and_the_files_rule_is_named_in_words(ws):
    app = PabulibApp(ws, lang="ru")
    assert app.count_button.disabled and app.compare_button.disabled  # a click would do nothing
    upload(app, "ens.pb", FILE.replace("rule;greedy", "rule;equalshares/add1"))
    assert not app.count_button.disabled and not app.compare_button.disabled
    said = ("Официальное правило (как в файле): Метод равных долей, дополненный как на сайте equalshares.net (доли "
            "увеличиваются, пока следующий шаг не превысит бюджет) (equalshares/add1).")
    assert said in app.about.value


@pytest.mark.parametrize("lang, site", [("ru", "сайт"), ("ky", "сайт")])
def test_rule_names_have_no_leftover_english_and_say_equalshares_net_is_a_website(ws, lang, site):
    from pbtools.results import pabulib as pb

    app = PabulibApp(ws, lang=lang)
    upload(app, "mock.pb", FILE)
    shown = [label for label, _rule in app.rule.options] + [app._(pb.SHORT[r]) for r in pb.SHORT]
    assert not [name for name in shown if "Add1" in name]
    ens = [name for name in shown if "equalshares.net" in name]
    assert ens and all(site in name for name in ens)
    assert app.ignore_limits.description and "pabutools" in app.ignore_limits.description


def test_a_large_file_opens_counts_and_switches_language_from_the_readers_arrays(ws):
    """Kraków 2024 (65,101 rankings): the screens are drawn from the compiled reader's arrays, with the Python
    reader's numbers, and no Ballot is made per voter by opening, counting every rule, or switching language."""
    from pbtools.counting.count import RULES
    from pbtools.counting.native import BUILT
    from pbtools.counting.pabulib import read_pb
    from pbtools.counting.tallies import option_counts
    from pbtools.results import pabulib as pb
    from tests.shared_data import pabulib_file

    path = pabulib_file("Poland_Krakow_2024.pb")
    (ws.path / "pabulib").mkdir(parents=True)
    (ws.path / "pabulib" / path.name).symlink_to(path)  # the shared file itself, never copied
    app = PabulibApp(ws, lang="en")
    assert app.choice.value.endswith(path.name) and app.facts.voters == 65101
    python = read_pb(path, engine="python")
    supporters = option_counts(python, by=())
    for rule in RULES:
        app.rule.value = rule
        for score in [v for _, v in app.score.options]:
            app.score.value = score
            app.count_button.click()
            expected = pb.named(pb.count_file(python, rule, score), python)  # the Python reader's, counted alone
            got = app.results[rule]
            assert (got.selected, got.total_cost, got.options["notes"]) == (expected.selected, expected.total_cost, expected.options["notes"])
            assert [t.message.render("en") for t in got.ties] == [t.message.render("en") for t in expected.ties]
    rows = app.table.value.split("<tr>")
    for p in python.projects[:5]:
        row = next(r for r in rows if r.startswith(f"<td>{pb.project_label(p, 'en')}</td>"))
        assert f"<td>{supporters[p.id].votes:,}</td>" in row
    app.group_by.value = "sex"
    app.lang_switch.value = "ru"
    women = next(g for g in pb.groups(python, "sex") if g.value == "f")
    assert f"Женщина ({women.voters:,})".replace(",", "\u00a0") in app.by_group.value  # drawn again in Russian
    if BUILT:
        assert app.election.ballots._list is None  # LazyBallots never asked for its Ballots


@pytest.mark.parametrize("lang, one", [("en", "1 project funded"), ("ru", "финансируется 1 проект"), ("ky", "1 долбоор каржыланат")])
def test_the_outcome_says_how_many_projects_in_the_languages_number_form(ws, lang, one):
    """One project funded is said in the singular (it read "1 projects funded")."""
    from tests.shared_data import pabulib_file

    app = PabulibApp(ws, lang=lang)
    path = pabulib_file("Netherlands_Amsterdam_643.pb")
    upload(app, path.name, path.read_text(encoding="utf-8"))
    app.rule.value = "mes-add1"
    app.count_button.click()
    assert len(app.results["mes-add1"].selected) == 1
    assert one in app.outcome.value.replace("\u00a0", " ")


@pytest.mark.parametrize("lang, said", [("en", "Official rule: the file says it is not known."),
                                        ("ru", "Официальное правило: в файле указано, что оно неизвестно."),
                                        ("ky", "Расмий эреже: файлда ал белгисиз деп көрсөтүлгөн.")])
def test_a_rule_the_file_calls_unknown_is_said_in_the_users_language(ws, lang, said):
    """META rule "unknown" (Zurich S5, and 11 more of the shared files) was shown as the raw English word."""
    from tests.shared_data import pabulib_file

    app = PabulibApp(ws, lang=lang)
    path = pabulib_file("Switzerland_Zurich_S5.pb")
    upload(app, path.name, path.read_text(encoding="utf-8"))
    assert app.facts.official_rule == "unknown"
    assert said in app.about.value
    assert "unknown" not in app.about.value


def test_a_hearing_exported_from_the_consoles_reports_tab_is_listed(ws):
    """The empty screen says "or export a hearing as .pb": the console's Reports tab writes it into the workspace's
    reports folder, and the app lists it there (it looked only in exports/)."""
    from pbtools_widgets.console import ConsoleApp
    from tests.hearings.conftest import build
    from tests.widgets.test_console import open_tab

    store = build(ws)
    for typed in ("1 2", "2", "1"):
        store.cast_typed("approval", typed, actor="clerk")
    console = ConsoleApp(ws, lang="en")
    panel = open_tab(console, "reports")
    panel.question.value = "approval"
    written = panel.write("pb")
    assert written is not None and written.parent == ws.path / "reports"
    app = PabulibApp(ws, lang="en")
    assert str(written) in [v for _, v in app.choice.options]
    app.choice.value = str(written)
    app.count_button.click()
    assert app.election is not None and "pb-error" not in app.status.value and app.table.value
    # named in the screen's language (the export's name_ru, name_en; its name is Kyrgyz), a count made before a
    # language switch too: the table, the explanation step by step, and Compare rules (the app showed them in Kyrgyz)
    for lang, name in (("en", "Project 1"), ("ru", "Проект 1"), ("ky", "Долбоор 1")):
        app.lang_switch.value = lang
        assert f"<td>P1 {name}</td>" in app.table.value and f"P1 {name}" in app.steps.value
        others = {"Project 1", "Проект 1", "Долбоор 1"} - {name}
        assert not any(other in app.table.value + app.steps.value for other in others)
    app.lang_switch.value = "ru"
    app.compare_button.click()
    assert len(app.results) > 1 and "<td>P1 Проект 1</td>" in app.table.value and "Project 1" not in app.table.value


def test_an_upload_can_be_removed_from_the_list_and_a_hearings_export_cannot(ws):
    """Every upload stayed in the workspace's pabulib/ folder, the 50 MB test file and a cut one too, with no way
    to drop one (new-user trial s27 L9)."""
    from pbtools.paths import reports_folder

    exported = reports_folder(ws.path) / "sample-q1.pb"
    exported.parent.mkdir(parents=True, exist_ok=True)
    exported.write_text(FILE)
    app = PabulibApp(ws, lang="ru")
    upload(app, "first.pb", FILE)
    upload(app, "second.pb", FILE.replace("budget;100", "budget;90"))
    kept = ws.path / "pabulib" / "second.pb"
    assert app.choice.value == str(kept) and not app.remove_button.disabled
    app.remove_button.click()
    assert not kept.exists() and (ws.path / "pabulib" / "first.pb").exists()
    assert str(kept) not in [v for _, v in app.choice.options] and app.choice.value is not None
    assert "second.pb убран из списка" in app.status.value
    app.lang_switch.value = "en"
    assert "Removed second.pb from the list" in app.status.value
    app.choice.value = str(exported)  # the console's export: not the app's to delete
    assert app.remove_button.disabled
    app.remove_chosen()
    assert exported.exists()


def test_a_file_that_is_not_utf8_is_refused_with_its_line_and_what_to_do(ws):
    """A Polish file saved as Windows-1250 was refused at "byte 59" (new-user trial s27 L10)."""
    app = PabulibApp(ws, lang="en")
    data = FILE.replace("Bench", "Ławka").encode("cp1250")
    app.upload.value = ({"name": "latin2.pb", "type": "", "size": len(data), "content": memoryview(data),
                         "last_modified": datetime.now(timezone.utc)},)
    line = FILE.splitlines().index("4;10;Bench;0") + 1
    assert f"latin2.pb, line {line}: not UTF-8 text" in app.status.value and "Save the file as UTF-8" in app.status.value
    assert not (ws.path / "pabulib" / "latin2.pb").exists()
    app.lang_switch.value = "ru"
    assert f"строка {line}: текст не в кодировке UTF-8" in app.status.value
