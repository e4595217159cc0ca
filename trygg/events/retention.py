"""Retention (gallring, decision 0031): what old events lose, and the audit log's own limit.

Events older than their municipality's limits lose their free text (and the photo that goes
with it) and their exact position; category, time, area, place, source and visibility stay, so
the daily rollup, the situation picture and the annual figures count them as before. The worker
runs `run_periodic`; every step is a bulk update in batches that selects only rows not yet
retained, so a second run, a run cut off half way or two workers at once change nothing twice.
Each run writes one audit row per municipality where anything changed (counts, never texts)
and one for the audit rows it deleted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from trygg.core.audit import record_bulk, record_changes, record_created
from trygg.core.models import AuditEntry
from trygg.events.models import Event, RetentionPolicy
from trygg.organisations.access import access_for
from trygg.places.geo import to_wgs84
from trygg.places.models import Municipality

BATCH = 2000
# Photos kept beside events by the apps above (a walk finding's, a resident's report's): each app
# registers, from its AppConfig.ready, a function that removes the photos of the events it is
# given (rows, then files) and returns how many; events cannot import those apps (decision 0014).
_PHOTO_RETAINERS: dict[str, Callable[[QuerySet, int], int]] = {}
# A retained position is the centre of its square kilometre (SWEREF 99 TM): enough for maps at
# municipality scale, too coarse to point at a doorway. Its precision says so, which also keeps
# it out of the hotspot analysis, which needs exact positions.
CELL_M = 1000
COARSE_PRECISION_M = 1000


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same local time `months` calendar months earlier (31 March - 1 month = 28/29 Feb)."""
    local = timezone.localtime(moment)
    year, month0 = divmod(local.year * 12 + local.month - 1 - months, 12)
    day = min(local.day, calendar.monthrange(year, month0 + 1)[1])
    return local.replace(year=year, month=month0 + 1, day=day)


def limits_for(municipality_id: int) -> tuple[int, int]:
    """(months of free text, months of exact position): the municipality's own, else defaults."""
    policy = RetentionPolicy.objects.filter(municipality_id=municipality_id).first()
    if policy is None:
        return (
            settings.TRYGG_EVENT_TEXT_RETENTION_MONTHS,
            settings.TRYGG_EVENT_POSITION_RETENTION_MONTHS,
        )
    return policy.text_months, policy.position_months


def coarse(x: float, y: float) -> tuple[float, float]:
    """The centre of the CELL_M square that holds (x, y)."""
    return (
        math.floor(x / CELL_M) * CELL_M + CELL_M / 2,
        math.floor(y / CELL_M) * CELL_M + CELL_M / 2,
    )


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


def register_photo_retention(key: str, remove: Callable[[QuerySet, int], int]) -> None:
    """`remove(events, municipality_id)` drops the photos an app keeps for these events (all of
    that municipality) when their text goes. The app's query names the municipality of every
    table it joins, so that a sharded database (Citus) sends it to that municipality's shard."""
    _PHOTO_RETAINERS[key] = remove


def remove_kept_photos(events: QuerySet, municipality_id: int) -> int:
    """Every registered app's photos of these events, removed; how many in all."""
    return sum(remove(events, municipality_id) for remove in _PHOTO_RETAINERS.values())


def delete_photo_rows(photos: QuerySet, field: str = "image") -> int:
    """Delete these photo rows in batches and their files once each batch is committed (a
    rolled back batch keeps its files); how many. For the apps' `register_photo_retention`."""
    done = 0
    while batch := list(photos.order_by("pk").values_list("pk", "municipality_id", field)[:BATCH]):
        with transaction.atomic():
            photos.model.objects.filter(
                pk__in=[pk for pk, _m, _name in batch],
                municipality_id__in={municipality for _pk, municipality, _name in batch},
            ).delete()
            names = [name for _pk, _m, name in batch if name]
            transaction.on_commit(functools.partial(_delete_files, names))
        done += len(batch)
    return done


def clear_text(events) -> int:
    """Empty the description and drop the photo of these events, in batches; returns how many.
    Files are deleted after their rows are committed: a rolled back batch keeps its photos."""
    pending = events.exclude(description="", photo="")
    done = 0
    while batch := list(pending.order_by("pk").values_list("pk", "photo")[:BATCH]):
        with transaction.atomic():
            # Through `events`, which names the municipality: one shard on Citus.
            events.filter(pk__in=[pk for pk, _photo in batch]).update(description="", photo="")
            names = [photo for _pk, photo in batch if photo]
            transaction.on_commit(functools.partial(_delete_files, names))
        done += len(batch)
    return done


def coarsen_positions(events) -> int:
    """Move these events to the centre of their square kilometre, in batches; returns how many."""
    pending = events.filter(precision_m__lt=COARSE_PRECISION_M)
    done = 0
    while batch := list(pending.order_by("pk").values_list("pk", "x", "y")[:BATCH]):
        Event.objects.bulk_update(
            _coarsened(batch), ["x", "y", "lat", "lon", "precision_m"], batch_size=500
        )
        done += len(batch)
    return done


def _coarsened(rows: Iterable[tuple[int, float, float]]) -> list[Event]:
    events = []
    for pk, x, y in rows:
        cx, cy = coarse(x, y)
        lon, lat = to_wgs84(cx, cy)
        events.append(Event(pk=pk, x=cx, y=cy, lat=lat, lon=lon, precision_m=COARSE_PRECISION_M))
    return events


def apply_to_municipality(municipality_id: int, now: dt.datetime) -> dict[str, int]:
    """Retain one municipality's old events; one audit row if anything changed."""
    text_months, position_months = limits_for(municipality_id)
    events = Event.objects.filter(municipality_id=municipality_id)
    text_before = months_before(now, text_months)
    position_before = months_before(now, position_months)
    counts = {
        "texts_cleared": clear_text(events.filter(occurred_from__lt=text_before)),
        "photos_removed": remove_kept_photos(
            events.filter(occurred_from__lt=text_before), municipality_id
        ),
        "positions_coarsened": coarsen_positions(events.filter(occurred_from__lt=position_before)),
    }
    if any(counts.values()):
        new = counts | {
            "text_before": text_before.isoformat(),
            "position_before": position_before.isoformat(),
        }
        record_bulk(
            AuditEntry.Action.UPDATE, "places.municipality", str(municipality_id), "retention", new
        )
    return counts


def purge_audit_log(now: dt.datetime) -> int:
    """Delete audit rows older than TRYGG_AUDIT_RETENTION_MONTHS, in batches; the deletion is
    itself written down, with how many went and up to when."""
    before = months_before(now, settings.TRYGG_AUDIT_RETENTION_MONTHS)
    old = AuditEntry.objects.filter(at__lt=before)
    deleted = 0
    while ids := list(old.order_by("pk").values_list("pk", flat=True)[:BATCH]):
        deleted += AuditEntry.objects.filter(pk__in=ids).delete()[0]
    if deleted:
        new = {"deleted": deleted, "before": before.isoformat()}
        record_bulk(AuditEntry.Action.DELETE, "core.auditentry", "", "retention", new)
    return deleted


def run_periodic(now: dt.datetime) -> dict[str, int]:
    """The worker's retention run over every municipality (a few hundred rows; each one's old
    events are found through the (municipality, occurred_from) index). The counties' own rows,
    which `Municipality.objects` leaves out, hold the police's county-level events: they have
    no exact position to begin with."""
    totals = {
        "municipalities": 0,
        "texts_cleared": 0,
        "photos_removed": 0,
        "positions_coarsened": 0,
    }
    for municipality_id in Municipality.objects.order_by("pk").values_list("pk", flat=True):
        counts = apply_to_municipality(municipality_id, now)
        totals["municipalities"] += 1
        totals["texts_cleared"] += counts["texts_cleared"]
        totals["photos_removed"] += counts["photos_removed"]
        totals["positions_coarsened"] += counts["positions_coarsened"]
    totals["audit_rows_deleted"] = purge_audit_log(now)
    return totals


@transaction.atomic
def set_policy(
    municipality: Municipality, text_months: int, position_months: int, *, acting_user
) -> RetentionPolicy:
    """Set a municipality's limits (its coordinators); audited field by field. Out-of-range
    months raise ValidationError and write nothing."""
    if not access_for(acting_user).can_coordinate(municipality.pk):
        raise PermissionDenied
    policy, created = RetentionPolicy.objects.get_or_create(municipality=municipality)
    old = {"text_months": policy.text_months, "position_months": policy.position_months}
    policy.text_months, policy.position_months = text_months, position_months
    policy.full_clean()
    policy.save()
    if created:
        record_created(acting_user, policy, ["municipality", *old])
    else:
        record_changes(
            acting_user, policy, {name: (old[name], getattr(policy, name)) for name in old}
        )
    return policy
