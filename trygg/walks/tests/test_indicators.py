import datetime as dt

import pytest

from trygg.measures import indicators
from trygg.measures.indicators import IndicatorQuery
from trygg.walks.models import Walk
from trygg.walks.tests.factories import WALK_AT, make_walk

pytestmark = pytest.mark.django_db


def test_walks_held_counts_walks_that_took_place_in_the_period_and_the_area(
    kommunen, karlstad, centrum, kronoparken
):
    make_walk(kommunen, status=Walk.Status.WALKED, area=centrum)
    make_walk(kommunen, status=Walk.Status.FOLLOWED_UP, area=centrum)
    make_walk(kommunen, status=Walk.Status.PLANNED, area=centrum)  # not held (yet)
    make_walk(kommunen, status=Walk.Status.WALKED, area=kronoparken)
    make_walk(kommunen, status=Walk.Status.WALKED, walk_at=WALK_AT - dt.timedelta(days=60))
    day = WALK_AT.date()
    query = IndicatorQuery(karlstad.pk, day - dt.timedelta(days=30), day)
    assert indicators.compute("walks_held", query).value == 3
    in_centre = IndicatorQuery(karlstad.pk, day - dt.timedelta(days=30), day, area=centrum)
    assert indicators.compute("walks_held", in_centre).value == 2
