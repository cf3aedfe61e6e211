"""pbtools demo as a user runs it: the sample workspace once, then left alone; messages in the chosen language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def demo(*args: str, lang_env: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PBTOOLS_LANG"}
    if lang_env:
        env["PBTOOLS_LANG"] = lang_env
    return subprocess.run([sys.executable, "-m", "pbtools", "demo", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def test_demo_follows_pbtools_lang_and_leaves_data_alone(tmp_path):
    ws = str(tmp_path / "ws")
    first = demo("--workspace", ws, lang_env="ky")
    assert first.returncode == 0 and "түзүлдү" in first.stdout  # "created", in Kyrgyz
    again = demo("--workspace", ws, "--if-missing", "--lang", "ru")
    assert again.returncode == 0 and ws in again.stdout and "Sample" not in again.stdout
    refused = demo("--workspace", ws)
    assert refused.returncode == 1 and ws in refused.stderr
