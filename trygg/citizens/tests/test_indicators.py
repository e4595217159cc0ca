import datetime as dt

import pytest

from trygg.citizens.tests.factories import dialogue
from trygg.measures import indicators
from trygg.measures.indicators import IndicatorQuery

pytestmark = pytest.mark.django_db


def test_dialogues_held_counts_the_municipalitys_dialogues_in_the_period(
    karlstad, kommunen, polisen, coordinator
):
    for day in (dt.date(2023, 3, 2), dt.date(2023, 4, 12), dt.date(2023, 6, 1)):
        dialogue(coordinator, karlstad, [kommunen, polisen], held_on=day)
    spring = IndicatorQuery(karlstad.pk, dt.date(2023, 3, 1), dt.date(2023, 5, 31))
    assert indicators.compute("dialogues_held", spring).value == 2
