import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trygg.events.models import Category, Visibility
from trygg.measures.actions.measures import create_measure, set_measure_status
from trygg.measures.models import Status
from trygg.promises.actions.follow_ups import open_follow_up, publish_follow_up, record_status
from trygg.promises.actions.promises import adopt
from trygg.promises.models import CommitmentState, FollowUp
from trygg.promises.progress import follow_up_periods, target_progress
from trygg.promises.tests.factories import commit, make_agreement, make_promise

pytestmark = pytest.mark.django_db

T3_2023 = (dt.date(2023, 9, 1), dt.date(2023, 12, 31))


@pytest.fixture
def promise(karlstad, kommunen, polisen, coordinator):
    agreement = make_agreement(karlstad, kommunen, polisen, coordinator)
    return make_promise(agreement, coordinator)


def _adopted(promise, coordinator):
    adopt(promise, adopted_on=dt.date(2023, 6, 20), adopted_by="KS", acting_user=coordinator)


def test_the_tertials_of_a_promise_start_with_its_first_day_and_end_with_its_last(promise):
    periods = follow_up_periods(promise)
    assert periods[0] == (dt.date(2023, 7, 1), dt.date(2023, 8, 31))
    assert periods[1] == T3_2023
    assert periods[-1] == (dt.date(2027, 5, 1), dt.date(2027, 6, 30))
    assert len(periods) == 2 + 3 + 3 + 3 + 2


def test_a_follow_up_outside_the_promise_or_off_the_interval_is_refused(
    promise, polisen, coordinator
):
    commit(promise, polisen, coordinator)
    _adopted(promise, coordinator)
    with pytest.raises(ValidationError) as error:
        open_follow_up(
            promise,
            first_day=dt.date(2027, 9, 1),
            last_day=dt.date(2027, 12, 31),
            acting_user=coordinator,
        )
    assert "utanför löftets period" in error.value.message_dict["first_day"][0]
    with pytest.raises(ValidationError) as error:
        open_follow_up(
            promise,
            first_day=dt.date(2023, 9, 1),
            last_day=dt.date(2023, 10, 31),
            acting_user=coordinator,
        )
    assert "tertial" in error.value.message_dict["first_day"][0]
    assert not FollowUp.objects.exists()


def test_a_promise_not_yet_adopted_has_nothing_to_follow_up(promise, coordinator):
    with pytest.raises(ValidationError):
        open_follow_up(promise, first_day=T3_2023[0], last_day=T3_2023[1], acting_user=coordinator)


def test_a_computed_indicator_is_counted_and_kept_with_the_status(
    karlstad, promise, polisen, coordinator
):
    commitment = commit(
        promise,
        polisen,
        coordinator,
        indicator_kind="measures_done",
        target_value=Decimal(1),
        target_comparison="at_least",
        target_per="month",
    )
    _adopted(promise, coordinator)
    for day in (dt.date(2023, 9, 15), dt.date(2023, 10, 3), dt.date(2023, 10, 20)):
        measure = create_measure(
            karlstad,
            acting_user=coordinator,
            title="Krogkontroll",
            status=Status.AGREED,
            responsible=polisen,
        )
        set_measure_status(measure, Status.DONE, acting_user=coordinator, today=day)
    follow_up = open_follow_up(
        promise, first_day=T3_2023[0], last_day=T3_2023[1], acting_user=coordinator
    )
    status = record_status(
        follow_up, commitment, state=CommitmentState.BEHIND, acting_user=coordinator
    )
    assert status.value == 3
    assert status.computed["target"]["months_met"] == [2, 4]  # September and October, not Nov–Dec
    assert status.computed["target"]["suggested"] == CommitmentState.BEHIND
    with pytest.raises(ValidationError) as error:
        record_status(
            follow_up, commitment, state="on_plan", value=Decimal(9), acting_user=coordinator
        )
    assert "value" in error.value.message_dict


def test_fewer_events_than_the_baseline_is_said_only_when_the_counts_can_show_it(
    karlstad, centrum, promise, polisen, coordinator, make_event
):
    violence = Category.objects.get(code="ordning.vald")
    commitment = commit(
        promise,
        polisen,
        coordinator,
        indicator_kind="events",
        indicator_category=violence,
        indicator_area=centrum,
        target_comparison="fewer",
        baseline_start=dt.date(2022, 9, 1),
        baseline_end=dt.date(2022, 12, 31),
    )
    _adopted(promise, coordinator)
    for i in range(40):
        make_event(
            polisen,
            category=violence,
            occurred_from=dt.datetime(2022, 10, 1, 22, tzinfo=dt.UTC) + dt.timedelta(days=i % 60),
            area=centrum,
            lat=59.38,
            lon=13.50,
        )
    for i in range(12):
        make_event(
            polisen,
            category=violence,
            occurred_from=dt.datetime(2023, 10, 1, 22, tzinfo=dt.UTC) + dt.timedelta(days=i),
            area=centrum,
            lat=59.38,
            lon=13.50,
        )
    # An event kept to the police alone does not count in a public indicator.
    make_event(
        polisen,
        Visibility.ORGANISATION,
        category=violence,
        occurred_from=dt.datetime(2023, 10, 5, tzinfo=dt.UTC),
        lat=59.38,
        lon=13.50,
    )
    progress = target_progress(commitment, *T3_2023)
    assert progress is not None
    assert (progress.value, progress.verdict) == (12, "fewer")
    assert progress.suggested == CommitmentState.ON_PLAN


def test_a_follow_up_is_published_only_complete_with_next_steps_and_then_stays_as_published(
    promise, polisen, kommunen, coordinator, housing_reporter, police_officer
):
    first = commit(promise, polisen, coordinator)
    second = commit(
        promise,
        kommunen,
        coordinator,
        text="Tillsyn",
        column="municipality",
        indicator_kind="entered",
        indicator_source="Tillståndsenhetens register",
    )
    _adopted(promise, coordinator)
    follow_up = open_follow_up(
        promise, first_day=T3_2023[0], last_day=T3_2023[1], acting_user=coordinator
    )
    with pytest.raises(PermissionDenied):
        record_status(follow_up, first, state="on_plan", acting_user=housing_reporter)
    record_status(follow_up, first, state="on_plan", acting_user=police_officer)
    with pytest.raises(ValidationError) as error:
        publish_follow_up(
            follow_up,
            summary="",
            next_steps="Fler kontroller",
            published_on=dt.date(2024, 1, 15),
            acting_user=coordinator,
        )
    assert "1 åtaganden saknar status" in error.value.message_dict["statuses"][0]
    with pytest.raises(ValidationError) as error:
        record_status(
            follow_up, second, state="on_plan", value=Decimal(14), acting_user=coordinator
        )
    assert "value_source" in error.value.message_dict
    with pytest.raises(ValidationError):
        record_status(follow_up, second, state="dropped", acting_user=coordinator)
    record_status(
        follow_up,
        second,
        state="on_plan",
        value=Decimal(14),
        value_source="Tillståndsenheten",
        acting_user=coordinator,
    )
    with pytest.raises(ValidationError) as error:
        publish_follow_up(
            follow_up,
            summary="",
            next_steps="",
            published_on=dt.date(2024, 1, 15),
            acting_user=coordinator,
        )
    assert set(error.value.message_dict) == {"next_steps"}
    publish_follow_up(
        follow_up,
        summary="Arbetet går enligt plan.",
        next_steps="Fler kontroller i vår.",
        published_on=dt.date(2024, 1, 15),
        acting_user=coordinator,
    )
    with pytest.raises(ValidationError):
        record_status(follow_up, first, state="behind", acting_user=coordinator)


@pytest.mark.frozen
def test_a_follow_up_is_not_published_under_a_day_that_has_not_come(promise, polisen, coordinator):
    from trygg.core.tests.clock import TODAY

    first = commit(promise, polisen, coordinator)
    _adopted(promise, coordinator)
    follow_up = open_follow_up(
        promise, first_day=T3_2023[0], last_day=T3_2023[1], acting_user=coordinator
    )
    record_status(follow_up, first, state="on_plan", acting_user=coordinator)
    with pytest.raises(ValidationError) as error:
        publish_follow_up(
            follow_up,
            summary="",
            next_steps="Fler kontroller.",
            published_on=TODAY + dt.timedelta(days=1),
            acting_user=coordinator,
        )
    assert error.value.message_dict["published_on"] == [
        "Publiceringsdagen kan inte ligga efter i dag."
    ]
    follow_up.refresh_from_db()
    assert follow_up.published_on is None
    publish_follow_up(follow_up, summary="", next_steps="Fler kontroller.", acting_user=coordinator)
    assert follow_up.published_on == TODAY
