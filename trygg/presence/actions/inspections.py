"""Recording a joint inspection of a serveringsställe, its findings and its follow-up.

A finding is an event of a krog category with source `inspection`, written through the one
event path (`events.actions.report_event`: checked, scrubbed, located, counted, audited) and
owned by the organisation that records the inspection. A follow-up is a measure, created through
the measures' actions, answering the findings. The inspection is refused, with nothing written,
when the premise has no licence in force that day: only a licensed premise is under
krogtillsyn."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.core.fields import free_text
from trygg.events.actions import report_event
from trygg.events.models import Category, Source, Visibility
from trygg.measures.actions import create_measure
from trygg.measures.models import Measure, Status
from trygg.organisations.access import access_for
from trygg.organisations.models import Organisation
from trygg.presence.access import check_may_record_for
from trygg.presence.inspections import findings_of
from trygg.presence.models import (
    Inspection,
    InspectionEvent,
    InspectionKind,
    InspectionMeasure,
    InspectionOrganisation,
    Premise,
)
from trygg.presence.models.premises import FINDING_ROOT

CREATED_FIELDS = ["municipality_id", "premise_id", "licence_id", "starts_at", "kind"]
CREATED_FIELDS += ["organisation_id", "note"]
# More findings than this from one visit is a form gone wrong.
MAX_FINDINGS = 20


@dataclass
class FindingInput:
    category: Category | None
    description: str = ""


@dataclass
class InspectionInput:
    starts_at: dt.datetime | None
    kind: str
    organisations: list[Organisation]
    organisation: Organisation | None  # the one recording it, among those taking part
    note: str = ""
    findings: list[FindingInput] = field(default_factory=list)


def finding_categories():
    """The categories a finding may be filed under: the krog subtree's leaves."""
    return Category.objects.filter(code__startswith=f"{FINDING_ROOT}.", is_active=True)


def licence_error(premise: Premise, day: dt.date) -> str | None:
    """Why the premise cannot be inspected on `day` (None: it has a licence in force)."""
    if premise.licence_on(day) is not None:
        return None
    ended = premise.own_licences().filter(valid_to__lt=day).order_by("-valid_to").first()
    if ended is not None:
        return _(
            "Serveringsstället saknar gällande serveringstillstånd den dagen: tillståndet "
            "gick ut %(day)s. Tillsyn registreras bara på ställen med gällande tillstånd."
        ) % {"day": ended.valid_to.isoformat()}
    return _(
        "Serveringsstället har inget serveringstillstånd som gäller den dagen. Tillsyn "
        "registreras bara på ställen med gällande tillstånd."
    )


def _time_errors(premise: Premise, starts_at: dt.datetime | None) -> dict:
    if starts_at is None:
        return {"starts_at": [_("Ange när tillsynen gjordes.")]}
    if starts_at > timezone.now():
        return {"starts_at": [_("Tillsyn registreras när den är gjord: tiden ligger i framtiden.")]}
    problem = licence_error(premise, timezone.localdate(starts_at))
    return {"premise": [problem]} if problem else {}


def _organisation_errors(premise: Premise, data: InspectionInput) -> dict:
    errors: dict[str, list] = {}
    if not data.organisations:
        errors["organisations"] = [_("Välj vilka organisationer som deltog.")]
    elif any(o.municipality_id != premise.municipality_id for o in data.organisations):
        errors["organisations"] = [_("En av organisationerna hör till en annan kommun.")]
    if data.organisation is None:
        errors["organisation"] = [_("Välj vilken organisation som registrerar tillsynen.")]
    elif data.organisation.pk not in {o.pk for o in data.organisations}:
        errors["organisation"] = [_("Den som registrerar ska vara en av de deltagande.")]
    return errors


def _finding_errors(findings: list[FindingInput]) -> dict:
    if len(findings) > MAX_FINDINGS:
        return {"findings": [_("Högst %(n)s fynd per tillsyn.") % {"n": MAX_FINDINGS}]}
    allowed = set(finding_categories().values_list("pk", flat=True))
    messages = [
        _("Fynd %(n)s: välj en kategori för krogtillsyn.") % {"n": i}
        for i, finding in enumerate(findings, start=1)
        if finding.category is None or finding.category.pk not in allowed
    ]
    return {"findings": messages} if messages else {}


def inspection_errors(premise: Premise, data: InspectionInput) -> dict[str, list]:
    """Every check on an inspection, by field, in Swedish."""
    errors = _time_errors(premise, data.starts_at) | _organisation_errors(premise, data)
    if data.kind not in InspectionKind.values:
        errors["kind"] = [_("Välj tillsynens inriktning.")]
    return errors | _finding_errors(data.findings)


@transaction.atomic
def record_inspection(premise: Premise, data: InspectionInput, *, acting_user) -> Inspection:
    """A held inspection of `premise` with its findings, each an event of its own."""
    if data.organisation is not None:
        check_may_record_for(acting_user, data.organisation)
    errors = inspection_errors(premise, data)
    if errors:
        raise ValidationError(errors)
    licence = premise.licence_on(timezone.localdate(data.starts_at)) if data.starts_at else None
    # inspection_errors refused a missing time, organisation and licence.
    assert data.starts_at and data.organisation and licence  # noqa: S101
    municipality_id = premise.municipality_id
    inspection = Inspection.objects.create(
        municipality_id=municipality_id,
        premise=premise,
        licence=licence,
        starts_at=data.starts_at,
        kind=data.kind,
        organisation=data.organisation,
        note=free_text(data.note).text,
        created_by=acting_user,
    )
    # The links written directly, naming the municipality: the many-to-many manager's set()
    # first reads the links by the inspection's id alone, on every shard under Citus.
    InspectionOrganisation.objects.bulk_create(
        InspectionOrganisation(
            inspection=inspection, organisation=organisation, municipality_id=municipality_id
        )
        for organisation in dict.fromkeys(data.organisations)
    )
    record_created(acting_user, inspection, CREATED_FIELDS)
    record_changes(
        acting_user,
        inspection,
        {"organisations": ("", ",".join(str(o.pk) for o in data.organisations))},
    )
    for finding in data.findings:
        _report_finding(inspection, finding, acting_user)
    return inspection


def _report_finding(inspection: Inspection, finding: FindingInput, user) -> None:
    place = inspection.premise.place
    event = report_event(
        acting_user=user,
        organisation=inspection.organisation,
        category=finding.category,
        occurred_from=inspection.starts_at,
        lat=place.lat,
        lon=place.lon,
        place=place,
        description=finding.description,
        source=Source.INSPECTION,
        visibility=Visibility.PARTNERS,
    )
    # A new event has no link yet: written directly, not through add(), which first reads
    # the links by the inspection's id alone.
    InspectionEvent.objects.create(
        inspection=inspection, event=event, municipality_id=inspection.municipality_id
    )


@transaction.atomic
def add_finding(inspection: Inspection, finding: FindingInput, *, acting_user) -> None:
    """A finding noted after the visit (a test result that came later)."""
    check_may_record_for(acting_user, inspection.organisation)
    errors = _finding_errors([finding])
    if errors:
        raise ValidationError(errors)
    _report_finding(inspection, finding, acting_user)


@transaction.atomic
def add_follow_up(
    inspection: Inspection,
    *,
    title: str,
    responsible: Organisation | None,
    due: dt.date | None = None,
    description: str = "",
    acting_user,
) -> Measure:
    """A follow-up measure at the premise's place answering the inspection's findings. A
    coordinator decides it at once; anyone else proposes it to the EST group (the measures'
    own rule)."""
    coordinates = access_for(acting_user).can_coordinate(inspection.municipality_id)
    findings = list(findings_of(inspection))
    place = inspection.premise.place
    measure = create_measure(
        place.municipality,
        acting_user=acting_user,
        title=title,
        status=Status.AGREED if coordinates and responsible else Status.PROPOSED,
        responsible=responsible,
        events=findings,
        place=place,
        area=place.area,
        category=findings[0].category if findings else _root(),
        description=description,
        due=due,
    )
    InspectionMeasure.objects.create(
        inspection=inspection, measure=measure, municipality_id=inspection.municipality_id
    )
    record_changes(acting_user, inspection, {"measures": ("", str(measure.pk))})
    return measure


def _root() -> Category | None:
    return Category.objects.filter(code=FINDING_ROOT).first()
