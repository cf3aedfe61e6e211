"""Handing in from a USB stick: a folder (or a zip of it) with a laptop's hearings, its monitoring records and the
photos and documents those records name.

    pack(ws, "E:/ak-suu-2026-05", ["2026-05-14-a1b2"])   # on the laptop: `pbtools sync pack E:/... --hearing ID`
                                                         # (``sync.pack``: monitoring only when asked for)
    hand_in_folder(central_ws, "E:/ak-suu-2026-05", actor)   # on the server: `pbtools sync push E:/ak-suu-2026-05`

The folder::

    pbtools-hand-in.json            the manifest: its format, the municipality's names, the files below
    hearing-<id>.jsonl              each hearing's audit export (``pbtools export --format audit``)
    monitoring/<stream>.jsonl       each monitoring stream (projects, the group, acts, budget matches), same format
    monitoring-files/ab/<sha256>.jpg  every photo or document the monitoring records name, as the laptop keeps them

The records name each file by the SHA-256 of its content (``Attachment.sha256``; the path, by the hash of the
photo as taken, ``original_sha256``, which differs for a photo reduced when stored), so the chain itself says which
files belong and what they hold: no manifest entry can swap a photo. Before anything is stored, every stream file
is checked as a hearing's is (``push.prepare``: hashes, chain, municipality, agreement with what the server has),
and every file named by a record the server does not have yet must be in the folder, hold exactly what its hash
says, be no bigger than the monitoring store takes, and open as an image when it is a photo. Any such problem
refuses the whole folder with every problem named, nothing stored. Two kinds of monitoring stream are set aside
instead, named with the reason while the hearings and the other streams are stored: one recorded apart on the
server and on the laptop since it was last handed in (``push.StreamDiverged``: the group, the acts and the budget
matches are one stream per municipality), and one that is not this municipality's (``sync.streams.not_here``). Then
the files are stored content-addressed as the monitoring store keeps them (``monitoring.files``: the same photo
twice is one file), and the records appended stream by stream, each stream in its own transaction: should one be
refused then (another hand-in of the same stream a moment before), the streams before it stay stored, the refusal
says so, and handing the folder in again stores the rest. A folder naming one stream twice is refused before
anything is stored.

A zip is never unpacked whole: only the manifest and the members it names are read, each capped, and all of them
together no more than ``MAX_ZIP_RATIO`` times the zip itself (a small zip that unpacks to gigabytes is refused).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from pbtools.budget.place import PlaceName
from pbtools.i18n import N_, Msg
from pbtools.reports.audit import HAND_IN
from pbtools.roles import MONITORING, SYNC, Actor
from pbtools.sync.pack import FORMAT, FORMAT_VERSION, MANIFEST, STORED as _STORED, NamedFile, named_files
from pbtools.sync.push import HandedIn, Prepared, StreamDiverged, SyncRefused, hand_in, prepare, refused, same_place, store
from pbtools.sync.streams import not_here, prepare_stream

MAX_ZIP_MEMBERS = 20_000
# the members read from a zip, unpacked, at most this many times the zip's size (and at least MIN_UNPACKED): photos
# do not shrink in a zip, a hearing's audit file shrinks about ten times; a zip bomb shrinks thousands of times
MAX_ZIP_RATIO = 40
MIN_UNPACKED = 64 * 1024  # a tiny hand-in (a manifest, one short hearing) may shrink more than 40 times
MAX_STREAM_BYTES = HAND_IN.bytes  # one hearing's or stream's file: what the audit check reads of one (``Limits``)


# ---------------------------------------------------------------------------------------------------- the server
def is_hand_in_folder(path: Path | str) -> bool:
    """``path`` is a hand-in folder or a zip (rather than one audit file)."""
    path = Path(path)
    return path.is_dir() or zipfile.is_zipfile(path)


@contextmanager
def unpacked(path: Path, manifest_only: bool = False) -> Iterator[Path]:
    """The folder itself, or a temporary folder holding the zip's manifest and the members it names (only the
    manifest: ``manifest_only``). Refused: a path outside the folder, a link, too many members, a member bigger than
    its kind may be, more than ``MAX_ZIP_RATIO`` times the zip unpacked, a damaged zip."""
    if path.is_dir():
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="pbtools-hand-in-") as tmp:
        root = Path(tmp)
        try:
            with zipfile.ZipFile(path) as archive:
                _read_zip(path, archive, root, manifest_only)
        # a damaged member (CRC, the deflate itself), or one Python cannot open (encrypted, an unknown compression)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError):
            raise refused(path, Msg(N_("The zip {file} cannot be read: it is damaged or is not a zip"),
                                    file=path.name)) from None
        yield root


def _read_zip(path: Path, archive: zipfile.ZipFile, root: Path, manifest_only: bool) -> None:
    """Copy the manifest of ``archive`` and the members it names into ``root``, as the folder's own paths."""
    from pbtools.monitoring.files import MAX_BYTES

    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise refused(path, Msg(N_("The zip holds more than {n} files: it is not a laptop's hand-in"),
                                n=MAX_ZIP_MEMBERS))
    for member in members:
        name = PurePosixPath(member.filename)
        if name.is_absolute() or ".." in name.parts or (member.external_attr >> 28) == 0o12:  # 0o12: a link
            raise refused(path, Msg(N_("The zip holds {name}, a path outside its folder"), name=member.filename))
    by_name = {m.filename: m for m in members if not m.is_dir()}
    # a zip of the folder itself (E:/x/ zipped as x/...) holds the manifest one level down
    tops = [n[:-len(MANIFEST)] for n in by_name if n == MANIFEST or (n.endswith("/" + MANIFEST) and n.count("/") == 1)]
    top = "" if "" in tops or len(tops) != 1 else tops[0]
    left = [max(MAX_ZIP_RATIO * path.stat().st_size, MIN_UNPACKED)]  # bytes the members may still unpack to

    def copy(name: str, cap: int) -> None:
        member = by_name.get(top + name)
        if member is None:  # named but not there: the checks say so, naming the record
            return
        target = root.joinpath(*PurePosixPath(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        with archive.open(member) as src, target.open("wb") as dst:
            while chunk := src.read(1 << 20):  # the real size, not the size the zip's directory claims
                size += len(chunk)
                if size > cap:
                    raise refused(path, Msg(N_("{name} in the zip is larger than {n} MB"), name=name, n=cap // 2**20))
                if size > left[0]:
                    raise refused(path, Msg(N_("The zip {file} unpacks to more than {n} times its size: it is not a "
                                               "laptop's hand-in"), file=path.name, n=MAX_ZIP_RATIO))
                dst.write(chunk)
        left[0] -= size

    copy(MANIFEST, 16 * 2**20)
    if manifest_only:
        return
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no manifest: refused by ``_manifest`` with its own message
    if not isinstance(manifest, dict):
        return
    for kind, cap in (("hearings", MAX_STREAM_BYTES), ("streams", MAX_STREAM_BYTES), ("files", MAX_BYTES)):
        names = manifest.get(kind)
        for name in names if isinstance(names, list) else ():
            parts = PurePosixPath(name).parts if isinstance(name, str) and name else ("..",)
            if ".." not in parts and not PurePosixPath(name).is_absolute():  # else refused by the checks after
                copy(name, cap)


def municipality_names(path: Path | str) -> dict[str, str]:
    """The municipality's names a hand-in folder (or zip) says it is of ({} when it says none)."""
    path = Path(path)
    try:
        with unpacked(path, manifest_only=True) as folder:
            names = _manifest(folder, path).get("municipality")
    except SyncRefused:
        return {}
    return {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}


def _inside(folder: Path, name: Any) -> Path | None:
    """``folder/name`` when ``name`` is a plain relative path that stays inside ``folder`` and is no link."""
    if not isinstance(name, str) or not name:
        return None
    parts = PurePosixPath(name)
    if parts.is_absolute() or ".." in parts.parts:
        return None
    path = folder.joinpath(*parts.parts)
    # no link, at the end or on the way (a USB stick's folder may hold any)
    return None if path.is_symlink() or not path.resolve().is_relative_to(folder.resolve()) else path


def _manifest(folder: Path, shown: Path) -> dict:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise refused(shown, Msg(N_("The folder has no readable {manifest}: it is not a hand-in folder written by "
                                    "pbtools sync pack"), manifest=MANIFEST)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("format_version") != FORMAT_VERSION:
        raise refused(shown, Msg(N_("{manifest} is not of a hand-in folder this pbtools reads (format {format})"),
                                 manifest=MANIFEST, format=FORMAT_VERSION))
    return data


def _check_file(folder: Path, named: NamedFile) -> Msg | None:
    """Why the file ``named`` cannot be stored from ``folder`` (None: it can)."""
    from PIL import Image

    from pbtools.monitoring.files import MAX_BYTES
    from pbtools.monitoring.model import PHOTO

    a = named.attachment
    where = dict(file=a.name, stream=named.stream, seq=named.seq)
    found = _STORED.fullmatch(a.stored or "")
    # named by the hash of the file as given (a reduced photo's content has its own hash, ``sha256``)
    named_by = a.original_sha256 or a.sha256
    path = _inside(folder, a.stored) if found and found.group(2) == named_by and found.group(1) == named_by[:2] else None
    if path is None:
        return Msg(N_("{file} (record {seq} of {stream}) is recorded under a path the monitoring store does not use"), **where)
    if not path.is_file():
        return Msg(N_("{file} (record {seq} of {stream}) is missing from the folder: {path}"), path=a.stored, **where)
    if path.stat().st_size > MAX_BYTES:
        return Msg(N_("{file} (record {seq} of {stream}) is larger than {n} MB"), n=MAX_BYTES // 2**20, **where)
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    if digest.hexdigest() != a.sha256:
        return Msg(N_("{file} (record {seq} of {stream}) is not the file that was recorded: its content was changed"), **where)
    if a.kind == PHOTO:
        try:
            with Image.open(path) as image:
                if image.width * image.height > Image.MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombError
                image.verify()
        except Exception:  # Pillow raises many kinds for a file that is not a picture
            return Msg(N_("{file} (record {seq} of {stream}) is recorded as a photo but is not a picture"), **where)
    return None


def _store_file(ws: Any, folder: Path, named: NamedFile, data: bytes | None = None) -> bool:
    """Keep the checked file (``data``: its content, already read) where the monitoring store would, with a
    thumbnail for a photo; False when it was there already (content-addressed: the same photo twice is one file)."""
    from pbtools.monitoring.files import _write

    a = named.attachment
    target = Path(ws.path) / a.stored
    if target.is_file():
        return False
    _write(target, (folder / a.stored).read_bytes() if data is None else data)
    _keep_thumbnail(ws, a)
    return True


def _keep_thumbnail(ws: Any, a: Any) -> None:
    """The thumbnail of the stored photo of attachment ``a``, where its record says, unless it is there."""
    from pbtools.monitoring.files import _write, thumbnail_of

    if a.thumbnail and _STORED.fullmatch(a.thumbnail.replace("monitoring-files/thumbs/", "monitoring-files/", 1)):
        thumb = Path(ws.path) / a.thumbnail
        if not thumb.is_file():
            _write(thumb, thumbnail_of(Path(ws.path) / a.stored))


def hand_in_folder(ws: Any, path: Path | str, actor: Actor) -> list[HandedIn]:
    """Store the hand-in folder (or zip) ``path`` in workspace ``ws`` (the module's text): one ``HandedIn`` per
    stream file, a monitoring stream set aside with its ``problems`` (not stored: recorded apart on the server and
    the laptop, or not this municipality's). ``NotAllowed`` when ``actor`` may not hand in (or, for monitoring,
    record monitoring); ``SyncRefused`` naming every other problem found by the checks, nothing stored then (a
    stream refused while storing, see the module's text, leaves the streams before it stored)."""
    from pbtools.monitoring import records as M

    path = Path(path)
    actor.require(SYNC)
    with unpacked(path) as folder:
        manifest = _manifest(folder, path)
        municipality = ws.municipality()
        names = manifest.get("municipality")
        names = {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}
        if municipality is not None and names and not any(
                same_place(n, municipality.names.values()) for n in names.values()):
            raise refused(path, Msg(N_("The folder is of {place}, not of {municipality}"), place=PlaceName(names),
                                    municipality=PlaceName(municipality.names)))
        problems: list[Msg] = []
        prepared: list[Prepared] = []
        aside: dict[str, list[Msg]] = {}  # monitoring streams not stored, and why; the rest is
        for kind in ("hearings", "streams"):
            for name in manifest.get(kind) or ():
                file = _inside(folder, name)
                if file is None or not file.is_file():
                    problems.append(Msg(N_("{file}, named in {manifest}, is not in the folder"), file=str(name),
                                        manifest=MANIFEST))
                    continue
                try:
                    prepared.append(prepare(ws, file, names=names)
                                    if kind == "hearings" else prepare_stream(ws, file))
                except StreamDiverged as e:  # the server's state, not a fault of the folder: the hearing goes in
                    aside[e.stream] = e.problems
                except SyncRefused as e:
                    problems += [Msg(N_("{file}: {problem}"), file=str(name), problem=p) for p in e.problems or [e.message]]
        if not prepared and not problems and not aside:
            raise refused(path, Msg(N_("The folder holds nothing to hand in: no hearing and no monitoring record")))
        first: dict[str, Path] = {}
        for p in prepared:  # each is checked against the server as it is now: the second would fail once stored
            if p.stream in first:
                problems.append(Msg(N_("{file} and {other} both hold {stream}: a hand-in folder holds each once"),
                                    file=p.path.name, other=first[p.stream].name, stream=p.label))
            first.setdefault(p.stream, p.path)
        if aside or any(M.travels(p.stream) for p in prepared):
            actor.require(MONITORING)
        monitoring = [p for p in prepared if M.travels(p.stream)]
        aside |= not_here(ws, monitoring, {p.label for p in prepared if not M.travels(p.stream)})
        prepared = [p for p in prepared if p.stream not in aside]
        # by where the file is kept: the same bytes as plan.pdf and plan.docx are two files (<sha>.pdf, <sha>.docx)
        files = {f.attachment.stored: f for p in prepared for f in named_files(p.new)}
        problems += [m for m in (_check_file(folder, f) for f in files.values()) if m is not None]
        if problems:
            raise SyncRefused(Msg(N_("{file} was not stored, nothing was changed:"), file=path.name), problems)
        stored = {name: _store_file(ws, folder, f) for name, f in files.items()}
        handed, counted = [], set()
        for p in prepared:
            mine = {f.attachment.stored for f in named_files(p.new) if stored.get(f.attachment.stored)} - counted
            counted |= mine  # a file two streams name is counted with the first
            try:
                handed.append(store(ws, p, actor, files=len(mine)))
            except SyncRefused as e:  # e.g. another hand-in of the same stream a moment before: say what was kept
                if not any(h.appended for h in handed) and not any(stored.values()):
                    raise
                raise SyncRefused(Msg(N_("{file} was stored only in part: {records} records and {files} photos and "
                                         "documents were stored, then {stream} was refused, and nothing after it "
                                         "(hand the folder in again to store the rest):"), file=path.name,
                                      records=sum(h.appended for h in handed), files=sum(stored.values()),
                                      stream=p.label), e.problems) from None
        for stream, why in aside.items():
            have = ws.ledger.records(stream)
            handed.append(HandedIn(stream, 0, have[-1].seq if have else 0, have[-1].hash if have else "",
                                   ws.ledger.sealed(stream), problems=why))
        return handed


def hand_in_any(ws: Any, path: Path | str, actor: Actor) -> list[HandedIn]:
    """A hand-in folder or zip (``hand_in_folder``), else one hearing's audit file (``push.hand_in``)."""
    return hand_in_folder(ws, path, actor) if is_hand_in_folder(path) else [hand_in(ws, path, actor)]
