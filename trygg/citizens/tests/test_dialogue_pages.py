"""The dialogue pages: the list, a new dialogue, the entry grid and quotes, the summary and its
CSV; who reads, who writes, and that refused input writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trygg.citizens.actions import dialogues as actions
from trygg.citizens.actions.dialogues import MentionRow
from trygg.citizens.models import Dialogue, DialogueMention, DialogueQuote, Theme
from trygg.citizens.tests.factories import dialogue as make_dialogue
from trygg.core.tests.clock import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture
def spring(coordinator, karlstad, kommunen, polisen, kronoparken):
    return make_dialogue(
        coordinator,
        karlstad,
        [kommunen, polisen],
        held_on=dt.date(2026, 4, 15),
        area=kronoparken,
        place_name="Rudstorget",
    )


def detail(dialogue) -> str:
    return reverse("dialogues:detail", args=[dialogue.pk])


# --- list and new ----------------------------------------------------------------------------


def test_the_list_shows_the_periods_dialogues(client, coordinator, spring):
    client.force_login(coordinator)
    response = client.get(reverse("dialogues:list"), {"fran": "2026-04-01", "till": "2026-06-30"})
    assert response.status_code == 200
    assert "Rudstorget" in response.content.decode()
    assert "För in en dialog" in response.content.decode()

    later = client.get(reverse("dialogues:list"), {"fran": "2026-05-01", "till": "2026-06-30"})
    assert "Rudstorget" not in later.content.decode()


def test_the_list_needs_a_login(client):
    response = client.get(reverse("dialogues:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_new_dialogue_is_recorded_from_the_form(client, coordinator, kommunen, polisen, centrum):
    client.force_login(coordinator)
    form = client.get(reverse("dialogues:new"))
    assert form.status_code == 200

    response = client.post(
        reverse("dialogues:new"),
        {
            "held_on": "2026-11-20",
            "place_name": "Mobila poliskontoret vid Välsviken",
            "area": centrum.pk,
            "organisations": [kommunen.pk, polisen.pk],
            "visitors": "25",
        },
    )

    dialogue = Dialogue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(dialogue)
    assert dialogue.created_by == coordinator
    assert dialogue.visitors == 25
    assert set(dialogue.organisations.all()) == {kommunen, polisen}


def test_a_future_day_is_shown_on_the_form_and_nothing_is_written(client, coordinator, kommunen):
    client.force_login(coordinator)
    tomorrow = TODAY + dt.timedelta(days=1)
    response = client.post(
        reverse("dialogues:new"),
        {"held_on": tomorrow.isoformat(), "place_name": "Torget", "organisations": [kommunen.pk]},
    )
    assert response.status_code == 400
    assert "dagen kan inte ligga framåt" in response.content.decode()
    assert not Dialogue.objects.exists()


def test_someone_who_may_not_record_gets_no_form(client, housing_reporter, kommunen):
    # The housing company could be present, so its reporter gets the form; an analyst not.
    client.force_login(housing_reporter)
    assert client.get(reverse("dialogues:new")).status_code == 200


def test_an_analyst_reads_but_gets_no_form(client, analyst, spring):
    client.force_login(analyst)
    assert client.get(reverse("dialogues:new")).status_code == 403
    page = client.get(detail(spring))
    assert page.status_code == 200
    assert 'type="number"' not in page.content.decode()
    assert client.post(reverse("dialogues:mentions", args=[spring.pk]), {}).status_code == 403


def test_another_municipality_sees_no_dialogue(client, other_municipality_user, spring):
    client.force_login(other_municipality_user)
    assert client.get(detail(spring)).status_code == 404
    assert client.post(reverse("dialogues:delete", args=[spring.pk])).status_code == 404
    assert Dialogue.objects.filter(pk=spring.pk).exists()


# --- the entry grid --------------------------------------------------------------------------


def test_the_grid_has_a_labelled_input_per_theme_and_area(client, coordinator, spring, centrum):
    client.force_login(coordinator)
    page = client.get(detail(spring), {"omrade": centrum.pk}).content.decode()

    k, c = spring.area_id, centrum.pk
    for theme in Theme.values:
        for key in (k, c, "hela"):
            assert f'id="n-{theme}-{key}"' in page
            assert f'for="n-{theme}-{key}"' in page
    assert "Våld i offentlig miljö, Kronoparken" in page
    # The dialogue's own area is the first column.
    assert page.index(f'id="n-violence-{k}"') < page.index(f'id="n-violence-{c}"')


def test_the_grid_is_saved_in_one_go(client, coordinator, spring, centrum):
    client.force_login(coordinator)
    k = spring.area_id
    response = client.post(
        reverse("dialogues:mentions", args=[spring.pk]),
        {
            "omrade": [centrum.pk],
            f"n-violence-{k}": "4",
            f"n-violence-{centrum.pk}": "1",
            f"n-drugs_alcohol-{k}": " 2 ",
            "n-youth-hela": "3",
            "n-theft-hela": "0",
            f"n-traffic-{k}": "",
        },
    )
    assert response.status_code == 302
    assert set(spring.mentions.values_list("theme", "area_id", "count")) == {
        ("violence", k, 4),
        ("violence", centrum.pk, 1),
        ("drugs_alcohol", k, 2),
        ("youth", None, 3),
    }
    # The saved counts come back in their cells, columns included.
    page = client.get(detail(spring)).content.decode()
    assert f'id="n-violence-{centrum.pk}" name="n-violence-{centrum.pk}" value="1"' in page


def test_a_bad_cell_is_shown_and_nothing_is_written(client, coordinator, spring):
    client.force_login(coordinator)
    actions.set_mentions(spring, [MentionRow(Theme.THEFT, None, 2)], acting_user=coordinator)
    k = spring.area_id

    response = client.post(
        reverse("dialogues:mentions", args=[spring.pk]),
        {f"n-violence-{k}": "fyra", "n-youth-hela": "-1", "n-theft-hela": "5"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert f'href="#n-violence-{k}"' in page
    assert 'aria-invalid="true"' in page
    # What was typed is still there to correct.
    assert 'value="fyra"' in page
    assert list(DialogueMention.objects.values_list("theme", "count")) == [("theft", 2)]


def test_an_area_column_of_another_municipality_cannot_be_added(
    client, coordinator, spring, karlskoga
):
    from trygg.places.tests.factories import box, make_area

    elsewhere = make_area(karlskoga, "Bregården", box(14.5, 59.3, 14.53, 59.33))
    client.force_login(coordinator)
    page = client.get(detail(spring), {"omrade": elsewhere.pk}).content.decode()
    assert f"n-violence-{elsewhere.pk}" not in page


# --- quotes ----------------------------------------------------------------------------------


def test_a_quote_is_saved_scrubbed_and_the_page_says_never_who(client, coordinator, spring):
    client.force_login(coordinator)
    page = client.get(detail(spring)).content.decode()
    assert "aldrig vem som sa det" in page

    response = client.post(
        reverse("dialogues:quote_add", args=[spring.pk]),
        {
            "citat-theme": "unsafe_places",
            "citat-area": spring.area_id,
            "citat-text": "Gångtunneln är becksvart, mejla mig på anna@example.se",
        },
    )

    assert response.status_code == 302
    quote = DialogueQuote.objects.get()
    assert "anna@example.se" not in quote.text
    assert quote.area_id == spring.area_id
    shown = client.get(detail(spring)).content.decode()
    assert "Gångtunneln är becksvart" in shown


def test_an_empty_quote_is_refused_on_the_page(client, coordinator, spring):
    client.force_login(coordinator)
    response = client.post(
        reverse("dialogues:quote_add", args=[spring.pk]),
        {"citat-theme": "violence", "citat-text": "   "},
    )
    assert response.status_code == 400
    assert "Skriv citatet." in response.content.decode()
    assert not DialogueQuote.objects.exists()


def test_a_quote_is_removed_from_the_page(client, coordinator, spring):
    quote = actions.add_quote(spring, theme="violence", text="Bråk", acting_user=coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("dialogues:quote_remove", args=[spring.pk, quote.pk]))
    assert response.status_code == 302
    assert not DialogueQuote.objects.exists()


# --- edit and delete -------------------------------------------------------------------------


def test_the_dialogue_is_changed_and_deleted(client, coordinator, spring, kommunen):
    client.force_login(coordinator)
    edit = reverse("dialogues:edit", args=[spring.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "held_on": "2026-04-16",
            "place_name": "Rudstorget",
            "area": spring.area_id,
            "organisations": [kommunen.pk],
        },
    )
    assert response.status_code == 302
    spring.refresh_from_db()
    assert spring.held_on == dt.date(2026, 4, 16)
    assert list(spring.organisations.all()) == [kommunen]

    assert client.get(reverse("dialogues:delete", args=[spring.pk])).status_code == 200
    client.post(reverse("dialogues:delete", args=[spring.pk]))
    assert not Dialogue.objects.exists()


# --- the summary -----------------------------------------------------------------------------


def test_the_summary_page_explains_what_it_compares(client, coordinator, spring):
    actions.set_mentions(
        spring, [MentionRow(Theme.VIOLENCE, spring.area, 4)], acting_user=coordinator
    )
    client.force_login(coordinator)
    response = client.get(
        reverse("dialogues:summary"), {"fran": "2026-04-01", "till": "2026-06-30"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "inte ett urval av invånarna" in page
    assert "ingen statistik" in page
    assert '<th scope="row">Våld i offentlig miljö</th>' in page


def test_the_summary_downloads_as_csv(client, coordinator, spring):
    actions.set_mentions(
        spring, [MentionRow(Theme.VIOLENCE, spring.area, 4)], acting_user=coordinator
    )
    actions.add_quote(spring, theme="violence", text="=Bråk vid kiosken", acting_user=coordinator)
    client.force_login(coordinator)
    period = {"fran": "2026-04-01", "till": "2026-06-30", "format": "csv"}

    themes = client.get(reverse("dialogues:summary"), period)
    quotes = client.get(reverse("dialogues:summary"), period | {"tabell": "citat"})

    assert themes["Content-Type"] == "text/csv; charset=utf-8"
    lines = themes.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Rang;Tema;Tagit upp;Händelser;Tagit upp: Kronoparken")
    assert lines[1].startswith("1;våld i offentlig miljö;4;0;4;0")
    quote_lines = quotes.content.decode("utf-8-sig").splitlines()
    # A quote starting with "=" would run as a formula in a spreadsheet.
    assert quote_lines[1] == "våld i offentlig miljö;2026-04-15;;'=Bråk vid kiosken"


def test_a_period_that_ends_before_it_starts_is_refused(client, coordinator, spring):
    client.force_login(coordinator)
    response = client.get(
        reverse("dialogues:summary"), {"fran": "2026-06-30", "till": "2026-04-01"}
    )
    assert response.status_code == 400
    assert "Perioden måste börja före den slutar." in response.content.decode()
