"""Reads of non-public events by other organisations' staff can be audited (DESIGN §5)."""

from trygg.core.models import AuditEntry
from trygg.events.models import Visibility
from trygg.organisations.actions import create_token


def reads(event) -> list:
    return list(
        AuditEntry.objects.filter(object_id=str(event.pk), action="read").values_list(
            "actor__username", flat=True
        )
    )


def test_a_partner_opening_another_organisations_partner_event_leaves_a_read_row(
    client, make_event, bostadsbolaget, coordinator
):
    event = make_event(bostadsbolaget, Visibility.PARTNERS)
    client.force_login(coordinator)
    response = client.get(f"/handelser/{event.pk}/")
    assert response.status_code == 200
    assert reads(event) == ["samordnare"]


def test_reading_through_the_api_is_audited_the_same_way(
    client, make_event, bostadsbolaget, coordinator
):
    event = make_event(bostadsbolaget, Visibility.PARTNERS)
    _, secret = create_token(coordinator)
    response = client.get(f"/api/v1/events/{event.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert reads(event) == ["samordnare"]


def test_public_events_and_an_organisations_own_events_are_read_without_a_log_row(
    client, make_event, bostadsbolaget, kommunen, housing_reporter
):
    own = make_event(bostadsbolaget, Visibility.PARTNERS)
    public = make_event(kommunen, Visibility.PUBLIC)
    client.force_login(housing_reporter)
    assert client.get(f"/handelser/{own.pk}/").status_code == 200
    assert client.get(f"/handelser/{public.pk}/").status_code == 200
    assert reads(own) == [] and reads(public) == []


def test_an_event_the_user_may_not_see_is_a_404_and_leaves_no_read_row(
    client, make_event, polisen, housing_reporter
):
    internal = make_event(polisen, Visibility.ORGANISATION)
    client.force_login(housing_reporter)
    assert client.get(f"/handelser/{internal.pk}/").status_code == 404
    assert reads(internal) == []
