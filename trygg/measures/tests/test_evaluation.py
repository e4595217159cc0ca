"""Did it work? The evaluation of a done measure: rings, counts, figures, page and settings."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from trygg.analysis.evaluation import (
    Verdict,
    interrupted_time_series,
    relative_effect_size,
    verdict,
    weighted_displacement_quotient,
)
from trygg.analysis.scaled_wdd import wdd_with_scaled_control
from trygg.core.models import AuditEntry
from trygg.core.tests.clock import TODAY
from trygg.events.models import Category, Status, Visibility
from trygg.measures.actions import create_measure, set_measure_status
from trygg.measures.evaluation import ControlKind, Unavailable, evaluate, plan_windows
from trygg.measures.models import Measure
from trygg.measures.models import Status as MeasureStatus
from trygg.places.geo import to_wgs84
from trygg.places.models import Place
from trygg.places.tests.factories import make_place

# The windows compared end today.
pytestmark = pytest.mark.frozen
DONE = TODAY - dt.timedelta(weeks=30)  # more than the 26 weeks compared
STARTED = DONE - dt.timedelta(weeks=4)
FIRST_DATA = STARTED - dt.timedelta(weeks=60)
FAR_NORTH = (59.45, 13.50)  # in Karlstad, in no district of the fixtures


@pytest.fixture
def torget(karlstad) -> Place:
    return make_place(karlstad, "Stora torget")


def _done_measure(coordinator, responsible, **fields) -> Measure:
    measure = create_measure(
        responsible.municipality,
        acting_user=coordinator,
        title="Bättre belysning",
        status=MeasureStatus.IN_PROGRESS,
        responsible=responsible,
        today=STARTED,
        **fields,
    )
    return set_measure_status(measure, MeasureStatus.DONE, acting_user=coordinator, today=DONE)


@pytest.fixture
def measure(coordinator, kommunen, torget, category, centrum, kronoparken) -> Measure:
    """Klotter at Stora torget, done 30 weeks ago; Centrum and Kronoparken are districts."""
    return _done_measure(coordinator, kommunen, place=torget, category=category)


@pytest.fixture
def put(make_event, kommunen, torget):
    """An event `east` metres east of the place (or at `at`), `days` after a date."""

    def put(day: dt.date, *, east: float = 0.0, at=None, days: int = 3, **fields):
        if at is None:
            lon, lat = to_wgs84(torget.x + east, torget.y)
        else:
            lat, lon = at
        when = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=days), dt.time(12)))
        return make_event(
            fields.pop("organisation", kommunen), lat=lat, lon=lon, occurred_from=when, **fields
        )

    put(FIRST_DATA, at=FAR_NORTH, days=0)  # Trygg's data start well before the measure
    return put


def _before(weeks_back: int = 2) -> dt.date:
    return STARTED - dt.timedelta(weeks=weeks_back)


def _after(weeks_on: int = 2) -> dt.date:
    return DONE + dt.timedelta(weeks=weeks_on)


# --- where and when events are counted -----------------------------------------------------


def test_events_are_counted_in_the_ring_they_fall_in(measure, put, kronoparken):
    for day in (_before(), _after()):
        put(day, east=99)  # just inside the 100 m target
        put(day, east=101)  # just outside it: buffer
        put(day, east=299)  # inside the 200 m buffer ring
        put(day, east=301)  # beyond it, still in Centrum: control
        put(day, at=(59.39, 13.575))  # Kronoparken: control
        put(day, at=FAR_NORTH)  # in no district: not counted at all
    put(_before(), east=10)
    result = evaluate(measure)
    assert result.counts.target == (2, 1)
    assert result.counts.buffer == (2, 2)
    assert result.counts.control == (2, 2)
    assert result.control_kind == ControlKind.DISTRICTS


def test_the_windows_are_equally_long_and_leave_out_the_time_of_the_work(measure, put):
    result = evaluate(measure)
    assert result.windows.weeks == 26
    assert result.windows.before == (STARTED - dt.timedelta(weeks=26), STARTED)
    assert result.windows.after == (DONE, DONE + dt.timedelta(weeks=26))
    put(STARTED, east=5, days=1)  # while the work went on
    put(_after(27), east=5)  # after the 26 weeks compared
    put(_before(27), east=5)  # before them
    counts = evaluate(measure).counts
    assert counts.target == (0, 0)


def test_a_recent_measure_is_compared_over_the_weeks_since_it_was_done():
    windows = plan_windows(STARTED, DONE, DONE + dt.timedelta(days=7 * 9 + 6), FIRST_DATA)
    assert windows.weeks == 9 and windows.series_weeks_after == 9
    assert windows.series_weeks_before == 64  # back to the first event, 60 + 4 weeks
    long_history = plan_windows(STARTED, DONE, TODAY, FIRST_DATA - dt.timedelta(weeks=300))
    assert long_history.series_weeks_before == 104 and long_history.weeks == 26
    too_early = plan_windows(STARTED, DONE, DONE + dt.timedelta(days=6), FIRST_DATA)
    assert too_early == Unavailable.TOO_EARLY


def test_the_before_window_never_reaches_back_past_the_first_event():
    short_history = STARTED - dt.timedelta(weeks=5, days=3)
    windows = plan_windows(STARTED, DONE, TODAY, short_history)
    assert windows.weeks == 5 and windows.before[0] >= short_history


def test_internal_rejected_and_other_category_events_are_not_counted(measure, put, polisen):
    put(_before(), east=10, visibility=Visibility.ORGANISATION)
    put(_before(), east=10, organisation=polisen, visibility=Visibility.ORGANISATION)
    put(_before(), east=10, status=Status.REJECTED)
    put(_before(), east=10, status=Status.DUPLICATE)
    put(_before(), east=10, category=Category.objects.get(code="polis.meddelande"))
    put(_before(), east=10, precision_m=5000)  # the police feed's "somewhere in Karlstad"
    put(_before(), east=10, visibility=Visibility.PUBLIC)
    put(_before(), east=10, visibility=Visibility.PARTNERS)
    assert evaluate(measure).counts.target == (2, 0)


def test_without_a_category_everything_but_police_notices_is_counted(
    coordinator, kommunen, torget, centrum, put
):
    measure = _done_measure(coordinator, kommunen, place=torget)
    put(_before(), east=10, category=Category.objects.get(code="polis.meddelande"))
    put(_before(), east=10, category=Category.objects.get(code="polis.sammanfattning"))
    put(_before(), east=10)
    assert evaluate(measure).counts.target == (1, 0)


def test_an_area_measure_has_the_areas_polygon_as_its_target(
    coordinator, kommunen, centrum, kronoparken, put
):
    measure = _done_measure(coordinator, kommunen, area=centrum)
    put(_before(), at=(59.38, 13.51))  # inside Centrum
    put(_before(), at=(59.38, 13.5225))  # about 140 m east of its edge: buffer
    put(_before(), at=(59.39, 13.575))  # Kronoparken: control
    put(_after(), at=(59.39, 13.575))
    result = evaluate(measure)
    assert result.counts.target == (1, 0)
    assert result.counts.buffer == (1, 0)
    assert result.counts.control == (1, 1)


# --- the figures -----------------------------------------------------------------------------


def _spread(put, start: dt.date, n: int, weeks: int, **where) -> None:
    for i in range(n):
        put(start, days=(i * 7 * weeks) // max(n, 1), **where)


def test_the_figures_are_the_pure_functions_on_the_counts(measure, put):
    _spread(put, STARTED - dt.timedelta(weeks=26), 30, 26, east=20)
    _spread(put, DONE, 12, 26, east=20)
    _spread(put, STARTED - dt.timedelta(weeks=26), 6, 26, east=150)
    _spread(put, DONE, 9, 26, east=150)
    _spread(put, STARTED - dt.timedelta(weeks=26), 40, 26, east=600)
    _spread(put, DONE, 44, 26, east=600)
    result = evaluate(measure)
    (a, b), (d0, d1), (c, d) = result.counts.target, result.counts.buffer, result.counts.control
    assert (a, b, d0, d1, c, d) == (30, 12, 6, 9, 40, 44)
    assert result.res == relative_effect_size(a, b, c, d)
    assert result.wdd == wdd_with_scaled_control(a, b, d0, d1, c, d)
    assert result.wdq == weighted_displacement_quotient(a, b, d0, d1, c, d)
    series = np.array([week.count for week in result.weeks])
    before = result.windows.series_weeks_before
    seasons = [week.start.isocalendar().week for week in result.weeks]
    assert result.its == interrupted_time_series(series, before, week_of_year=seasons)
    assert result.verdict == verdict(res=result.res, wdd=result.wdd, its=result.its)


def test_a_clear_drop_reads_fewer_events_than_expected_on_the_page(client, measure, put):
    _spread(put, STARTED - dt.timedelta(weeks=26), 40, 26, east=20)
    _spread(put, DONE, 8, 26, east=20)
    _spread(put, STARTED - dt.timedelta(weeks=26), 50, 26, east=600)
    _spread(put, DONE, 50, 26, east=600)
    client.force_login(measure.created_by)
    page = client.get(reverse("measures:evaluation", args=[measure.pk])).content.decode()
    assert "Färre händelser än väntat" in page
    assert "<svg" in page and "Visa veckorna som tabell" in page


def test_a_measure_with_too_few_events_says_too_few_to_tell(client, analyst, measure, put):
    put(_before(), east=10)
    put(_before(), east=40)
    put(_after(), east=10)
    client.force_login(analyst)
    response = client.get(reverse("measures:evaluation", args=[measure.pk]))
    assert evaluate(measure).verdict == Verdict.TOO_FEW_TO_TELL
    assert "För få händelser för att säga något" in response.content.decode()


def test_a_measure_not_yet_done_explains_why_there_is_nothing_yet(
    client, coordinator, kommunen, torget
):
    measure = create_measure(
        kommunen.municipality,
        acting_user=coordinator,
        title="Belysning",
        status=MeasureStatus.IN_PROGRESS,
        responsible=kommunen,
        place=torget,
    )
    client.force_login(coordinator)
    response = client.get(reverse("measures:evaluation", args=[measure.pk]))
    assert evaluate(measure).unavailable == Unavailable.NOT_DONE
    assert "Åtgärden är inte markerad som klar" in response.content.decode()


def test_a_measure_for_the_whole_municipality_cannot_be_evaluated(coordinator, kommunen):
    measure = _done_measure(coordinator, kommunen)
    assert evaluate(measure).unavailable == Unavailable.NO_PLACE


# --- settings and access -------------------------------------------------------------------


def test_changing_the_control_area_writes_an_audit_row_and_changes_the_figures(
    client, analyst, measure, put, kronoparken
):
    for day in (_before(), _after()):
        put(day, east=600)  # Centrum, in the default control
        put(day, at=(59.39, 13.575))  # Kronoparken
    put(_after(), at=(59.39, 13.575))
    assert evaluate(measure).counts.control == (2, 3)
    client.force_login(analyst)
    url = reverse("measures:evaluation", args=[measure.pk])
    response = client.post(
        url, {"control_area": kronoparken.pk, "target_radius_m": 100, "buffer_m": 200}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.control_area == kronoparken
    audit = AuditEntry.objects.get(object_id=str(measure.pk), field="control_area")
    assert audit.actor == analyst and audit.new == kronoparken.pk
    result = evaluate(measure)
    assert result.counts.control == (1, 2) and result.control_kind == ControlKind.CHOSEN
    assert "Kronoparken, utom målområdet" in client.get(url).content.decode()


def test_a_wider_radius_moves_events_from_the_buffer_to_the_target(
    client, coordinator, measure, put
):
    put(_before(), east=150)
    client.force_login(coordinator)
    client.post(
        reverse("measures:evaluation", args=[measure.pk]),
        {"control_area": "", "target_radius_m": 200, "buffer_m": 100},
    )
    measure.refresh_from_db()
    assert (measure.target_radius_m, measure.buffer_m) == (200, 100)
    assert evaluate(measure).counts.target == (1, 0)
    assert AuditEntry.objects.filter(object_id=str(measure.pk), field="target_radius_m").exists()


def test_invalid_settings_are_refused_with_a_swedish_message(client, analyst, measure):
    client.force_login(analyst)
    response = client.post(
        reverse("measures:evaluation", args=[measure.pk]), {"target_radius_m": 0, "buffer_m": -5}
    )
    assert response.status_code == 400
    assert "Inställningarna sparades inte" in response.content.decode()
    measure.refresh_from_db()
    assert (measure.target_radius_m, measure.buffer_m) == (100, 200)


def test_a_housing_reporter_sees_the_figures_but_may_not_change_them(
    client, housing_reporter, measure, kronoparken, put
):
    client.force_login(housing_reporter)
    url = reverse("measures:evaluation", args=[measure.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Relativ effektstorlek" in page.content.decode()
    assert 'name="control_area"' not in page.content.decode()
    response = client.post(
        url, {"control_area": kronoparken.pk, "target_radius_m": 100, "buffer_m": 200}
    )
    assert response.status_code == 403
    measure.refresh_from_db()
    assert measure.control_area is None
    assert not AuditEntry.objects.filter(object_id=str(measure.pk), field="control_area").exists()


def test_another_municipality_cannot_find_the_measure(client, other_municipality_user, measure):
    client.force_login(other_municipality_user)
    response = client.get(reverse("measures:evaluation", args=[measure.pk]))
    assert response.status_code == 404


def test_an_organisation_responsible_from_elsewhere_may_not_see_the_figures(
    client, other_municipality_user, karlskoga_kommun, measure
):
    # The counts include events shared only with the partners of Karlstad.
    Measure.objects.filter(pk=measure.pk).update(responsible=karlskoga_kommun)
    client.force_login(other_municipality_user)
    response = client.get(reverse("measures:evaluation", args=[measure.pk]))
    assert response.status_code == 403


def test_a_resident_gets_the_login_page(client, measure):
    response = client.get(reverse("measures:evaluation", args=[measure.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_without_events_from_before_the_measure_the_page_says_so(client, analyst, measure):
    client.force_login(analyst)
    response = client.get(reverse("measures:evaluation", args=[measure.pk]))
    assert evaluate(measure).unavailable == Unavailable.NO_DATA_BEFORE
    assert "inga händelser från tiden innan åtgärden började" in response.content.decode()
    assert 'name="control_area"' in response.content.decode()  # it can be set up beforehand
