"""A copy's monitoring: the municipality's monitoring streams (each project, the group, the acts) taken from the
server to a laptop record by record with the server's own hashes, with the photos and documents they name.

The group and the acts are one stream each per municipality: a laptop that started them on its own could never
hand them in (``push.StreamDiverged``), so the copy gives it the server's to carry on. Each stream is copied on its
own, the way a hand-in folder's is stored (``sync.folder``), the server's workspace folder standing for the USB stick:

- what the laptop already has of it must be the server's, record by record; a laptop that carried it on further
  keeps its own records (it hands them in later). One that differs is named and left as it is, nothing of it
  changed, and the other streams are copied;
- every file a record to copy names must be in the server's folder, hold exactly what its hash says, be no bigger
  than the monitoring store takes and be a picture when recorded as a photo (``folder._check_file``); otherwise the
  stream is named with the file and not copied. The files are stored before the records, content-addressed (the
  same photo twice is one file), so a record on the laptop never names a file it lacks;
- the server's demo streams (``demo.DEMO_SETTING``), were there any, are not copied (nothing is copied into a
  demo workspace at all: ``pull.check_laptop``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pbtools.i18n import N_, Msg
from pbtools.storage.errors import LedgerError


def copy_monitoring(server: Any, laptop: Any, copied: Any) -> None:
    """Copy ``server``'s monitoring streams into ``laptop`` (the module's text), counting into ``copied``
    (``pull.Copied``: ``streams``, ``stream_records``, ``files``, ``problems``)."""
    from pbtools.demo import demo_parts
    from pbtools.monitoring import records as M
    from pbtools.storage.adopt import append_verified
    from pbtools.storage.chain import check_chain
    from pbtools.sync.folder import _check_file, _store_file
    from pbtools.sync.pack import named_files

    demo_there = demo_parts(server)[1]
    folder = Path(server.path)
    for stream in sorted(s for s in server.ledger.streams() if M.is_monitoring(s) and s not in demo_there):
        theirs = server.ledger.records(stream)
        if not theirs:
            continue
        check_chain(server.ledger, stream)  # a record changed on the server is never taken to the hall
        mine = laptop.ledger.records(stream)
        if any(a.hash != b.hash for a, b in zip(mine, theirs)):
            copied.problems.append(Msg(N_(
                "{stream} on this laptop differs from the server's, record by record: it was left as it is (the rest "
                "was copied); enter what the laptop added on the server, then take the copy into a new workspace"),
                stream=stream))
            continue
        new = theirs[len(mine):]
        if not new:
            continue
        files = {f.attachment.stored: f for f in named_files(new)}
        wrong = [m for m in (_check_file(folder, f) for f in files.values()) if m is not None]
        if wrong:
            copied.problems += [Msg(N_("{stream} was not copied (the rest was): {problem}"), stream=stream, problem=m)
                                for m in wrong]
            continue
        stored = sum(_store_file(laptop, folder, f) for f in files.values())
        try:
            added = append_verified(laptop.ledger, stream, new)
        except LedgerError as e:  # e.g. a record added on the laptop meanwhile: this stream only is left out
            copied.problems.append(Msg(N_("{stream} was not copied (the rest was): {problem}"), stream=stream,
                                       problem=e.message))
            continue
        copied.streams.append(stream)
        copied.stream_records += added
        copied.files += stored
