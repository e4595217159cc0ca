"""Walks for tests: a planned walk in Karlstad's centre with two stops, and findings as the
phone sends them (through `record_finding`, so scrubber, event and audit are real)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from trygg.events.models import Category
from trygg.places.geo import to_sweref
from trygg.walks.actions.findings import FindingInput, record_finding
from trygg.walks.models import ChecklistItem, ChecklistTemplate, Walk, WalkStop

# Two stops 300 m apart in Karlstad's centre (inside the conftest's Centrum box).
STOP_POSITIONS = ((59.3793, 13.5036, "Stora torget"), (59.3810, 13.5080, "Järnvägsgatan"))
WALK_AT = dt.datetime(2026, 11, 10, 18, 0, tzinfo=dt.UTC)


def national_template(code: str = "safetipin") -> ChecklistTemplate:
    return ChecklistTemplate.objects.get(municipality=None, code=code)


def make_walk(organisation, *, template_code: str = "safetipin", **fields) -> Walk:
    """A walk with two stops, stored directly (no action, no audit)."""
    values = {
        "title": "Trygghetsvandring i centrum",
        "walk_at": WALK_AT,
        "light": Walk.Light.DARK,
    } | fields
    walk = Walk.objects.create(
        municipality=organisation.municipality,
        organisation=organisation,
        template=national_template(template_code),
        **values,
    )
    for order, (lat, lon, name) in enumerate(STOP_POSITIONS, start=1):
        x, y = to_sweref(lon, lat)
        WalkStop.objects.create(walk=walk, order=order, name=name, lat=lat, lon=lon, x=x, y=y)
    return walk


def item(walk: Walk, code: str) -> ChecklistItem:
    return walk.template.items.get(code=code)


def jpeg(size: tuple[int, int] = (64, 48), *, exif: bool = False) -> SimpleUploadedFile:
    """A small JPEG; with `exif`, one carrying a GPS tag and a camera owner's name."""
    image = Image.new("RGB", size, (90, 120, 200))
    out = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x013B] = "Anna Andersson"  # Artist
        tags[0x8825] = {2: (59.0, 22.0, 45.0)}  # GPSInfo: latitude
        image.save(out, format="JPEG", exif=tags)
    else:
        image.save(out, format="JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def finding_input(walk: Walk, **fields) -> FindingInput:
    """A finding at the first stop, lighting scored 1, in the belysning category."""
    lat, lon, _name = STOP_POSITIONS[0]
    values: dict[str, Any] = {
        "client_id": uuid.uuid4(),
        "lat": lat,
        "lon": lon,
        "captured_at": WALK_AT + dt.timedelta(minutes=20),
        "category": Category.objects.get(code="otrygg_plats.belysning"),
        "note": "Två lampor trasiga vid trappan",
    } | fields
    if "scores" not in values:
        values["scores"] = {item(walk, "lighting"): 1} if walk.template.is_scored else {}
    return FindingInput(**values)


def capture(walk: Walk, user, **fields):
    """Record a finding as a participant's phone would; returns the Finding."""
    finding, _created = record_finding(walk, finding_input(walk, **fields), acting_user=user)
    return finding


# --- comparison, publication, API (added with the comparison and the public pages) ----------


def earlier_walk(later: Walk, *, days: int = 182, **fields) -> Walk:
    """A walk on the same route `days` before `later` (in daylight), set as its `previous`."""
    values = {"title": "Trygghetsvandring i centrum, våren", "light": Walk.Light.DAY} | fields
    values.setdefault("walk_at", later.walk_at - dt.timedelta(days=days))
    earlier = make_walk(later.organisation, template_code=later.template.code, **values)
    later.previous = earlier
    later.save(update_fields=["previous"])
    return earlier


def answer(finding, organisation, kind: str = "will_act", **fields):
    """An organisation's answer to a finding, stored directly (no action, no audit)."""
    from django.utils import timezone

    from trygg.walks.models import Answer

    values = {"answered_at": timezone.now()} | fields
    return Answer.objects.create(finding=finding, organisation=organisation, kind=kind, **values)


def measure_for(finding, organisation, status: str = "agreed", **fields):
    """A measure owned by `organisation` about the finding's event, stored directly."""
    from trygg.measures.models import Measure

    values = {"title": "Laga belysningen", "status": status} | fields
    measure = Measure.objects.create(
        municipality=finding.walk.municipality, responsible=organisation, **values
    )
    measure.events.add(finding.event)
    return measure


# --- after the walk: review, protocol, answers (test_review, test_protocol, test_answers…) ---


def route_to(findings, organisation, coordinator) -> None:
    """Confirm `organisation` as responsible for each finding, as the coordinator would."""
    from trygg.walks.actions.review import confirm_responsible

    for finding in findings:
        confirm_responsible(finding, organisation, acting_user=coordinator)


def sent_walk(organisation, coordinator, routes, **fields):
    """A walk with one finding per (responsible organisation, note) in `routes`, each confirmed,
    and its protocol sent (version 1). Returns (walk, findings in order)."""
    from trygg.walks.actions.protocol import send_protocol

    walk = make_walk(organisation, **fields)
    findings = []
    for responsible, note in routes:
        finding = capture(walk, coordinator, note=note)
        route_to([finding], responsible, coordinator)
        findings.append(finding)
    send_protocol(walk, acting_user=coordinator)
    walk.refresh_from_db()
    return walk, findings
