"""Behind the hub, the home page links only the apps the user's role may open (the others answer 403)."""

from pathlib import Path

import pytest

from pbtools.central.hub import may_open
from pbtools.server.pages import APPS, home_html

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def linked(html: str) -> set[str]:
    return {nb for nb, _, _ in APPS if f'id="app-{nb.removesuffix(".ipynb")}"' in html}


def test_a_laptop_links_every_app():
    assert linked(home_html("en", "Ak-Suu", NOTEBOOKS)) == {nb for nb, _, _ in APPS}


@pytest.mark.parametrize("role", ["admin", "facilitator", "monitor", "trainer", "observer"])
def test_behind_the_hub_a_role_sees_only_the_apps_it_may_open(role):
    shown = linked(home_html("ru", "Ak-Suu", NOTEBOOKS, role=role))
    assert shown == {nb for nb, _, _ in APPS if may_open(role, nb)}
    assert ("console.ipynb" in shown) == (role in ("admin", "facilitator"))
    assert "results.ipynb" in shown and "monitoring.ipynb" in shown


@pytest.mark.parametrize("role, refused", [("trainer", False), ("facilitator", False), ("admin", False),
                                           ("monitor", True), ("observer", True)])
def test_the_practice_console_is_refused_to_a_role_that_may_not_change_sandboxes(role, refused, monkeypatch):
    """s28 H1: the practice console writes into a sandbox's hearings: a trainer (SANDBOX only) opens it, a role
    without SANDBOX gets the 403 page (``AppRefused``) before any kernel starts; it is not on the home page."""
    from pbtools.server import hub_mode

    monkeypatch.setenv("PBTOOLS_ROLE", role)
    routes = [pattern for pattern, *_ in hub_mode.handlers()]
    assert any("practice_console" in p for p in routes) == refused
    assert may_open(role, "practice_console.ipynb") != refused
    assert "practice_console.ipynb" not in {nb for nb, _, _ in APPS}
