"""HTML from Jinja2 templates, autoescaped: the one place where pbtools' pages and widgets get their HTML.

``render("name.html", **values)`` draws a template of ``pbtools/templates/``; ``render_in(folder, ...)`` one of
another folder (the server's pages keep theirs in ``pbtools/server/templates/``), with the same settings: every
value is escaped unless it is passed through ``markup()`` (HTML drawn by another template, a form's hidden fields), and a
missing value is an error rather than an empty string. Jinja2 is imported only when a page is first drawn.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

TEMPLATES = Path(__file__).with_name("templates")


@lru_cache(maxsize=None)
def environment(folder: str = str(TEMPLATES)):
    import jinja2  # here, so that `import pbtools` stays light

    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_in(folder: str | Path, name: str, **values: Any) -> str:
    """The template ``name`` of ``folder``, drawn with ``values``; a plain ``str`` (pass it to another template
    through ``markup()``)."""
    return environment(str(folder)).get_template(name).render(**values)


def render(name: str, **values: Any) -> str:
    """A template of ``pbtools/templates/``."""
    return render_in(TEMPLATES, name, **values)


def markup(text: str) -> str:
    """HTML made elsewhere and already safe (a form's hidden XSRF field, JSON for a script block), kept as is."""
    return Markup(text)
