"""A client that connects from a chosen loopback address (127.0.0.2, 127.0.0.3, ...): the server sees each as a
different device on the hall network, as it would see phones."""

from __future__ import annotations

import http.client
import re
import socket
import urllib.parse

XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')


class Device:
    def __init__(self, port: int, source: str = "127.0.0.1") -> None:
        self.port, self.source = port, source
        self.cookies: dict[str, str] = {}
        self.xsrf = ""

    def request(self, method: str, path: str, fields: list | dict | None = None, timeout: float = 60,
                headers: dict | None = None) -> tuple[int, str, list]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout, source_address=(self.source, 0))
        body = urllib.parse.urlencode(fields, doseq=True) if fields is not None else None
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body, sent)
            r = conn.getresponse()
            text = r.read().decode(errors="replace")
            for k, v in r.getheaders():
                if k.lower() == "set-cookie":
                    name, _, value = v.split(";")[0].partition("=")
                    self.cookies[name] = value
            found = XSRF.search(text)
            if found:
                self.xsrf = found.group(1)
            return r.status, text, r.getheaders()
        finally:
            conn.close()

    def get(self, path: str, **kw) -> tuple[int, str, list]:
        return self.request("GET", path, **kw)

    def post(self, path: str, fields: list | dict, **kw) -> tuple[int, str, list]:
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        return self.request("POST", path, items + [("_xsrf", self.xsrf)], **kw)

    def login(self, password: str) -> int:
        self.get("/login")
        return self.post("/login?next=%2F", {"password": password})[0]


def raw_socket(port: int, source: str, timeout: float = 5) -> socket.socket:
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s
