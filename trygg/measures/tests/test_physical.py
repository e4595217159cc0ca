"""Physical measures (cameras, lighting, cleared bushes …): a kind that needs a place, and an
evaluation that also compares evenings, nights and weekends before and after."""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from scipy import stats

from trygg.analysis.evaluation import relative_effect_size, verdict
from trygg.analysis.scaled_wdd import wdd_with_scaled_control
from trygg.core.models import AuditEntry
from trygg.core.tests.clock import TODAY
from trygg.measures.actions import create_measure, set_measure_status, update_measure
from trygg.measures.evaluation import Hours, evaluate
from trygg.measures.models import Measure, MeasureKind
from trygg.measures.models import Status as MeasureStatus
from trygg.organisations.tests.factories import bearer
from trygg.places.geo import to_wgs84
from trygg.places.models import Place
from trygg.places.tests.factories import make_place

pytestmark = pytest.mark.frozen
STOCKHOLM = ZoneInfo("Europe/Stockholm")
DONE = TODAY - dt.timedelta(weeks=30)  # 2026-04-26; the after window is summer time
STARTED = DONE - dt.timedelta(weeks=4)  # 2026-03-29; the before window is mostly winter
FIRST_DATA = STARTED - dt.timedelta(weeks=60)
FAR_NORTH = (59.45, 13.50)  # in Karlstad, in no district of the fixtures


@pytest.fixture
def skolgarden(karlstad) -> Place:
    return make_place(karlstad, "Rudsskolan, skolgården", kind=Place.Kind.SCHOOL_YARD)


def _camera(coordinator, responsible, **fields) -> Measure:
    measure = create_measure(
        responsible.municipality,
        acting_user=coordinator,
        title="Kamera på skolgården",
        status=MeasureStatus.IN_PROGRESS,
        responsible=responsible,
        kind=MeasureKind.CAMERA,
        today=STARTED,
        **fields,
    )
    return set_measure_status(measure, MeasureStatus.DONE, acting_user=coordinator, today=DONE)


@pytest.fixture
def camera(coordinator, kommunen, skolgarden, category, centrum, kronoparken) -> Measure:
    return _camera(coordinator, kommunen, place=skolgarden, category=category)


@pytest.fixture
def put(make_event, kommunen, skolgarden):
    """An event at a local wall-clock time, `east` metres east of the school yard."""

    def put(when: dt.datetime, *, east: float = 0.0, at=None):
        lat, lon = at or to_wgs84(skolgarden.x + east, skolgarden.y)[::-1]
        return make_event(kommunen, lat=lat, lon=lon, occurred_from=when.replace(tzinfo=STOCKHOLM))

    put(dt.datetime.combine(FIRST_DATA, dt.time(12)), at=FAR_NORTH)
    return put


# --- a kind that needs a place -------------------------------------------------------------


def test_a_camera_without_a_place_is_refused_and_nothing_is_written(coordinator, kommunen):
    with pytest.raises(ValidationError) as refused:
        create_measure(
            kommunen.municipality,
            acting_user=coordinator,
            title="Kamera",
            kind=MeasureKind.CAMERA,
            status=MeasureStatus.AGREED,
            responsible=kommunen,
        )
    assert "måste ha en plats" in refused.value.message_dict["place"][0]
    assert not Measure.objects.exists()
    assert not AuditEntry.objects.filter(object_type="measures.measure").exists()


def test_a_measure_that_is_not_physical_needs_no_place(coordinator, kommunen):
    measure = create_measure(
        kommunen.municipality, acting_user=coordinator, title="Informationskampanj"
    )
    assert measure.kind == MeasureKind.OTHER and not measure.is_physical


def test_turning_a_measure_into_lighting_without_a_place_changes_nothing(coordinator, kommunen):
    measure = create_measure(kommunen.municipality, acting_user=coordinator, title="Belysning")
    with pytest.raises(ValidationError):
        update_measure(measure, acting_user=coordinator, kind=MeasureKind.LIGHTING)
    measure.refresh_from_db()
    assert measure.kind == MeasureKind.OTHER
    assert not AuditEntry.objects.filter(action="update", object_id=str(measure.pk)).exists()


def test_the_form_says_a_physical_measure_needs_a_place(client, karlstad, coordinator):
    client.force_login(coordinator)
    response = client.post(
        f"/atgarder/ny/?kommun={karlstad.pk}",
        {"title": "Röj buskage", "kind": "vegetation", "status": "proposed"},
    )
    assert response.status_code == 400
    assert "En fysisk åtgärd (kamera, belysning" in response.content.decode()
    assert not Measure.objects.exists()


def test_the_form_saves_a_camera_at_its_place(client, karlstad, coordinator, skolgarden):
    client.force_login(coordinator)
    response = client.post(
        f"/atgarder/ny/?kommun={karlstad.pk}",
        {"title": "Kamera", "kind": "camera", "place": skolgarden.pk, "status": "proposed"},
    )
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.kind, measure.place) == (MeasureKind.CAMERA, skolgarden)


def _post(client, user, body):
    return client.post("/api/v1/measures", body, content_type="application/json", **bearer(user))


def test_the_api_refuses_a_physical_measure_without_a_place_with_a_422_on_place(
    client, coordinator
):
    response = _post(client, coordinator, {"municipality": "1780", "title": "K", "kind": "camera"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["place"]
    assert not Measure.objects.exists()


def test_the_api_refuses_an_unknown_kind_with_a_422_on_kind(client, coordinator):
    response = _post(client, coordinator, {"municipality": "1780", "title": "K", "kind": "drönare"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["kind"]
    assert not Measure.objects.exists()


def test_the_api_creates_and_shows_a_camera(client, coordinator, skolgarden):
    body = {"municipality": "1780", "title": "K", "kind": "camera", "place": skolgarden.pk}
    response = _post(client, coordinator, body)
    assert response.status_code == 201, response.content
    assert (response.json()["kind"], response.json()["kind_label"]) == ("camera", "kamera")


# --- evenings and weekends -----------------------------------------------------------------


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def test_evenings_nights_and_weekends_by_the_local_clock(camera, put):
    wednesday = dt.date(2026, 6, 10)  # summer time: 19:30 local is 17:30 UTC
    counted = [_local(wednesday, 19, 30), _local(wednesday, 5, 30), _local(wednesday, 23)]
    counted.append(_local(dt.date(2026, 6, 13), 12))  # a Saturday noon
    daytime = [_local(wednesday, 6, 30), _local(wednesday, 12), _local(wednesday, 17, 59)]
    for when in counted + daytime:
        put(when, east=20)
    assert evaluate(camera).counts.target == (0, 7)
    assert evaluate(camera, hours=Hours.EVENINGS_WEEKENDS).counts.target == (0, 4)


def _is_evening_or_weekend(when: dt.datetime) -> bool:
    return when.hour >= 18 or when.hour < 6 or when.isoweekday() >= 6


def test_the_evening_figures_are_the_pure_functions_on_the_evening_counts(camera, put):
    """Events every 7 hours cover every hour and weekday; the evening counts are checked
    against Python's own clock and the RES interval against scipy."""
    placed = []
    for start, step_hours, east in (
        (STARTED - dt.timedelta(weeks=26), 29, 20),  # target before: many
        (DONE, 61, 20),  # target after: fewer
        (STARTED - dt.timedelta(weeks=26), 37, 600),  # control before
        (DONE, 37, 600),  # control after
    ):
        when, end = _local(start, 0, 30), _local(start + dt.timedelta(weeks=26), 0)
        while when < end:
            put(when, east=east)
            placed.append((east, when >= _local(DONE, 0), _is_evening_or_weekend(when)))
            when += dt.timedelta(hours=step_hours)
    result = evaluate(camera, hours=Hours.EVENINGS_WEEKENDS)

    def expected(east, after):
        return sum(1 for e, a, evening in placed if (e, a, evening) == (east, after, True))

    a, b = result.counts.target
    c, d = result.counts.control
    assert (a, b, c, d) == (
        expected(20, False),
        expected(20, True),
        expected(600, False),
        expected(600, True),
    )
    assert result.hours == Hours.EVENINGS_WEEKENDS
    assert result.res == relative_effect_size(a, b, c, d)
    assert result.wdd == wdd_with_scaled_control(a, b, 0, 0, c, d)
    assert result.verdict == verdict(res=result.res, wdd=result.wdd, its=result.its)
    log_se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    z = stats.norm.ppf(0.975)
    assert result.res.ci_low == pytest.approx(a * d / (b * c) * math.exp(-z * log_se))
    assert result.res.ci_high == pytest.approx(a * d / (b * c) * math.exp(z * log_se))
    assert evaluate(camera).counts.target[0] > a  # all hours hold the daytime events too


def test_the_page_of_a_physical_measure_shows_both_comparisons(client, camera, put):
    put(_local(dt.date(2026, 6, 10), 20), east=10)
    client.force_login(camera.created_by)
    page = client.get(reverse("measures:evaluation", args=[camera.pk])).content.decode()
    assert "Kvällar (18–06) och helger" in page and "Alla tider" in page
    assert f"inom {camera.target_radius_m} meter från Rudsskolan, skolgården" in page


def test_the_page_of_another_measure_has_no_evening_comparison(
    client, coordinator, kommunen, skolgarden, category, put
):
    measure = _camera(coordinator, kommunen, place=skolgarden, category=category)
    measure.kind = MeasureKind.OTHER
    measure.save(update_fields=["kind"])
    client.force_login(coordinator)
    page = client.get(reverse("measures:evaluation", args=[measure.pk])).content.decode()
    assert "Vad som jämförs" in page and "Kvällar (18–06) och helger" not in page
