"""The situation page, its hotspot layer and the meeting packs, seen by the personas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from trygg.core import periods
from trygg.core.models import AuditEntry
from trygg.events import daily_counts
from trygg.events.models import Category, Visibility
from trygg.situation.models import MeetingPack

# Packs are made for the latest complete week, which depends on the day.
pytestmark = pytest.mark.frozen
WEEK = periods.iso_week(2026, 46)  # the latest complete week on the frozen day, 2026-11-22


def at(day: dt.date, hour: int = 21) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def picture_url():
    return "/lagesbild/?typ=week&vecka=2026-W46"


@pytest.fixture
def history(make_event, kommunen, polisen, bostadsbolaget, centrum):
    """12 partner events in week 46, 2 the week before, 3 the same week last year, one police
    event only the police may see, and the rollup counted."""
    for i in range(12):
        make_event(kommunen, occurred_from=at(WEEK.start + dt.timedelta(days=i % 7)), area=centrum)
    for i in range(2):
        make_event(bostadsbolaget, occurred_from=at(WEEK.start - dt.timedelta(days=3 + i)))
    for i in range(3):
        make_event(kommunen, occurred_from=at(periods.iso_week(2025, 46).start + dt.timedelta(i)))
    make_event(polisen, visibility=Visibility.ORGANISATION, occurred_from=at(WEEK.start))
    daily_counts.recount()


def total_row(response) -> dict:
    return response.context["picture"]["table"]["total"]


def test_the_coordinator_sees_this_week_against_last_week_and_last_year(
    client, coordinator, history, picture_url
):
    client.force_login(coordinator)
    response = client.get(picture_url)
    assert response.status_code == 200
    total = total_row(response)
    assert (total["current"], total["previous"], total["year_earlier"]) == (12, 2, 3)
    # 12 against 2 is more than chance; the page says so in words.
    assert total["vs_previous"]["verdict"] == "more"
    assert "fler, mer än slumpen" in response.content.decode()


def test_police_internal_events_count_only_for_the_police(
    client, coordinator, police_officer, history, picture_url
):
    client.force_login(coordinator)
    assert total_row(client.get(picture_url))["current"] == 12
    client.force_login(police_officer)
    assert total_row(client.get(picture_url))["current"] == 13


def test_a_district_picture_counts_only_that_district(client, coordinator, history, centrum):
    client.force_login(coordinator)
    response = client.get(f"/lagesbild/?typ=week&vecka=2026-W46&omrade={centrum.pk}")
    total = total_row(response)
    assert (total["current"], total["previous"]) == (12, 0)
    assert response.context["picture"]["top_areas"][0]["name"] == "Centrum"


def test_someone_from_another_municipality_cannot_see_karlstads_picture(
    client, other_municipality_user, history, karlstad, picture_url
):
    client.force_login(other_municipality_user)
    response = client.get(f"{picture_url}&kommun={karlstad.pk}")
    assert response.context["scope"].municipality != karlstad
    assert total_row(response)["current"] == 0


def test_a_resident_without_an_account_is_sent_to_log_in(client, history, picture_url):
    response = client.get(picture_url)
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def test_too_few_events_get_no_marker(client, coordinator, make_event, kommunen):
    make_event(kommunen, occurred_from=at(WEEK.start))
    daily_counts.recount()
    client.force_login(coordinator)
    total = total_row(client.get("/lagesbild/?typ=week&vecka=2026-W46"))
    assert total["vs_previous"]["verdict"] == "too_few"


def test_a_row_marked_alone_is_not_marked_among_the_rows_it_is_compared_with(
    client, coordinator, make_event, kommunen
):
    # 6 against 0 is p = 0.031 alone; beside two rows without change Benjamini-Hochberg
    # gives it q = 0.094: no marker, and the page says why.
    tops = list(Category.objects.filter(parent__isnull=True).order_by("code")[:3])
    for top, (now, before) in zip(tops, [(6, 0), (7, 7), (8, 8)], strict=True):
        for day in range(now):
            make_event(kommunen, category=top, occurred_from=at(WEEK.start + dt.timedelta(day % 7)))
        for day in range(before):
            make_event(
                kommunen, category=top, occurred_from=at(WEEK.start - dt.timedelta(1 + day % 7))
            )
    daily_counts.recount()
    client.force_login(coordinator)
    response = client.get("/lagesbild/?typ=week&vecka=2026-W46")
    rows = {row["name"]: row["vs_previous"] for row in response.context["picture"]["table"]["rows"]}
    rising = rows[tops[0].name]
    assert rising["p"] == pytest.approx(0.0312, abs=1e-4)
    assert rising["q"] == pytest.approx(0.0938, abs=1e-4)
    assert rising["verdict"] == "no_clear_change"
    assert {row["verdict"] for row in rows.values()} == {"no_clear_change"}
    assert "tar hänsyn till hur många rader som jämförs" in response.content.decode()


def test_the_hotspot_layer_is_geojson_of_hot_cells_only(client, coordinator, history):
    client.force_login(coordinator)
    data = client.get("/lagesbild/hotspots.json?typ=week&vecka=2026-W46").json()
    assert data["type"] == "FeatureCollection"
    assert all(f["properties"]["class"] == "hot" for f in data["features"])
    assert "händelser" in data["summary"]


def test_a_coordinator_keeps_a_meeting_pack_that_reopens_as_it_was(
    client, coordinator, history, make_event, kommunen
):
    client.force_login(coordinator)
    response = client.post("/lagesbild/underlag/?typ=week&vecka=2026-W46")
    pack = MeetingPack.objects.get()
    assert response["Location"] == pack.get_absolute_url()
    assert pack.content["table"]["total"]["current"] == 12
    assert AuditEntry.objects.filter(
        object_type="situation.meetingpack", object_id=str(pack.pk), action="create"
    ).exists()
    make_event(kommunen, occurred_from=at(WEEK.start))
    daily_counts.recount()
    page = client.get(pack.get_absolute_url())
    assert page.context["picture"]["table"]["total"]["current"] == 12


def test_a_pack_counts_only_what_every_partner_may_see(client, police_officer, polisen, history):
    # The police officer's own page counts the internal event; the group's pack must not.
    from trygg.organisations.models import Membership

    Membership.objects.filter(user=police_officer).update(role="coordinator")
    client.force_login(police_officer)
    client.post("/lagesbild/underlag/?typ=week&vecka=2026-W46")
    assert MeetingPack.objects.get().content["table"]["total"]["current"] == 12


def test_an_analyst_can_read_packs_but_not_make_them(client, analyst, history):
    client.force_login(analyst)
    response = client.post("/lagesbild/underlag/?typ=week&vecka=2026-W46")
    assert response.status_code == 403
    assert not MeetingPack.objects.exists()


def test_priorities_are_scrubbed_and_audited(client, coordinator, history):
    client.force_login(coordinator)
    client.post("/lagesbild/underlag/?typ=week&vecka=2026-W46")
    pack = MeetingPack.objects.get()
    client.post(pack.get_absolute_url(), {"priorities": "Stationen. Ring 070-123 45 67."})
    pack.refresh_from_db()
    assert "070-123 45 67" not in pack.priorities and pack.priorities.startswith("Stationen")
    assert AuditEntry.objects.filter(
        object_type="situation.meetingpack", field="priorities", actor=coordinator
    ).exists()


def test_flagged_events_reach_the_pack(client, coordinator, make_event, kommunen, history):
    flagged = make_event(
        kommunen,
        occurred_from=at(WEEK.start),
        flagged=True,
        description="Samma grupp varje kväll vid entrén",
    )
    daily_counts.recount()
    client.force_login(coordinator)
    client.post("/lagesbild/underlag/?typ=week&vecka=2026-W46")
    listed = MeetingPack.objects.get().content["flagged"]
    assert [event["id"] for event in listed] == [flagged.pk]


def test_other_municipalities_cannot_open_a_pack(
    client, coordinator, other_municipality_user, history
):
    client.force_login(coordinator)
    client.post("/lagesbild/underlag/?typ=week&vecka=2026-W46")
    pack = MeetingPack.objects.get()
    client.force_login(other_municipality_user)
    assert client.get(pack.get_absolute_url()).status_code == 403
    assert client.get(f"{pack.get_absolute_url()}pdf/").status_code == 403


def test_the_pack_downloads_as_a_pdf(client, coordinator, history):
    client.force_login(coordinator)
    client.post("/lagesbild/underlag/?typ=week&vecka=2026-W46")
    pack = MeetingPack.objects.get()
    response = client.get(f"{pack.get_absolute_url()}pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_without_pango_the_pdf_link_explains_instead_of_failing(
    client, coordinator, history, monkeypatch
):
    import builtins

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    client.force_login(coordinator)
    client.post("/lagesbild/underlag/?typ=week&vecka=2026-W46")
    pack = MeetingPack.objects.get()
    monkeypatch.setattr(builtins, "__import__", no_pango)
    response = client.get(f"{pack.get_absolute_url()}pdf/")
    assert response.status_code == 503
    assert "Pango" in response.content.decode()


def test_the_page_keeps_its_figures_for_a_minute_and_says_when_they_were_counted(
    client, coordinator, history, picture_url, make_event, kommunen, settings
):
    settings.TRYGG_PICTURE_CACHE_SECONDS = 60
    client.force_login(coordinator)
    first = client.get(picture_url)
    assert "Siffrorna räknades kl." in first.content.decode()
    make_event(kommunen, occurred_from=at(WEEK.start))
    daily_counts.recount()
    # Within the minute the page shows what it counted, figures and their rendering alike.
    kept = client.get(picture_url)
    assert total_row(kept)["current"] == 12
    assert first.content.decode().count(">12<") == kept.content.decode().count(">12<")
    settings.TRYGG_PICTURE_CACHE_SECONDS = 0
    assert total_row(client.get(picture_url))["current"] == 13


def test_a_kept_picture_is_never_shown_to_someone_who_may_see_less(
    client, coordinator, police_officer, history, picture_url, settings
):
    settings.TRYGG_PICTURE_CACHE_SECONDS = 60
    police_total = 'Totalt</th>\n        <td class="num">13</td>'
    client.force_login(police_officer)
    police_page = client.get(picture_url)
    assert total_row(police_page)["current"] == 13
    assert police_total in police_page.content.decode()
    client.force_login(coordinator)
    response = client.get(picture_url)
    assert total_row(response)["current"] == 12
    assert police_total not in response.content.decode()
    assert police_total.replace("13", "12") in response.content.decode()
