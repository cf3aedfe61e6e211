"""pbtools installed from a wheel, outside the checkout, creates its demo and serves its apps.

The wheel is built from a copy of the checkout (``pip wheel --no-deps --no-build-isolation``: offline, with this
venv's setuptools and Babel) and installed into a new venv in a temporary folder. That venv sees the shared
dependencies through ``.pth`` lines naming this venv's site-packages (a ``.pth`` line adds the folder only: the
editable install's finder there is not run), and their Jupyter data (Voila's templates, the widget manager) through
``JUPYTER_PATH``, as a normal install would find them under its own prefix. Nothing may come from the checkout: the
copy the wheel was built from is deleted before anything runs, and the installed modules are checked to live in the
new venv.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
import venv
from pathlib import Path

import pytest

from pbtools.i18n import translator
from tests.fixtures.browser import free_port, wait_for_http

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
# The dependencies' environment may live inside the checkout (make's .venv): it is not the checkout's source.
DEPENDENCIES = Path(sys.prefix).resolve()


def from_checkout(path: str) -> bool:
    resolved = Path(path).resolve()
    return resolved.is_relative_to(ROOT) and not resolved.is_relative_to(DEPENDENCIES)
# What a build never needs from the checkout (and what must not leak into the wheel from a local build).
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "*.so", "*.mo",
    "workspace", "out",
)


def run(args: list, cwd: Path, env: dict, timeout: float = 120) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A new venv outside the checkout with the wheel of the checkout installed: (its bin folder, env, a cwd)."""
    tmp = tmp_path_factory.mktemp("install")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PBTOOLS_") and k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(PYTHONUNBUFFERED="1", HOME=str(tmp / "home"), PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")

    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp / "dist", source],
        cwd=tmp, env=env, timeout=300)
    shutil.rmtree(source)
    (wheel,) = (tmp / "dist").glob("pbtools-*.whl")

    target = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    purelib = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp, env).strip())
    # every site-packages this interpreter sees (its own, and any a .pth of it adds), so the dependencies resolve
    shared = dict.fromkeys(p for p in [sysconfig.get_paths()["purelib"], *sys.path] if p.endswith("-packages"))
    (purelib / "shared-dependencies.pth").write_text("".join(f"{p}\n" for p in shared))
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel], cwd=tmp, env=env)
    # the dependencies' Jupyter data (Voila's base templates, the widget manager), under each one's prefix
    data = [Path(p).parents[2] / "share" / "jupyter" for p in shared]
    env["JUPYTER_PATH"] = os.pathsep.join(str(d) for d in data if d.is_dir())
    cwd = tmp / "elsewhere"
    cwd.mkdir()
    return target / "bin", env, cwd


def screens_package() -> str:
    """The package the apps import their screens from, as the notebooks say (``from X.budget_app import ...``)."""
    source = "".join(json.loads((ROOT / "notebooks" / "budget.ipynb").read_text(encoding="utf-8"))["cells"][0]["source"])
    return re.match(r"from (\w+)\.", source).group(1)


def installed_top_level(bin_dir: Path) -> set[str]:
    """The top-level folders the wheel installed into site-packages (its RECORD; not the script in bin/)."""
    record = next((bin_dir.parent / "lib").glob("python3*/site-packages/pbtools-*.dist-info/RECORD"))
    paths = [line.rsplit(",", 2)[0] for line in record.read_text().splitlines()]
    return {p.split("/")[0] for p in paths if "/" in p and not p.startswith("..")} - {record.parent.name}


def test_installed_package_holds_its_apps_sample_and_catalogs(installed):
    bin_dir, env, cwd = installed
    assert installed_top_level(bin_dir) == {"pbtools", screens_package()}
    script = (
        f"import json, sys, pbtools, pbtools.i18n as i18n, {screens_package()} as widgets\n"
        "from pbtools.resources import data_dir\n"
        "print(json.dumps({'pbtools': pbtools.__file__, 'widgets': widgets.__file__,\n"
        "  'notebooks': sorted(p.name for p in data_dir('notebooks').glob('*.ipynb')),\n"
        "  'notebooks_dir': str(data_dir('notebooks')), 'sample_dir': str(data_dir('sample')),\n"
        "  'mo': sorted(p.name for p in (i18n.LOCALE_DIR / 'ru' / 'LC_MESSAGES').glob('*.mo')),\n"
        "  'ru': i18n.translator('ru')('Public budget hearings'),\n"
        "  'path': sys.path, 'finders': [repr(f) for f in sys.meta_path]}))\n"
    )
    found = json.loads(run([bin_dir / "python", "-c", script], cwd, env))
    venv_dir = bin_dir.parent
    for name in ("pbtools", "widgets", "notebooks_dir", "sample_dir"):
        assert Path(found[name]).is_relative_to(venv_dir), (name, found[name])
    assert found["notebooks"] == sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert found["mo"] == sorted(p.with_suffix(".mo").name for p in (ROOT / "pbtools/i18n/locale/ru/LC_MESSAGES").glob("*.po"))
    assert found["ru"] == "Общественные бюджетные слушания"
    assert not [p for p in found["path"] if p and from_checkout(p)]
    assert not [f for f in found["finders"] if "editable" in f.lower()]


def test_installed_pbtools_creates_the_demo_and_serves_the_apps(installed):
    bin_dir, env, cwd = installed
    workspace = cwd / "W"
    run([bin_dir / "pbtools", "demo", "--workspace", workspace], cwd, env)
    assert (workspace).is_dir()

    port = free_port()
    with open(cwd / "serve.log", "wb") as log:
        server = subprocess.Popen(
            [bin_dir / "pbtools", "serve", "--workspace", workspace, "--port", str(port), "--no-preheat"],
            cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for_http(url + "/", server)
            with urllib.request.urlopen(url + "/?lang=ru", timeout=20) as page:
                home = page.read().decode()
                assert page.status == 200
            links = re.findall(r'href="(voila/render/[\w.]+\.ipynb)\?', home)
            assert sorted(links) == sorted(f"voila/render/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb"))
            assert f"<h1>{translator('ru')('Public budget hearings')}</h1>" in home  # the home page, in Russian

            with urllib.request.urlopen(url + "/voila/render/budget.ipynb?lang=en", timeout=60) as page:
                app = page.read().decode()
                assert page.status == 200
            # the cell ran in the installed package's kernel and drew its app (a widget view with the app's heading,
            # widgets/base.py), with no error (Voila says "There was an error when executing cell" in its place)
            assert "application/vnd.jupyter.widget-view+json" in app and "pb-title" in app
            assert "There was an error" not in app and '"output_type": "error"' not in app, app[-3000:]
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    log_text = (cwd / "serve.log").read_text(errors="replace")
    assert str(ROOT) not in log_text.replace(str(DEPENDENCIES), ""), log_text[-2000:]


def test_screens_install_under_a_name_of_this_project(installed):
    assert installed_top_level(installed[0]) == {"pbtools", "pbtools_widgets"}
