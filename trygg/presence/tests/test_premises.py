"""The register of premises and licences, the inspection plan, the monthly count against its
target and the inspections_held indicator a commitment can be followed by."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import at
from trygg.measures import indicators
from trygg.measures.indicators import IndicatorQuery
from trygg.places.tests.factories import make_place
from trygg.presence.actions.premises import (
    LicenceInput,
    add_licence,
    create_premise,
    set_inspection_target,
)
from trygg.presence.inspections import monthly, premise_rows
from trygg.presence.models import Inspection, InspectionKind, Licence, Premise
from trygg.presence.tests.factories import make_premise

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

LATE = [dt.time(1), dt.time(1), dt.time(1), dt.time(1), dt.time(3), dt.time(3), None]


def licence(**fields) -> LicenceInput:
    values: dict[str, Any] = {
        "holder": "Krogen i Klara AB",
        "valid_from": dt.date(2026, 1, 1),
        "valid_to": None,
        "serving_until": LATE,
    }
    return LicenceInput(**(values | fields))


def inspect(premise, day: dt.date, kommunen) -> Inspection:
    """An inspection stored directly, for tests about reading."""
    return Inspection.objects.create(
        municipality_id=premise.municipality_id,
        premise=premise,
        licence=premise.licences.first(),
        starts_at=at(day, 23),
        kind=InspectionKind.ORDER,
        organisation=kommunen,
    )


def test_a_coordinator_registers_a_premise_with_its_licence_and_hours(
    coordinator, karlstad, krogstraket
):
    premise = create_premise(
        karlstad, krogstraket, "Klarakrogen", licence(), acting_user=coordinator
    )
    stored = premise.licences.get()
    assert stored.serving_until == ["01:00", "01:00", "01:00", "01:00", "03:00", "03:00", None]
    assert stored.serving_hours()[4] == ("fredag", "11:00–03:00")
    assert stored.serving_hours()[6] == ("söndag", None)
    assert premise.licence_on(dt.date(2026, 11, 20)) == stored
    created = set(AuditEntry.objects.filter(action="create").values_list("object_type", flat=True))
    assert created == {"presence.premise", "presence.licence"}


def test_the_licence_holder_is_stored_without_a_phone_number(coordinator, karlstad, krogstraket):
    premise = create_premise(
        karlstad,
        krogstraket,
        "Klarakrogen",
        licence(holder="Krogen AB, tel 070-123 45 67"),
        acting_user=coordinator,
    )
    assert "070-123 45 67" not in premise.licences.get().holder


def test_a_bad_licence_refuses_the_premise_too(coordinator, karlstad, krogstraket):
    bad = licence(valid_to=dt.date(2025, 12, 31), serving_until=[None] * 7, holder=" ")
    with pytest.raises(ValidationError) as refused:
        create_premise(karlstad, krogstraket, "Klarakrogen", bad, acting_user=coordinator)
    assert set(refused.value.message_dict) == {"holder", "valid_to", "serving_until"}
    assert not Premise.objects.exists() and not AuditEntry.objects.exists()


def test_a_premise_needs_a_place_in_the_municipality_and_a_name_of_its_own(
    coordinator, karlstad, karlskoga, krogstraket, kajen
):
    elsewhere = make_place(karlskoga, "Torget i Karlskoga", lat=59.327, lon=14.524)
    with pytest.raises(ValidationError) as refused:
        create_premise(karlstad, elsewhere, "restaurang kajen", acting_user=coordinator)
    assert refused.value.message_dict == {
        "place": ["Platsen ligger i en annan kommun."],
        "name": ["Kommunen har redan ett serveringsställe med det namnet."],
    }
    assert Premise.objects.count() == 1


def test_only_the_municipalitys_coordinators_keep_the_register(
    police_officer, other_municipality_user, karlstad, krogstraket, kajen
):
    with pytest.raises(PermissionDenied):
        create_premise(karlstad, krogstraket, "Polisbaren", acting_user=police_officer)
    with pytest.raises(PermissionDenied):
        add_licence(kajen, licence(), acting_user=other_municipality_user)
    with pytest.raises(PermissionDenied):
        set_inspection_target(karlstad, 2026, 4, acting_user=police_officer)
    assert Premise.objects.count() == 1 and Licence.objects.count() == 1


def test_a_renewal_may_not_overlap_the_licence_in_force(coordinator, krogstraket):
    premise = make_premise(krogstraket, "Puben", valid_to=dt.date(2026, 6, 30))
    with pytest.raises(ValidationError) as refused:
        add_licence(premise, licence(valid_from=dt.date(2026, 6, 1)), acting_user=coordinator)
    assert "redan ett tillstånd" in refused.value.message_dict["valid_from"][0]
    renewed = add_licence(premise, licence(valid_from=dt.date(2026, 7, 1)), acting_user=coordinator)
    assert premise.licence_on(dt.date(2026, 7, 1)) == renewed
    assert premise.licence_on(dt.date(2026, 6, 30)).holder == "Kajen i Karlstad AB"


def test_the_inspection_plans_target_is_set_and_changed_with_audit_rows(coordinator, karlstad):
    set_inspection_target(karlstad, 2026, 4, acting_user=coordinator)
    plan = set_inspection_target(karlstad, 2026, 6, acting_user=coordinator)
    assert plan.target_per_month == 6
    change = AuditEntry.objects.get(action="update", field="target_per_month")
    assert (change.old, change.new) == (4, 6)
    with pytest.raises(ValidationError) as refused:
        set_inspection_target(karlstad, 2026, -1, acting_user=coordinator)
    assert "target_per_month" in refused.value.message_dict


def test_the_months_count_inspections_against_the_plans_target(
    coordinator, karlstad, kajen, kommunen
):
    set_inspection_target(karlstad, 2026, 2, acting_user=coordinator)
    for day in (dt.date(2026, 9, 4), dt.date(2026, 9, 25), dt.date(2026, 10, 9)):
        inspect(kajen, day, kommunen)
    inspect(kajen, dt.date(2026, 11, 20), kommunen)
    months = {m.month: m for m in monthly(karlstad.pk, 2026, dt.date(2026, 11, 22))}
    assert (months[9].count, months[9].met) == (2, True)
    assert (months[10].count, months[10].met) == (1, False)
    assert (months[11].count, months[11].met) == (1, None)  # not over yet
    assert months[12].count == 0 and months[12].target == 2


def test_a_month_is_counted_in_local_time(karlstad, kajen, kommunen):
    inspection = inspect(kajen, dt.date(2026, 10, 31), kommunen)
    inspection.starts_at = at(dt.date(2026, 11, 1), 0, 30)  # 23:30 UTC on 31 October
    inspection.save()
    months = {m.month: m.count for m in monthly(karlstad.pk, 2026, dt.date(2026, 11, 22))}
    assert (months[10], months[11]) == (0, 1)


def test_the_list_of_premises_shows_todays_licence_and_the_years_inspections(
    karlstad, krogstraket, kajen, kommunen
):
    closed = make_premise(krogstraket, "Gamla puben", valid_to=dt.date(2026, 3, 31))
    inspect(kajen, dt.date(2025, 12, 12), kommunen)
    inspect(kajen, dt.date(2026, 10, 9), kommunen)
    rows = {r.premise.name: r for r in premise_rows(karlstad.pk, 2026, dt.date(2026, 11, 22))}
    assert rows["Restaurang Kajen"].inspections == 1
    assert rows["Restaurang Kajen"].latest == at(dt.date(2026, 10, 9), 23)
    assert rows["Restaurang Kajen"].licence is not None
    assert rows[closed.name].licence is None and rows[closed.name].inspections == 0


def test_a_commitment_can_count_inspections_in_an_area(
    karlstad, kronoparken, centrum, kajen, kommunen
):
    inspect(kajen, dt.date(2026, 10, 9), kommunen)
    inspect(kajen, dt.date(2026, 11, 13), kommunen)
    october = IndicatorQuery(karlstad.pk, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert indicators.kind("inspections_held") is not None
    assert indicators.compute("inspections_held", october).value == 1
    autumn = IndicatorQuery(karlstad.pk, dt.date(2026, 9, 1), dt.date(2026, 11, 30), area=centrum)
    assert indicators.compute("inspections_held", autumn).value == 2
    elsewhere = IndicatorQuery(
        karlstad.pk, dt.date(2026, 9, 1), dt.date(2026, 11, 30), area=kronoparken
    )
    assert indicators.compute("inspections_held", elsewhere).value == 0
