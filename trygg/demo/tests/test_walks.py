"""The demo's two trygghetsvandringar in Kronoparken: half a year apart, answered, compared."""

from __future__ import annotations

import pytest
from django.utils import timezone
from PIL import Image

from trygg.demo import loader, walk_photos, world
from trygg.demo import measures as demo_measures
from trygg.demo.walks import AUTUMN_TITLE, ROUTE, SPRING_TITLE, load_walks
from trygg.events.models import Event, Source
from trygg.measures.models import Measure, MeasureEntry, Status
from trygg.organisations.models import Organisation
from trygg.walks.actions.answers import findings_to_answer
from trygg.walks.compare import comparison_data
from trygg.walks.models import Answer, Finding, FindingPhoto, Walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture
def karlstad(settings, tmp_path):
    """What the walks stand on: districts, organisations, personas, places and rules."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    municipality = loader.karlstad()
    loader.load_districts(municipality)
    organisations = loader.load_organisations()
    loader.load_personas(organisations)
    loader.load_places(municipality, organisations)
    demo_measures.load_rules(municipality, organisations)
    return municipality


@pytest.fixture
def walks(karlstad):
    load_walks(karlstad, timezone.localdate())
    return Walk.objects.get(title=SPRING_TITLE), Walk.objects.get(title=AUTUMN_TITLE)


def test_two_walks_on_the_same_route_half_a_year_apart_the_later_in_the_dark(walks):
    spring, autumn = walks

    assert autumn.previous == spring
    assert (spring.light, autumn.light) == (Walk.Light.DAY, Walk.Light.DARK)
    assert 170 <= (autumn.walk_at - spring.walk_at).days <= 200
    assert spring.area.name == autumn.area.name == "Kronoparken"
    for walk in walks:
        stops = walk.stops.select_related("place").order_by("order")
        assert [s.place.external_id for s in stops] == [f"demo-plats:{slug}" for slug in ROUTE]
        assert [s.name for s in stops][0] == "Kronoparken centrum"
        assert len(walk.route["coordinates"]) == len(ROUTE)


def test_findings_are_walk_events_from_several_phones_with_scores_and_photos(walks):
    spring, autumn = walks
    findings = Finding.objects.filter(walk__in=walks)

    assert findings.filter(walk=spring).count() == 7 and findings.filter(walk=autumn).count() == 6
    events = Event.objects.filter(walk_finding__in=findings)
    assert set(events.values_list("source", flat=True)) == {Source.WALK}
    assert set(events.values_list("area__name", flat=True)) == {"Kronoparken"}
    assert set(events.values_list("organisation__code", flat=True)) == {
        world.KOMMUNLEDNING,
        world.KBAB,
        world.POLISEN,
    }
    assert all(f.scores.exists() for f in findings)
    assert not findings.filter(responsible__isnull=True).exclude(walk=autumn, number=1).exists()
    photo = FindingPhoto.objects.filter(finding__walk=spring).first()
    with Image.open(photo.image) as image:
        assert image.format == "JPEG" and image.size == walk_photos.SIZE


def test_the_spring_walk_is_published_with_its_photos_approved_and_the_autumn_one_is_not(walks):
    spring, autumn = walks
    assert spring.published_at is not None and autumn.published_at is None
    reviews = set(
        FindingPhoto.objects.filter(finding__walk=spring).values_list("review", flat=True)
    )
    assert reviews == {FindingPhoto.Review.APPROVED}
    assert not FindingPhoto.objects.filter(
        finding__walk=autumn, review=FindingPhoto.Review.APPROVED
    ).exists()


def test_the_managers_answered_and_measures_followed_through_the_actions(walks):
    spring, _autumn = walks
    answers = Answer.objects.filter(finding__walk=spring)

    assert set(answers.values_list("kind", flat=True)) == {
        "will_act",
        "planned",
        "will_not",
        "not_ours",
    }
    assert not answers.filter(kind="will_not", text="").exists()
    measures = Measure.objects.filter(walk_answers__in=answers)
    assert sorted(measures.values_list("status", flat=True)) == [
        Status.DONE,
        Status.DONE,
        Status.DONE,
        Status.IN_PROGRESS,
    ]
    assert all(m.done_on < _autumn.walk_at.date() for m in measures.filter(status=Status.DONE))
    # Made through the actions: each has its timeline and the finding's event.
    for measure in measures:
        assert MeasureEntry.objects.filter(measure=measure).exists()
        assert measure.events.filter(walk_finding__walk=spring).exists()


def test_the_autumn_walk_compares_fixed_still_open_and_new(walks):
    _spring, autumn = walks
    data = comparison_data(autumn)

    assert data["counts"] == {"fixed": 2, "still_open": 5, "new": 4}
    reasons = sorted(row["reason"] for row in data["findings"]["still_open"])
    assert reasons == ["found_again", "found_again", "measure_open", "no_answer", "not_ours"]
    assert all(stop["match"] == "place" for stop in data["stops"])
    lighting = next(r for r in data["total"]["items"] if r["code"] == "lighting")
    assert lighting["now"]["mean"] > lighting["then"]["mean"]


def test_loading_again_adds_nothing(karlstad, walks):
    def counts():
        return [
            model.objects.count()
            for model in (Walk, Finding, Event, Answer, Measure, FindingPhoto, MeasureEntry)
        ]

    before = counts()
    again = load_walks(karlstad, timezone.localdate())
    assert counts() == before
    assert (again.created, again.updated) == (0, 2)


def test_the_photos_are_drawn_the_same_from_the_same_seed():
    for scene in walk_photos.SCENES:
        first = walk_photos.photo(scene, seed=7, dark=True).read()
        assert first == walk_photos.photo(scene, seed=7, dark=True).read()
        assert first[:2] == b"\xff\xd8"


def test_both_protocols_are_kept_and_the_autumn_findings_wait_for_the_managers_answers(walks):
    spring, autumn = walks
    kept = spring.protocols.get()
    assert kept.number == 1 and kept.data["findings"] and kept.data["comparison"] is None
    assert autumn.protocols.get().data["comparison"]["previous"]["id"] == spring.pk
    # A manager logging in to the demo finds autumn findings of its own to answer.
    waiting = [
        finding
        for organisation in Organisation.objects.filter(walk_findings__walk=autumn).distinct()
        for finding in findings_to_answer(autumn, organisation)
    ]
    assert waiting and not Answer.objects.filter(finding__walk=autumn).exists()
