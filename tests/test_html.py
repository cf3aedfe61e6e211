"""pbtools/html.py: every page and widget template parses, escapes what it is given, refuses a missing value, and
is shipped with the package (a template left out of package-data breaks only an installed pbtools)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import jinja2
import pytest

import pbtools
from pbtools.html import TEMPLATES, environment, markup, render, render_in

ROOT = Path(pbtools.__file__).parent
FOLDERS = (TEMPLATES, ROOT / "server" / "templates")


def templates(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html"))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: str(f.relative_to(ROOT)))
def test_every_template_parses_with_autoescape(folder):
    names = templates(folder)
    assert names
    env = environment(str(folder))
    assert env.autoescape is True
    for name in names:
        env.get_template(name)  # a syntax error is named here, not on a voter's phone


def test_values_are_escaped_unless_marked_as_html():
    assert render("text.html", text='<b onclick="x">&') == "<p>&lt;b onclick=&#34;x&#34;&gt;&amp;</p>"
    assert render("text.html", text=markup("<b>bold</b>")) == "<p><b>bold</b></p>"


def test_a_missing_value_is_an_error_not_an_empty_page():
    with pytest.raises(jinja2.UndefinedError):
        render("text.html")


def test_templates_and_static_files_are_package_data():
    config = tomllib.loads((ROOT.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["pbtools"]
    shipped = {p for pattern in patterns for p in ROOT.glob(pattern) if p.is_file()}
    needed = {p for folder in (*FOLDERS, ROOT / "server" / "static") for p in folder.rglob("*") if p.is_file()}
    assert needed - shipped == set()
    assert render_in(FOLDERS[1], "vote/back.html", back=None, lang="ky") == ""
