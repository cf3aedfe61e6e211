"""A real JupyterHub for the tests: Debian's configurable-http-proxy, a throwaway PostgreSQL holding the
municipalities, written by `pbtools hub init` and started as `jupyterhub -f`. Missing JupyterHub, its
authenticator, the idle culler or the proxy FAIL the tests (make test installs them), never skip them.

``hub`` is one hub per test process (pytest-xdist worker), shared by the modules that only add to it: starting a
hub, signing the roles up and starting their servers cost each module half a minute. Such a module uses names and
state of its own (users, municipalities, hearings), never counts what the hub holds as a whole, and works whichever
of the others ran on this hub before it. A module that restarts the hub, takes administrators' grants away or
needs the hub as new takes ``fresh_hub`` (its own, for the module): it runs while no shared hub does, as both
would make the same PostgreSQL logins (m_ak_suu_*, cluster-wide) with passwords of their own. The shared hub
stops as soon as the next module takes no shared hub (``pytest_runtest_teardown`` below), so it is not kept running
through the rest of the suite.

On the shared hub every failed sign-up from the browser (127.0.0.1) counts towards one bound
(``hub_limits.SIGNUPS``, 10 in 10 minutes): hub_roles and hub_languages make 8 together. A module that needs more
makes them from an address of its own (``hubhttp.Client(hub, "127.0.0.N")``)."""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pbtools.central.registry import Central
from pbtools.roles import ADMIN, FACILITATOR, MONITOR, OBSERVER, TRAINER, Actor
from pbtools.server.hub_config import CHP
from pbtools.storage import open_workspace
from tests.fixtures.browser import free_port, local_page
from tests.fixtures.demo import copy_demo, laptop_template
from tests.fixtures.shared import Shared, kept, stop_when_unneeded

ROOT = Path(__file__).resolve().parents[2]
CODE = "ak_suu"
PASSWORD = "Kara-Suu-2026!x"  # NativeAuthenticator refuses short and common ones
ROLES = {"root": ADMIN, "aida": FACILITATOR, "meder": MONITOR, "saule": TRAINER, "olga": OBSERVER}
OPERATOR = Actor("operator", ADMIN)


def municipality_name(lang: str = "ky") -> str:
    from pbtools.budget.municipality import read_municipality
    from pbtools.demo import SAMPLE_DIR

    return read_municipality(SAMPLE_DIR).name(lang)


def require_hub_software() -> None:
    missing = [m for m in ("jupyterhub", "nativeauthenticator", "jupyterhub_idle_culler") if importlib.util.find_spec(m) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: pip install -e '.[test]' (the hub group)")
    if not os.path.exists(CHP):
        pytest.fail(f"{CHP} is missing: run `sh scripts/system-deps.sh` (Debian's node-configurable-http-proxy)")


class Hub:
    def __init__(self, folder: Path, db_url: str) -> None:
        self.folder, self.db_url = folder, db_url
        self.port, hub_port = free_port(2), free_port()  # the proxy's API listens on port + 1
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / ".pyalias"), os.environ.get("PYTHONPATH", "")])}
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        env.pop("PBTOOLS_WORKSPACE", None)
        # the public address as docs/deployment.md says to give it: here the proxy's own (what phones are shown)
        subprocess.run([sys.executable, "-m", "pbtools", "hub", "init", str(folder), "--db", db_url, "--port",
                        str(self.port), "--hub-port", str(hub_port), "--public-url", self.url + "/"],
                       check=True, env=env, capture_output=True)
        self.env = env
        self.accounts: dict[str, str] | None = None  # the roles' sign-ups (``accounts``), once per hub
        self.services = False  # the municipality's demo services are stored (``with_services``)
        self.start()

    def start(self) -> None:
        """(Again:) ``jupyterhub -f``, until its login page answers."""
        self.log = open(self.folder / "hub.log", "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(self.folder / "jupyterhub_config.py")],
                                        cwd=self.folder, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.process.returncode}:\n{self.log_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/hub/login", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"the hub did not answer within {timeout} s:\n{self.log_text()[-3000:]}")

    def invite(self, name: str, days: int = 7) -> str:
        """The invitation code the operator would give ``name`` (``pbtools central invite``)."""
        from pbtools.central.accounts import issue

        with Central(self.db_url, self.folder / "municipalities") as central:
            return issue(central, name, OPERATOR, days).code

    def log_text(self) -> str:
        return (self.folder / "hub.log").read_text(errors="replace")

    def admins(self) -> set[str]:
        """The users the hub's database says are administrators (the flag, and the admin role)."""
        with sqlite3.connect(self.folder / "jupyterhub.sqlite") as db:
            flagged = {name for (name,) in db.execute("SELECT name FROM users WHERE admin")}
            in_role = {name for (name,) in db.execute(
                "SELECT u.name FROM users u JOIN user_role_map m ON m.user_id = u.id JOIN roles r ON r.id = m.role_id "
                "WHERE r.name = 'admin'")}
        return flagged | in_role

    def running(self, name: str) -> set[str]:
        """The names of ``name``'s servers the hub's database says are running ('' the default one)."""
        with sqlite3.connect(self.folder / "jupyterhub.sqlite") as db:
            return {server for (server,) in db.execute("SELECT s.name FROM spawners s JOIN users u ON u.id = s.user_id "
                                                        "WHERE u.name = ? AND s.server_id IS NOT NULL", (name,))}

    def groups(self) -> dict[str, set[str]]:
        """The hub's groups and their members, as the hub stored them."""
        with sqlite3.connect(self.folder / "jupyterhub.sqlite") as db:
            rows = db.execute("SELECT g.name, u.name FROM groups g JOIN user_group_map m ON m.group_id = g.id "
                              "JOIN users u ON u.id = m.user_id").fetchall()
        found: dict[str, set[str]] = {}
        for group, user in rows:
            found.setdefault(group, set()).add(user)
        return found

    def stop(self) -> None:
        self.process.terminate()  # the hub stops the users' servers, the proxy and the culler
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def start_hub(pg_server, tmp_path_factory) -> Hub:
    """A new hub over a new central database: the sample municipality (ak_suu) with a role for each of ``ROLES``,
    kara_too with bakyt as its facilitator, and ``audit``: the demo's closed hearing as a laptop hands it in."""
    require_hub_software()
    db_url = pg_server.new_central_database()  # its operator as docs/deployment.md has it: CREATEROLE, no superuser
    # a laptop of the municipality: its hearing no practice one (never handed in), no demo mark
    demo = copy_demo(laptop_template(tmp_path_factory), tmp_path_factory.mktemp("hub-demo") / "ws")
    folder = tmp_path_factory.mktemp("hub")
    with open_workspace(demo) as d, Central(db_url, folder / "municipalities") as central:
        central.add_municipality(CODE, d.municipality(), OPERATOR)
        from pbtools.budget.model import Municipality

        central.add_municipality("kara_too", Municipality({"ky": "Кара-Тоо", "ru": "Кара-Тоо", "en": "Kara-Too"}), OPERATOR)
        for user, role in ROLES.items():
            central.grant(user, "*" if role == ADMIN else CODE, role, OPERATOR)
        central.grant("bakyt", "kara_too", FACILITATOR, OPERATOR)
    with open_workspace(demo) as d:  # the demo's closed hearing, as a laptop hands it in
        from pbtools.hearings.store import hearing_ids
        from pbtools.reports.audit import write_audit

        audit = write_audit(d, hearing_ids(d)[0], folder / "hand-in.jsonl")
    server = Hub(folder, db_url)
    server.audit = audit
    return server


SHARED = pytest.StashKey[Shared]()


@pytest.fixture(scope="session")
def shared_hubs(pg_server, tmp_path_factory, pytestconfig):
    yield from kept(pytestconfig, SHARED, lambda: start_hub(pg_server, tmp_path_factory))


@pytest.fixture(scope="module")
def hub(shared_hubs) -> Hub:
    """The worker's shared hub (see the module's docstring for what a module using it must keep to)."""
    return shared_hubs.get()


@pytest.fixture(scope="module")
def fresh_hub(pg_server, tmp_path_factory):
    """A hub of the module's own, as new."""
    server = start_hub(pg_server, tmp_path_factory)
    try:
        yield server
    finally:
        server.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """The shared hub stops after the last module of a run of those sharing it: before a module with a hub of its
    own (the same logins, see above) and before the rest of the suite."""
    try:
        return (yield)
    finally:
        stop_when_unneeded(item, nextitem, SHARED, "shared_hubs")


# The roles' accounts, as the operator's invitation codes make them (tests/hub/test_hub_roles.py checks them)
NO_GRANT, UNINVITED, OTHER_PLACE = "nurlan", "eve", "bakyt"


def sign_up(browser, hub, name: str, code: str) -> str:
    with local_page(browser) as page:
        page.goto(hub.url + "/hub/signup?lang=en")  # the hub is Kyrgyz by default (test_hub_languages.py)
        page.fill("#username_input", name)
        page.fill("#password_input", PASSWORD)
        page.fill("#password_confirmation_input", PASSWORD)
        page.fill("#invitation_input", code)
        page.click("#signup_submit")
        return page.locator(".alert").first.inner_text()


def log_in(page, hub, name: str) -> None:
    page.goto(hub.url + "/hub/login?lang=en")
    page.fill("#username_input", name)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")


@pytest.fixture(scope="module")
def accounts(hub, chromium):
    """Everyone signs up with the invitation code the operator was given for them (approved at once), one with a
    made-up code; the administrator logs in (their own server running from here on). Once per hub: what each
    sign-up said."""
    if hub.accounts is None:
        from tests.hub.hubhttp import Client

        said = {name: sign_up(chromium, hub, name, hub.invite(name)) for name in [*ROLES, NO_GRANT, OTHER_PLACE]}
        said[UNINVITED] = sign_up(chromium, hub, UNINVITED, "ABCD-EFGH-JKLM")
        for name in [*ROLES, OTHER_PLACE]:  # each has logged in once (the hub's groups are set at a login)
            assert Client(hub).log_in(name).status_code == 302
        with local_page(chromium) as page:
            page.set_default_timeout(120_000)
            log_in(page, hub, "root")
            page.wait_for_url("**/user/root/**")
        hub.accounts = said
    return hub.accounts


def with_services(hub) -> None:
    """The municipality's demo services (their surveys, the water plan), stored once per hub."""
    if not hub.services:
        from pbtools.services.demo import create_demo_services

        with Central(hub.db_url, hub.folder / "municipalities") as central, central.workspace(CODE) as ws:
            create_demo_services(ws)
        hub.services = True
