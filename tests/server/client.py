"""A voter's (or facilitator's) browser in miniature: its own cookies, forms posted with the page's XSRF token."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


class Browser:
    def __init__(self, base: str, follow_redirects: bool = True) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies)]
        if not follow_redirects:
            handlers.append(_NoRedirect())
        self.opener = urllib.request.build_opener(*handlers)
        self.xsrf = ""

    def request(self, path: str, data: dict | list | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as r:
                status, text, headers = r.status, r.read().decode(), dict(r.headers)
        except urllib.error.HTTPError as e:
            status, text, headers = e.code, e.read().decode(errors="replace"), dict(e.headers)
        found = XSRF.search(text)
        if found:
            self.xsrf = found.group(1)
        return status, text, headers

    def get(self, path: str) -> tuple[int, str, dict]:
        return self.request(path)

    def post(self, path: str, fields: dict | list, xsrf: bool = True) -> tuple[int, str, dict]:
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if xsrf:
            items.append(("_xsrf", self.xsrf))
        return self.request(path, items)

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.cookies if c.name == name), None)
