"""Photos lose everything but their pixels: EXIF (GPS, camera serial, owner name) is dropped."""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

# Enough to see a broken lamp or a tag on a wall; the walk's field page sends this size too.
MAX_SIDE = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


def clean_photo(uploaded) -> ContentFile:
    """An uploaded image without metadata, upright and at most MAX_SIDE pixels wide.

    A JPEG that is already small enough and upright (what the report and field pages send
    after making the photo smaller on the phone) keeps its compressed picture: its metadata
    segments are cut out (`strip_jpeg_metadata`) and the rest is checked to decode. Anything
    else is decoded and encoded anew from its pixels alone."""
    data = uploaded.read() if hasattr(uploaded, "read") else bytes(uploaded)
    stripped = _stripped_if_ready(data)
    if stripped is not None:
        return ContentFile(stripped, name="photo.jpg")
    return _reencoded(data)


UNREADABLE = gettext_lazy("Filen är inte en bild som kan läsas (JPEG, PNG eller WebP).")


def _reencoded(data: bytes) -> ContentFile:
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        if not _is_whole(data, image.format):
            raise ValidationError(UNREADABLE, code="photo")
        # A phone's 4000 px JPEG is decoded at half or quarter size straight away (the JPEG
        # decoder scales in the DCT): a fraction of the time and memory of decoding it whole.
        image.draft("RGB", _target_size(image.size))
        image.load()
    except (UnidentifiedImageError, OSError):
        raise ValidationError(UNREADABLE, code="photo") from None
    if image.format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Bildformatet stöds inte; använd JPEG, PNG eller WebP."), code="photo"
        )
    # Apply the orientation tag before dropping it, so the picture is not turned on its side.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # A fresh image from the pixels alone carries no EXIF, XMP, ICC comments or thumbnails.
    clean = Image.new(image.mode if image.mode in {"RGB", "L"} else "RGB", image.size)
    clean.paste(image.convert(clean.mode))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name="photo.jpg")


def _is_whole(data: bytes, image_format: str | None) -> bool:
    """Whether the file holds its whole picture. Pillow cannot be asked: WeasyPrint sets
    `ImageFile.LOAD_TRUNCATED_IMAGES` for the whole process when it is imported, after which a
    cut-off upload would load with a grey bottom instead of failing."""
    if image_format in {"JPEG", "MPO"}:
        return strip_jpeg_metadata(data) is not None  # needs every segment and the end marker
    if image_format == "PNG":
        try:
            Image.open(io.BytesIO(data)).verify()  # reads every chunk to IEND, checks the CRCs
        except (OSError, SyntaxError, ValueError, struct.error):
            return False
    return True


ORIENTATION = 0x0112
# Segments that carry nothing but metadata: APP1 (EXIF with GPS and camera serial, XMP), APP2
# (ICC, FlashPix, the MPO index), APP3–APP13 and APP15 (vendors' notes), COM (comments).
# APP14 (Adobe) says how the colours are coded and is kept; APP0 is kept when it is a bare JFIF
# header (16 bytes), dropped when it carries a thumbnail.
DROPPED_MARKERS = frozenset([*range(0xE1, 0xEE), 0xEF, 0xFE])
JFIF_WITHOUT_THUMBNAIL = 16
STANDALONE_MARKERS = frozenset([0x01, *range(0xD0, 0xD8)])  # TEM and the restart markers


def _stripped_if_ready(data: bytes) -> bytes | None:
    """The JPEG without its metadata, when it needs no other change; None otherwise."""
    try:
        image = Image.open(io.BytesIO(data))
        ready = (
            image.format == "JPEG"
            and image.mode in {"RGB", "L"}
            and max(image.size) <= MAX_SIDE
            and image.getexif().get(ORIENTATION, 1) == 1
        )
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    stripped = strip_jpeg_metadata(data) if ready else None
    if stripped is None or not _decodes_as(stripped, image.size):
        return None
    return stripped


def _decodes_as(data: bytes, size: tuple[int, int]) -> bool:
    """Whether the whole compressed picture decodes, at the same size. Decoded at an eighth
    of its size: the decoder still reads every coefficient, but skips most of the work."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.format != "JPEG" or image.size != size or image.getexif():
            return False
        image.draft(image.mode, (max(1, size[0] // 8), max(1, size[1] // 8)))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def strip_jpeg_metadata(data: bytes) -> bytes | None:
    """The JPEG `data` with its metadata segments cut out and nothing after the first image
    (an MPO's second picture, trailing bytes); None when the file does not parse as a JPEG.

    Walks the markers (ITU T.81, annex B): segments before and between scans are kept or
    dropped by `DROPPED_MARKERS`; entropy-coded data runs to the next 0xFF that is not a
    stuffed byte (0xFF00) or a restart marker."""
    if data[:2] != b"\xff\xd8":
        return None
    kept, at, end = [b"\xff\xd8"], 2, len(data)
    while at + 1 < end:
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xD9:  # end of image: the rest is dropped
            kept.append(b"\xff\xd9")
            return b"".join(kept)
        if marker in STANDALONE_MARKERS or at + 4 > end:
            return None
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if length < 2 or at + 2 + length > end:
            return None
        segment_end = at + 2 + length
        if marker == 0xDA:  # start of scan: the segment and its entropy-coded data
            segment_end = _entropy_end(data, segment_end)
        if not _is_metadata(marker, length):
            kept.append(data[at:segment_end])
        at = segment_end
    return None


def _is_metadata(marker: int, length: int) -> bool:
    if marker == 0xE0:
        return length != JFIF_WITHOUT_THUMBNAIL
    return marker in DROPPED_MARKERS


# A real marker in entropy-coded data: 0xFF followed by neither a stuffed 0x00 nor a restart
# marker (RST0–RST7).
_MARKER_IN_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7]")


def _entropy_end(data: bytes, at: int) -> int:
    """Where the entropy-coded data starting at `at` ends: the next real marker (searched in
    C: a Python loop over every 0xFF of a phone's photo took half a millisecond)."""
    found = _MARKER_IN_SCAN.search(data, at)
    return len(data) if found is None else found.start()


def _target_size(size: tuple[int, int]) -> tuple[int, int]:
    """The size `thumbnail` will make of an image this size."""
    width, height = size
    scale = min(1.0, MAX_SIDE / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def clean_photos(photos: Sequence, *, max_bytes: int, max_count: int) -> tuple[list, list[str]]:
    """Several uploads (a walk finding's, a resident's report's): the cleaned photos, or the
    Swedish reasons each one was refused, numbered from 1. Nothing is written here."""
    if len(photos) > max_count:
        return [], [_("Högst %(n)s foton.") % {"n": max_count}]
    cleaned, errors = [], []
    for number, photo in enumerate(photos, start=1):
        size = getattr(photo, "size", None)
        if size is not None and size > max_bytes:
            errors.append(
                _("Foto %(n)s är större än %(mb)s MB.") % {"n": number, "mb": max_bytes // 2**20}
            )
            continue
        try:
            cleaned.append(clean_photo(photo))
        except ValidationError as error:
            errors.append(_("Foto %(n)s: %(reason)s") % {"n": number, "reason": error.messages[0]})
    return cleaned, errors
