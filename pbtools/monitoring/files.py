"""Photos and documents of monitored projects and acts, kept in the workspace folder under ``monitoring-files/``.

Content-addressed: a file is named by the SHA-256 of what was given, so the same photo added twice is stored once
and nothing is lost. A photo whose longer side is above ``MAX_SIDE`` is reduced (turned upright first, as the
camera said) and saved as JPEG; every photo gets a thumbnail. The EXIF GPS location and the time taken are read
from the file as given and kept in the record (a reduced photo keeps its EXIF too). Anything that is not an image
is kept as it is, as a document. A file is written whole under a temporary name and then renamed, so a crash never
leaves half a photo under its final name.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

from PIL import Image, ImageOps, UnidentifiedImageError

from pbtools.i18n import N_, Msg
from pbtools.monitoring.errors import FileRefused
from pbtools.monitoring.model import DOCUMENT, PHOTO, Attachment
from pbtools.paths import private_folder
from pbtools.storage.chain import Problem

FOLDER = "monitoring-files"
MAX_SIDE = 2000  # px: a projector or a report needs no more; a phone photo (4000 px, 3-8 MB) becomes ~0.5 MB
THUMB_SIDE = 320
MAX_BYTES = 100 * 1024 * 1024  # a bigger file is no photo or document a group adds by hand
JPEG_QUALITY = 85

_GPS_IFD, _EXIF_IFD = 0x8825, 0x8769
_DATETIME_ORIGINAL = 36867


def _write(path: Path, data: bytes) -> None:
    if path.is_file():
        return  # content-addressed: what is there is the same content
    private_folder(path.parent)  # monitoring-files/ too: mkdir(parents=True) made it 0755
    # a name of its own per writer: two threads storing the same photo shared one and crashed (FileNotFoundError)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _degrees(value: Any, ref: Any) -> float | None:
    try:
        d, m, s = (float(v) for v in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = d + m / 60 + s / 3600
    if str(ref).strip().upper() in ("S", "W"):
        result = -result
    return round(result, 7)


def exif_location(image: Any) -> tuple[float | None, float | None, str]:
    """(latitude, longitude, taken at as ISO) from a Pillow image's EXIF, each None/"" when absent or unreadable."""
    try:
        exif = image.getexif()
        gps = exif.get_ifd(_GPS_IFD)
        taken = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL, "")
    except Exception:  # a damaged EXIF block must not stop a photo being kept
        return None, None, ""
    lat = _degrees(gps.get(2), gps.get(1)) if gps.get(2) else None
    lon = _degrees(gps.get(4), gps.get(3)) if gps.get(4) else None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    try:
        taken_iso = datetime.strptime(str(taken).strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat() if taken else ""
    except ValueError:
        taken_iso = ""
    return lat, lon, taken_iso


def _open_image(data: bytes) -> Any:
    """The Pillow image of ``data``, or None when it is not an image Pillow reads."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > Image.MAX_IMAGE_PIXELS:  # Pillow only warns up to twice this: a 20 KB PNG
            raise Image.DecompressionBombError  # of 13,000² pixels took 9.5 s and 1.1 GB to decode
        image.load()
        return image
    except Image.DecompressionBombError:
        raise FileRefused(Msg(N_("The picture is far too large to be a photo (more than {n} million pixels)"),
                              n=Image.MAX_IMAGE_PIXELS // 1_000_000)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None


def _jpeg(image: Any, side: int, exif: bytes | None = None) -> bytes:
    copy = image.convert("RGB") if image.mode != "RGB" else image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, **({"exif": exif} if exif else {}))
    return out.getvalue()


def store_file(ws: Any, path: str | Path, caption: str = "") -> Attachment:
    """Keep the file at ``path`` in the workspace; the ``Attachment`` to record. Raises ``FileRefused``."""
    path = Path(path)
    try:
        if not path.is_file():
            raise FileRefused(Msg(N_("The file {file} was not found"), file=path.name))
        if path.stat().st_size > MAX_BYTES:
            raise FileRefused(Msg(N_("The file {file} is larger than {n} MB"), file=path.name, n=MAX_BYTES // 2**20))
        data = path.read_bytes()
    except OSError:
        raise FileRefused(Msg(N_("The file {file} cannot be read"), file=path.name)) from None
    if not data:
        raise FileRefused(Msg(N_("The file {file} is empty"), file=path.name))
    original = hashlib.sha256(data).hexdigest()
    root = Path(ws.path) / FOLDER
    image = _open_image(data)
    if image is None:
        suffix = "".join(c for c in path.suffix.lower()[:10] if c.isalnum() or c == ".")
        stored = root / original[:2] / f"{original}{suffix}"
        _write(stored, data)
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Attachment(original, original, path.name, DOCUMENT, media, len(data), str(stored.relative_to(ws.path)),
                          original_size=len(data), caption=caption.strip())
    lat, lon, taken = exif_location(image)
    upright = ImageOps.exif_transpose(image)
    width, height = upright.size
    reduced = max(width, height) > MAX_SIDE
    if reduced:
        exif = upright.getexif()
        body = _jpeg(upright, MAX_SIDE, exif.tobytes() if len(exif) else None)
        stored = root / original[:2] / f"{original}.jpg"
        media = "image/jpeg"
        width, height = _size(body)
    else:
        body = data
        fmt = (image.format or "").lower()
        stored = root / original[:2] / f"{original}.{_SUFFIXES.get(fmt, fmt or 'img')}"
        media = _mime(image) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    _write(stored, body)
    thumb = root / "thumbs" / original[:2] / f"{original}.jpg"
    _write(thumb, _jpeg(upright, THUMB_SIDE))
    return Attachment(hashlib.sha256(body).hexdigest(), original, path.name, PHOTO, media, len(body),
                      str(stored.relative_to(ws.path)), str(thumb.relative_to(ws.path)), width, height, len(data),
                      reduced, lat, lon, taken, caption.strip())


def thumbnail_of(path: str | Path) -> bytes:
    """The thumbnail of the stored photo at ``path``, as ``store_file`` makes it (a hand-in's photos get theirs)."""
    with Image.open(path) as image:
        return _jpeg(ImageOps.exif_transpose(image), THUMB_SIDE)


_SUFFIXES = {"jpeg": "jpg", "tiff": "tif"}


def _mime(image: Any) -> str | None:
    return Image.MIME.get(image.format or "")


def _size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as im:
        return im.size


def check_files(ws: Any, stored: Iterable[tuple[str, int, Attachment]]) -> list:
    """The ledger's ``Problem`` for each recorded file missing from the folder or changed since: (stream, seq of its
    record, attachment) in."""
    problems = []
    for stream, seq, a in stored:
        path = Path(ws.path) / a.stored
        if not path.is_file():
            problems.append(Problem(stream, seq, Msg(N_("The file {file} recorded in record {seq} is missing from the workspace folder"), file=a.name, seq=seq)))
        elif hashlib.sha256(path.read_bytes()).hexdigest() != a.sha256:
            problems.append(Problem(stream, seq, Msg(N_("The file {file} recorded in record {seq} was changed after it was stored"), file=a.name, seq=seq)))
    return problems
