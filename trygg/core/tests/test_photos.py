"""A cleaned photo keeps only its pixels: no EXIF (GPS, camera), upright, at most MAX_SIDE."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from trygg.core.photos import MAX_SIDE, _entropy_end, clean_photo


def _jpeg(width: int, height: int, *, orientation: int | None = None) -> io.BytesIO:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 2, height))  # left half blue: shows turning
    exif = Image.Exif()
    exif[0x010F] = "Kameratillverkare"  # Make
    exif[0x8825] = {2: (59.0, 22.0, 48.0)}  # GPSInfo: latitude
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    out.seek(0)
    return out


def _opened(cleaned) -> Image.Image:
    return Image.open(io.BytesIO(cleaned.read()))


def test_a_phone_sized_photo_is_made_smaller_without_its_exif():
    cleaned = _opened(clean_photo(_jpeg(4032, 3024)))

    assert cleaned.size == (MAX_SIDE, MAX_SIDE * 3 // 4)
    assert not cleaned.getexif() and "exif" not in cleaned.info


def test_the_orientation_tag_is_applied_before_it_is_dropped():
    cleaned = _opened(clean_photo(_jpeg(400, 300, orientation=6)))  # "turn 90° clockwise"

    assert cleaned.size == (300, 400)
    assert not cleaned.getexif()
    top = cleaned.convert("RGB").getpixel((150, 20))
    assert top[2] > 150 and top[0] < 100  # the blue left half is now on top


def test_a_small_photo_keeps_its_size():
    assert _opened(clean_photo(_jpeg(640, 480))).size == (640, 480)


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(ValidationError):
        clean_photo(io.BytesIO(b"%PDF-1.4 not a photo"))


def _with_comment(jpeg: bytes, text: bytes) -> bytes:
    """A COM segment right after SOI, as some cameras and editors write."""
    segment = b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text
    return jpeg[:2] + segment + jpeg[2:]


def test_a_small_upright_jpeg_keeps_its_picture_and_loses_its_metadata():
    original = _with_comment(_jpeg(800, 600).getvalue(), b"Ring 070-123 45 67")

    cleaned = clean_photo(io.BytesIO(original)).read()

    assert b"Exif" not in cleaned and b"070-123" not in cleaned
    assert b"Kameratillverkare" not in cleaned
    # The compressed picture itself is untouched: the same pixels, not a second generation.
    before = Image.open(io.BytesIO(original)).convert("RGB")
    after = Image.open(io.BytesIO(cleaned)).convert("RGB")
    assert after.size == (800, 600) and after.tobytes() == before.tobytes()


def test_what_follows_the_first_picture_is_dropped():
    first = _jpeg(320, 240).getvalue()
    second = _jpeg(160, 120).getvalue()  # an MPO's second picture, or anything appended

    cleaned = clean_photo(io.BytesIO(first + second)).read()

    assert cleaned.endswith(b"\xff\xd9") and cleaned.count(b"\xff\xd8") == 1
    assert Image.open(io.BytesIO(cleaned)).size == (320, 240)


@pytest.mark.parametrize(
    ("scan", "end"),
    [
        (b"\x12\xff\x00\x34\xff\xd3\x56\xff\xd9", 7),  # a stuffed 0xFF, a restart marker
        (b"\x12\xff\xff\xd9", 1),  # a fill byte before the marker
        (b"\x12\x34\xff", 3),  # cut off after a lone 0xFF: no marker at all
        (b"\xff\x00\xff\xd7", 4),
    ],
)
def test_the_scan_ends_at_the_first_real_marker(scan, end):
    assert _entropy_end(b"\xff\xda" + scan, 2) == 2 + end


def test_a_cut_off_jpeg_is_refused():
    whole = _jpeg(640, 480).getvalue()

    with pytest.raises(ValidationError):
        clean_photo(io.BytesIO(whole[: len(whole) // 2]))


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_a_cut_off_photo_is_refused_even_where_pillow_is_told_to_load_cut_off_files(
    image_format, monkeypatch
):
    """WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES for the whole process on import."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 120, 200)).save(out, image_format)
    whole = out.getvalue()

    assert clean_photo(io.BytesIO(whole))  # the whole file is fine
    with pytest.raises(ValidationError):
        clean_photo(io.BytesIO(whole[: len(whole) * 2 // 3]))
