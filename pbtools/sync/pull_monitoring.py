"""A copy's monitoring: the municipality's monitoring streams (each project, the group, the acts, the budget
matches: ``monitoring.records.travels``) taken from the server to a laptop record by record with the server's own
hashes, with the photos and documents they name.

The group, the acts and the budget matches are one stream each per municipality: a laptop that started them on its
own could never hand them in (``push.StreamDiverged``), so the copy gives it the server's to carry on. Each stream
is checked on its own, the way a hand-in folder's is (``sync.folder``), the server's workspace folder standing for
the USB stick:

- what the laptop already has of it must be the server's, record by record; a laptop that carried it on further
  keeps its own records (it hands them in later). One that differs is named and left as it is, nothing of it
  changed, and the other streams are copied;
- every file a record to copy names must be in the server's folder, hold exactly what its hash says, be no bigger
  than the monitoring store takes and be a picture when recorded as a photo (``folder._check_file``); otherwise the
  stream is named with the file and not copied;
- an act is copied only with the project it is about: the acts are one chain, so they are copied up to the first
  act about a project the laptop will not have (left out above), and named from there on (the laptop could
  neither show nor print such an act: ``print_act`` reads its project);
- the server's demo streams (``demo.DEMO_SETTING``), were there any, are not copied (nothing is copied into a
  demo workspace at all: ``pull.check_laptop``).

Nothing is written here (``plan_monitoring`` adds to ``pull.Plan``); ``store_files`` stores the files the plan
names, each read and checked again as it is stored.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from pbtools.budget.place import PlaceName
from pbtools.i18n import N_, Msg
from pbtools.storage.chain import ChainBroken, check_chain
from pbtools.storage.errors import StorageError


class PullRefused(StorageError):
    """Nothing was copied: ``message`` says why and what to do."""


def verified(server: Any, stream: str) -> None:
    """``PullRefused`` naming the record when ``stream`` of ``server`` does not verify (changed behind pbtools'
    back): nothing of the copy is written then."""
    try:
        check_chain(server.ledger, stream)
    except ChainBroken as e:
        first = e.problems[0]
        raise PullRefused(Msg(N_("Nothing was copied: {stream} on the server was changed at record {seq} ({problem}). A "
                                 "changed record is never taken out: tell the server's administrator"),
                              stream=stream, seq=first.seq, problem=first.message)) from None


def plan_monitoring(server: Any, laptop: Any, plan: Any) -> None:
    """Add ``server``'s monitoring streams the laptop lacks to ``plan`` (``pull.Plan``; the module's text)."""
    from pbtools.demo import demo_parts
    from pbtools.monitoring import records as M
    from pbtools.sync.folder import _check_file
    from pbtools.sync.pack import named_files

    copied, folder = plan.copied, Path(server.path)
    demo_there = demo_parts(server)[1]
    # the acts last: whether an act's project is copied is known then
    streams = sorted((s for s in server.ledger.streams() if M.travels(s) and s not in demo_there),
                     key=lambda s: (s == M.ACTS, s))
    for stream in streams:
        theirs = server.ledger.records(stream)
        verified(server, stream)  # a record changed on the server is never taken out, nor carried on from
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
        if stream == M.ACTS:
            new = _with_their_projects(server, laptop, plan, new)
        files = {f.attachment.stored: f for f in named_files(new)}
        wrong = [m for m in (_check_file(folder, f) for f in files.values()) if m is not None]
        if wrong:
            copied.problems += [Msg(N_("{stream} was not copied (the rest was): {problem}"), stream=stream, problem=m)
                                for m in wrong]
            continue
        if new:
            plan.batches[stream] = new
            plan.files.update(files)
            copied.streams.append(stream)
            copied.stream_records += len(new)


def _with_their_projects(server: Any, laptop: Any, plan: Any, new: list) -> list:
    """The acts' records ``new`` up to the first act about a project the laptop will not have (named in the
    plan's problems)."""
    from pbtools.monitoring import records as M
    from pbtools.monitoring.fold import fold_project

    have = {s[len(M.PROJECT_PREFIX):] for s in [*laptop.ledger.streams(), *plan.batches] if s.startswith(M.PROJECT_PREFIX)}
    for i, r in enumerate(new):
        project_id = str(r.payload.get("project_id", ""))
        if r.kind == M.ACT_FILED and project_id not in have:
            project = fold_project(project_id, server.ledger.records(M.project_stream(project_id)))
            plan.copied.problems.append(Msg(N_(
                "The acts from {act} on were not copied (those before it were): {act} is about the project {project} "
                "({id}), which was not copied. Take the copy again once it is, and file no acts on this laptop before"),
                act=r.payload.get("id", r.seq), project=PlaceName(project.titles) if project else "—", id=project_id))
            return new[:i]
    return new


def store_files(laptop: Any, plan: Any) -> int:
    """Store the files ``plan`` names in ``laptop`` where its monitoring store keeps them; how many were not there.
    Each is read once and checked against its record's hash; all are put in place only once every one holds what
    its record says (``PullRefused`` otherwise, none stored: a file changed or removed on the server since the
    check)."""
    from pbtools.monitoring.files import _write
    from pbtools.sync.folder import _keep_thumbnail

    staged: list[tuple[Path, Path, Any]] = []
    try:
        for named in plan.files.values():
            a = named.attachment
            target = Path(laptop.path) / a.stored
            if target.is_file():  # content-addressed: the same photo twice is one file
                continue
            try:
                data = (Path(plan.folder) / a.stored).read_bytes()
            except OSError:  # removed since the check: refused as a changed one
                data = b""
            if hashlib.sha256(data).hexdigest() != a.sha256:
                raise PullRefused(Msg(N_("Nothing was copied: {file} (record {seq} of {stream}) was changed or removed "
                                         "on the server during the copy: take the copy again"), file=a.name,
                                      seq=named.seq, stream=named.stream))
            staged.append((target.with_name(f".{target.name}.pulled"), target, a))
            _write(staged[-1][0], data)
    except BaseException:
        for part, _target, _a in staged:
            part.unlink(missing_ok=True)
        raise
    for part, target, a in staged:
        os.replace(part, target)
        _keep_thumbnail(laptop, a)
    return len(staged)
