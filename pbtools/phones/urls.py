"""Every address the voters' pages name (a redirect, a link, a form's action, a stylesheet) and every address a phone
is shown (the console's projector and code cards, the survey board, a workshop's mock hearing), built from the
server's base URL: ``/`` on a laptop, the hub's ``/user/NAME/`` or ``/user/NAME/SERVER/`` behind JupyterHub. One
builder, as datasette's ``datasette.urls``: a path written by hand as ``/vote/...`` leaves the user's server behind
the hub (the proxy sends it to the hub, whose answer is a 404 on the phone).

The server's pages name paths only (``Urls(base_url)``); a screen shows phones whole addresses
(``Urls.public("http://192.168.4.1:8866")``, behind the hub ``Urls.public("https://pb.example.kg/user/aida/")``).

Each part is percent-encoded (tornado decodes the route's groups again), so an id holding ``/``, ``?`` or ``#``
stays one part of the path.

Here, in the core, not in ``pbtools.server``: the screens (``widgets``) build the phones' addresses with it too.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

STATIC = "pbtools/static"  # where the pages find vote.css and vote.js (``pages.handlers``)


class Urls:
    def __init__(self, base_url: str = "/", origin: str = "", static_base: str | None = None) -> None:
        inner = base_url.strip("/")
        self.base = f"/{inner}/" if inner else "/"
        self.origin = origin.rstrip("/")  # "" for the server's own pages (paths), else "http://host:port"
        # the server's one static route is under its base URL: pages under a sandbox's /practice/<name>/ load
        # vote.css and vote.js from there too (/practice/<name>/pbtools/static/... is a 404: bare, unscripted pages)
        self.static_base = static_base or self.base

    @classmethod
    def public(cls, address: str) -> Urls:
        """The addresses under ``address``, the server's base URL as phones open it: its scheme, host and port, and
        its prefix behind the hub. An address typed without a scheme (``192.168.4.1:8866``) is taken as http: a
        phone's camera reads a QR code without one as text, not as a page."""
        address = address.strip()
        if "://" not in address:
            address = "http://" + address
        parts = urlsplit(address)
        return cls(parts.path or "/", origin=f"{parts.scheme}://{parts.netloc}")

    def path(self, *parts: str) -> str:
        """``base`` + the parts, each encoded: ``path("vote", "h1")`` is ``/user/aida/vote/h1`` behind the hub (with
        the origin before it for a ``public`` one)."""
        return self.origin + self.base + "/".join(quote(str(p), safe="") for p in parts)

    def static(self, name: str = "") -> str:
        return self.origin + self.static_base + STATIC + (f"/{quote(name)}" if name else "")

    def vote(self, hearing: str, question: str | None = None) -> str:
        return self.path("vote", hearing) if question is None else self.path("vote", hearing, question)

    def receipt(self, hearing: str, question: str, receipt: str, mac: str) -> str:
        return self.path("vote", hearing, question, "receipt", f"{receipt}.{mac}")

    def survey(self, service: str) -> str:
        return self.path("survey", service)

    def practice(self, sandbox: str) -> Urls:
        """The addresses of training sandbox ``sandbox``'s pages (``server/practice_vote.py``): ``/practice/<sandbox>/``
        under this base, its name one encoded part (a sandbox may be named in Cyrillic)."""
        return Urls(f"{self.base}practice/{quote(sandbox, safe='')}", origin=self.origin, static_base=self.static_base)

    def __repr__(self) -> str:
        return f"Urls({self.base!r}, origin={self.origin!r})" if self.origin else f"Urls({self.base!r})"


ROOT = Urls("/")  # a laptop's
