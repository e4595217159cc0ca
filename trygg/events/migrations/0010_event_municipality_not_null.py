"""Every event has a municipality, and the municipality is part of its unique key (decision 0037,
Beslut 3 steps 3 and 4): the columns Citus needs to shard the events by municipality.

County-level police events, stored so far without a municipality, move to their county's own
row (places 0003): the county of the municipality whose boundary holds the event's position,
or of the nearest municipality for a position outside every boundary. A county that is one
municipality (Gotland) gives that municipality, as the importer does. The daily rollup counts
the moved events on the county rows, as it counts every event from now on.
"""

from collections import defaultdict

import django.db.models.deletion
import numpy as np
from django.db import migrations, models
from django.db.models import Case, Count, F, IntegerField, When
from django.db.models.functions import TruncDate
from django.utils import timezone

BATCH = 10_000


def county_keys(Municipality) -> tuple[object, dict[int, int]]:
    """The municipalities' polygon index and, per municipality, the key a county-level event
    in it gets: its county's own row, or the municipality itself when the county has no other."""
    from trygg.places.geo import PolygonIndex

    rows = list(
        Municipality._base_manager.filter(county_level=False, geometry__isnull=False).values_list(
            "pk", "county_code", "geometry"
        )
    )
    county_rows = dict(
        Municipality._base_manager.filter(county_level=True).values_list("county_code", "pk")
    )
    per_county: dict[str, list[int]] = defaultdict(list)
    for pk, county_code, _geometry in rows:
        per_county[county_code].append(pk)
    key_of = {}
    for county_code, members in per_county.items():
        for pk in members:
            key_of[pk] = members[0] if len(members) == 1 else county_rows[county_code]
    index = PolygonIndex.build([(pk, geometry) for pk, _code, geometry in rows])
    return index, key_of


def county_keys_of(index, key_of: dict[int, int], lon, lat) -> list[int]:
    """The county key of each position: through the municipality that holds it, else the
    nearest municipality."""
    import shapely

    from trygg.places.geo import to_sweref

    x, y = to_sweref(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    # A position that does not project (none is stored: imports check them) is looked up at
    # the origin rather than stopping the migration.
    x, y = np.nan_to_num(np.asarray(x)), np.nan_to_num(np.asarray(y))
    found = index.lookup(x, y)
    outside = np.flatnonzero(found < 0)
    if len(outside):
        points = shapely.points(x[outside], y[outside])
        point_idx, tree_idx = index.tree.query_nearest(points, all_matches=False)
        found[outside[point_idx]] = index.keys[tree_idx]
    return [key_of[int(pk)] for pk in found]


def move_to_county_rows(Municipality, events) -> None:
    """Put `events` (a queryset of the migration's Event) on their county keys."""
    index, key_of = county_keys(Municipality)
    last = 0
    while rows := list(
        events.filter(pk__gt=last).order_by("pk").values_list("pk", "lon", "lat")[:BATCH]
    ):
        pks, lon, lat = zip(*rows, strict=True)
        by_key: dict[int, list[int]] = defaultdict(list)
        for pk, key in zip(pks, county_keys_of(index, key_of, lon, lat), strict=True):
            by_key[key].append(pk)
        for key, ids in by_key.items():
            events.model._base_manager.filter(pk__in=ids).update(municipality_id=key)
        last = pks[-1]


def count_county_rows(Municipality, Event, DailyCount) -> None:
    """The rollup of the county rows, counted afresh: daily_counts.recount's rule for them."""
    county_rows = Municipality._base_manager.filter(county_level=True).values("pk")
    DailyCount._base_manager.filter(municipality_id__in=county_rows).delete()
    grouped = (
        Event._base_manager.filter(municipality_id__in=county_rows)
        .exclude(status__in=["rejected", "duplicate"])
        .order_by()
        .annotate(
            day=TruncDate("occurred_from", tzinfo=timezone.get_default_timezone()),
            org=Case(
                When(visibility="organisation", then=F("organisation_id")),
                default=None,
                output_field=IntegerField(),
            ),
        )
        .values_list("municipality_id", "day", "category_id", "source", "visibility", "org")
        .annotate(n=Count("pk"))
    )
    DailyCount._base_manager.bulk_create(
        (
            DailyCount(
                municipality_id=m,
                day=d,
                category_id=c,
                source=s,
                visibility=v,
                organisation_id=o,
                events=n,
            )
            for m, d, c, s, v, o, n in grouped.iterator()
        ),
        batch_size=500,
    )


def move_county_level_events(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Municipality = apps.get_model("places", "Municipality")
    waiting = Event._base_manager.filter(municipality__isnull=True)
    if waiting.exists():
        move_to_county_rows(Municipality, waiting)
        count_county_rows(Municipality, Event, apps.get_model("events", "DailyCount"))
    _checks_now(schema_editor)


def _checks_now(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # The table is altered next in this transaction: PostgreSQL refuses that while the
        # UPDATE's deferred foreign key checks are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def back_to_no_municipality(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    Municipality = apps.get_model("places", "Municipality")
    DailyCount = apps.get_model("events", "DailyCount")
    county_rows = Municipality._base_manager.filter(county_level=True).values("pk")
    DailyCount._base_manager.filter(municipality_id__in=county_rows).delete()
    Event._base_manager.filter(municipality_id__in=county_rows).update(municipality=None)
    _checks_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_category_time_index"),
        ("places", "0003_county_level_rows"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="event", name="event_source_external_id"),
        migrations.RunPython(move_county_level_events, back_to_no_municipality),
        migrations.AlterField(
            model_name="event",
            name="municipality",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                to="places.municipality",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.UniqueConstraint(
                fields=("source", "external_id", "municipality"), name="event_source_external_id"
            ),
        ),
    ]
