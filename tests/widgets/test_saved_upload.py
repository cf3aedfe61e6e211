"""An upload's file name comes from the browser: anyone on the hall network may send any name."""

from __future__ import annotations

import pytest

from pbtools_widgets.base import saved_upload


@pytest.mark.parametrize("name", ["..", ".", "", "a/..", "../..", "/", "x/", "\\\\", "..\\\\..", "a\0b.csv", "ж" * 300 + ".csv"])
def test_any_upload_name_is_saved_as_a_file_inside_its_own_folder(name):
    with saved_upload(name, b"id;title\n1;x\n") as path:
        assert path.is_file() and path.read_bytes() == b"id;title\n1;x\n"
        assert path.name not in (".", "..") and len(path.name.encode()) <= 255
        folder = path.parent
    assert not folder.exists()  # removed afterwards


@pytest.mark.parametrize("name, saved", [("budget.xlsx", "budget.xlsx"), ("README", "README"), (".csv", ".csv"), ("../../etc/plan.csv", "plan.csv"),
                                         ("C:\\\\Users\\\\a\\\\план.xlsx", "план.xlsx"), ("ж" * 300 + ".csv", "ж" * 98 + ".csv")])
def test_the_name_and_its_extension_are_kept_where_they_are_safe(name, saved):
    with saved_upload(name, b"x") as path:
        assert path.name == saved
