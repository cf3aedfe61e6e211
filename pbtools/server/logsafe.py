"""What the server's log may hold: never the facilitator's token (a refused or logged URL carrying ``?token=``
shows ``token=[hidden]``), and one line, not a traceback, for a routine refusal (a 4xx the request itself caused).
The log is the terminal, which may be mirrored on the projector."""

from __future__ import annotations

import logging
import re

_SECRET_QUERY = re.compile(r"(?i)\b(token|password|code)=[^&\s\"']+")
_REFUSED = re.compile(r"(4\d\d [A-Z]+ \S+ \([^)]*\))(: .*)?")


def redact(text: str) -> str:
    return _SECRET_QUERY.sub(lambda m: f"{m.group(1)}=[hidden]", text)


class SafeLog(logging.Filter):
    """Rewrites each record before it is written: secrets in URLs hidden, routine refusals without traceback."""

    def __init__(self) -> None:
        super().__init__()
        self._said = ""  # the last refusal told with its reason: its access line would say it again

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "pbtools_safe", False):  # already seen by another handler's copy of this filter
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is left to the handler
            return True
        refusal = _is_refusal(record)
        if refusal and record.getMessage().startswith("Uncaught exception in write_error"):
            return False  # the refusal's page could not be drawn: the refusal itself is logged, once
        if record.exc_info and record.levelno < logging.ERROR or refusal:
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        said = _REFUSED.match(message)
        if said and said.group(2):  # "403 GET /x (ip): why": the access line that follows adds nothing
            self._said = said.group(1)
        elif said and said.group(1) == self._said:
            self._said = ""
            return False
        record.pbtools_safe = True
        clean = redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, ()
        return True


def _is_refusal(record: logging.LogRecord) -> bool:
    """A 4xx raised as ``HTTPError`` by a handler: the client asked for something it may not have. Also when
    drawing its error page failed in turn (jupyter_server has no 403.html here): the refusal is the cause."""
    exc = record.exc_info[1] if record.exc_info else None
    for _ in range(3):
        if exc is None:
            return False
        status = getattr(exc, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            return True
        exc = exc.__context__
    return False


def install() -> SafeLog:
    """Put the filter on every handler there is now (Voila's, jupyter_server's, tornado's, the root's)."""
    safe = SafeLog()
    loggers = [logging.getLogger(), *(l for l in logging.Logger.manager.loggerDict.values() if isinstance(l, logging.Logger))]
    for logger in loggers:
        logger.addFilter(safe)
        for handler in logger.handlers:
            if safe not in handler.filters:
                handler.addFilter(safe)
    return safe
