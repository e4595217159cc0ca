"""The migration that gives every event a municipality (events 0010): county-level police events,
stored without one before, move to their county's own row, found from their position."""

from __future__ import annotations

import importlib
from collections import Counter

import pytest
from django.apps import apps

from trygg.events.models import DailyCount, Event, Source, Visibility
from trygg.places.index import locate
from trygg.places.models import Municipality

migration = importlib.import_module("trygg.events.migrations.0010_event_municipality_not_null")

pytestmark = pytest.mark.django_db

# (lon, lat) -> the code of the key a county-level event there gets.
POSITIONS = {
    (13.5036, 59.3793): "0017",  # Karlstad: Värmland's row
    (14.52, 59.33): "0018",  # Karlskoga: Örebro's row
    (18.07, 59.33): "0001",  # Stockholm
    (20.9, 63.45): "0024",  # the sea off Umeå, in no municipality: the nearest one's county
    (18.3, 57.5): "0980",  # Gotland: the county's one municipality, as the importer does
}


def test_events_move_to_the_county_of_their_position(polisen, make_event, karlstad):
    # The column is not null any more: the events stand on Karlstad, and the migration's step
    # is given them instead of those without a municipality.
    made = {
        code: make_event(
            polisen,
            Visibility.PUBLIC,
            lon=lon,
            lat=lat,
            source=Source.POLICE,
            precision_m=50_000,
        )
        for (lon, lat), code in POSITIONS.items()
    }
    assert locate([20.9], [63.45]).municipality_id[0] == -1  # the sea is the sea
    assert {e.municipality_id for e in made.values()} == {karlstad.pk}

    migration.move_to_county_rows(
        apps.get_model("places", "Municipality"),
        Event.objects.filter(pk__in=[e.pk for e in made.values()]),
    )
    codes = dict(
        Event.objects.filter(pk__in=[e.pk for e in made.values()]).values_list(
            "pk", "municipality__code"
        )
    )
    assert {code: codes[event.pk] for code, event in made.items()} == {c: c for c in made}
    county_row = Municipality.with_counties.get(code="0017")
    assert Event.objects.get(pk=made["0017"].pk).municipality == county_row

    # The rollup of the county rows counts them (Gotland's event is on Gotland itself).
    migration.count_county_rows(
        apps.get_model("places", "Municipality"), Event, apps.get_model("events", "DailyCount")
    )
    counted = Counter(
        dict(
            DailyCount.objects.filter(municipality__county_level=True).values_list(
                "municipality__code", "events"
            )
        )
    )
    assert counted == Counter({"0017": 1, "0018": 1, "0001": 1, "0024": 1})
