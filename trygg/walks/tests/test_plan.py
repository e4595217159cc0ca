"""Planning a walk: the three meetings in order with the method's suggestion, the organiser,
who may plan and who may look, participants as counts, a walk held, the same route again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import NOW, STOCKHOLM
from trygg.walks.actions import plans
from trygg.walks.models import Walk
from trygg.walks.tests.factories import capture, make_walk, national_template

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

PREMEETING = dt.datetime(2026, 12, 1, 17, 0, tzinfo=STOCKHOLM)


def audit_rows(obj, **filters):
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), **filters
    )


def plan(karlstad, user, **fields):
    values = {"title": "Kvällsvandring i centrum", "template": national_template()} | fields
    return plans.plan_walk(karlstad, acting_user=user, **values)


@pytest.fixture
def walk(kommunen, centrum):
    return make_walk(kommunen)


# --- the meetings -----------------------------------------------------------------------------


def test_given_the_premeeting_the_walk_and_follow_up_are_suggested_two_weeks_apart(
    karlstad, coordinator, kommunen
):
    walk = plan(karlstad, coordinator, premeeting_at=PREMEETING)

    assert walk.walk_at == PREMEETING + dt.timedelta(weeks=2)
    assert walk.followup_at == PREMEETING + dt.timedelta(weeks=4)
    # The organiser is the coordinator's own organisation, and the plan is audited.
    assert walk.organisation == kommunen and walk.status == Walk.Status.PLANNED
    created = audit_rows(walk, action="create").get()
    assert created.new["walk_at"] == str(walk.walk_at)


def test_a_date_given_is_kept_and_only_the_empty_one_is_suggested(karlstad, coordinator):
    walk_at = PREMEETING + dt.timedelta(days=20)
    walk = plan(karlstad, coordinator, premeeting_at=PREMEETING, walk_at=walk_at)
    assert walk.walk_at == walk_at
    assert walk.followup_at == walk_at + dt.timedelta(weeks=2)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"premeeting_at": PREMEETING, "walk_at": PREMEETING - dt.timedelta(days=1)},
            "premeeting_at",
            "Förmötet ska hållas före vandringen.",
        ),
        (
            {"walk_at": PREMEETING, "followup_at": PREMEETING},
            "followup_at",
            "Uppföljningsmötet ska hållas efter vandringen.",
        ),
        ({}, "walk_at", "Ange när vandringen hålls"),
    ],
)
def test_meetings_out_of_order_are_refused_in_swedish_and_nothing_is_written(
    karlstad, coordinator, fields, field, message
):
    with pytest.raises(ValidationError) as refused:
        plan(karlstad, coordinator, **fields)

    assert refused.value.message_dict[field][0].startswith(message)
    assert not Walk.objects.exists() and not AuditEntry.objects.exists()


def test_free_text_of_the_plan_is_scrubbed(karlstad, coordinator):
    walk = plan(
        karlstad,
        coordinator,
        walk_at=PREMEETING,
        purpose="Kontakt: 070-123 45 67",
        meeting_place="Hos anna@example.se",
    )
    walk.refresh_from_db()
    assert "070-123 45 67" not in walk.purpose and "anna@example.se" not in walk.meeting_place


def test_a_checklist_or_an_area_of_another_municipality_is_refused(
    karlstad, karlskoga, coordinator
):
    from trygg.places.tests.factories import box, make_area
    from trygg.walks.models import ChecklistTemplate

    elsewhere = ChecklistTemplate.objects.create(
        municipality=karlskoga, code="egen", name="Karlskogas lista", kind="items"
    )
    area = make_area(karlskoga, "Centrum", box(14.50, 59.31, 14.54, 59.34))
    with pytest.raises(ValidationError) as refused:
        plan(karlstad, coordinator, walk_at=PREMEETING, template=elsewhere, area=area)
    assert set(refused.value.message_dict) == {"template", "area"}


# --- who may plan -----------------------------------------------------------------------------


def test_a_police_officer_may_view_a_walk_but_not_plan_one(client, walk, police_officer, karlstad):
    with pytest.raises(PermissionDenied):
        plan(karlstad, police_officer, walk_at=PREMEETING)

    client.force_login(police_officer)
    page = client.get(walk.get_absolute_url())
    assert page.status_code == 200 and walk.title in page.content.decode()
    assert reverse("walks:edit", args=[walk.pk]) not in page.content.decode()
    assert client.get(reverse("walks:edit", args=[walk.pk])).status_code == 403
    assert client.get(reverse("walks:new")).status_code == 403
    posted = client.post(
        reverse("walks:participants", args=[walk.pk]), {"participants_residents": "4"}
    )
    assert posted.status_code == 403
    walk.refresh_from_db()
    assert walk.participants_residents is None


def test_another_municipality_sees_nothing_of_the_walk(client, walk, other_municipality_user):
    client.force_login(other_municipality_user)
    assert walk.title not in client.get(reverse("walks:list")).content.decode()
    for name in ("detail", "edit", "stops", "invitations", "participants"):
        assert client.get(reverse(f"walks:{name}", args=[walk.pk])).status_code == 404


def test_a_resident_without_an_account_is_sent_to_log_in(client, walk):
    for url in (reverse("walks:list"), walk.get_absolute_url(), reverse("walks:new")):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


# --- the pages --------------------------------------------------------------------------------


def test_a_coordinator_plans_a_walk_on_the_page(client, coordinator, karlstad, centrum):
    client.force_login(coordinator)
    form = client.get(reverse("walks:new"))
    assert form.status_code == 200 and "Centrum" in form.content.decode()

    response = client.post(
        f"{reverse('walks:new')}?kommun={karlstad.pk}",
        {
            "title": "Vandring i Centrum",
            "area": centrum.pk,
            "light": "dark",
            "template": national_template("boverket-bra").pk,
            "premeeting_at": "2026-12-01T17:00",
        },
    )

    walk = Walk.objects.get()
    assert response.status_code == 302 and response["Location"] == walk.get_absolute_url()
    assert walk.area == centrum and walk.light == Walk.Light.DARK
    assert walk.walk_at == PREMEETING + dt.timedelta(weeks=2)


def test_the_form_shows_the_order_error_and_saves_nothing(client, coordinator, karlstad):
    client.force_login(coordinator)
    response = client.post(
        reverse("walks:new"),
        {
            "title": "Fel ordning",
            "light": "day",
            "template": national_template().pk,
            "premeeting_at": "2026-12-10T17:00",
            "walk_at": "2026-12-01T18:00",
        },
    )
    assert response.status_code == 400
    assert "Förmötet ska hållas före vandringen." in response.content.decode()
    assert not Walk.objects.exists()


def test_the_list_shows_upcoming_and_held_walks_with_their_findings(
    client, coordinator, kommunen, centrum
):
    held = make_walk(kommunen, title="Förra årets vandring", status=Walk.Status.WALKED)
    capture(held, coordinator)
    make_walk(kommunen, title="Nästa vandring", walk_at=NOW + dt.timedelta(days=10))

    client.force_login(coordinator)
    response = client.get(reverse("walks:list"))

    assert [w.title for w in response.context["upcoming"]] == ["Nästa vandring"]
    assert [(w.title, w.findings_count) for w in response.context["held"]] == [
        ("Förra årets vandring", 1)
    ]
    assert "Planera ny vandring" in response.content.decode()


def test_the_detail_page_shows_the_meetings_stops_and_findings_count(client, walk, coordinator):
    capture(walk, coordinator)
    client.force_login(coordinator)
    response = client.get(walk.get_absolute_url())
    page = response.content.decode()

    assert "Stora torget" in page and "Järnvägsgatan" in page
    assert response.context["findings_count"] == 1
    assert [f["number"] for f in response.context["map_config"]["findings"]] == [1]
    assert reverse("walks:stops", args=[walk.pk]) in page


def test_a_coordinator_changes_the_plan_on_the_page_and_each_change_is_audited(
    client, walk, coordinator
):
    client.force_login(coordinator)
    form = client.get(reverse("walks:edit", args=[walk.pk]))
    assert form.context["form"].initial["title"] == walk.title

    response = client.post(
        reverse("walks:edit", args=[walk.pk]),
        {
            "title": walk.title,
            "light": "day",
            "template": walk.template_id,
            "walk_at": "2026-11-10T20:00",
            "followup_at": "2026-11-24T18:00",
        },
    )

    assert response.status_code == 302
    walk.refresh_from_db()
    assert walk.light == Walk.Light.DAY
    assert walk.walk_at == dt.datetime(2026, 11, 10, 20, 0, tzinfo=STOCKHOLM)
    assert set(audit_rows(walk, action="update").values_list("field", flat=True)) == {
        "light",
        "walk_at",
        "followup_at",
    }


def test_the_checklist_of_a_walk_with_findings_cannot_be_changed(walk, coordinator):
    capture(walk, coordinator)
    with pytest.raises(ValidationError) as refused:
        plans.update_walk(walk, acting_user=coordinator, template=national_template("boverket-bra"))
    assert "iakttagelser" in refused.value.message_dict["template"][0]
    walk.refresh_from_db()
    assert walk.template.code == "safetipin"


# --- participants and status ------------------------------------------------------------------


def test_participants_are_counts_and_a_negative_count_is_refused(client, walk, coordinator):
    with pytest.raises(ValidationError) as refused:
        plans.set_participants(
            walk, {"participants_young": -2, "participants_women": 5}, acting_user=coordinator
        )
    assert "participants_young" in refused.value.message_dict
    walk.refresh_from_db()
    assert walk.participants_women is None

    client.force_login(coordinator)
    page = client.post(reverse("walks:participants", args=[walk.pk]), {"participants_young": "-1"})
    assert page.status_code == 400 and "Antalet kan inte vara negativt." in page.content.decode()
    assert "aldrig namn" in page.content.decode()

    client.post(
        reverse("walks:participants", args=[walk.pk]),
        {"participants_young": "6", "participants_women": "9", "participants_men": "4"},
    )
    walk.refresh_from_db()
    assert (walk.participants_young, walk.participants_women) == (6, 9)
    assert audit_rows(walk, field="participants_young", new=6).exists()


def test_a_coordinator_marks_the_walk_held_once_it_has_happened(walk, coordinator):
    later = make_walk(walk.organisation, title="Senare", walk_at=NOW + dt.timedelta(days=3))
    with pytest.raises(ValidationError):
        plans.mark_walked(later, acting_user=coordinator)

    plans.mark_walked(walk, acting_user=coordinator)
    walk.refresh_from_db()
    assert walk.status == Walk.Status.WALKED
    assert audit_rows(walk, field="status", new="walked").exists()
    with pytest.raises(ValidationError):
        plans.mark_walked(walk, acting_user=coordinator)


def test_participants_may_be_given_after_the_walk(walk, coordinator):
    plans.mark_walked(walk, acting_user=coordinator)
    plans.set_participants(walk, {"participants_residents": 12}, acting_user=coordinator)
    walk.refresh_from_db()
    assert walk.participants_residents == 12


# --- the same route again ---------------------------------------------------------------------


def test_a_new_walk_on_the_same_route_copies_route_and_stops(client, walk, coordinator, karlstad):
    walk.route = {"type": "LineString", "coordinates": [[13.5036, 59.3793], [13.5080, 59.3810]]}
    walk.save()
    client.force_login(coordinator)
    page = client.get(walk.get_absolute_url())
    assert "Planera en ny vandring på samma rutt" in page.content.decode()
    form = client.get(reverse("walks:new"), {"kommun": karlstad.pk, "samma_rutt": walk.pk})
    assert form.context["form"].initial["previous"] == walk.pk

    response = client.post(
        f"{reverse('walks:new')}?kommun={karlstad.pk}",
        {
            "title": "Samma rutt ett halvår senare",
            "light": "day",
            "template": walk.template_id,
            "walk_at": "2027-05-10T18:00",
            "previous": walk.pk,
        },
    )

    again = Walk.objects.exclude(pk=walk.pk).get()
    assert response["Location"] == again.get_absolute_url()
    assert again.previous == walk and again.route == walk.route
    assert [(s.order, s.name, s.x) for s in again.stops.all()] == [
        (s.order, s.name, s.x) for s in walk.stops.all()
    ]
    assert walk.stops.count() == 2  # the earlier walk keeps its own


def test_the_earlier_walk_must_have_been_held_before(walk, coordinator, karlstad):
    with pytest.raises(ValidationError) as refused:
        plan(karlstad, coordinator, walk_at=walk.walk_at - dt.timedelta(days=1), previous=walk)
    assert "previous" in refused.value.message_dict
