"""Managers' answers: each organisation answers its own findings on its own page; will-act
opens a measure it owns; not-ours goes back to the coordinator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import TODAY
from trygg.measures.models import Measure, Status
from trygg.organisations.models import Membership
from trygg.organisations.tests.factories import make_person
from trygg.walks.actions.answers import answer_finding
from trygg.walks.actions.review import confirm_responsible, unconfirmed
from trygg.walks.models import Answer, WalkNotice
from trygg.walks.tests.factories import capture, sent_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

DUE = TODAY + dt.timedelta(days=30)
FOLLOWUP = dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def sent(kommunen, coordinator, bostadsbolaget, polisen, centrum):
    """A sent protocol: finding 1 for the housing company, finding 2 for the police."""
    return sent_walk(
        kommunen,
        coordinator,
        [(bostadsbolaget, "Trasig lampa vid trappan"), (polisen, "Samling vid kiosken")],
        followup_at=FOLLOWUP,
    )


def answers_url(walk, organisation):
    return reverse("walks:answers", args=[walk.pk, organisation.pk])


def test_an_organisation_sees_only_its_own_findings_on_its_answer_page(
    client, sent, housing_reporter, bostadsbolaget
):
    walk, _findings = sent
    client.force_login(housing_reporter)

    page = client.get(answers_url(walk, bostadsbolaget)).content.decode()

    assert "Trasig lampa vid trappan" in page
    assert "Samling vid kiosken" not in page


def test_another_organisations_answer_page_is_refused(client, sent, housing_reporter, polisen):
    walk, _findings = sent
    client.force_login(housing_reporter)
    assert client.get(answers_url(walk, polisen)).status_code == 403


def test_will_act_opens_a_measure_owned_by_the_organisation_linked_to_the_event(
    client, sent, housing_reporter, bostadsbolaget, coordinator
):
    walk, (lamp, _gathering) = sent
    client.force_login(housing_reporter)

    response = client.post(
        answers_url(walk, bostadsbolaget),
        {
            "finding": lamp.pk,
            f"svar-{lamp.pk}-kind": "will_act",
            f"svar-{lamp.pk}-text": "Byter armaturerna, ring 070-123 45 67",
            f"svar-{lamp.pk}-due": DUE.isoformat(),
        },
    )

    assert response.status_code == 302
    answer = Answer.objects.get()
    measure = answer.measure
    assert measure.responsible == bostadsbolaget
    assert list(measure.events.all()) == [lamp.event]
    assert (measure.place, measure.area, measure.category) == (
        lamp.event.place,
        lamp.event.area,
        lamp.event.category,
    )
    assert measure.due == DUE
    assert "070" not in answer.text and "070" not in measure.description
    # A reporter may not decide for the shared list: the commitment waits for the coordinator.
    assert measure.status == Status.PROPOSED
    assert AuditEntry.objects.filter(object_type="walks.answer", action="create").exists()
    # An ordinary measure: on the municipality's measure list.
    client.force_login(coordinator)
    assert measure.title in client.get(reverse("measures:list")).content.decode()


def test_an_organisations_coordinator_committing_to_act_opens_an_agreed_measure(
    sent, bostadsbolaget
):
    _walk, (lamp, _gathering) = sent
    manager = make_person("forvaltare", bostadsbolaget, Membership.Role.COORDINATOR)

    answer = answer_finding(
        lamp, acting_user=manager, kind=Answer.Kind.WILL_ACT, text="Nya lampor", due=DUE
    )

    assert answer.measure.status == Status.AGREED
    assert answer.measure.responsible == bostadsbolaget


def test_will_not_without_a_reason_is_refused_and_nothing_is_written(
    client, sent, housing_reporter, bostadsbolaget
):
    walk, (lamp, _gathering) = sent
    client.force_login(housing_reporter)

    response = client.post(
        answers_url(walk, bostadsbolaget),
        {"finding": lamp.pk, f"svar-{lamp.pk}-kind": "will_not", f"svar-{lamp.pk}-text": " "},
    )

    assert response.status_code == 400
    assert "Skriv varför ni inte kommer att åtgärda det." in response.content.decode()
    assert not Answer.objects.exists() and not Measure.objects.exists()


def test_will_act_needs_what_and_by_when(sent, housing_reporter):
    _walk, (lamp, _gathering) = sent
    with pytest.raises(ValidationError) as refused:
        answer_finding(lamp, acting_user=housing_reporter, kind=Answer.Kind.WILL_ACT)
    assert set(refused.value.message_dict) == {"text", "due"}
    assert not Measure.objects.exists()


def test_not_ours_returns_the_finding_to_the_coordinator_who_routes_it_anew(
    client, sent, housing_reporter, coordinator, kommunen
):
    walk, (lamp, _gathering) = sent

    answer_finding(
        lamp, acting_user=housing_reporter, kind=Answer.Kind.NOT_OURS, text="Kommunens gata"
    )

    lamp.refresh_from_db()
    assert lamp.responsible is None and lamp.responsible_confirmed_at is None
    assert list(unconfirmed(walk)) == [lamp]
    client.force_login(coordinator)
    review = client.get(reverse("walks:review", args=[walk.pk])).content.decode()
    assert "Kommunens gata" in review
    # The re-route is a new question to the new organisation: its own e-mail.
    confirm_responsible(lamp, kommunen, acting_user=coordinator)
    assert WalkNotice.objects.filter(organisation=kommunen, key="v1-1").exists()


def test_an_answer_may_be_changed_until_the_follow_up_meeting(sent, housing_reporter, frozen_now):
    _walk, (lamp, _gathering) = sent
    answer_finding(lamp, acting_user=housing_reporter, kind=Answer.Kind.PLANNED)
    answer_finding(
        lamp, acting_user=housing_reporter, kind=Answer.Kind.WILL_NOT_ACT, text="Ingen budget"
    )
    assert Answer.objects.get().kind == Answer.Kind.WILL_NOT_ACT

    frozen_now.move_to(FOLLOWUP + dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        answer_finding(lamp, acting_user=housing_reporter, kind=Answer.Kind.PLANNED)
    assert "Uppföljningsmötet har redan hållits" in refused.value.message_dict["kind"][0]
    assert Answer.objects.get().kind == Answer.Kind.WILL_NOT_ACT


def test_someone_outside_the_responsible_organisation_cannot_answer(sent, police_officer):
    _walk, (lamp, _gathering) = sent
    with pytest.raises(PermissionDenied):
        answer_finding(lamp, acting_user=police_officer, kind=Answer.Kind.PLANNED)
    assert not Answer.objects.exists()


def test_a_finding_only_suggested_for_the_organisation_is_not_on_its_answer_page(
    client, sent, coordinator, housing_reporter, bostadsbolaget
):
    walk, _findings = sent
    late = capture(walk, coordinator, note="Skymd sikt vid cykelstället")
    late.suggested_responsible = bostadsbolaget
    late.save()
    client.force_login(housing_reporter)

    page = client.get(answers_url(walk, bostadsbolaget)).content.decode()

    assert "Trasig lampa vid trappan" in page and "Skymd sikt vid cykelstället" not in page
    with pytest.raises(PermissionDenied):
        answer_finding(late, acting_user=housing_reporter, kind=Answer.Kind.PLANNED)
