"""Why a database could not be opened, in the user's language: the driver's own text (English, and often technical)
is kept only for problems not listed here.

``problem(exc)`` takes the driver's exception (SQLAlchemy's ``DBAPIError.orig``, or psycopg's/sqlite3's own) and
returns a ``Msg``, or the driver's text as it is when the cause is not one a user can act on by name.
"""

from __future__ import annotations

from pbtools.i18n import Msg, N_

UNREACHABLE = N_("the database server does not answer (is it running, and are its address and port right?)")
UNKNOWN_HOST = N_("the database server's name is not known on this network")
LOGIN = N_("the server does not accept this user name or password")
NO_DATABASE = N_("there is no database of that name on the server")
DENIED = N_("this login is not allowed to do that (permission denied)")
DISK_FULL = N_("the disk is full")
TOO_MANY = N_("the server has too many connections open; try again in a minute")
STARTING = N_("the server is starting or stopping; try again in a minute")
NOT_A_DATABASE = N_("the file is not a database, or it is damaged")
READ_ONLY = N_("the database file cannot be written (read-only file or folder)")
BUSY = N_("another program is holding the database; try again")
CANT_OPEN = N_("the database file cannot be opened (check that the folder exists and may be written)")
DISK_ERROR = N_("the disk reported an error while reading or writing the database")

# PostgreSQL's SQLSTATE codes (psycopg's ``sqlstate``)
_POSTGRES = {"28P01": LOGIN, "28000": LOGIN, "3D000": NO_DATABASE, "42501": DENIED, "53100": DISK_FULL,
             "53300": TOO_MANY, "57P03": STARTING}
# SQLite's primary result codes (``sqlite3.Error.sqlite_errorname``, extended codes share the prefix)
_SQLITE = {"SQLITE_NOTADB": NOT_A_DATABASE, "SQLITE_CORRUPT": NOT_A_DATABASE, "SQLITE_READONLY": READ_ONLY,
           "SQLITE_BUSY": BUSY, "SQLITE_LOCKED": BUSY, "SQLITE_FULL": DISK_FULL, "SQLITE_CANTOPEN": CANT_OPEN,
           "SQLITE_IOERR": DISK_ERROR, "SQLITE_PERM": READ_ONLY, "SQLITE_AUTH": DENIED}

# what libpq says when a connection is refused (no SQLSTATE), before the general "does not answer"
_CONNECTING = ((("resolve host", "translate host name"), UNKNOWN_HOST),
               # "no password supplied": a URL without one, to a server that asks for it (scram-sha-256)
               (("password authentication failed", "no pg_hba.conf entry", "role \"", "authentication failed",
                 "no password supplied"), LOGIN),
               (("FATAL:  database \"",), NO_DATABASE),
               (("too many clients", "remaining connection slots"), TOO_MANY),
               (("starting up", "shutting down", "in recovery"), STARTING),
               (("permission denied",), DENIED))


def problem(exc: BaseException) -> Msg | str:
    code = getattr(exc, "sqlstate", None)
    if code in _POSTGRES:
        return Msg(_POSTGRES[code])
    name = getattr(exc, "sqlite_errorname", None)
    if name:
        for prefix, msgid in _SQLITE.items():
            if name == prefix or name.startswith(prefix + "_"):
                return Msg(msgid)
    if type(exc).__module__.startswith("psycopg") and code is None and type(exc).__name__ == "OperationalError":
        # psycopg gives no SQLSTATE for a refused connection: the server's own words (libpq's, in English on a
        # server left in the C locale) say why, or nothing came back at all
        text = str(exc)
        for words, msgid in _CONNECTING:
            if any(w in text for w in words):
                return Msg(msgid)
        return Msg(UNREACHABLE)
    return str(exc).strip()
