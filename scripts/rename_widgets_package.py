"""Install the screens as ``pbtools_widgets`` instead of ``widgets`` (a top-level name many projects use).

Run once, by the lead, after the branches that edit widgets/ are merged (it rewrites their import lines):

    python scripts/rename_widgets_package.py --dry-run      # lists what would change, changes nothing
    python scripts/rename_widgets_package.py                # the folder stays widgets/ (setup.py maps it)
    python scripts/rename_widgets_package.py --move-folder  # or: the folder becomes pbtools_widgets/ (git mv)

What it changes, in the files git tracks (never this script):
- ``from widgets...`` -> ``from pbtools_widgets...`` in every .py file and notebook; ``import widgets`` is not
  rewritten (its uses would need renaming too): it is listed and the script stops before writing anything.
- module paths in strings (``monkeypatch.setattr("widgets.console.phones.hall_address", ...)``) and the module
  name in tests/test_core_imports.py (what the core must not import);
- setup.py: ``WIDGETS_PACKAGE = "pbtools_widgets"`` (the installed name);
- tests/packaging/test_install.py: the strict xfail marker on the installed-name test (it passes from now on).
Keeping the folder (default): the folder ``widgets/`` is installed as ``pbtools_widgets`` by setup.py's package_dir,
which only an install of the checkout knows (``pip install -e .``, as ``make`` does): ``PYTHONPATH=<checkout>``
alone no longer finds the screens. tests/conftest.py gets a check that refuses to run the tests when
``pbtools_widgets`` comes from another checkout's install (for example a shared venv's editable install of another
worktree), instead of silently testing that copy.
With ``--move-folder``: ``git mv widgets pbtools_widgets``, setup.py's ``WIDGETS_FOLDER`` follows, tests/test_i18n.py
extracts messages from the new folder; no mapping and no check are needed (PYTHONPATH=<checkout> works as before).
Documentation that names the folder ``widgets/`` is listed at the end, for a person to reword.

Then: run the tests (tests/packaging shows the installed names), reinstall any editable install of the checkout
(``pip install -e .``; make does it when setup.py changes), review ``git diff`` and commit.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

OLD, NEW = "widgets", "pbtools_widgets"
SELF = Path("scripts/rename_widgets_package.py")

FROM_LINE = re.compile(r"^(\s*)from widgets(?=[\s.])", re.MULTILINE)  # from widgets.x import y / from widgets import x
IMPORT_LINE = re.compile(r"^\s*import widgets\b.*$", re.MULTILINE)
STRING_PATH = re.compile(r"""(?<=["'])widgets(?=\.[A-Za-z_])""")  # "widgets.console.phones.hall_address"
NOTEBOOK_FROM = re.compile(r'(?<=["\s])from widgets(?=\.)')  # inside a notebook cell's JSON source string
DOC_MENTION = re.compile(r"(?<![\w/.-])widgets/")

CONFTEST_CHECK = '''

# Added by scripts/rename_widgets_package.py. The screens are imported as pbtools_widgets but live in widgets/
# (setup.py's package_dir), which only an install of this checkout maps; another checkout's install (a shared venv)
# would answer instead, and the tests would silently test that copy.
def _screens_come_from_this_checkout() -> None:
    import importlib.util

    spec = importlib.util.find_spec("pbtools_widgets")
    here = Path(__file__).resolve().parents[1] / "widgets"
    found = Path(spec.origin).resolve().parent if spec is not None and spec.origin else None
    if found != here:
        raise RuntimeError(f"pbtools_widgets comes from {found}, not from {here}: install this checkout "
                           "(pip install -e . or make venv) in the Python that runs the tests")


_screens_come_from_this_checkout()
'''


def tracked(root: Path) -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=root, check=True, capture_output=True, text=True).stdout
    return [Path(p) for p in out.splitlines() if Path(p) != SELF and (root / p).is_file()]


def sub(pattern: re.Pattern, new: str, text: str) -> tuple[str, int]:
    return pattern.subn(new, text)


def rewrite(rel: Path, text: str, move_folder: bool) -> tuple[str, list[str]]:
    """The file's new text and what changed in it."""
    notes = []
    if rel.suffix == ".py":
        text, n = sub(FROM_LINE, r"\1from " + NEW, text)
        notes += [f"{n} import line(s)"] if n else []
        text, n = sub(STRING_PATH, NEW, text)
        notes += [f"{n} module path(s) in strings"] if n else []
    elif rel.suffix == ".ipynb":
        text, n = sub(NOTEBOOK_FROM, "from " + NEW, text)
        notes += [f"{n} import(s) in cells"] if n else []
    if rel == Path("tests/test_core_imports.py"):
        text, n = re.subn(r'"widgets"', f'"{NEW}"', text)
        notes += [f"{n} module name(s) the core must not import"] if n else []
    if rel == Path("setup.py"):
        text, n = re.subn(r'^WIDGETS_PACKAGE = "widgets"$', f'WIDGETS_PACKAGE = "{NEW}"', text, flags=re.MULTILINE)
        notes += ["installed name WIDGETS_PACKAGE"] if n else []
        if move_folder:
            text, n = re.subn(r'^WIDGETS_FOLDER = "widgets"$', f'WIDGETS_FOLDER = "{NEW}"', text, flags=re.MULTILINE)
            notes += ["WIDGETS_FOLDER"] if n else []
    if rel == Path("tests/packaging/test_install.py"):
        text, n = re.subn(r"^# Strict: once scripts/rename_widgets_package.py.*\n@pytest\.mark\.xfail\(strict=True.*\n", "",
                          text, flags=re.MULTILINE)
        notes += ["xfail marker removed"] if n else []
    if rel == Path("tests/test_i18n.py") and move_folder:
        text, n = re.subn(r'\("pbtools", "widgets"\)', f'("pbtools", "{NEW}")', text)
        notes += [f"{n} folder name(s) to extract messages from"] if n else []
    if rel == Path("tests/conftest.py") and not move_folder and "_screens_come_from_this_checkout" not in text:
        text = text.rstrip("\n") + "\n" + CONFTEST_CHECK
        notes += ["check that pbtools_widgets is this checkout's widgets/"]
    return text, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="list what would change, change nothing")
    parser.add_argument("--move-folder", action="store_true", help="also git mv widgets pbtools_widgets")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1], help="the checkout")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if not (root / OLD / "__init__.py").is_file():
        print(f"{root / OLD} is not a package folder (already moved?): nothing done", file=sys.stderr)
        return 2
    files = tracked(root)

    unhandled = [f"{rel}: {m.group(0).strip()}" for rel in files if rel.suffix in (".py", ".ipynb")
                 for m in IMPORT_LINE.finditer((root / rel).read_text(encoding="utf-8"))]
    if unhandled:
        print("`import widgets` lines are not rewritten (their uses would need renaming too); change them to "
              "`from widgets... import ...` first, then run again:\n  " + "\n  ".join(unhandled), file=sys.stderr)
        return 1

    changes = {}
    for rel in files:
        if rel.suffix not in (".py", ".ipynb"):
            continue
        before = (root / rel).read_text(encoding="utf-8")
        after, notes = rewrite(rel, before, args.move_folder)
        if after != before:
            changes[rel] = (after, notes)
    for rel, (_, notes) in sorted(changes.items()):
        print(f"{rel}: {', '.join(notes)}")
    print(f"{len(changes)} files {'would change' if args.dry_run else 'changed'}")
    if args.dry_run:
        return 0

    for rel, (after, _) in changes.items():
        (root / rel).write_text(after, encoding="utf-8")
    if args.move_folder:
        subprocess.run(["git", "mv", OLD, NEW], cwd=root, check=True)
        print(f"git mv {OLD} {NEW}")

    left = [f"{rel}:{m.start()}" for rel in tracked(root) if rel.suffix in (".py", ".ipynb")
            for pattern in ((FROM_LINE, IMPORT_LINE) if rel.suffix == ".py" else (NOTEBOOK_FROM,))
            for m in pattern.finditer((root / rel).read_text(encoding="utf-8"))]
    if left:
        print("still importing `widgets`:\n  " + "\n  ".join(left), file=sys.stderr)
        return 1
    if args.move_folder:
        docs = [f"{rel}:{n}" for rel in tracked(root) if rel.suffix == ".md"
                for n, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1) if DOC_MENTION.search(line)]
        if docs:
            print("documentation naming the folder widgets/ (reword by hand):\n  " + "\n  ".join(docs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
