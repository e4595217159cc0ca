"""A resident's photos are written before the report's transaction (so that the municipality's
rollup lock is not held during file writes): stored with the report, or not left behind."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from trygg.citizens.actions import reports
from trygg.citizens.models import CitizenReport, ReportPhoto, StatusContact
from trygg.citizens.tests.factories import resident_report

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")


def files_under(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def test_the_photos_are_stored_with_the_report_and_readable(tmp_path):
    report, _ = resident_report(photos=[jpeg(), jpeg()])

    photos = list(ReportPhoto.objects.filter(report=report))
    assert len(photos) == 2 and len({p.image.name for p in photos}) == 2
    for photo in photos:
        assert photo.image.name.startswith("citizens/")
        with photo.image.open("rb") as image:
            assert Image.open(image).format == "JPEG"
    assert len(files_under(tmp_path)) == 2


def test_a_report_that_fails_to_be_stored_leaves_no_photo_file(tmp_path, monkeypatch):
    def broken(**_fields):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(reports, "report_event", broken)

    with pytest.raises(RuntimeError):
        resident_report(photos=[jpeg()])

    assert not CitizenReport.objects.exists() and not ReportPhoto.objects.exists()
    assert files_under(tmp_path) == []


def test_the_photos_and_the_address_carry_the_reports_municipality(karlstad):
    report, _ = resident_report(photos=[jpeg()], email="boende@example.se")

    photo = ReportPhoto.objects.get(report=report)
    contact = StatusContact.objects.get(report=report)
    assert photo.municipality_id == contact.municipality_id == report.municipality_id
    assert report.municipality_id == karlstad.pk
