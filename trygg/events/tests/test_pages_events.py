"""The event list and detail pages: who sees what, filters, and the shared layout."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from trygg.core.audit import record_created
from trygg.events.models import Category, Source, Visibility

# The list shows the last 30 days by default, counted from today.
pytestmark = pytest.mark.frozen

LIST = "/handelser/"
MAP = "/handelser/karta/"


def listed_ids(response) -> set[int]:
    return {event.pk for event in response.context["page"].object_list}


@pytest.fixture
def police_internal(make_event, polisen):
    return make_event(polisen, visibility=Visibility.ORGANISATION, source=Source.POLICE)


def test_the_list_shows_a_partner_event_to_a_karlstad_coordinator_but_not_to_karlskoga(
    client, coordinator, other_municipality_user, make_event, bostadsbolaget
):
    event = make_event(bostadsbolaget, visibility=Visibility.PARTNERS)

    client.force_login(coordinator)
    assert event.pk in listed_ids(client.get(LIST))

    client.force_login(other_municipality_user)
    response = client.get(LIST)
    assert response.status_code == 200
    assert event.pk not in listed_ids(response)


def test_a_housing_reporter_does_not_see_police_internal_events_in_the_list(
    client, housing_reporter, police_internal, make_event, bostadsbolaget
):
    own = make_event(bostadsbolaget)
    client.force_login(housing_reporter)

    ids = listed_ids(client.get(LIST))

    assert own.pk in ids
    assert police_internal.pk not in ids


def test_a_housing_reporter_gets_404_on_a_police_internal_event(
    client, housing_reporter, police_internal
):
    client.force_login(housing_reporter)

    response = client.get(reverse("events:detail", args=[police_internal.pk]))

    assert response.status_code == 404
    assert "Sidan hittades inte" in response.content.decode()


def test_the_police_officer_sees_their_own_internal_event(client, police_officer, police_internal):
    client.force_login(police_officer)

    assert police_internal.pk in listed_ids(client.get(LIST))
    assert client.get(reverse("events:detail", args=[police_internal.pk])).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/handelser/",
        "/handelser/karta/",
        "/handelser/karta/data.json",
        "/handelser/karta/omraden.geojson",
        "/handelser/rapportera/",
        "/handelser/platser-nara.json?lat=59.38&lon=13.5",
        "/handelser/1/",
        "/handelser/1/foto/",
    ],
)
def test_anonymous_users_are_redirected_to_login(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_generated_demo_events_carry_the_generated_marker_in_the_list(
    client, coordinator, make_event, kommunen
):
    make_event(kommunen, source=Source.DEMO)
    client.force_login(coordinator)

    page = client.get(LIST).content.decode()

    assert "Genererad (demo)" in page


def test_real_events_carry_no_generated_marker(client, coordinator, make_event, kommunen):
    make_event(kommunen, source=Source.PARTNER)
    client.force_login(coordinator)

    assert "Genererad (demo)" not in client.get(LIST).content.decode()


def test_the_list_shows_the_last_30_days_by_default(client, coordinator, make_event, kommunen):
    recent = make_event(kommunen, occurred_from=timezone.now() - dt.timedelta(days=3))
    old = make_event(kommunen, occurred_from=timezone.now() - dt.timedelta(days=45))
    client.force_login(coordinator)

    response = client.get(LIST)

    assert listed_ids(response) == {recent.pk}
    start = timezone.localdate() - dt.timedelta(days=29)
    assert response.context["form"]["fran"].value() == start.isoformat()
    assert old.pk in listed_ids(
        client.get(LIST, {"fran": (timezone.localdate() - dt.timedelta(days=60)).isoformat()})
    )


def test_a_category_filter_includes_its_subcategories(client, coordinator, make_event, kommunen):
    graffiti = make_event(kommunen, category=Category.objects.get(code="skadegorelse.klotter"))
    fire = make_event(kommunen, category=Category.objects.get(code="skadegorelse.brand"))
    lighting = make_event(kommunen, category=Category.objects.get(code="otrygg_plats.belysning"))
    vandalism = Category.objects.get(code="skadegorelse")
    client.force_login(coordinator)

    ids = listed_ids(client.get(LIST, {"kategori": vandalism.pk}))

    assert ids == {graffiti.pk, fire.pk}
    assert lighting.pk not in ids


def test_the_source_and_area_filters_narrow_the_list(
    client, coordinator, make_event, kommunen, centrum, kronoparken
):
    in_centre = make_event(kommunen, area=centrum, source=Source.WALK)
    elsewhere = make_event(kommunen, area=kronoparken, source=Source.WALK)
    partner = make_event(kommunen, area=centrum, source=Source.PARTNER)
    client.force_login(coordinator)

    assert listed_ids(client.get(LIST, {"kalla": "walk"})) == {in_centre.pk, elsewhere.pk}
    assert listed_ids(client.get(LIST, {"omrade": centrum.pk})) == {in_centre.pk, partner.pk}


def test_the_area_filter_offers_only_the_users_municipalities(
    client, other_municipality_user, centrum
):
    client.force_login(other_municipality_user)

    choices = dict(client.get(LIST).context["form"].fields["omrade"].choices)

    assert centrum.pk not in choices


def test_invalid_filters_are_reported_in_swedish_and_the_defaults_used(
    client, coordinator, make_event, kommunen
):
    event = make_event(kommunen)
    client.force_login(coordinator)

    response = client.get(LIST, {"fran": "2025-05-10", "till": "2025-05-01", "kalla": "nonsense"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Slutdatumet är före startdatumet." in page
    assert "Några filter var ogiltiga" in page
    # The valid "from" date still applies; the wrong "to" date falls back to today.
    assert response.context["filters"].start_date == dt.date(2025, 5, 10)
    assert response.context["filters"].end_date == timezone.localdate()
    assert response.context["filters"].source is None
    assert event.pk in listed_ids(response)


def test_the_list_pages_by_50_and_keeps_the_filters_in_the_links(
    client, coordinator, make_event, kommunen
):
    for _ in range(51):
        make_event(kommunen, source=Source.WALK)
    client.force_login(coordinator)

    first = client.get(LIST, {"kalla": "walk"})
    second = client.get(LIST, {"kalla": "walk", "sida": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1
    assert "51 händelser" in first.content.decode()
    assert "kalla=walk&amp;sida=2" in first.content.decode()


def test_the_list_costs_the_same_number_of_queries_for_many_rows(
    client, coordinator, make_event, kommunen, centrum, django_assert_max_num_queries
):
    make_event(kommunen, area=centrum)
    client.force_login(coordinator)
    with django_assert_max_num_queries(50) as few:
        client.get(LIST)
    for _ in range(20):
        make_event(kommunen, area=centrum)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


def test_the_layout_has_a_skip_link_landmarks_and_a_post_logout(client, coordinator):
    client.force_login(coordinator)

    page = client.get(LIST).content.decode()

    assert '<html lang="sv">' in page
    assert 'href="#main"' in page and '<main id="main"' in page
    assert 'aria-current="page"' in page
    assert f'action="{reverse("logout")}" method="post"' in page
    assert f'action="{reverse("set_language")}" method="post"' in page
    assert "Karlstads kommun, kommunledningsförvaltningen" in page
    assert reverse("admin:index") not in page


def test_staff_see_the_admin_link(client, coordinator):
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)

    assert reverse("admin:index") in client.get(LIST).content.decode()


def test_the_report_link_is_shown_only_to_those_who_may_report(client, coordinator, analyst):
    client.force_login(coordinator)
    assert reverse("events:report") in client.get(LIST).content.decode()

    client.force_login(analyst)
    assert reverse("events:report") not in client.get(LIST).content.decode()


def test_the_login_page_is_in_swedish(client, db):
    page = client.get(reverse("login")).content.decode()

    assert "Logga in i Trygg" in page
    assert "Användarnamn" in page


def test_the_detail_page_shows_the_event_and_hides_history_from_reporters(
    client, coordinator, housing_reporter, make_event, bostadsbolaget
):
    event = make_event(bostadsbolaget, description="Klotter på gaveln")
    record_created(housing_reporter, event, ["category_id", "visibility"])
    url = reverse("events:detail", args=[event.pk])

    client.force_login(housing_reporter)
    page = client.get(url).content.decode()
    assert "Klotter på gaveln" in page
    assert "Historik" not in page

    client.force_login(coordinator)
    response = client.get(url)
    assert len(response.context["history"]) == 1
    assert "Historik" in response.content.decode()
    assert "bovard" in response.content.decode()


def test_an_event_without_a_photo_has_no_photo_address(client, coordinator, make_event, kommunen):
    event = make_event(kommunen)
    client.force_login(coordinator)

    assert client.get(reverse("events:photo", args=[event.pk])).status_code == 404


def test_a_user_without_memberships_sees_only_public_events(client, make_event, kommunen):
    public = make_event(kommunen, visibility=Visibility.PUBLIC)
    partners = make_event(kommunen, visibility=Visibility.PARTNERS)
    user = get_user_model().objects.create_user("utan-org", password="x-lösenord-123")
    client.force_login(user)

    ids = listed_ids(client.get(LIST))

    assert public.pk in ids
    assert partners.pk not in ids


@pytest.fixture
def two_municipalities(coordinator, karlskoga_kommun):
    """The Karlstad coordinator, a member in Karlskoga too (a partner in two municipalities)."""
    from trygg.organisations.models import Membership

    Membership.objects.create(
        user=coordinator, organisation=karlskoga_kommun, role=Membership.Role.REPORTER
    )
    return coordinator


def test_the_list_narrows_to_one_of_the_users_municipalities(
    client, two_municipalities, make_event, bostadsbolaget, karlskoga_kommun, karlskoga, centrum
):
    in_karlstad = make_event(bostadsbolaget)
    in_karlskoga = make_event(karlskoga_kommun, lat=59.33, lon=14.52)
    client.force_login(two_municipalities)

    everything = client.get(LIST)
    assert {in_karlstad.pk, in_karlskoga.pk} <= listed_ids(everything)
    choices = dict(everything.context["form"].fields["kommun"].choices)
    assert choices[karlskoga.pk] == "Karlskoga" and choices[centrum.municipality_id] == "Karlstad"

    one = client.get(LIST, {"kommun": karlskoga.pk})
    assert listed_ids(one) == {in_karlskoga.pk}
    assert "Karlskoga ·" in one.content.decode()  # the filter's summary names it
    # An area of the other municipality is refused with a reason; the municipality still holds.
    mixed = client.get(LIST, {"kommun": karlskoga.pk, "omrade": centrum.pk})
    assert "Området ligger inte i den valda kommunen." in mixed.content.decode()
    assert listed_ids(mixed) == {in_karlskoga.pk}


def test_the_list_and_map_open_on_the_municipality_chosen_in_the_header(
    client, two_municipalities, make_event, bostadsbolaget, karlskoga_kommun, karlskoga
):
    """As the other pages do; "Alla kommuner" (an empty choice in the link) still shows both."""
    in_karlstad = make_event(bostadsbolaget)
    in_karlskoga = make_event(karlskoga_kommun, lat=59.33, lon=14.52)
    client.force_login(two_municipalities)
    client.post(reverse("switch_municipality"), {"kommun": karlskoga.pk, "nasta": LIST})

    chosen = client.get(LIST)
    assert listed_ids(chosen) == {in_karlskoga.pk}
    assert chosen.context["form"]["kommun"].value() == str(karlskoga.pk)
    everything = client.get(LIST, {"kommun": ""})
    assert {in_karlstad.pk, in_karlskoga.pk} <= listed_ids(everything)
    assert f"kommun={karlskoga.pk}" in client.get(MAP).context["map_config"]["dataUrl"]
    assert client.get(MAP).context["total"] == 1


def test_a_municipality_the_user_does_not_work_in_is_no_choice(
    client, coordinator, other_municipality_user, make_event, karlskoga_kommun, karlskoga
):
    """Karlskoga's partner event stays hidden from Karlstad's coordinator whatever the
    address says: the choice is ignored as invalid and visibility decides, as before."""
    hidden = make_event(karlskoga_kommun, lat=59.33, lon=14.52)
    client.force_login(coordinator)
    response = client.get(LIST, {"kommun": karlskoga.pk})
    assert response.status_code == 200
    assert hidden.pk not in listed_ids(response)
    assert karlskoga.pk not in dict(response.context["form"].fields["kommun"].choices)
