"""Retention (decision 0031) reaches the photos the apps keep beside events: a walk finding's and
a resident's report's photos go, rows and files, when their event's text goes; a recent event's
stay, and the municipality's audit row counts them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from trygg.citizens.models import CitizenReport, ReportPhoto
from trygg.core.models import AuditEntry
from trygg.events import retention
from trygg.events.tests.factories import make_event
from trygg.walks.models import Finding, FindingPhoto
from trygg.walks.tests.factories import make_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]  # 36 months back is 2023-11-22

OLD = dt.datetime(2023, 5, 10, 21, 30, tzinfo=dt.UTC)
RECENT = dt.datetime(2026, 10, 1, 8, 15, tzinfo=dt.UTC)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def finding_photo(walk, organisation, when) -> FindingPhoto:
    event = make_event(organisation, occurred_from=when, source="walk")
    number = walk.findings.count() + 1
    finding = Finding.objects.create(walk=walk, event=event, client_id=uuid.uuid4(), number=number)
    photo = FindingPhoto(finding=finding)
    photo.image.save("fynd.jpg", ContentFile(b"jpeg"), save=True)
    return photo


def report_photo(organisation, when, number) -> ReportPhoto:
    event = make_event(organisation, occurred_from=when, source="citizen")
    report = CitizenReport.objects.create(
        event=event,
        municipality=organisation.municipality,
        resident_category="klotter",
        tracking_hash=f"{number:064d}",
    )
    photo = ReportPhoto(report=report)
    photo.image.save("rapport.jpg", ContentFile(b"jpeg"), save=True)
    return photo


def test_old_events_lose_their_walk_and_report_photos_recent_ones_keep_them(
    kommunen, media, django_capture_on_commit_callbacks
):
    walk = make_walk(kommunen)
    old = [finding_photo(walk, kommunen, OLD), report_photo(kommunen, OLD, 1)]
    new = [finding_photo(walk, kommunen, RECENT), report_photo(kommunen, RECENT, 2)]
    old_files = [photo.image.name for photo in old]

    with django_capture_on_commit_callbacks(execute=True):
        totals = retention.run_periodic(timezone.now())

    assert totals["photos_removed"] == 2
    assert not FindingPhoto.objects.filter(pk=old[0].pk).exists()
    assert not ReportPhoto.objects.filter(pk=old[1].pk).exists()
    assert not any(default_storage.exists(name) for name in old_files)
    assert FindingPhoto.objects.filter(pk=new[0].pk).exists()
    assert ReportPhoto.objects.filter(pk=new[1].pk).exists()
    assert all(default_storage.exists(photo.image.name) for photo in new)
    # The finding and the report stay: what the statistics and the moderation history need.
    assert Finding.objects.count() == 2 and CitizenReport.objects.count() == 2
    row = AuditEntry.objects.get(object_type="places.municipality", field="retention")
    assert row.new["photos_removed"] == 2

    again = retention.run_periodic(timezone.now())
    assert again["photos_removed"] == 0
