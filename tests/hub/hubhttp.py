"""A plain HTTP client of the real hub (requests, no browser), as an attacker's script or a second device would be:
sign up, log in, call the hub's pages and API, from a loopback address of its choice (127.0.0.2, ...), which the
hub's proxy names in X-Forwarded-For."""

from __future__ import annotations

import re

import requests
from requests.adapters import HTTPAdapter

from tests.hub.conftest import PASSWORD


class _From(HTTPAdapter):
    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        return super().init_poolmanager(*args, **kwargs)


class Client:
    """One browser-like session (cookies kept) from ``source``."""

    def __init__(self, hub, source: str = "127.0.0.1") -> None:
        self.hub, self.session = hub, requests.Session()
        self.session.mount("http://", _From(source))

    def get(self, path: str, **kw) -> requests.Response:
        return self.session.get(self.hub.url + path, timeout=120, **kw)

    def post(self, path: str, data: dict | None = None, **kw) -> requests.Response:
        return self.session.post(self.hub.url + path, data=data, timeout=120, **kw)

    def xsrf(self, path: str) -> str:
        """The ``_xsrf`` field of the form on ``path`` (fetching it sets the cookie it must match)."""
        found = re.search(r'name="_xsrf" value="([^"]+)"', self.get(path).text)
        return found.group(1) if found else ""

    def sign_up(self, name: str, code: str, password: str = PASSWORD) -> str:
        """The message the sign-up page answers with."""
        answer = self.post("/hub/signup?lang=en", {"_xsrf": self.xsrf("/hub/signup?lang=en"), "username": name,
                                                   "signup_password": password, "signup_password_confirmation": password,
                                                   "invitation": code})
        found = re.search(r'class="alert[^"]*"[^>]*>\s*<p>(.*?)</p>', answer.text, re.S)
        return " ".join(found.group(1).split()) if found else answer.text[-500:]

    def log_in(self, name: str, password: str = PASSWORD) -> requests.Response:
        """The login's answer: 302 when logged in (not followed, so no server is started)."""
        return self.post("/hub/login?lang=en&next=%2Fhub%2Fhome", {"_xsrf": self.xsrf("/hub/login?lang=en"),
                                                                   "username": name, "password": password},
                         allow_redirects=False)

    def login_error(self, answer: requests.Response) -> str:
        found = re.search(r'class="[^"]*login_error[^"]*"[^>]*>(.*?)</', answer.text, re.S)
        return " ".join(found.group(1).split()) if found else ""

    def me(self) -> dict:
        """``/hub/api/user`` as this session (the hub's idea of who we are, admin or not)."""
        answer = self.get("/hub/api/user", headers={"X-XSRFToken": self.session.cookies.get("_xsrf", "")})
        return answer.json() if answer.status_code == 200 else {"status": answer.status_code}
