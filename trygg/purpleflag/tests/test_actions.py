"""Writing a Purple Flag year: each write audited, each refusal in Swedish on its field with
nothing written, and only the municipality's coordinators may write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.core.models import AuditEntry
from trygg.measures.actions.measures import create_measure
from trygg.purpleflag import actions
from trygg.purpleflag.actions import CellInput, StepInput
from trygg.purpleflag.models import (
    Assessment,
    Certification,
    CertificationWalk,
    MeasureTag,
    Step,
)
from trygg.purpleflag.tests.factories import evening_walk, make_year
from trygg.walks.tests.factories import make_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_coordinator_creates_a_year_for_the_centre_with_an_audit_row(coordinator, centrum):
    year = make_year(coordinator, centrum)
    assert (year.area, year.year, year.step) == (centrum, 2026, Step.PREPARATION)
    row = AuditEntry.objects.get(object_type="purpleflag.certification", object_id=str(year.pk))
    assert row.action == "create" and row.actor == coordinator
    assert row.new["area_id"] == centrum.pk


def test_an_application_due_before_the_start_is_refused_and_nothing_written(coordinator, centrum):
    errors = refusal(
        lambda: make_year(
            coordinator, centrum, starts_on=dt.date(2026, 5, 1), application_due=dt.date(2026, 4, 1)
        )
    )
    assert "före starten" in errors["application_due"][0]
    assert not Certification.objects.exists() and not AuditEntry.objects.exists()


def test_an_area_of_another_municipality_is_refused(coordinator, karlstad, karlskoga):
    from trygg.places.tests.factories import box, make_area

    elsewhere = make_area(karlskoga, "Karlskoga centrum", box(14.51, 59.32, 14.53, 59.33))
    errors = refusal(lambda: make_year(coordinator, elsewhere, municipality=karlstad))
    assert "ligger inte i kommunen" in errors["area"][0]
    assert not Certification.objects.exists()


def test_an_area_has_one_year_of_each_number(coordinator, centrum):
    make_year(coordinator, centrum)
    errors = refusal(lambda: make_year(coordinator, centrum))
    assert "redan" in errors["year"][0]
    assert Certification.objects.count() == 1


def test_a_partner_and_another_municipalitys_coordinator_may_not_create_a_year(
    housing_reporter, other_municipality_user, centrum
):
    for user in (housing_reporter, other_municipality_user):
        with pytest.raises(PermissionDenied):
            make_year(user, centrum)
    assert not Certification.objects.exists()


def test_certified_sets_the_renewal_a_year_after_the_decision(coordinator, centrum):
    year = make_year(coordinator, centrum)
    step = StepInput(
        Step.CERTIFIED,
        submitted_on=dt.date(2026, 9, 1),
        visit_on=dt.date(2026, 10, 9),
        decided_on=dt.date(2026, 11, 2),
    )
    actions.set_step(year, step, acting_user=coordinator)
    year.refresh_from_db()
    assert year.step == Step.CERTIFIED
    assert year.renewal_due == dt.date(2027, 11, 2)
    fields = set(
        AuditEntry.objects.filter(object_id=str(year.pk), action="update").values_list(
            "field", flat=True
        )
    )
    assert {"step", "submitted_on", "visit_on", "decided_on", "renewal_due"} <= fields


def test_a_step_without_its_date_or_with_dates_reversed_is_refused(coordinator, centrum):
    year = make_year(coordinator, centrum)
    errors = refusal(
        lambda: actions.set_step(year, StepInput(Step.SUBMITTED), acting_user=coordinator)
    )
    assert "ansökan inskickad" in errors["submitted_on"][0]
    reversed_dates = StepInput(
        Step.VISIT, submitted_on=dt.date(2026, 10, 1), visit_on=dt.date(2026, 9, 1)
    )
    errors = refusal(lambda: actions.set_step(year, reversed_dates, acting_user=coordinator))
    assert "kan inte ligga före" in errors["visit_on"][0]
    year.refresh_from_db()
    assert year.step == Step.PREPARATION and year.visit_on is None
    assert not AuditEntry.objects.filter(action="update").exists()


def test_the_self_assessment_is_stored_and_audited_per_cell(coordinator, centrum):
    year = make_year(coordinator, centrum)
    cells = [
        CellInput("sakerhet", "23-02", 1, "Trängsel vid taxi, ring 070-123 45 67"),
        CellInput("utbud", "17-20", 3),
    ]
    assert actions.save_assessment(year, cells, acting_user=coordinator) == 2
    stored = Assessment.objects.get(focus_area="sakerhet", zone="23-02")
    assert stored.score == 1 and "070-123 45 67" not in stored.note
    assert AuditEntry.objects.filter(object_type="purpleflag.assessment").count() == 2
    # Saving the same again changes nothing and writes no row.
    assert actions.save_assessment(year, cells[1:], acting_user=coordinator) == 0
    assert AuditEntry.objects.filter(object_type="purpleflag.assessment").count() == 2


def test_a_score_out_of_range_is_refused_and_nothing_is_written(coordinator, centrum):
    year = make_year(coordinator, centrum)
    cells = [CellInput("plats", "20-23", 2), CellInput("policy", "02-05", 4)]
    errors = refusal(lambda: actions.save_assessment(year, cells, acting_user=coordinator))
    assert "från 0 till 3" in errors["score-policy-02-05"][0]
    assert not Assessment.objects.exists()


def test_only_an_evening_walk_of_the_municipality_is_linked(
    coordinator, kommunen, karlskoga_kommun, centrum
):
    year = make_year(coordinator, centrum)
    day_walk = make_walk(kommunen)  # Safetipin's checklist
    errors = refusal(lambda: actions.link_walk(year, day_walk, acting_user=coordinator))
    assert "Purple Flags checklista" in errors["walk"][0]
    other = make_walk(karlskoga_kommun, template_code="purple-flag")
    errors = refusal(lambda: actions.link_walk(year, other, acting_user=coordinator))
    assert "annan kommun" in errors["walk"][0]
    walk = evening_walk(kommunen, coordinator)
    actions.link_walk(year, walk, acting_user=coordinator)
    actions.link_walk(year, walk, acting_user=coordinator)
    assert list(year.walks.all()) == [walk]
    assert AuditEntry.objects.filter(object_id=str(year.pk), field="walks").count() == 1


def test_a_linked_walk_carries_the_years_municipality_and_unlinking_removes_it(
    coordinator, kommunen, centrum, karlstad
):
    year = make_year(coordinator, centrum)
    walk = evening_walk(kommunen, coordinator)
    actions.link_walk(year, walk, acting_user=coordinator)

    link = CertificationWalk.objects.get(certification=year)
    assert link.walk_id == walk.pk
    assert link.municipality_id == year.municipality_id == karlstad.pk
    actions.unlink_walk(year, walk, acting_user=coordinator)
    assert not CertificationWalk.objects.exists()


def test_a_measure_is_tagged_once_and_one_of_another_municipality_is_refused(
    coordinator, other_municipality_user, centrum, karlskoga
):
    year = make_year(coordinator, centrum)
    mine = create_measure(
        centrum.municipality, acting_user=coordinator, title="Belysning Stora torget"
    )
    theirs = create_measure(karlskoga, acting_user=other_municipality_user, title="Väktare")
    errors = refusal(lambda: actions.tag_measure(year, theirs, "sakerhet", acting_user=coordinator))
    assert "annan kommun" in errors["measure"][0]
    assert not MeasureTag.objects.exists()
    actions.tag_measure(year, mine, "plats", acting_user=coordinator)
    tag = actions.tag_measure(year, mine, "sakerhet", acting_user=coordinator)
    assert MeasureTag.objects.get() == tag and tag.focus_area == "sakerhet"
    audit = AuditEntry.objects.filter(object_type="purpleflag.measuretag")
    assert [(a.action, a.field) for a in audit.order_by("pk")] == [
        ("create", ""),
        ("update", "focus_area"),
    ]


def test_the_self_assessment_and_the_tags_carry_the_years_municipality(
    coordinator, centrum, karlstad
):
    year = make_year(coordinator, centrum)
    actions.save_assessment(year, [CellInput("utbud", "17-20", 3)], acting_user=coordinator)
    measure = create_measure(karlstad, acting_user=coordinator, title="Belysning Stora torget")
    tag = actions.tag_measure(year, measure, "plats", acting_user=coordinator)

    cell = Assessment.objects.get(certification=year)
    tag.refresh_from_db()
    assert cell.municipality_id == tag.municipality_id == year.municipality_id == karlstad.pk
