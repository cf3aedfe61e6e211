"""What the server's log may hold: never the facilitator's token (a refused or logged URL carrying ``?token=``
shows ``token=[hidden]``), and one line, not a traceback, for a routine refusal (a 4xx the request itself caused).
The log is the terminal, which may be mirrored on the projector."""

from __future__ import annotations

import logging
import re

_SECRET_QUERY = re.compile(r"(?i)\b(token|password|code)=[^&\s\"']+")


def redact(text: str) -> str:
    return _SECRET_QUERY.sub(lambda m: f"{m.group(1)}=[hidden]", text)


class SafeLog(logging.Filter):
    """Rewrites each record before it is written: secrets in URLs hidden, routine refusals without traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record that cannot be formatted is left to the handler
            return True
        if record.exc_info and record.levelno < logging.ERROR or _is_refusal(record):
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        clean = redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, ()
        return True


def _is_refusal(record: logging.LogRecord) -> bool:
    """A 4xx raised as ``HTTPError`` by a handler: the client asked for something it may not have."""
    exc = record.exc_info[1] if record.exc_info else None
    status = getattr(exc, "status_code", None)
    return isinstance(status, int) and 400 <= status < 500


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
