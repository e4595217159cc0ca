"""The access rules of the event log, at the query level every page and endpoint uses."""

import pytest

from trygg.events.models import Event, Visibility


def visible(user) -> set[int]:
    return set(Event.objects.visible_to(user).values_list("pk", flat=True))


@pytest.fixture
def events(make_event, kommunen, polisen, bostadsbolaget, karlskoga_kommun):
    return {
        "public": make_event(kommunen, Visibility.PUBLIC),
        "partners": make_event(bostadsbolaget, Visibility.PARTNERS),
        "kbab_own": make_event(bostadsbolaget, Visibility.ORGANISATION),
        "police_internal": make_event(polisen, Visibility.ORGANISATION),
        "police_partners": make_event(polisen, Visibility.PARTNERS),
        "karlskoga_partners": make_event(
            karlskoga_kommun, Visibility.PARTNERS, lat=59.327, lon=14.524
        ),
    }


def ids(events, *names) -> set[int]:
    return {events[name].pk for name in names}


def test_police_internal_events_never_leave_the_police(
    events, coordinator, housing_reporter, analyst, other_municipality_user, police_officer
):
    internal = events["police_internal"].pk
    for outsider in (coordinator, housing_reporter, analyst, other_municipality_user):
        assert internal not in visible(outsider)
    assert internal in visible(police_officer)


def test_a_reporter_sees_public_partner_and_own_events_in_their_municipality(
    events, housing_reporter
):
    assert visible(housing_reporter) == ids(
        events, "public", "partners", "kbab_own", "police_partners"
    )


def test_the_coordinator_does_not_see_another_organisations_own_events(events, coordinator):
    assert visible(coordinator) == ids(events, "public", "partners", "police_partners")


def test_someone_from_another_municipality_sees_public_events_and_their_own_partners(
    events, other_municipality_user
):
    assert visible(other_municipality_user) == ids(events, "public", "karlskoga_partners")


def test_a_person_without_an_account_sees_only_public_events(events, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == ids(events, "public")


def test_a_user_without_memberships_sees_only_public_events(events, django_user_model):
    loner = django_user_model.objects.create_user("ensam", password="x-lösenord-1")
    assert visible(loner) == ids(events, "public")


def test_an_organisation_sees_what_it_reported_outside_its_own_municipality(
    make_event, bostadsbolaget, karlskoga, housing_reporter, coordinator, other_municipality_user
):
    in_karlskoga = make_event(
        bostadsbolaget, Visibility.PARTNERS, lat=59.327, lon=14.524, municipality=karlskoga
    )
    assert in_karlskoga.pk in visible(housing_reporter)
    # Partner visibility follows the place: Karlskoga's partners see it, Karlstad's do not.
    assert in_karlskoga.pk in visible(other_municipality_user)
    assert in_karlskoga.pk not in visible(coordinator)
