"""pbtools installed from a wheel, outside the checkout, creates its demo and serves its apps.

The wheel is built from a copy of the checkout (``pip wheel --no-deps --no-build-isolation``: offline, with this
venv's setuptools and Babel) and installed into a new venv in a temporary folder; once with this machine's C
compiler, once without one (``CC=false``: a facilitator's Windows laptop, a conda install), where the compiled
counting core is skipped and pbtools must still install, serve its apps and count the same outcomes. That venv
sees the shared dependencies through ``.pth`` lines naming this venv's site-packages (a ``.pth`` line adds the
folder only: the editable install's finder there is not run), and their Jupyter data (Voila's templates, the
widget manager) through ``JUPYTER_PATH``, as a normal install would find them under its own prefix. Nothing may come
from the checkout: the copy the wheel was built from is deleted before anything runs, and the installed modules are
checked to live in the new venv.
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
from typing import NamedTuple

import pytest

from pbtools.cli.about import PYTHON, SHORT
from pbtools.counting import native
from pbtools.i18n import translator
from pbtools.training.practice import NOTEBOOK as PRACTICE_CONSOLE
from tests.fixtures.browser import free_port, wait_for_http
from tests.shared_data import pabulib_file

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


class Installed(NamedTuple):
    bin: Path  # the new venv's bin folder
    env: dict
    cwd: Path  # a folder outside the checkout
    compiler: bool  # the wheel was built with a C compiler


@pytest.fixture(scope="module", params=["compiler", "no compiler"])
def installed(request, tmp_path_factory):
    """A new venv outside the checkout with the wheel of the checkout installed, built with or without a compiler."""
    tmp = tmp_path_factory.mktemp("install")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PBTOOLS_") and k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(PYTHONUNBUFFERED="1", HOME=str(tmp / "home"), PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    compiler = request.param == "compiler"
    # without: every compile fails as where no compiler is installed (setuptools reads CC, CXX and LDSHARED)
    build_env = env if compiler else dict(env, CC="false", CXX="false", LDSHARED="false")

    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp / "dist", source],
        cwd=tmp, env=build_env, timeout=300)
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
    return Installed(target / "bin", env, cwd, compiler)


def screens_package() -> str:
    """The package the apps import their screens from, as the notebooks say (``from X.budget_app import ...``)."""
    source = "".join(json.loads((ROOT / "notebooks" / "budget.ipynb").read_text(encoding="utf-8"))["cells"][0]["source"])
    return re.match(r"from (\w+)\.", source).group(1)


def installed_files(bin_dir: Path) -> list[str]:
    """The paths the wheel installed (its RECORD), the dist-info's own among them."""
    record = next((bin_dir.parent / "lib").glob("python3*/site-packages/pbtools-*.dist-info/RECORD"))
    return [line.rsplit(",", 2)[0] for line in record.read_text().splitlines()]


def installed_top_level(bin_dir: Path) -> set[str]:
    """The top-level folders the wheel installed into site-packages (not the script in bin/, nor the dist-info)."""
    return {p.split("/")[0] for p in installed_files(bin_dir) if "/" in p and not p.startswith("..") and ".dist-info/" not in p}


def test_installed_package_holds_its_apps_sample_and_catalogs(installed):
    bin_dir, env, cwd, _ = installed
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
    bin_dir, env, cwd, _ = installed
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
            # every app, but the practice console: the Training app links it, with its sandbox in the address
            assert sorted(links) == sorted(f"voila/render/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")
                                           if p.name != PRACTICE_CONSOLE)
            assert f"<h1>{translator('ru')('Public budget hearings')}</h1>" in home  # the home page, in Russian

            for notebook in ("budget.ipynb", "pabulib.ipynb"):  # the Pabulib app counts with whichever engine is there
                with urllib.request.urlopen(f"{url}/voila/render/{notebook}?lang=en", timeout=60) as page:
                    app = page.read().decode()
                    assert page.status == 200
                # the cell ran in the installed package's kernel and drew its app (a widget view with the app's
                # heading, widgets/base.py), with no error (Voila says "There was an error when executing cell" in
                # its place), and says nothing of a compiled core missing
                assert "application/vnd.jupyter.widget-view+json" in app and "pb-title" in app
                assert "There was an error" not in app and '"output_type": "error"' not in app, app[-3000:]
                assert not [said for said in (SHORT[False], PYTHON, "not built") if said in app], notebook
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    log_text = (cwd / "serve.log").read_text(errors="replace")
    assert str(ROOT) not in log_text.replace(str(DEPENDENCIES), ""), log_text[-2000:]


def test_screens_install_under_a_name_of_this_project(installed):
    assert installed_top_level(installed.bin) == {"pbtools", "pbtools_widgets"}


def test_the_compiled_core_is_installed_where_it_could_be_built_and_doctor_says_which_engine_counts(installed):
    compiled = sorted(p for p in installed_files(installed.bin) if p.endswith((".so", ".pyd")))
    built_here = installed.compiler and native.BUILT  # this machine's compiler (and GMP) built it for the tests too
    if built_here:
        assert [p.rsplit("/", 1)[-1].split(".")[0] for p in compiled] == ["_gmp_oom", "_mesnative", "_pbnative", "_rulesnative"]
    else:
        assert compiled == []
    said = run([installed.bin / "pbtools", "doctor", "--lang", "ru"], installed.cwd, installed.env).splitlines()
    assert translator("ru")("Counting engine: {engine}", engine=translator("ru")(SHORT[built_here])) == said[2]


@pytest.mark.parametrize("name", ["Netherlands_Amsterdam_643.pb", "Worldwide_Mechanical_Turk_Ranking_value_7.pb"])
@pytest.mark.parametrize("rule", ["mes-add1", "greedy"])
def test_installed_pbtools_counts_what_the_reference_engine_counts(installed, name, rule):
    """The installed command, on the engine it has (compiled or not), against the checkout's Python engine: the
    same outcome, ties and explanation."""
    path = pabulib_file(name)
    args = ["tally", path, "--rule", rule, "--lang", "ky"]
    theirs = run([installed.bin / "pbtools", *args], installed.cwd, installed.env)
    reference = run([sys.executable, "-m", "pbtools", *args, "--engine", "python"], ROOT, os.environ)
    assert theirs == reference
    assert json.loads(run([installed.bin / "pbtools", *args, "--json"], installed.cwd, installed.env)) == \
        json.loads(run([sys.executable, "-m", "pbtools", *args, "--json", "--engine", "python"], ROOT, os.environ))
