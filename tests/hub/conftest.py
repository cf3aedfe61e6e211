"""A real JupyterHub for the tests: Debian's configurable-http-proxy, a throwaway PostgreSQL holding the
municipalities, written by `pbtools hub init` and started as `jupyterhub -f`. Missing JupyterHub, its
authenticator, the idle culler or the proxy FAIL the tests (make test installs them), never skip them."""

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
from pbtools.demo import create_demo
from pbtools.roles import ADMIN, FACILITATOR, MONITOR, OBSERVER, TRAINER, Actor
from pbtools.server.hub_config import CHP
from pbtools.storage import open_workspace
from tests.fixtures.browser import free_port

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


@pytest.fixture(scope="module")
def hub(pg_server, tmp_path_factory):
    require_hub_software()
    db_url = pg_server.new_central_database()  # its operator as docs/deployment.md has it: CREATEROLE, no superuser
    demo = tmp_path_factory.mktemp("hub-demo") / "ws"
    create_demo(demo)
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
    try:
        yield server
    finally:
        server.stop()
