"""Shapes of the presence API: groups, shifts (with the clashes the calendar warns about),
what may be sent to make or change them, and a series.

Municipalities are named by kommunkod, organisations by code, groups, areas and shifts by id.
No shape has a field for a person: a shift says how many, never who."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from trygg.events.schemas import as_stockholm
from trygg.measures.schemas import NamedRef, OrganisationRef, named, organisation_ref, refuse_null
from trygg.presence.actions.series import MAX_WEEKS
from trygg.presence.models import PresenceGroup, Shift, ShiftSeries

MAX_NAME = 120
MAX_TEXT = 4000
MOMENT = "ISO 8601; utan tidszon tolkas tiden som svensk tid."

# --- groups -----------------------------------------------------------------------------------


class GroupFilters(Schema):
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")
    active: bool | None = Field(None, description="true: bara aktiva; false: bara inaktiva.")


class GroupOut(Schema):
    id: int
    name: str
    kind: str = Field(
        ...,
        description="youth, adults, night_walkers, order_guards, municipal_guards, "
        "field_workers, police_patrol eller other.",
    )
    kind_label: str
    municipality: str = Field(..., description="Kommunkod.")
    organisation: OrganisationRef
    active: bool
    url: str = Field(..., description="Gruppens sida.")


class GroupListOut(Schema):
    count: int
    items: list[GroupOut]


class GroupIn(Schema):
    """En ny grupp. Ett lag, aldrig en lista över personer."""

    model_config = ConfigDict(extra="forbid")

    municipality: str = Field(..., min_length=1, description="Kommunkod, t.ex. 1780.")
    organisation: str = Field(..., min_length=1, description="Organisationens kod.")
    kind: str = Field(..., description="Se GroupOut.kind.")
    name: str = Field(..., min_length=1, max_length=MAX_NAME)
    active: bool = True


class GroupPatch(Schema):
    """Ändra en grupp: bara fälten som skickas ändras."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    name: str | None = Field(None, min_length=1, max_length=MAX_NAME)
    active: bool | None = None

    _not_null = field_validator("kind", "name", "active")(refuse_null)


def group_item(group: PresenceGroup, url: str) -> dict[str, Any]:
    """One group (organisation and municipality loaded)."""
    return {
        "id": group.pk,
        "name": group.name,
        "kind": group.kind,
        "kind_label": str(group.get_kind_display()),
        "municipality": group.municipality.code,
        "organisation": organisation_ref(group.organisation),
        "active": group.active,
        "url": url,
    }


# --- shifts -----------------------------------------------------------------------------------


class ShiftFilters(Schema):
    municipality: str | None = Field(None, description="Kommunkod, t.ex. 1780.")
    group: int | None = Field(None, description="Gruppens id.")
    area: int | None = Field(
        None, description="Områdets id; pass i dess delområden och i områden det ligger i ingår."
    )
    from_: str | None = Field(
        None, alias="from", description="Pass som börjar från och med (datum eller tidpunkt)."
    )
    to: str | None = Field(None, description="Pass som börjar före (ett datum: t.o.m. den dagen).")
    state: str | None = Field(None, description="planned, held eller cancelled.")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class GroupRef(Schema):
    id: int
    name: str


class ClashOut(Schema):
    """En annan grupps pass i samma område (eller ett som ligger i eller runt det) samtidigt."""

    id: int
    group: GroupRef
    area: NamedRef
    starts_at: dt.datetime
    ends_at: dt.datetime


class ShiftOut(Schema):
    id: int
    group: GroupRef
    organisation: str = Field(..., description="Gruppens organisations kod.")
    municipality: str = Field(..., description="Kommunkod.")
    area: NamedRef
    starts_at: dt.datetime
    ends_at: dt.datetime
    people: int = Field(..., description="Hur många som går. Aldrig vilka.")
    state: str = Field(..., description="planned, held eller cancelled.")
    state_label: str
    note: str
    cancel_reason: str
    series: int | None = Field(None, description="Serien passet planerades i.")
    clashes: list[ClashOut] = Field(
        ..., description="Varningar: andra gruppers pass på samma plats samtidigt. Inget hinder."
    )
    url: str = Field(..., description="Passets sida.")
    created_at: dt.datetime
    updated_at: dt.datetime


class ShiftListOut(Schema):
    count: int = Field(..., description="Antal träffar totalt (före limit/offset).")
    items: list[ShiftOut]


class _Moments(Schema):
    @field_validator("starts_at", "ends_at", mode="before", check_fields=False)
    @classmethod
    def _text_only(cls, value):
        # A bare number would be read as a Unix timestamp: almost surely a client's mistake.
        if value is not None and not isinstance(value, str):
            raise ValueError(_("Ange tidpunkten som text i ISO 8601-format."))
        return value

    @field_validator("starts_at", "ends_at", check_fields=False)
    @classmethod
    def _local_time(cls, value):
        return None if value is None else as_stockholm(value)


class ShiftIn(_Moments):
    """Ett nytt pass. Gruppens organisation och kommunens samordnare planerar."""

    model_config = ConfigDict(extra="forbid")

    municipality: str = Field(..., min_length=1, description="Kommunkod, t.ex. 1780.")
    group: int = Field(..., description="Gruppens id.")
    area: int = Field(..., description="Områdets id.")
    starts_at: dt.datetime = Field(..., description=MOMENT)
    ends_at: dt.datetime = Field(..., description=MOMENT)
    people: int = Field(..., description="Hur många som går, minst 1.")
    note: str = Field("", max_length=MAX_TEXT, description="Rensas från personuppgifter.")


class ShiftPatch(_Moments):
    """Ändra ett planerat pass: bara fälten som skickas ändras."""

    model_config = ConfigDict(extra="forbid")

    area: int | None = None
    starts_at: dt.datetime | None = Field(None, description=MOMENT)
    ends_at: dt.datetime | None = Field(None, description=MOMENT)
    people: int | None = None
    note: str | None = Field(None, max_length=MAX_TEXT)

    _not_null = field_validator("area", "starts_at", "ends_at", "people", "note")(refuse_null)


class CancelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., max_length=MAX_TEXT, description="Varför passet ställs in.")


class SeriesIn(Schema):
    """Samma pass varje vecka på valda veckodagar i ett antal veckor. Allt eller inget."""

    model_config = ConfigDict(extra="forbid")

    municipality: str = Field(..., min_length=1, description="Kommunkod, t.ex. 1780.")
    group: int = Field(..., description="Gruppens id.")
    area: int = Field(..., description="Områdets id.")
    weekdays: list[int] = Field(..., description="ISO-veckodagar: 1 måndag … 7 söndag.")
    start_time: dt.time = Field(..., description="Till exempel 19:00.")
    end_time: dt.time = Field(..., description="Före start_time: nästa dag.")
    first_day: dt.date = Field(..., description="Seriens första dag (ÅÅÅÅ-MM-DD).")
    weeks: int = Field(..., description=f"Antal veckor, 1–{MAX_WEEKS}.")
    people: int = Field(..., description="Hur många som går varje pass, minst 1.")
    note: str = Field("", max_length=MAX_TEXT)


class SeriesOut(Schema):
    id: int
    group: GroupRef
    area: NamedRef
    weekdays: list[int]
    start_time: dt.time
    end_time: dt.time
    first_day: dt.date
    weeks: int
    people: int
    shifts: list[ShiftOut]


def _ref(group: PresenceGroup) -> dict[str, Any]:
    return {"id": group.pk, "name": group.name}


def clash_item(shift: Shift) -> dict[str, Any]:
    return {
        "id": shift.pk,
        "group": _ref(shift.group),
        "area": named(shift.area),
        "starts_at": timezone.localtime(shift.starts_at),
        "ends_at": timezone.localtime(shift.ends_at),
    }


def shift_item(shift: Shift, clashes: list[Shift], url: str) -> dict[str, Any]:
    """One shift (group with its organisation, municipality and area loaded)."""
    return {
        "id": shift.pk,
        "group": _ref(shift.group),
        "organisation": shift.group.organisation.code,
        "municipality": shift.municipality.code,
        "area": named(shift.area),
        "starts_at": timezone.localtime(shift.starts_at),
        "ends_at": timezone.localtime(shift.ends_at),
        "people": shift.people,
        "state": shift.state,
        "state_label": str(shift.get_state_display()),
        "note": shift.note,
        "cancel_reason": shift.cancel_reason,
        "series": shift.series_id,
        "clashes": [clash_item(other) for other in clashes],
        "url": url,
        "created_at": timezone.localtime(shift.created_at),
        "updated_at": timezone.localtime(shift.updated_at),
    }


def series_item(series: ShiftSeries, shifts: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": series.pk,
        "group": _ref(series.group),
        "area": named(series.area),
        "weekdays": series.weekdays,
        "start_time": series.start_time,
        "end_time": series.end_time,
        "first_day": series.first_day,
        "weeks": series.weeks,
        "people": series.people,
        "shifts": shifts,
    }
