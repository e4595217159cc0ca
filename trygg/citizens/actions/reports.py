"""A resident's report, from the web form or Open311: checked whole, then written whole.

The event belongs to the municipality's coordinating organisation, kept to it
(`Visibility.ORGANISATION`) until a moderator has seen the report: nothing a resident sends is
shown to partners or the public before that (issue 12, points 3 and 8). The resident gets a
tracking link whose secret is stored only as a hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.citizens.categories import BY_CODE
from trygg.citizens.models import Channel, CitizenReport, Moderation, ReportPhoto, StatusContact
from trygg.citizens.receiving import est_category, reports_owner
from trygg.core import photos as photo_tools
from trygg.core.fields import free_text
from trygg.events.actions import report_event
from trygg.events.models import Source, Visibility
from trygg.organisations.shards import joined_in_municipality
from trygg.places.index import locate_one
from trygg.places.models import Municipality
from trygg.places.picker import locate

MAX_PHOTOS = 3
NEARBY_M = 50.0
NEARBY_DAYS = 30
# The longest an address for status mails is kept, whatever happens to the report.
FORGET_CONTACT_AFTER = dt.timedelta(days=90)


@dataclass
class ReportInput:
    lat: float
    lon: float
    category_code: str
    description: str = ""
    photos: Sequence = ()
    email: str = ""
    place_id: int | None = None
    channel: str = Channel.WEB
    occurred_at: dt.datetime | None = None
    # Open311 clients and the form may send more; nothing else is kept.
    extra: dict = field(default_factory=dict)


def tracking_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def photo_max_bytes() -> int:
    return int(settings.TRYGG_WALK_PHOTO_MAX_BYTES)


def check_report(data: ReportInput, municipality: Municipality | None = None):
    """Every check before a write: (location, category, cleaned photos) or ValidationError
    with Swedish messages by field."""
    errors: dict[str, list[str]] = {}
    resident = BY_CODE.get(data.category_code)
    if resident is None:
        errors["category"] = [_("Välj vad det gäller.")]
    if not free_text(data.description).text.strip() and resident is None:
        errors["description"] = [_("Beskriv vad du har sett.")]
    location = None
    try:
        location = locate(data.lat, data.lon, municipality=municipality, place_id=data.place_id)
    except ValidationError as error:
        errors["position"] = error.messages
    photos, photo_errors = photo_tools.clean_photos(
        data.photos, max_bytes=photo_max_bytes(), max_count=MAX_PHOTOS
    )
    if photo_errors:
        errors["photos"] = photo_errors
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            errors["email"] = [_("E-postadressen ser inte ut att stämma.")]
    if errors:
        raise ValidationError(errors)
    assert resident is not None and location is not None  # noqa: S101 -- errors raised above
    return location, est_category(resident.est_code), photos


def submit_report(data: ReportInput, municipality: Municipality | None = None):
    """Store a resident's report; returns (report, tracking token). The token is shown once."""
    location, category, photos = check_report(data, municipality)
    owner = reports_owner(location.municipality.pk)
    if owner is None:
        raise ValidationError({"position": _("Kommunen tar inte emot rapporter i Trygg ännu.")})
    token = secrets.token_urlsafe(24)
    stored_photos = _write_photo_files(photos)
    try:
        report = _store(data, location, category, owner, token, stored_photos)
    except BaseException:
        _remove_photo_files(stored_photos)
        raise
    return report, token


def _store(data: ReportInput, location, category, owner, token: str, photo_names: list[str]):
    """The rows of one report, in one transaction. report_event adds one to the day's rollup
    row, which on PostgreSQL stays locked until commit (the next report of the same kind, day
    and municipality waits for it): the report's own rows are written before that count
    (`also_write`), and nothing slow happens in here: everything was read and checked before,
    and the photo files are already written."""
    written: list[CitizenReport] = []

    def report_rows(event) -> None:
        report = CitizenReport.objects.create(
            event=event,
            municipality=location.municipality,
            resident_category=data.category_code,
            channel=data.channel,
            tracking_hash=tracking_hash(token),
        )
        ReportPhoto.objects.bulk_create(
            [ReportPhoto(report=report, image=name) for name in photo_names]
        )
        if data.email:
            StatusContact.objects.create(
                report=report,
                email=data.email,
                forget_after=timezone.localdate() + FORGET_CONTACT_AFTER,
            )
        written.append(report)

    report_event(
        acting_user=None,
        organisation=owner,
        category=category,
        occurred_from=data.occurred_at or timezone.now(),
        lat=data.lat,
        lon=data.lon,
        description=data.description,
        place=location.place,
        source=Source.CITIZEN,
        visibility=Visibility.ORGANISATION,
        precision_m=25,
        located=location.located,
        also_write=report_rows,
    )
    return written[0]


def _write_photo_files(photos) -> list[str]:
    """Write the cleaned photos where `ReportPhoto.image` keeps them; the names written."""
    field = ReportPhoto._meta.get_field("image")
    names: list[str] = []
    try:
        for photo in photos:
            names.append(field.storage.save(field.generate_filename(None, "photo.jpg"), photo))
    except BaseException:
        _remove_photo_files(names)
        raise
    return names


def _remove_photo_files(names: list[str]) -> None:
    """A report that was not stored leaves no file behind."""
    storage = ReportPhoto._meta.get_field("image").storage
    for name in names:
        storage.delete(name)


def by_token(token: str) -> CitizenReport | None:
    """The report of a tracking link. The link names no municipality, so on Citus every shard
    is asked; the event is joined on its municipality as well as its id, which Citus does
    shard by shard, where it refuses the join on the id alone (decision 0039)."""
    return (
        CitizenReport.objects.select_related("event", "routed_to")
        .filter(tracking_hash=tracking_hash(token), **joined_in_municipality("event"))
        .first()
    )


def nearby_open(category_code: str, lat: float, lon: float, *, now=None) -> list[CitizenReport]:
    """Open reports of the same kind within NEARBY_M in the last NEARBY_DAYS days, nearest
    first: the resident can say "me too" instead of sending one more. Only reports of the
    municipality the position lies in, where the resident's own report would go: named on
    the reports and their events, so that Citus reads that one shard (decision 0039)."""
    now = now or timezone.now()
    x, y, municipality_id, _area = locate_one(lon, lat)
    if municipality_id is None:  # outside Sweden: nothing to join
        return []
    candidates = CitizenReport.objects.filter(
        municipality_id=municipality_id,
        **joined_in_municipality("event"),
        resident_category=category_code,
        created_at__gte=now - dt.timedelta(days=NEARBY_DAYS),
        closed_at__isnull=True,
        moderation__in=(Moderation.PENDING, Moderation.PUBLISHED),
        event__x__range=(x - NEARBY_M, x + NEARBY_M),
        event__y__range=(y - NEARBY_M, y + NEARBY_M),
    ).select_related("event")
    near = [
        (math.hypot(r.event.x - x, r.event.y - y), r.pk, r)
        for r in candidates
        if math.hypot(r.event.x - x, r.event.y - y) <= NEARBY_M
    ]
    return [report for _d, _pk_, report in sorted(near)]


def add_me_too(report: CitizenReport) -> CitizenReport:
    """One more resident has seen the same: a count on the report, no new row."""
    # Naming the municipality sends both statements to the report's shard (Citus).
    same = CitizenReport.objects.filter(municipality_id=report.municipality_id, pk=report.pk)
    same.update(me_too=F("me_too") + 1)
    report.me_too = same.values_list("me_too", flat=True).get()
    return report
