"""A later walk on the same route, compared with the earlier one: stops, scores, findings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trygg.events.models import Category, Event
from trygg.organisations.ownership import Visibility
from trygg.places.geo import to_sweref
from trygg.places.tests.factories import make_place
from trygg.walks.compare import comparison_data, judge
from trygg.walks.models import WalkStop
from trygg.walks.tests.factories import (
    STOP_POSITIONS,
    answer,
    capture,
    earlier_walk,
    item,
    make_walk,
    measure_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

(LAT1, LON1, _N1), (LAT2, LON2, _N2) = STOP_POSITIONS
NEAR = 0.0002  # about 22 m of latitude


@pytest.fixture
def later(kommunen, centrum):
    return make_walk(kommunen, title="Trygghetsvandring i centrum, hösten")


@pytest.fixture
def earlier(later):
    return earlier_walk(later)


def then_capture(walk, user, **fields):
    """A finding on the earlier walk, captured during that walk."""
    fields.setdefault("captured_at", walk.walk_at + dt.timedelta(minutes=15))
    return capture(walk, user, **fields)


def klotter():
    return Category.objects.get(code="skadegorelse.klotter")


def test_stops_pair_by_place_then_by_number_and_name_then_by_distance(later, earlier, karlstad):
    torget = make_place(karlstad, "Stora torget", lat=LAT1, lon=LON1)
    WalkStop.objects.filter(order=1).update(place=torget)
    # The earlier walk's second stop had another name, 40 m off: paired as the nearest.
    x, y = to_sweref(LON2, LAT2 + 0.00036)
    earlier.stops.filter(order=2).update(name="Järnvägsgatan norra", lat=LAT2 + 0.00036, x=x, y=y)
    x, y = to_sweref(13.4988, 59.3780)
    WalkStop.objects.create(
        walk=earlier, order=3, name="Resecentrum", lat=59.3780, lon=13.4988, x=x, y=y
    )

    stops = comparison_data(later)["stops"]

    assert [(s["match"], s["now"] and s["now"]["order"]) for s in stops] == [
        ("place", 1),
        ("distance", 2),
        ("", None),
    ]
    assert 35 <= stops[1]["distance_m"] <= 45
    assert stops[2]["then"]["name"] == "Resecentrum"  # only then


def test_scores_then_and_now_carry_their_counts_and_few_scores_are_not_judged(
    later, earlier, coordinator
):
    then_capture(earlier, coordinator, scores={item(earlier, "lighting"): 1})
    capture(later, coordinator, scores={item(later, "lighting"): 3})

    data = comparison_data(later)
    lighting = next(r for r in data["total"]["items"] if r["code"] == "lighting")
    assert lighting["then"] == {"mean": 1.0, "n": 1}
    assert lighting["now"] == {"mean": 3.0, "n": 1}
    assert lighting["change"] == 2.0
    # Two points better on one score each: honest about it.
    assert lighting["verdict"] == "too_few"
    assert "för få poäng" in lighting["verdict_label"]
    first_stop = data["stops"][0]
    assert first_stop["total"]["then"]["n"] == 1 and first_stop["items"][0]["code"] == "lighting"


def test_a_clear_change_over_enough_scores_is_called_better():
    assert judge([0, 0, 1, 0, 1], [3, 3, 2, 3, 3])[0] == "better"
    assert judge([3, 3, 2, 3, 3], [0, 0, 1, 0, 1])[0] == "worse"
    # Three scores a side cannot tell anything apart at the 5 % level.
    assert judge([0, 0, 0], [3, 3, 3])[0] == "unclear"
    assert judge([2, 2, 2], [2, 2, 2])[0] == "unclear"


def test_findings_are_fixed_still_open_or_new(later, earlier, coordinator, bostadsbolaget):
    fixed = then_capture(earlier, coordinator, note="Lampan vid trappan är trasig")
    answer(fixed, bostadsbolaget, measure=measure_for(fixed, bostadsbolaget, status="done"))
    unanswered = then_capture(earlier, coordinator, lat=LAT2, lon=LON2, category=klotter())
    refused = then_capture(earlier, coordinator, lat=LAT2 + NEAR, lon=LON2 + 0.002)
    answer(refused, bostadsbolaget, "will_not", text="Belysningen räcker enligt norm")
    # Klotter again 20 m from the earlier klotter; lighting far from any lighting before.
    again = capture(later, coordinator, lat=LAT2 + NEAR, lon=LON2, category=klotter())
    new = capture(later, coordinator, lat=LAT1 - 0.002, lon=LON1)

    data = comparison_data(later)
    numbers = {
        k: [(r["number"], r["reason"]) for r in rows] for k, rows in data["findings"].items()
    }

    assert numbers["fixed"] == [(fixed.number, "measure_done")]
    assert numbers["still_open"] == [
        (unanswered.number, "found_again"),
        (refused.number, "will_not_act"),
    ]
    assert numbers["new"] == [(new.number, "new")]
    assert data["findings"]["still_open"][0]["again"] == [again.number]
    assert data["counts"] == {"fixed": 1, "still_open": 2, "new": 1}


def test_a_problem_found_again_is_still_open_even_if_its_measure_was_done(
    later, earlier, coordinator, bostadsbolaget
):
    old = then_capture(earlier, coordinator)
    answer(old, bostadsbolaget, measure=measure_for(old, bostadsbolaget, status="done"))
    capture(later, coordinator, lat=LAT1 + NEAR)

    (row,) = comparison_data(later)["findings"]["still_open"]
    assert row["reason"] == "found_again"
    assert row["measures"][0]["status"] == "done"


def test_an_open_measure_and_an_unanswered_finding_are_still_open(
    later, earlier, coordinator, bostadsbolaget
):
    planned = then_capture(earlier, coordinator)
    answer(planned, bostadsbolaget, "planned", measure=measure_for(planned, bostadsbolaget))
    then_capture(earlier, coordinator, lat=LAT2, lon=LON2)

    reasons = [r["reason"] for r in comparison_data(later)["findings"]["still_open"]]
    assert reasons == ["measure_open", "no_answer"]


def test_a_walk_without_an_earlier_one_has_nothing_to_compare(later):
    assert comparison_data(later) == {}


def test_the_comparison_page_shows_the_classes_to_a_partner(
    client, later, earlier, coordinator, police_officer
):
    then_capture(earlier, coordinator, note="Mörkt under bron")
    client.force_login(police_officer)

    response = client.get(reverse("walks:compare", args=[later.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Kvarstår" in page and "Mörkt under bron" in page
    assert "för få poäng" in page


def test_a_finding_whose_event_the_reader_may_not_see_is_left_out(
    client, later, earlier, coordinator, police_officer
):
    hidden = then_capture(earlier, coordinator, note="Bara för kommunen")
    Event.objects.filter(pk=hidden.event_id).update(visibility=Visibility.ORGANISATION)
    client.force_login(police_officer)

    response = client.get(reverse("walks:compare", args=[later.pk]))

    assert "Bara för kommunen" not in response.content.decode()
    assert comparison_data(later, user=police_officer)["counts"]["still_open"] == 0
    assert comparison_data(later, user=coordinator)["counts"]["still_open"] == 1


def test_another_municipality_and_a_walk_without_a_previous_get_404(
    client, later, kommunen, coordinator, other_municipality_user
):
    client.force_login(coordinator)
    assert client.get(reverse("walks:compare", args=[later.pk])).status_code == 404
    earlier_walk(later)
    client.force_login(other_municipality_user)
    assert client.get(reverse("walks:compare", args=[later.pk])).status_code == 404
