"""Photos lose everything but their pixels: EXIF (GPS, camera serial, owner name) is dropped."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Enough to see a broken lamp or a tag on a wall; the walk's field page sends this size too.
MAX_SIDE = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


def clean_photo(uploaded) -> ContentFile:
    """Re-encode an uploaded image without metadata, upright and at most MAX_SIDE pixels wide."""
    try:
        image: Image.Image = Image.open(uploaded)
        # A phone's 4000 px JPEG is decoded at half or quarter size straight away (the JPEG
        # decoder scales in the DCT): a fraction of the time and memory of decoding it whole.
        image.draft("RGB", _target_size(image.size))
        image.load()
    except (UnidentifiedImageError, OSError):
        raise ValidationError(
            _("Filen är inte en bild som kan läsas (JPEG, PNG eller WebP)."), code="photo"
        ) from None
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
