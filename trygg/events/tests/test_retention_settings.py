"""The coordinators' page and the admin for a municipality's retention limits."""

from __future__ import annotations

import pytest

from trygg.core.models import AuditEntry
from trygg.events.models import RetentionPolicy

URL = "/handelser/gallring/"


def audit_rows():
    return AuditEntry.objects.filter(object_type="events.retentionpolicy")


@pytest.mark.django_db
def test_the_page_shows_the_default_limits(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"].initial == {"text_months": 36, "position_months": 36}
    assert "Gallring av händelser i Karlstad" in response.content.decode()


@pytest.mark.django_db
def test_a_coordinator_sets_the_limits_and_each_change_is_audited(client, coordinator, karlstad):
    client.force_login(coordinator)
    response = client.post(URL, {"kommun": karlstad.pk, "text_months": 24, "position_months": 12})
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(municipality=karlstad)
    assert (policy.text_months, policy.position_months) == (24, 12)
    created = audit_rows().get(action=AuditEntry.Action.CREATE)
    assert created.new == {"municipality": karlstad.pk, "text_months": 24, "position_months": 12}
    assert created.actor == coordinator

    client.post(URL, {"kommun": karlstad.pk, "text_months": 48, "position_months": 12})
    change = audit_rows().get(action=AuditEntry.Action.UPDATE)
    assert (change.field, change.old, change.new) == ("text_months", 24, 48)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text_months", "message"),
    [("0", "Minst en månad."), ("241", "Högst 240 månader"), ("tre", "heltal"), ("", "Ange")],
)
def test_bad_months_are_refused_in_swedish_and_nothing_is_written(
    client, coordinator, karlstad, text_months, message
):
    client.force_login(coordinator)
    response = client.post(
        URL, {"kommun": karlstad.pk, "text_months": text_months, "position_months": 12}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RetentionPolicy.objects.exists()
    assert not audit_rows().exists()


@pytest.mark.django_db
def test_others_may_not_change_the_limits(
    client, analyst, housing_reporter, other_municipality_user, karlstad
):
    for user in (analyst, housing_reporter):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        post = client.post(URL, {"kommun": karlstad.pk, "text_months": 1, "position_months": 1})
        assert post.status_code == 403
    client.force_login(other_municipality_user)  # Karlskoga's coordinator, asking for Karlstad
    post = client.post(URL, {"kommun": karlstad.pk, "text_months": 1, "position_months": 1})
    assert post.status_code == 403
    assert not RetentionPolicy.objects.exists()


@pytest.mark.django_db
def test_the_admin_saves_through_the_audited_action(admin_client, admin_user, karlskoga):
    response = admin_client.post(
        "/admin/events/retentionpolicy/add/",
        {"municipality": karlskoga.pk, "text_months": 60, "position_months": 24},
    )
    assert response.status_code == 302
    assert RetentionPolicy.objects.get(municipality=karlskoga).text_months == 60
    assert audit_rows().get(action=AuditEntry.Action.CREATE).actor == admin_user


@pytest.mark.django_db
def test_the_events_page_leads_coordinators_and_only_them_to_the_limits(
    client, coordinator, analyst
):
    link = f'href="{URL}"'
    client.force_login(coordinator)
    assert link in client.get("/handelser/").content.decode()
    client.force_login(analyst)
    assert link not in client.get("/handelser/").content.decode()
