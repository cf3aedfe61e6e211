"""Every address the voters' pages name (a redirect, a link, a form's action, a stylesheet), built from the server's
base URL: ``/`` on a laptop, the hub's ``/user/NAME/`` or ``/user/NAME/SERVER/`` behind JupyterHub. One builder, as
datasette's ``datasette.urls``: a path written by hand as ``/vote/...`` leaves the user's server behind the hub
(the proxy sends it to the hub, whose answer is a 404 on the phone).

Each part is percent-encoded (tornado decodes the route's groups again), so an id holding ``/``, ``?`` or ``#``
stays one part of the path.
"""

from __future__ import annotations

from urllib.parse import quote

STATIC = "pbtools/static"  # where the pages find vote.css and vote.js (``pages.handlers``)


class Urls:
    def __init__(self, base_url: str = "/") -> None:
        inner = base_url.strip("/")
        self.base = f"/{inner}/" if inner else "/"

    def path(self, *parts: str) -> str:
        """``base`` + the parts, each encoded: ``path("vote", "h1")`` is ``/user/aida/vote/h1`` behind the hub."""
        return self.base + "/".join(quote(str(p), safe="") for p in parts)

    def static(self, name: str = "") -> str:
        return self.base + STATIC + (f"/{quote(name)}" if name else "")

    def vote(self, hearing: str, question: str | None = None) -> str:
        return self.path("vote", hearing) if question is None else self.path("vote", hearing, question)

    def receipt(self, hearing: str, question: str, receipt: str, mac: str) -> str:
        return self.path("vote", hearing, question, "receipt", f"{receipt}.{mac}")

    def survey(self, service: str) -> str:
        return self.path("survey", service)

    def __repr__(self) -> str:
        return f"Urls({self.base!r})"


ROOT = Urls("/")  # a laptop's
