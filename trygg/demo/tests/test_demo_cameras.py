"""The demo's two school-yard cameras (issue 15, point 7): physical measures at Karlstad's
school yards, done about a year ago, evaluated on the generated events as they fall."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from trygg.demo import loader
from trygg.demo import measures as demo_measures
from trygg.measures.evaluation import Hours, evaluate
from trygg.measures.models import Measure, MeasureKind, Status
from trygg.places.models import Place

pytestmark = pytest.mark.frozen
# The personas' password hashes are not what these tests are about.
FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cameras(db) -> list[Measure]:
    """Two years of generated events (the default demo) and the demo's measures."""
    with override_settings(PASSWORD_HASHERS=FAST):
        municipality = loader.karlstad()
        loader.load_districts(municipality)
        organisations = loader.load_organisations()
        loader.load_personas(organisations)
        loader.load_places(municipality, organisations)
        today = timezone.localdate()
        loader.load_generated(
            municipality,
            organisations,
            seed=1,
            start=today - dt.timedelta(days=730),
            end=today + dt.timedelta(days=1),
            now=timezone.now(),
        )
        demo_measures.load_rules(municipality, organisations)
        demo_measures.load_measures(municipality, today)
    return list(Measure.objects.filter(kind=MeasureKind.CAMERA).order_by("title"))


def test_two_cameras_stand_on_school_yards_done_about_a_year_ago(cameras):
    assert [m.place.name for m in cameras] == [
        "Kronoparksskolan, skolgården",
        "Rudsskolan, skolgården",
    ]
    today = timezone.localdate()
    for measure in cameras:
        assert measure.place.kind == Place.Kind.SCHOOL_YARD and measure.status == Status.DONE
        assert 330 <= (today - measure.done_on).days <= 400


def test_loading_the_measures_again_adds_no_camera(cameras):
    counts = demo_measures.load_measures(cameras[0].municipality, timezone.localdate())
    assert Measure.objects.filter(kind=MeasureKind.CAMERA).count() == 2
    assert counts.created == 0


def test_each_camera_has_both_comparisons_over_half_a_year_each_side(cameras):
    for measure in cameras:
        every = evaluate(measure)
        evenings = evaluate(measure, hours=Hours.EVENINGS_WEEKENDS)
        assert every.unavailable is None and evenings.unavailable is None
        assert every.windows == evenings.windows and every.windows.weeks == 26
        # No effect was planted: the evening counts are a part of all hours, nothing more.
        assert evenings.counts.target[0] <= every.counts.target[0]
        assert evenings.counts.target[1] <= every.counts.target[1]
        assert every.verdict is not None and evenings.verdict is not None
