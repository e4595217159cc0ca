"""Recording a joint inspection: findings as events of the krog categories through the one
event path, follow-up measures, and the refusals that leave nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import at
from trygg.events.models import Category, Event
from trygg.measures.models import Measure, Status
from trygg.presence.actions.inspections import (
    FindingInput,
    InspectionInput,
    add_finding,
    add_follow_up,
    record_inspection,
)
from trygg.presence.models import Inspection, InspectionKind
from trygg.presence.tests.factories import make_premise

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

FRIDAY = dt.date(2026, 11, 20)


def krog(code: str) -> Category:
    return Category.objects.get(code=f"krog.{code}")


def visit(organisations, organisation, findings=(), **fields) -> InspectionInput:
    values: dict[str, Any] = {
        "starts_at": at(FRIDAY, 23, 30),
        "kind": InspectionKind.OVERSERVING,
        "organisations": list(organisations),
        "organisation": organisation,
        "findings": list(findings),
    }
    return InspectionInput(**(values | fields))


def nothing_written():
    assert not Inspection.objects.exists()
    assert not Event.objects.exists()
    assert not AuditEntry.objects.filter(object_type__startswith="presence.").exists()


def test_a_joint_inspection_records_its_findings_as_events_of_their_own(
    coordinator, kajen, kommunen, polisen, centrum
):
    findings = [
        FindingInput(krog("overservering"), "Berusad gäst fick servering, ring 070-123 45 67"),
        FindingInput(krog("narkotika"), "Misstänkt narkotikapåverkan i kön"),
    ]
    inspection = record_inspection(
        kajen, visit([kommunen, polisen], kommunen, findings), acting_user=coordinator
    )

    assert inspection.licence == kajen.licence_on(FRIDAY)
    assert set(inspection.organisations.all()) == {kommunen, polisen}
    events = list(inspection.findings.order_by("pk"))
    assert [e.category.code for e in events] == ["krog.overservering", "krog.narkotika"]
    assert {e.source for e in events} == {"inspection"}
    assert {e.place_id for e in events} == {kajen.place_id}
    assert {e.area_id for e in events} == {centrum.pk}
    assert {e.organisation_id for e in events} == {kommunen.pk}
    assert {e.occurred_from for e in events} == {at(FRIDAY, 23, 30)}
    assert "070-123 45 67" not in events[0].description and events[0].was_scrubbed
    created = AuditEntry.objects.filter(action="create")
    assert created.filter(object_type="presence.inspection", object_id=str(inspection.pk)).exists()
    assert created.filter(object_type="events.event").count() == 2


def test_an_inspection_of_a_premise_without_a_licence_is_refused_and_nothing_is_written(
    coordinator, krogstraket, kommunen
):
    premise = make_premise(krogstraket, "Baren utan tillstånd", valid_from=None)
    finding = FindingInput(krog("ordning"))
    with pytest.raises(ValidationError) as refused:
        record_inspection(premise, visit([kommunen], kommunen, [finding]), acting_user=coordinator)
    assert "inget serveringstillstånd" in refused.value.message_dict["premise"][0]
    nothing_written()


def test_an_inspection_after_the_licence_expired_says_when_it_expired(
    coordinator, krogstraket, kommunen
):
    premise = make_premise(krogstraket, "Gamla puben", valid_to=dt.date(2026, 10, 31))
    with pytest.raises(ValidationError) as refused:
        record_inspection(premise, visit([kommunen], kommunen), acting_user=coordinator)
    assert "gick ut 2026-10-31" in refused.value.message_dict["premise"][0]
    nothing_written()


def test_the_day_the_licence_ends_is_still_within_it(coordinator, krogstraket, kommunen):
    premise = make_premise(krogstraket, "Sista kvällen", valid_to=FRIDAY)
    inspection = record_inspection(premise, visit([kommunen], kommunen), acting_user=coordinator)
    assert inspection.licence.valid_to == FRIDAY


def test_a_licence_that_starts_later_does_not_cover_an_earlier_inspection(
    coordinator, krogstraket, kommunen
):
    premise = make_premise(krogstraket, "Nyöppnat", valid_from=dt.date(2026, 11, 21))
    with pytest.raises(ValidationError):
        record_inspection(premise, visit([kommunen], kommunen), acting_user=coordinator)
    nothing_written()


def test_an_inspection_in_the_future_is_refused(coordinator, kajen, kommunen):
    with pytest.raises(ValidationError) as refused:
        record_inspection(
            kajen,
            visit([kommunen], kommunen, starts_at=at(dt.date(2026, 11, 27), 23)),
            acting_user=coordinator,
        )
    assert "framtiden" in refused.value.message_dict["starts_at"][0]
    nothing_written()


def test_a_finding_outside_the_krog_categories_refuses_the_whole_inspection(
    coordinator, kajen, kommunen, category
):
    findings = [FindingInput(krog("overservering")), FindingInput(category)]
    with pytest.raises(ValidationError) as refused:
        record_inspection(kajen, visit([kommunen], kommunen, findings), acting_user=coordinator)
    assert refused.value.message_dict["findings"] == ["Fynd 2: välj en kategori för krogtillsyn."]
    nothing_written()


def test_the_recording_organisation_must_be_one_of_those_taking_part(
    coordinator, kajen, kommunen, polisen, karlskoga_kommun
):
    with pytest.raises(ValidationError) as refused:
        record_inspection(kajen, visit([polisen], kommunen), acting_user=coordinator)
    assert "organisation" in refused.value.message_dict
    with pytest.raises(ValidationError) as elsewhere:
        record_inspection(
            kajen, visit([kommunen, karlskoga_kommun], kommunen), acting_user=coordinator
        )
    assert "annan kommun" in elsewhere.value.message_dict["organisations"][0]
    nothing_written()


def test_nobody_records_an_inspection_for_an_organisation_they_do_not_write_for(
    housing_reporter, coordinator, kajen, kommunen, polisen
):
    with pytest.raises(PermissionDenied):
        record_inspection(kajen, visit([polisen], polisen), acting_user=housing_reporter)
    with pytest.raises(PermissionDenied):
        record_inspection(kajen, visit([kommunen, polisen], polisen), acting_user=coordinator)
    nothing_written()


def test_the_police_record_their_own_inspection_and_own_its_findings(
    police_officer, kajen, kommunen, polisen
):
    finding = FindingInput(krog("narkotika"), "Narkotikahund markerade på toaletten")
    inspection = record_inspection(
        kajen,
        visit([kommunen, polisen], polisen, [finding], kind=InspectionKind.DRUGS),
        acting_user=police_officer,
    )
    assert inspection.findings.get().organisation == polisen


def test_a_finding_added_later_is_linked_to_the_inspection(coordinator, kajen, kommunen):
    inspection = record_inspection(kajen, visit([kommunen], kommunen), acting_user=coordinator)
    add_finding(inspection, FindingInput(krog("alkoholservering")), acting_user=coordinator)
    assert inspection.findings.get().category.code == "krog.alkoholservering"


def test_a_coordinators_follow_up_is_decided_at_the_premises_place_and_answers_the_findings(
    coordinator, kajen, kommunen, polisen
):
    finding = FindingInput(krog("overservering"))
    inspection = record_inspection(
        kajen, visit([kommunen, polisen], kommunen, [finding]), acting_user=coordinator
    )
    measure = add_follow_up(
        inspection,
        title="Uppföljande tillsyn och samtal med tillståndshavaren",
        responsible=kommunen,
        due=dt.date(2026, 12, 18),
        acting_user=coordinator,
    )
    assert measure.status == Status.AGREED
    assert measure.place == kajen.place and measure.category.code == "krog.overservering"
    assert set(measure.events.all()) == set(inspection.findings.all())
    assert list(inspection.measures.all()) == [measure]
    assert AuditEntry.objects.filter(
        object_type="presence.inspection", field="measures", new=str(measure.pk)
    ).exists()


def test_a_police_officers_follow_up_is_a_proposal_for_the_est_group(
    police_officer, kajen, kommunen, polisen
):
    inspection = record_inspection(
        kajen, visit([kommunen, polisen], polisen), acting_user=police_officer
    )
    measure = add_follow_up(
        inspection,
        title="Krogar mot knark-utbildning",
        responsible=None,
        acting_user=police_officer,
    )
    assert measure.status == Status.PROPOSED
    assert Measure.objects.get() == measure
