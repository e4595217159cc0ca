"""The register of krogtillsyn: serveringsställen, their licences and the municipality's
inspection plan. The municipality's coordinators keep it (presence/access.py); every check runs
before anything is written, and each write leaves audit rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.core.fields import free_text
from trygg.places.models import Municipality, Place
from trygg.presence.access import check_may_manage_premises
from trygg.presence.models import InspectionPlan, Licence, Premise

PREMISE_FIELDS = ["municipality_id", "place_id", "name"]
LICENCE_FIELDS = [
    "premise_id",
    "holder",
    "valid_from",
    "valid_to",
    "serving_from",
    "serving_until",
]
# A target above this many inspections a month is a typing error.
MAX_TARGET = 500
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass
class LicenceInput:
    holder: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    # Seven entries, Monday first: the time serving ends, or None on a day without serving.
    serving_until: list[dt.time | None]
    serving_from: dt.time = dt.time(11, 0)


def _text(value: str, model, name: str) -> str:
    return free_text(value, model._meta.get_field(name)).text


def premise_errors(municipality: Municipality, place: Place | None, name: str) -> dict:
    errors: dict[str, list[str]] = {}
    if place is None:
        errors["place"] = [_("Välj platsen där serveringsstället ligger.")]
    elif place.municipality_id != municipality.pk:
        errors["place"] = [_("Platsen ligger i en annan kommun.")]
    name = _text(name, Premise, "name")
    if not name:
        errors["name"] = [_("Ge serveringsstället ett namn.")]
    elif Premise.objects.filter(municipality=municipality, name__iexact=name).exists():
        errors["name"] = [_("Kommunen har redan ett serveringsställe med det namnet.")]
    return errors


def licence_errors(premise: Premise | None, data: LicenceInput) -> dict:
    """The checks on a licence, by field, in Swedish: a holder, a period that ends after it
    starts and overlaps no other licence of the premise, and at least one day of serving."""
    errors: dict[str, list[str]] = {}
    if not _text(data.holder, Licence, "holder"):
        errors["holder"] = [_("Ange tillståndshavaren (bolagets namn).")]
    if data.valid_from is None:
        errors["valid_from"] = [_("Ange från vilken dag tillståndet gäller.")]
    elif data.valid_to is not None and data.valid_to < data.valid_from:
        errors["valid_to"] = [_("Tillståndet måste gälla till en dag efter att det börjar gälla.")]
    elif premise is not None and _overlapping(premise, data.valid_from, data.valid_to):
        errors["valid_from"] = [_("Serveringsstället har redan ett tillstånd under den tiden.")]
    if len(data.serving_until) != 7:
        errors["serving_until"] = [_("Ange serveringstiden för veckans sju dagar.")]
    elif all(until is None for until in data.serving_until):
        errors["serving_until"] = [_("Ange till vilken tid servering får ske minst en dag.")]
    return errors


def _overlapping(premise: Premise, first: dt.date, last: dt.date | None) -> bool:
    others = premise.own_licences().filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
    if last is not None:
        others = others.filter(valid_from__lte=last)
    return others.exists()


def _licence(premise: Premise, data: LicenceInput, user) -> Licence:
    assert data.valid_from is not None  # noqa: S101 -- licence_errors checked
    licence = Licence.objects.create(
        premise=premise,
        holder=_text(data.holder, Licence, "holder"),
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        serving_from=data.serving_from,
        serving_until=[t.strftime("%H:%M") if t else None for t in data.serving_until],
        created_by=user,
    )
    record_created(user, licence, LICENCE_FIELDS)
    return licence


@transaction.atomic
def create_premise(
    municipality: Municipality,
    place: Place | None,
    name: str,
    licence: LicenceInput | None = None,
    *,
    acting_user,
) -> Premise:
    """A serveringsställe at `place`, with its first licence when given (checked together:
    both are written or neither)."""
    check_may_manage_premises(acting_user, municipality.pk)
    errors = premise_errors(municipality, place, name)
    if licence is not None:
        errors |= licence_errors(None, licence)
    if errors:
        raise ValidationError(errors)
    assert place is not None  # noqa: S101 -- premise_errors checked
    premise = Premise.objects.create(
        municipality=municipality,
        place=place,
        name=_text(name, Premise, "name"),
        created_by=acting_user,
    )
    record_created(acting_user, premise, PREMISE_FIELDS)
    if licence is not None:
        _licence(premise, licence, acting_user)
    return premise


@transaction.atomic
def add_licence(premise: Premise, data: LicenceInput, *, acting_user) -> Licence:
    """A new licence for the premise: a renewal, a new holder, new hours."""
    check_may_manage_premises(acting_user, premise.municipality_id)
    premise = Premise.objects.select_for_update().get(
        pk=premise.pk, municipality_id=premise.municipality_id
    )
    errors = licence_errors(premise, data)
    if errors:
        raise ValidationError(errors)
    return _licence(premise, data, acting_user)


@transaction.atomic
def set_inspection_target(
    municipality: Municipality, year: int | None, target: int | None, *, acting_user
) -> InspectionPlan:
    """The inspection plan's target per month for `year` (set or changed)."""
    check_may_manage_premises(acting_user, municipality.pk)
    errors: dict[str, list[str]] = {}
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = [_("Ange ett år, till exempel 2026.")]
    if target is None or not 0 <= target <= MAX_TARGET:
        message = _("Ange ett mål mellan 0 och %(n)s tillsyner per månad.")
        errors["target_per_month"] = [message % {"n": MAX_TARGET}]
    if errors:
        raise ValidationError(errors)
    assert year is not None and target is not None  # noqa: S101 -- checked above
    plan, created = InspectionPlan.objects.select_for_update().get_or_create(
        municipality=municipality,
        year=year,
        defaults={"target_per_month": target, "updated_by": acting_user},
    )
    if created:
        record_created(acting_user, plan, ["municipality_id", "year", "target_per_month"])
        return plan
    old = plan.target_per_month
    plan.target_per_month, plan.updated_by = target, acting_user
    plan.save(update_fields=["target_per_month", "updated_by", "updated_at"])
    record_changes(acting_user, plan, {"target_per_month": (old, target)})
    return plan
