"""The report page in a real browser (headless Chromium): a phone's large photo is made smaller
on the device before it is sent, so less goes over the resident's connection and the server
keeps the compressed picture as it is. Skipped like the other browser tests when Chromium is
missing (trygg/conftest.py `browser`)."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image

from trygg.citizens.models import ReportPhoto
from trygg.core.photos import MAX_SIDE
from trygg.places.tests.factories import KARLSTAD_CENTRE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WAIT_MS = 30_000


def phone_photo() -> bytes:
    """A 4000 × 3000 JPEG with sensor-like noise, as a phone's camera makes it."""
    import numpy as np

    rng = np.random.default_rng(4)
    pixels = np.clip(rng.normal(128, 40, (3000, 4000, 3)), 0, 255).astype("uint8")
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=92)
    return out.getvalue()


def test_a_large_photo_is_made_smaller_before_it_is_sent(
    browser, live_server, coordinator, centrum, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    original = phone_photo()
    page = browser.new_context(locale="sv-SE").new_page()
    sent: list[int] = []
    page.on(
        "request",
        lambda r: (
            sent.append(int(r.all_headers().get("content-length", -1)))
            if r.method == "POST" and urlsplit(r.url).path == "/rapportera/"
            else None
        ),
    )
    page.goto(f"{live_server.url}/rapportera/?kommun=1780", timeout=WAIT_MS)
    page.fill("#id_lat", str(KARLSTAD_CENTRE[0]).replace(".", ","))
    page.fill("#id_lon", str(KARLSTAD_CENTRE[1]).replace(".", ","))
    page.check("input[name=category][value=belysning]")
    page.fill("#id_description", "Lampan vid trappan är släckt")
    page.set_input_files(
        "#id_photos", files=[{"name": "IMG_1234.jpg", "mimeType": "image/jpeg", "buffer": original}]
    )

    with page.expect_navigation(timeout=WAIT_MS):
        page.click("button[name=step][value=send]")

    assert "kvitto" in page.url
    assert len(sent) == 1 and 0 < sent[0] < len(original) / 2, (sent, len(original))
    stored = ReportPhoto.objects.get()
    with Image.open(stored.image.path) as image:
        assert max(image.size) == MAX_SIDE and not image.getexif()
