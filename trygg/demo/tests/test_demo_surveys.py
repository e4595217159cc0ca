"""The demo's RegSO sub-areas and its safety surveys of 2022 and 2024 (issue 13, point 9)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import time_machine
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from scipy.stats import spearmanr
from shapely.geometry import shape

from trygg.analysis.survey import change
from trygg.core.tests.clock import NOW
from trygg.demo import loader, surveys
from trygg.places.index import locate
from trygg.places.models import Area, Place
from trygg.surveys.estimates import WHOLE, estimate_survey
from trygg.surveys.models import Population, Respondent, ResponseFile, Survey

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

SEED = 1780
DAYS = 60


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Districts, RegSO areas, the world, two months of generated events and the two surveys,
    loaded once for the module and rolled back after it."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        municipality = loader.karlstad()
        loader.load_districts(municipality)
        regso = loader.load_regso(municipality)
        organisations = loader.load_organisations()
        loader.load_personas(organisations)
        loader.load_places(municipality, organisations)
        now = timezone.now()
        today = timezone.localdate(now)
        loader.load_generated(
            municipality,
            organisations,
            seed=SEED,
            start=today - dt.timedelta(days=DAYS),
            end=today + dt.timedelta(days=1),
            now=now,
        )
        counts = surveys.load_surveys(municipality, today, seed=SEED)
        yield municipality, regso, counts
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def figures(loaded):
    return {s.year: estimate_survey(s) for s in Survey.objects.filter(municipality=loaded[0])}


@pytest.fixture
def karlstad(loaded, db):
    return loaded[0]


def shares(survey: Survey, code: str, **where) -> float:
    """The raw share "ganska eller mycket otrygg" among those who answered 1–4."""
    given = [
        r.answers.get(code)
        for r in Respondent.objects.filter(survey=survey, **where).only("answers")
    ]
    counted = [a for a in given if a in {"1", "2", "3", "4"}]
    return sum(a in {"3", "4"} for a in counted) / len(counted)


def test_the_31_regso_areas_are_current_sub_areas_with_their_scb_codes(karlstad, loaded):
    regso = Area.objects.current().filter(municipality=karlstad, kind=Area.Kind.SUB_AREA)
    assert loaded[1].created == 31 and regso.count() == 31
    codes = set(regso.values_list("code", flat=True))
    assert codes == {f"1780R{n:03d}" for n in range(1, 32)}
    assert regso.get(code="1780R017").name == "Orrholmen"
    assert not regso.filter(parent__isnull=False).exists()
    for area in regso:
        lon_min, lat_min, lon_max, lat_max = shape(area.geometry).bounds
        assert lon_min > 13.0 and lon_max < 14.2 and lat_min > 59.0 and lat_max < 59.8


def test_positions_in_town_still_get_their_district_and_places_only_districts(karlstad):
    # Stora torget lies in Tingvallastaden and in the RegSO Tingvallastaden-Haga: the district
    # (loaded first) is what events there are assigned to.
    located = locate([13.5036], [59.3793])
    area = Area.objects.get(pk=int(located.area_id[0]))
    assert area.kind == Area.Kind.DISTRICT
    assert not Place.objects.filter(area__kind=Area.Kind.SUB_AREA).exists()


def test_loading_the_regso_areas_again_changes_nothing(karlstad):
    again = loader.load_regso(karlstad)
    assert (again.created, again.updated) == (0, 0)


def test_two_surveys_over_the_31_sub_areas_with_every_cell_estimable(karlstad, loaded, figures):
    assert loaded[2].created == 2
    assert sorted(figures) == [2022, 2024]
    for year, result in figures.items():
        assert len(result.areas) == 31, year
        assert {fa.area.kind for fa in result.areas} == {Area.Kind.SUB_AREA}
        assert all(fa.sample_size >= surveys.SAMPLE_FLOOR for fa in result.areas)
        assert 2800 <= sum(fa.sample_size for fa in result.areas) <= 3200
        whole = result.figures[WHOLE]["otrygg_kvall"].share
        assert not whole.too_few and whole.low < whole.value < whole.high


def test_the_population_is_one_year_ages_added_up_into_the_survey_age_groups(karlstad):
    survey = Survey.objects.get(municipality=karlstad, year=2022)
    cells = Population.objects.filter(frame_area__survey=survey)
    assert cells.count() == 31 * 2 * 4
    per_area = {}
    for cell in cells:
        per_area[cell.frame_area_id] = per_area.get(cell.frame_area_id, 0) + cell.people
    # A few hundred to a few thousand aged 16–85 in each sub-area.
    assert min(per_area.values()) > 500 and max(per_area.values()) < 6000


def test_the_response_rate_is_near_the_polices_and_lower_among_the_young(karlstad, figures):
    for result in figures.values():
        assert 0.45 <= result.response_rate <= 0.70
    survey = figures[2022].survey
    young = Respondent.objects.filter(survey=survey, age_group="16-24").count()
    old = Respondent.objects.filter(survey=survey, age_group="65-85").count()
    young_people = sum(
        Population.objects.filter(frame_area__survey=survey, age_group="16-24").values_list(
            "people", flat=True
        )
    )
    old_people = sum(
        Population.objects.filter(frame_area__survey=survey, age_group="65-85").values_list(
            "people", flat=True
        )
    )
    assert young / young_people < old / old_people


def test_women_feel_more_unsafe_out_late_than_men(karlstad):
    for survey in Survey.objects.filter(municipality=karlstad):
        assert (
            shares(survey, "otrygg_kvall", sex="kvinna")
            > shares(survey, "otrygg_kvall", sex="man") + 0.05
        )


def test_unsafe_out_late_follows_the_evening_violence_and_disorder_in_the_sub_area(
    karlstad, figures
):
    result = figures[2022]
    items = list(result.survey.questionnaire.items.all())
    pressure = {a.code: a.pressure for a in surveys.sub_areas(karlstad, items, SEED)}
    rows = [
        (pressure[fa.area.code], result.figures[fa.pk]["otrygg_kvall"].share.value)
        for fa in result.areas
        if not result.figures[fa.pk]["otrygg_kvall"].share.too_few
    ]
    rho = spearmanr([r[0] for r in rows], [r[1] for r in rows]).statistic
    assert rho > 0.5
    assert len(set(pressure.values())) > 10  # the events do rank the sub-areas


def test_too_few_answers_in_no_more_than_a_few_sub_areas(figures):
    for result in figures.values():
        for item in result.items:
            if item.kind == "reported":  # only victims answer it: a municipal figure
                continue
            too_few = sum(result.figures[fa.pk][item.code].share.too_few for fa in result.areas)
            assert too_few <= 3, (result.survey.year, item.code)


def test_skipped_answers_and_dont_know_are_there(karlstad):
    survey = Survey.objects.get(municipality=karlstad, year=2024)
    answers = list(Respondent.objects.filter(survey=survey).values_list("answers", flat=True))
    skipped = np.mean([("nedskrapning" not in a) for a in answers])
    assert 0.02 < skipped < 0.10
    assert any(a.get("narkotikaforsaljning") == "9" for a in answers)


def test_2024_has_real_changes_both_ways_and_changes_within_the_noise(figures):
    earlier, later = figures[2022], figures[2024]
    later_by_area = {fa.area_id: fa.pk for fa in later.areas}
    verdicts = []
    for fa in earlier.areas:
        before = earlier.figures[fa.pk]["otrygg_kvall"].share
        after = later.figures[later_by_area[fa.area_id]]["otrygg_kvall"].share
        verdicts.append(change(before, after))
    assert any(v.within_noise for v in verdicts)
    assert any(v.within_noise is False and v.difference < 0 for v in verdicts)
    assert any(v.within_noise is False and v.difference > 0 for v in verdicts)
    worse = next(fa for fa in earlier.areas if fa.area.code in surveys.WORSE_2024)
    assert (
        later.figures[later_by_area[worse.area_id]]["otrygg_kvall"].share.value
        > earlier.figures[worse.pk]["otrygg_kvall"].share.value
    )


def test_loading_again_adds_nothing(karlstad):
    before = (Survey.objects.count(), Respondent.objects.count(), ResponseFile.objects.count())
    again = surveys.load_surveys(karlstad, dt.date(2026, 11, 22), seed=SEED)
    assert (again.created, again.updated) == (0, 2)
    assert (Survey.objects.count(), Respondent.objects.count(), ResponseFile.objects.count()) == (
        before
    )


def test_the_same_seed_draws_the_same_files():
    areas = [
        surveys.SubArea("1780R001", "Alster", 0.2),
        surveys.SubArea("1780R017", "Orrholmen", 0.9),
    ]
    first = surveys.plan(areas, [], seed=7, year=2022)
    second = surveys.plan(areas, [], seed=7, year=2022)
    other = surveys.plan(areas, [], seed=8, year=2022)
    assert first.population == second.population and first.responses == second.responses
    assert first.responses != other.responses
