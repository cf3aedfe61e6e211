"""First paint of the apps in a real browser, against a plain Voila page measured in the same run.

Prints, for each page, the time from navigation until a specific widget is visible (median and worst of N loads on
a warm server), and the ratio to the baseline: Voila's default setup (no preheating) rendering a one-widget notebook.
Target (issue 2): the home page and the Budget app show their widgets within 2 s.

    .venv/bin/python benchmarks/first_paint.py [--loads 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS, Server, free_port, wait_for_http  # noqa: E402

PLAIN_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "a", "metadata": {}, "outputs": [],
               "source": "import ipywidgets as w\nw.HTML('<b id=\"plain\">plain</b>')"}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def measure(browser, url: str, selector: str, loads: int) -> list[float]:
    times = []
    for _ in range(loads + 1):  # the first load warms the server's caches and is not counted
        context = browser.new_context()
        context.route("**/*", lambda r: r.continue_() if "//127.0.0.1" in r.request.url else r.abort())
        page = context.new_page()
        start = time.monotonic()
        page.goto(url)
        page.wait_for_selector(selector, state="visible", timeout=120_000)
        times.append(time.monotonic() - start)
        context.close()
        time.sleep(8)  # a warm server: the preheated kernel used by this load is replaced before the next one
    return times[1:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="pbtools-paint-"))
    workspace = tmp / "workspace"
    subprocess.run([sys.executable, "-m", "pbtools", "demo", "--workspace", str(workspace)], check=True, capture_output=True)
    plain_dir = tmp / "plain"
    plain_dir.mkdir()
    (plain_dir / "plain.ipynb").write_text(json.dumps(PLAIN_NOTEBOOK))
    plain_port = free_port()
    plain = subprocess.Popen([sys.executable, "-m", "voila", "--no-browser", f"--port={plain_port}", str(plain_dir)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server(workspace, free_port(), tmp / "serve.log")
    try:
        wait_for_http(f"http://127.0.0.1:{plain_port}/", plain)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            rows = [
                ("plain Voila page (baseline)", measure(browser, f"http://127.0.0.1:{plain_port}/voila/render/plain.ipynb", "#plain", args.loads)),
                ("home page", measure(browser, server.url + "/?lang=ky", "#app-budget", args.loads)),
                ("Budget app", measure(browser, server.url + "/voila/render/budget.ipynb?lang=ky", ".pb-budget-total", args.loads)),
            ]
            browser.close()
    finally:
        server.stop()
        plain.terminate()
    base = statistics.median(rows[0][1])
    print(f"{'page':32} {'median s':>9} {'worst s':>8} {'vs baseline':>12}")
    for name, times in rows:
        med = statistics.median(times)
        print(f"{name:32} {med:9.2f} {max(times):8.2f} {med / base:11.2f}x")


if __name__ == "__main__":
    main()
