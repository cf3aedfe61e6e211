"""A database that cannot be opened is named with the cause in the user's language, not the driver's English."""

from __future__ import annotations

import pytest

from pbtools.storage import WorkspaceError, open_workspace
from pbtools.storage.db_problem import LOGIN, NO_DATABASE, NOT_A_DATABASE, UNKNOWN_HOST, UNREACHABLE
from pbtools.storage.engine import SQLITE_FILE
from pbtools.i18n import gettext
from tests.ports import free_port


def _refusal(path, db_url=None) -> WorkspaceError:
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(path, create=True, db_url=db_url)
    return caught.value


def _says(error: WorkspaceError, msgid: str) -> None:
    for lang in ("ky", "ru", "en"):
        text = error.render(lang)
        assert gettext(lang, msgid) in text, (lang, text)
        if lang != "en":
            assert gettext(lang, msgid) != msgid  # translated, not the English
            assert "connection" not in text and "FATAL" not in text  # the driver's English is not shown


def test_a_file_that_is_not_a_database(tmp_path):
    (tmp_path / SQLITE_FILE).write_bytes(b"not a database " * 400)
    before = (tmp_path / SQLITE_FILE).read_bytes()
    _says(_refusal(tmp_path), NOT_A_DATABASE)
    assert (tmp_path / SQLITE_FILE).read_bytes() == before  # nothing changed


def test_a_server_that_does_not_answer(tmp_path):
    _says(_refusal(tmp_path, f"postgresql://pbtools@127.0.0.1:{free_port()}/nothing"), UNREACHABLE)


def test_a_server_name_not_known(tmp_path):
    _says(_refusal(tmp_path, "postgresql://pbtools@no-such-host.invalid/nothing"), UNKNOWN_HOST)


def test_a_database_missing_on_a_real_server(tmp_path, pg_server):
    _says(_refusal(tmp_path, pg_server.url("no_such_database")), NO_DATABASE)


def test_a_login_the_server_does_not_know(tmp_path, pg_server):
    url = pg_server.url("postgres").replace("pbtools@", "nobody_here@")
    _says(_refusal(tmp_path, url), LOGIN)
