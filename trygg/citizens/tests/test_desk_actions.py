"""The Trygghetscenter's actions: who may record, close and send on a case, what is checked
(and that nothing is written when a check fails), the note scrubbed, every write audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.citizens.actions import desk
from trygg.citizens.models import Centre, CentreOrganisation, DeskCase
from trygg.citizens.tests.desk_factories import desk_case, make_centre
from trygg.core.models import AuditEntry
from trygg.places.tests.factories import make_place

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture
def centre(karlstad, kommunen, polisen):
    return make_centre(karlstad, kommunen, polisen)


def _desk_audit():
    return AuditEntry.objects.filter(object_type="citizens.deskcase")


def test_staff_record_a_case_and_a_place_gets_the_area_it_lies_in(
    centre, police_officer, centrum, karlstad, bostadsbolaget
):
    torget = make_place(karlstad)  # at Stora torget, inside Centrum, filed under no area

    case = desk.record_case(
        centre,
        acting_user=police_officer,
        topic="drugs",
        visited_on=dt.date(2026, 11, 22),
        place=torget,
        taken_by=bostadsbolaget,
        note="Sprutor i trapphuset",
    )

    case.refresh_from_db()
    assert case.area == centrum and case.place == torget
    assert case.state == DeskCase.State.OPEN and case.closed_at is None
    assert case.recorded_by_organisation.code == "polisen-karlstad"
    assert case.municipality == karlstad
    created = _desk_audit().get(action=AuditEntry.Action.CREATE)
    assert created.object_id == str(case.pk)
    assert created.new["topic"] == "drugs" and created.new["taken_by"] == bostadsbolaget.pk


def test_the_note_loses_a_phone_number_before_it_is_stored_or_audited(
    centre, police_officer, centrum
):
    case = desk_case(centre, police_officer, area=centrum, note="Lampan släckt, ring 070-123 45 67")

    case.refresh_from_db()
    assert "070" not in case.note and "45 67" not in case.note
    assert case.note.startswith("Lampan släckt")
    assert "070" not in str(_desk_audit().get().new)


def test_a_case_without_a_partner_was_settled_at_the_desk_and_is_closed_at_once(
    centre, coordinator, centrum
):
    case = desk_case(centre, coordinator, area=centrum)

    assert case.state == DeskCase.State.CLOSED
    assert case.closed_at is not None and case.closed_by == coordinator
    assert case.recorded_by_organisation.code == "karlstad-kommunledning"


@pytest.mark.parametrize("persona", ["housing_reporter", "analyst", "other_municipality_user"])
def test_only_staff_of_the_centres_organisations_record(centre, centrum, persona, request):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        desk_case(centre, user, area=centrum)

    assert not DeskCase.objects.exists() and not _desk_audit().exists()


def test_bad_input_is_refused_field_by_field_and_nothing_is_written(
    centre, police_officer, karlskoga, karlskoga_kommun
):
    elsewhere = make_place(karlskoga, "Torget i Karlskoga", lat=59.3267, lon=14.5239)

    with pytest.raises(ValidationError) as refused:
        desk.record_case(
            centre,
            acting_user=police_officer,
            topic="a_name",
            visited_on=dt.date(2026, 11, 23),
            place=elsewhere,
            taken_by=karlskoga_kommun,
        )

    assert set(refused.value.message_dict) == {"topic", "visited_on", "place", "taken_by"}
    assert refused.value.message_dict["visited_on"] == ["Besöksdagen ligger i framtiden."]
    assert not DeskCase.objects.exists() and not _desk_audit().exists()


def test_a_case_needs_a_place_or_an_area_and_a_visit_within_a_year(centre, police_officer):
    with pytest.raises(ValidationError) as refused:
        desk_case(centre, police_officer, visited_on=dt.date(2025, 11, 1))

    assert refused.value.message_dict == {
        "place": ["Ange en plats eller ett område."],
        "visited_on": ["Besöksdagen får ligga högst ett år bakåt."],
    }
    assert not DeskCase.objects.exists()


def test_a_closed_centre_takes_no_cases(centre, police_officer, centrum):
    Centre.objects.filter(pk=centre.pk).update(is_active=False)
    centre.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        desk_case(centre, police_officer, area=centrum)

    assert "centre" in refused.value.message_dict
    assert not DeskCase.objects.exists()


# --- closing and sending on -----------------------------------------------------------------


@pytest.fixture
def housing_case(centre, police_officer, centrum, bostadsbolaget):
    return desk_case(centre, police_officer, area=centrum, taken_by=bostadsbolaget)


def test_the_partner_closes_its_case_with_a_note(housing_case, housing_reporter):
    desk.close_case(
        housing_case, note="Lagat lampan, mejla oss på a.b@kbab.se", acting_user=housing_reporter
    )

    housing_case.refresh_from_db()
    assert housing_case.state == DeskCase.State.CLOSED
    assert housing_case.closed_by == housing_reporter and housing_case.closed_at is not None
    assert housing_case.closing_note.startswith("Lagat lampan")
    assert "kbab.se" not in housing_case.closing_note
    fields = set(
        _desk_audit().filter(action=AuditEntry.Action.UPDATE).values_list("field", flat=True)
    )
    assert fields == {"state", "closing_note"}


def test_a_note_is_required_to_close_and_nothing_changes_without_one(
    housing_case, housing_reporter
):
    with pytest.raises(ValidationError) as refused:
        desk.close_case(housing_case, note="  ", acting_user=housing_reporter)

    assert refused.value.message_dict == {"note": ["Skriv en kort anteckning."]}
    housing_case.refresh_from_db()
    assert housing_case.state == DeskCase.State.OPEN
    assert not _desk_audit().filter(action=AuditEntry.Action.UPDATE).exists()


@pytest.mark.parametrize("persona", ["police_officer", "analyst", "other_municipality_user"])
def test_only_the_partner_or_a_coordinator_closes(housing_case, persona, request):
    with pytest.raises(PermissionDenied):
        desk.close_case(housing_case, note="Klart", acting_user=request.getfixturevalue(persona))

    housing_case.refresh_from_db()
    assert housing_case.state == DeskCase.State.OPEN


def test_a_coordinator_may_close_any_case_of_the_municipality(housing_case, coordinator):
    desk.close_case(housing_case, note="Tog det på EST-mötet", acting_user=coordinator)

    housing_case.refresh_from_db()
    assert housing_case.state == DeskCase.State.CLOSED


def test_the_desk_sends_a_case_on_and_the_change_is_audited(
    housing_case, police_officer, kommunen, bostadsbolaget
):
    desk.reassign(housing_case, kommunen, acting_user=police_officer)

    housing_case.refresh_from_db()
    assert housing_case.taken_by == kommunen
    row = _desk_audit().get(field="taken_by")
    assert (row.old, row.new) == (bostadsbolaget.pk, kommunen.pk)


def test_the_partner_itself_may_not_send_a_case_on(housing_case, housing_reporter, kommunen):
    with pytest.raises(PermissionDenied):
        desk.reassign(housing_case, kommunen, acting_user=housing_reporter)


def test_a_case_is_sent_only_within_the_municipality(
    housing_case, police_officer, karlskoga_kommun, bostadsbolaget
):
    with pytest.raises(ValidationError) as refused:
        desk.reassign(housing_case, karlskoga_kommun, acting_user=police_officer)

    assert "taken_by" in refused.value.message_dict
    housing_case.refresh_from_db()
    assert housing_case.taken_by == bostadsbolaget


# --- who sees what ------------------------------------------------------------------------


def test_visibility_follows_the_centre_the_partner_and_the_overseers(
    housing_case, request, centre, police_officer, centrum
):
    police_only = desk_case(
        centre,
        police_officer,
        area=centrum,
        taken_by=centre.organisations.get(code="polisen-karlstad"),
    )
    seen = {
        persona: set(
            desk.visible_cases(request.getfixturevalue(persona)).values_list("pk", flat=True)
        )
        for persona in ["police_officer", "housing_reporter", "analyst", "other_municipality_user"]
    }

    assert seen["police_officer"] == {housing_case.pk, police_only.pk}
    assert seen["housing_reporter"] == {housing_case.pk}
    assert seen["analyst"] == {housing_case.pk, police_only.pk}
    assert seen["other_municipality_user"] == set()


# --- centres ------------------------------------------------------------------------------


def test_a_coordinator_creates_and_changes_a_centre(
    karlstad, coordinator, kommunen, polisen, bostadsbolaget
):
    centre = desk.create_centre(
        karlstad,
        acting_user=coordinator,
        name="Trygghetscenter Drottninggatan",
        organisations=[kommunen, polisen],
    )
    desk.update_centre(
        centre,
        acting_user=coordinator,
        name="Trygghetscenter Drottninggatan",
        organisations=[kommunen, polisen, bostadsbolaget],
        is_active=False,
    )

    centre.refresh_from_db()
    assert set(centre.organisations.all()) == {kommunen, polisen, bostadsbolaget}
    assert centre.is_active is False
    changed = AuditEntry.objects.filter(
        object_type="citizens.centre", action=AuditEntry.Action.UPDATE
    )
    assert set(changed.values_list("field", flat=True)) == {"organisations", "is_active"}


def test_the_links_to_the_organisations_carry_the_centres_municipality(
    karlstad, coordinator, kommunen, polisen, bostadsbolaget
):
    centre = desk.create_centre(
        karlstad, acting_user=coordinator, name="Trygghetscenter Väse", organisations=[kommunen]
    )
    desk.update_centre(
        centre,
        acting_user=coordinator,
        name="Trygghetscenter Väse",
        organisations=[polisen, bostadsbolaget],
        is_active=True,
    )

    links = CentreOrganisation.objects.filter(centre=centre)
    assert set(links.values_list("organisation", flat=True)) == {polisen.pk, bostadsbolaget.pk}
    assert {link.municipality_id for link in links} == {centre.municipality_id} == {karlstad.pk}


def test_only_coordinators_set_up_centres_and_only_with_their_own_organisations(
    karlstad, police_officer, coordinator, kommunen, karlskoga_kommun
):
    with pytest.raises(PermissionDenied):
        desk.create_centre(
            karlstad, acting_user=police_officer, name="Mitt", organisations=[kommunen]
        )
    with pytest.raises(ValidationError) as refused:
        desk.create_centre(
            karlstad, acting_user=coordinator, name=" ", organisations=[karlskoga_kommun]
        )

    assert set(refused.value.message_dict) == {"name", "organisations"}
    assert not Centre.objects.exists()
