"""Entering the county's decision on an ordningsvaktsområde, built from the municipality's
own areas (there is no drawing tool: the decisions follow district lines closely enough)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.core.fields import free_text
from trygg.places.models import Area, Municipality
from trygg.presence.access import check_may_manage_guard_areas
from trygg.presence.models import GuardArea

GUARD_AREA_FIELDS = [
    "municipality_id",
    "name",
    "decision_reference",
    "decided_on",
    "valid_from",
    "valid_to",
]


@dataclass
class GuardAreaInput:
    name: str
    decision_reference: str
    decided_on: dt.date
    valid_from: dt.date
    valid_to: dt.date | None
    area_ids: list[int] = field(default_factory=list)


def _text(value: str, name: str) -> str:
    return free_text(value, cast(models.Field, GuardArea._meta.get_field(name))).text


def _polygons(geometry: dict) -> list:
    """The polygons of one Area outline (Polygon or MultiPolygon), as MultiPolygon parts."""
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return [geometry["coordinates"]]


def union(areas: list[Area]) -> dict:
    """The areas' outlines together: their polygons side by side in one MultiPolygon, which
    covers exactly what the areas cover (overlaps counted once by any point-in test)."""
    parts = [part for area in areas for part in _polygons(area.geometry)]
    return {"type": "MultiPolygon", "coordinates": parts}


def _areas(municipality: Municipality, ids: list[int], errors: dict) -> list[Area]:
    if not ids:
        errors["areas"] = [_("Välj minst ett av kommunens områden att bygga området av.")]
        return []
    areas = list(Area.objects.filter(pk__in=ids).order_by("pk"))
    if len(areas) != len(set(ids)) or any(a.municipality_id != municipality.pk for a in areas):
        errors["areas"] = [_("Området måste ligga i kommunen: välj bara kommunens egna områden.")]
    return areas


def guard_area_errors(municipality, data: GuardAreaInput) -> tuple[dict, list[Area]]:
    errors: dict[str, list[str]] = {}
    if not _text(data.name, "name"):
        errors["name"] = [_("Ge området ett namn.")]
    if not _text(data.decision_reference, "decision_reference"):
        errors["decision_reference"] = [
            _("Skriv länsstyrelsens beslut, till exempel ”Länsstyrelsen Värmland dnr 2024-1234”.")
        ]
    if data.valid_to is not None and data.valid_to < data.valid_from:
        errors["valid_to"] = [_("Beslutet kan inte sluta gälla innan det börjar gälla.")]
    return errors, _areas(municipality, data.area_ids, errors)


@transaction.atomic
def create_guard_area(municipality: Municipality, data: GuardAreaInput, *, acting_user):
    """A new ordningsvaktsområde of `municipality`; refused with nothing written on bad input."""
    check_may_manage_guard_areas(acting_user, municipality.pk)
    errors, areas = guard_area_errors(municipality, data)
    if errors:
        raise ValidationError(errors)
    guard_area = GuardArea.objects.create(
        municipality=municipality,
        name=_text(data.name, "name"),
        decision_reference=_text(data.decision_reference, "decision_reference"),
        decided_on=data.decided_on,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        geometry=union(areas),
        created_by=acting_user,
    )
    guard_area.areas.set(areas)
    record_created(acting_user, guard_area, GUARD_AREA_FIELDS + ["area_ids"])
    return guard_area


def _values(guard_area: GuardArea) -> dict[str, object]:
    return {
        "name": guard_area.name,
        "decision_reference": guard_area.decision_reference,
        "decided_on": guard_area.decided_on,
        "valid_from": guard_area.valid_from,
        "valid_to": guard_area.valid_to,
        "area_ids": guard_area.area_ids,
    }


def input_of(guard_area: GuardArea) -> GuardAreaInput:
    """The guard area as it stands, to change a few fields of (the API's PATCH)."""
    return GuardAreaInput(
        name=guard_area.name,
        decision_reference=guard_area.decision_reference,
        decided_on=guard_area.decided_on,
        valid_from=guard_area.valid_from,
        valid_to=guard_area.valid_to,
        area_ids=guard_area.area_ids,
    )


@transaction.atomic
def update_guard_area(guard_area: GuardArea, data: GuardAreaInput, *, acting_user) -> GuardArea:
    """Change a decision as entered: its name, reference, dates, validity and the areas its
    outline is built from (a new outline is their union again). Checked as a new one is; one
    audit row per changed field, nothing written on a refusal."""
    check_may_manage_guard_areas(acting_user, guard_area.municipality_id)
    guard_area = GuardArea.objects.select_for_update().get(
        pk=guard_area.pk, municipality_id=guard_area.municipality_id
    )
    errors, areas = guard_area_errors(guard_area.municipality, data)
    if errors:
        raise ValidationError(errors)
    new = {
        "name": _text(data.name, "name"),
        "decision_reference": _text(data.decision_reference, "decision_reference"),
        "decided_on": data.decided_on,
        "valid_from": data.valid_from,
        "valid_to": data.valid_to,
        "area_ids": sorted(area.pk for area in areas),
    }
    old = _values(guard_area)
    changes = {name: (old[name], value) for name, value in new.items() if old[name] != value}
    if not changes:
        return guard_area
    for name, (_old, value) in changes.items():
        if name != "area_ids":
            setattr(guard_area, name, value)
    if "area_ids" in changes:
        guard_area.geometry = union(areas)
        guard_area.areas.set(areas)
    guard_area.save()
    record_changes(acting_user, guard_area, changes)
    return guard_area


@transaction.atomic
def end_guard_area(guard_area: GuardArea, last_day: dt.date, *, acting_user) -> GuardArea:
    """The decision stops applying after `last_day` (the county revoked it, or a new one
    replaces it). It stays, with its history, among the areas that have expired."""
    check_may_manage_guard_areas(acting_user, guard_area.municipality_id)
    guard_area = GuardArea.objects.select_for_update().get(
        pk=guard_area.pk, municipality_id=guard_area.municipality_id
    )
    if last_day < guard_area.valid_from:
        raise ValidationError(
            {
                "valid_to": [
                    _("Sista dagen kan inte ligga före den första, %(day)s.")
                    % {"day": guard_area.valid_from.isoformat()}
                ]
            }
        )
    if guard_area.valid_to is not None and guard_area.valid_to <= last_day:
        raise ValidationError(
            {
                "valid_to": [
                    _("Beslutet gäller redan bara till och med %(day)s.")
                    % {"day": guard_area.valid_to.isoformat()}
                ]
            }
        )
    old = guard_area.valid_to
    guard_area.valid_to = last_day
    guard_area.save(update_fields=["valid_to"])
    record_changes(acting_user, guard_area, {"valid_to": (old, last_day)})
    return guard_area
