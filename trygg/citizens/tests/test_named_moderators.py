"""People a municipality names as moderators moderate its residents' reports like its
coordinators do, and no other municipality's."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from trygg.citizens.actions import moderation
from trygg.citizens.models import Moderation, ReportModerator
from trygg.citizens.tests.factories import resident_report
from trygg.events.models import Status, Visibility

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_named_moderator_publishes_and_hides(housing_reporter, coordinator, kommunen):
    ReportModerator.objects.create(
        municipality=kommunen.municipality, user=housing_reporter, named_by=coordinator
    )
    report, _token = resident_report()
    other, _token = resident_report(description="Klotter på muren")

    moderation.publish(report, acting_user=housing_reporter)
    moderation.hide(other, reason="Inte en plats i kommunen", acting_user=housing_reporter)

    report.refresh_from_db()
    other.refresh_from_db()
    assert report.moderation == Moderation.PUBLISHED
    assert report.event.visibility == Visibility.PARTNERS
    assert report.event.status == Status.REVIEWED
    assert other.moderation == Moderation.HIDDEN
    assert other.event.status == Status.REJECTED


def test_naming_in_one_municipality_gives_nothing_in_another(
    other_municipality_user, karlskoga_kommun, coordinator
):
    ReportModerator.objects.create(
        municipality=karlskoga_kommun.municipality, user=other_municipality_user
    )
    report, _token = resident_report()  # Karlstad's

    with pytest.raises(PermissionDenied):
        moderation.publish(report, acting_user=other_municipality_user)
    report.refresh_from_db()
    assert report.moderation == Moderation.PENDING


def test_the_queue_opens_for_a_named_moderator_only(client, housing_reporter, kommunen):
    resident_report()
    client.force_login(housing_reporter)
    assert client.get(reverse("citizens:queue")).status_code == 403

    ReportModerator.objects.create(municipality=kommunen.municipality, user=housing_reporter)
    response = client.get(reverse("citizens:queue"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 1


def test_the_residents_hub_shows_the_queue_to_a_named_moderator(client, housing_reporter, kommunen):
    client.force_login(housing_reporter)
    queue, hub = reverse("citizens:queue"), reverse("residents_hub")
    assert f'href="{queue}"' not in client.get(hub).content.decode()

    ReportModerator.objects.create(municipality=kommunen.municipality, user=housing_reporter)

    assert f'href="{queue}"' in client.get(hub).content.decode()
