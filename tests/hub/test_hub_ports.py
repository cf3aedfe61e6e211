"""`jupyterhub -f` of a config `pbtools hub init` writes, when a port it needs is taken (s26 M4): the proxy's API
took --port + 1 silently; with that port taken the hub retried for a minute, died, and left the proxy running. Now
the start stops at once naming the port, and a proxy the hub started never outlives it. No database is needed:
the ports are checked first."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from pbtools.cli.hub import TEMPLATE
from pbtools.server.hub_config import CHP, NODE_MODULES, stop_left_proxy
from tests.fixtures.browser import free_port
from tests.hub.conftest import ROOT


def write_config(folder, port: int, hub_port: int) -> str:
    folder.mkdir()
    config = folder / "jupyterhub_config.py"
    config.write_text(TEMPLATE.format(config=str(config), db_url="postgresql://nobody@127.0.0.1:1/none", folder=str(folder),
                                      port=port, hub_port=hub_port, public_url=None, trusted_proxies="",
                                      proxy_api_port=port + 1))
    return str(config)


def test_a_taken_proxy_api_port_stops_the_hub_at_once_naming_it(tmp_path):
    port, hub_port = free_port(2), free_port()
    config = write_config(tmp_path / "hub", port, hub_port)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / ".pyalias")]), "PBTOOLS_LANG": "ru"}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port + 1))
        taken.listen()
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "jupyterhub", "-f", config], cwd=tmp_path / "hub", env=env,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and time.monotonic() - started < 30
    assert f"Порт {port + 1} на 127.0.0.1 (--proxy-api-port) занят другой программой" in done.stderr + done.stdout, done.stderr[-2000:]
    assert not (tmp_path / "hub" / "proxy.pid").exists()


def test_a_proxy_left_running_is_stopped_when_the_hub_exits(tmp_path):
    port = free_port(2)
    proxy = subprocess.Popen([CHP, "--ip", "127.0.0.1", "--port", str(port), "--api-ip", "127.0.0.1", "--api-port",
                              str(port + 1)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, "NODE_PATH": os.pathsep.join(NODE_MODULES)})  # as hub_config sets it
    try:
        pid_file = tmp_path / "proxy.pid"
        pid_file.write_text(str(proxy.pid))
        deadline = time.monotonic() + 30
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:  # listening: the proxy runs
            assert proxy.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        stop_left_proxy(pid_file)
        proxy.wait(timeout=10)  # it ends on SIGTERM (its own exit status, 2)
        assert not pid_file.exists()
        other = subprocess.Popen(["sleep", "30"])  # a pid file naming another program: left alone
        pid_file.write_text(str(other.pid))
        stop_left_proxy(pid_file)
        assert other.poll() is None
        other.kill()
        other.wait()
    finally:
        if proxy.poll() is None:
            proxy.send_signal(signal.SIGKILL)
            proxy.wait()
