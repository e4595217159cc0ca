"""Area assignment: on write, by point, honest about imprecise positions and changed borders."""

import datetime as dt

import numpy as np

from trygg.places.index import forget_cached_boundaries, locate
from trygg.places.models import Area


def test_every_swedish_point_gets_its_municipality_and_points_abroad_get_none(db):
    located = locate([13.5036, 15.21, 13.40, 10.75], [59.3793, 59.27, 52.52, 59.91])
    codes = [None if m < 0 else m for m in located.municipality_id]
    from trygg.places.models import Municipality

    names = [Municipality.objects.get(pk=c).name if c else None for c in codes]
    assert names == ["Karlstad", "Örebro", None, None]


def test_a_point_in_a_district_gets_that_district(centrum, kronoparken):
    located = locate([13.5036, 13.575, 13.45], [59.3793, 59.39, 59.42])
    assert list(located.area_id) == [centrum.pk, kronoparken.pk, -1]


def test_an_imprecise_position_gets_the_municipality_but_no_district(centrum):
    located = locate([13.5036, 13.5036], [59.3793, 59.3793], precision_m=[25, 5000])
    assert located.area_id[0] == centrum.pk
    assert located.area_id[1] == -1
    assert (located.municipality_id >= 0).all()


def test_when_a_border_changes_new_events_get_the_new_area(centrum, karlstad):
    before = locate([13.5036], [59.3793]).area_id[0]
    centrum.valid_to = dt.date(2026, 1, 1)
    centrum.save()
    wider = Area.objects.create(
        municipality=karlstad,
        name="Centrum (ny gräns)",
        geometry={
            "type": "Polygon",
            "coordinates": [
                [[13.4, 59.3], [13.6, 59.3], [13.6, 59.45], [13.4, 59.45], [13.4, 59.3]]
            ],
        },
        valid_from=dt.date(2026, 1, 1),
    )
    forget_cached_boundaries()  # what the area admin and the demo loader do after a change
    after = locate([13.5036], [59.3793]).area_id[0]
    assert (before, after) == (centrum.pk, wider.pk)


def test_many_positions_are_assigned_in_one_vectorised_call_exactly_as_the_polygon_says(centrum):
    rng = np.random.default_rng(1)
    lon = rng.uniform(13.45, 13.55, 20000)
    lat = rng.uniform(59.36, 59.40, 20000)
    located = locate(lon, lat)
    inside = (lon >= 13.49) & (lon <= 13.52) & (lat >= 59.37) & (lat <= 59.39)
    assert ((located.area_id == centrum.pk) == inside).all()
