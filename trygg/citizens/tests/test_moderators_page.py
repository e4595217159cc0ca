"""A municipality's coordinators name and remove the moderators of its residents' reports
(/rapportera/granska/granskare/): among the members of its organisations only, audited, and
nobody else may (issue 12, point 3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trygg.citizens.actions import moderators
from trygg.citizens.models import ReportModerator
from trygg.citizens.tests.factories import resident_report
from trygg.core.models import AuditEntry
from trygg.organisations.models import Membership
from trygg.organisations.tests.factories import make_person

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

PAGE = "/rapportera/granska/granskare/"


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def audit_rows(action):
    return AuditEntry.objects.filter(object_type="citizens.reportmoderator", action=action)


def test_a_coordinator_names_a_member_from_the_page_and_the_row_is_audited(
    client, coordinator, housing_reporter, karlstad
):
    client.force_login(coordinator)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "bovard (Karlstads Bostads AB)" in page.content.decode()

    response = client.post(reverse("citizens:moderators_name"), {"user": housing_reporter.pk})

    assert response.status_code == 302
    named = ReportModerator.objects.get()
    assert (named.municipality, named.user, named.named_by) == (
        karlstad,
        housing_reporter,
        coordinator,
    )
    [row] = audit_rows(AuditEntry.Action.CREATE)
    assert row.actor == coordinator and row.object_id == str(named.pk)
    assert row.new["user_id"] == housing_reporter.pk
    assert "bovard" in client.get(PAGE).content.decode()


def test_a_coordinator_removes_a_named_moderator_and_the_removal_is_audited(
    client, coordinator, housing_reporter, karlstad
):
    named = moderators.name_moderator(karlstad, housing_reporter, acting_user=coordinator)
    client.force_login(coordinator)

    response = client.post(reverse("citizens:moderators_remove", args=[named.pk]))

    assert response.status_code == 302
    assert not ReportModerator.objects.exists()
    rows = audit_rows(AuditEntry.Action.DELETE)
    assert {row.object_id for row in rows} == {str(named.pk)}
    assert {row.actor for row in rows} == {coordinator}
    assert {row.field: row.old for row in rows} == {
        "municipality": karlstad.pk,
        "user": housing_reporter.pk,
    }
    # Removed, the person no longer opens the queue.
    client.force_login(housing_reporter)
    assert client.get(reverse("citizens:queue")).status_code == 403


def test_only_members_of_the_municipalitys_organisations_can_be_named(
    client, coordinator, other_municipality_user, karlstad
):
    with pytest.raises(ValidationError) as refused:
        moderators.name_moderator(karlstad, other_municipality_user, acting_user=coordinator)
    assert "organisation i kommunen" in str(refused.value)

    client.force_login(coordinator)
    response = client.post(
        reverse("citizens:moderators_name"), {"user": other_municipality_user.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["user"]
    assert not ReportModerator.objects.exists()
    assert not audit_rows(AuditEntry.Action.CREATE).exists()


def test_naming_twice_is_refused_with_a_message(coordinator, housing_reporter, karlstad):
    moderators.name_moderator(karlstad, housing_reporter, acting_user=coordinator)
    with pytest.raises(ValidationError) as refused:
        moderators.name_moderator(karlstad, housing_reporter, acting_user=coordinator)
    assert "redan granskare" in str(refused.value)
    assert ReportModerator.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "naming"),
    # Karlskoga's coordinator manages Karlskoga's moderators only: a form that names Karlstad
    # is refused, as on every page about a municipality one does not work in.
    [("housing_reporter", 403), ("analyst", 403), ("other_municipality_user", 403)],
)
def test_others_may_neither_see_nor_change_karlstads_moderators(
    client, request, persona, naming, coordinator, police_officer, karlstad
):
    user = request.getfixturevalue(persona)
    named = moderators.name_moderator(karlstad, police_officer, acting_user=coordinator)
    client.force_login(user)

    response = client.post(
        reverse("citizens:moderators_name"), {"kommun": "1780", "user": police_officer.pk}
    )
    assert response.status_code == naming
    assert client.post(reverse("citizens:moderators_remove", args=[named.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        moderators.remove_moderator(named, acting_user=user)
    with pytest.raises(PermissionDenied):
        moderators.name_moderator(karlstad, coordinator, acting_user=user)
    assert list(ReportModerator.objects.values_list("user_id", flat=True)) == [police_officer.pk]
    assert audit_rows(AuditEntry.Action.CREATE).count() == 1


def test_the_page_is_refused_to_partners_and_analysts(client, housing_reporter, analyst):
    for user in (housing_reporter, analyst):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403


def test_a_named_moderator_cannot_name_others(coordinator, housing_reporter, analyst, karlstad):
    moderators.name_moderator(karlstad, housing_reporter, acting_user=coordinator)
    with pytest.raises(PermissionDenied):
        moderators.name_moderator(karlstad, analyst, acting_user=housing_reporter)
    assert ReportModerator.objects.count() == 1


def test_a_named_moderator_opens_the_queue_and_a_report(
    client, coordinator, housing_reporter, karlstad
):
    report, _token = resident_report()
    moderators.name_moderator(karlstad, housing_reporter, acting_user=coordinator)
    client.force_login(housing_reporter)

    queue = client.get(reverse("citizens:queue"))

    assert queue.status_code == 200
    assert [row["report"].pk for row in queue.context["rows"]] == [report.pk]
    assert client.get(reverse("citizens:moderate", args=[report.pk])).status_code == 200


def test_another_municipalitys_coordinator_sees_only_their_own_moderators(
    client, coordinator, housing_reporter, other_municipality_user, karlstad, karlskoga_kommun
):
    moderators.name_moderator(karlstad, housing_reporter, acting_user=coordinator)
    colleague = make_person("karlskoga-kollega", karlskoga_kommun, Membership.Role.REPORTER)
    client.force_login(other_municipality_user)

    # Asking for Karlstad is refused, not quietly changed into Karlskoga.
    assert client.get(PAGE, {"kommun": "1780"}).status_code == 403
    page = client.get(PAGE)

    # Karlskoga takes reports once it has a coordinator: its own page, without Karlstad's.
    assert page.status_code == 200
    assert page.context["municipality"].code == "1883"
    assert "bovard" not in page.content.decode()
    assert "karlskoga-kollega" in page.content.decode()
    assert colleague.pk in {u.pk for u in page.context["form"].fields["user"].queryset}


def test_the_queue_links_to_the_moderators_page_for_coordinators(client, coordinator):
    client.force_login(coordinator)
    assert PAGE in client.get(reverse("citizens:queue")).content.decode()


def test_a_form_naming_a_municipality_the_coordinator_does_not_coordinate_names_nobody(
    client, coordinator, housing_reporter
):
    """Before, an unknown code fell back to the coordinator's first municipality: a moderator
    could be named somewhere else than the form said."""
    client.force_login(coordinator)

    response = client.post(
        reverse("citizens:moderators_name"), {"user": housing_reporter.pk, "kommun": "1883"}
    )

    assert response.status_code == 403
    assert not ReportModerator.objects.exists()
    assert not audit_rows(AuditEntry.Action.CREATE).exists()
    assert client.get(PAGE, {"kommun": "1883"}).status_code == 403
