"""The evidence page of a candidate problem (issue 14, point 2): for the problem's areas and
categories, the period against as many days before with the honest comparison, the months,
the places and the hotspots; the sections other apps register; the staff's notes and the
cause analysis; who may read and who may write.

The clock is frozen at 2026-11-22, so the default period is 1 November 2025 – 31 October 2026
and the comparison 1 November 2024 – 31 October 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trygg.core.models import AuditEntry
from trygg.core.tests.clock import at
from trygg.events.daily_counts import recount
from trygg.events.models import Category, Event, Status, Visibility
from trygg.promises import evidence
from trygg.promises.actions.problems import add_problem, rank_problems
from trygg.promises.models import Problem
from trygg.promises.tests.factories import make_agreement
from trygg.situation import evidence_sections

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

IN_PERIOD = dt.date(2026, 3, 10)
BEFORE = dt.date(2025, 3, 10)


def cat(code: str) -> Category:
    return Category.objects.get(code=code)


@pytest.fixture
def agreement(karlstad, kommunen, polisen, coordinator):
    return make_agreement(karlstad, kommunen, polisen, coordinator)


@pytest.fixture
def problem(agreement, coordinator, centrum):
    return add_problem(
        agreement,
        title="Skadegörelse i centrum",
        categories=[cat("skadegorelse")],
        areas=[centrum],
        acting_user=coordinator,
    )


def url(problem: Problem, name: str = "promises:problem") -> str:
    return reverse(name, args=[problem.agreement_id, problem.pk])


@pytest.fixture
def events(make_event, kommunen, bostadsbolaget, centrum, klara, kronoparken):
    """Counted in Centrum: 3 in the period (one in its sub-area Klara, one glass), 1 before.
    Not counted: an organisation's own, a rejected report, Kronoparken's, another category."""
    klotter, glas = cat("skadegorelse.klotter"), cat("skadegorelse.glaskross")
    make_event(kommunen, category=klotter, area=centrum, occurred_from=at(IN_PERIOD, 22))
    make_event(kommunen, category=klotter, area=klara, occurred_from=at(IN_PERIOD, 23))
    make_event(
        bostadsbolaget,
        Visibility.PUBLIC,
        category=glas,
        area=centrum,
        occurred_from=at(dt.date(2026, 10, 31), 23),
    )
    make_event(kommunen, category=klotter, area=centrum, occurred_from=at(BEFORE, 22))
    make_event(
        bostadsbolaget,
        Visibility.ORGANISATION,
        category=klotter,
        area=centrum,
        occurred_from=at(IN_PERIOD, 21),
    )
    make_event(
        kommunen,
        category=klotter,
        area=centrum,
        status=Status.REJECTED,
        occurred_from=at(IN_PERIOD, 21),
    )
    make_event(kommunen, category=klotter, area=kronoparken, occurred_from=at(IN_PERIOD, 21))
    make_event(
        kommunen, category=cat("ordning.brak"), area=centrum, occurred_from=at(IN_PERIOD, 21)
    )
    # After the period (November 2026) and before the comparison (October 2024).
    make_event(kommunen, category=klotter, area=centrum, occurred_from=at(dt.date(2026, 11, 2), 9))
    make_event(kommunen, category=klotter, area=centrum, occurred_from=at(dt.date(2024, 10, 31), 9))


# --- what is counted -------------------------------------------------------------------------


def test_the_page_counts_what_every_partner_sees_in_the_areas_against_the_year_before(
    client, coordinator, problem, events
):
    client.force_login(coordinator)

    response = client.get(url(problem))

    assert response.status_code == 200
    data = response.context["evidence"]
    assert data["period"]["first_day"] == "2025-11-01"
    assert data["period"]["last_day"] == "2026-10-31"
    assert data["comparison"]["first_day"] == "2024-11-01"
    assert data["comparison"]["last_day"] == "2025-10-31"
    [row] = data["table"]["rows"]
    assert (row["name"], row["current"], row["previous"]) == ("Skadegörelse", 3, 1)
    assert row["change"]["verdict"] == "too_few"
    assert data["table"]["total"]["current"] == 3
    months = {m["start"]: m["total"] for m in data["months"]}
    assert len(months) == 24
    assert months["2026-03-01"] == 2 and months["2026-10-01"] == 1 and months["2025-03-01"] == 1
    assert all(not m["partial"] for m in data["months"])
    page = response.content.decode()
    assert 'name="fran" value="2025-11-01"' in page  # the default, written out to change
    assert "bara händelser som alla parter får se" in page
    assert "för få för att säga" in page
    assert "<caption" in page and 'scope="row"' in page


def test_a_category_under_another_counts_in_both_rows_but_once_in_the_total(
    client, coordinator, agreement, centrum, events
):
    problem = add_problem(
        agreement,
        title="Klotter",
        categories=[cat("skadegorelse"), cat("skadegorelse.klotter")],
        areas=[centrum],
        acting_user=coordinator,
    )
    client.force_login(coordinator)

    data = client.get(url(problem)).context["evidence"]

    rows = {row["name"]: row["current"] for row in data["table"]["rows"]}
    assert rows == {"Skadegörelse": 3, "Skadegörelse › Klotter": 2}
    assert data["table"]["total"]["current"] == 3


def test_the_whole_municipality_reads_the_rollup_and_counts_the_same(
    client, coordinator, agreement, events, karlstad
):
    recount(municipality_ids=[karlstad.pk])
    problem = add_problem(
        agreement, title="Skadegörelse", categories=[cat("skadegorelse")], acting_user=coordinator
    )
    client.force_login(coordinator)

    response = client.get(url(problem))

    data = response.context["evidence"]
    assert data["whole_municipality"]
    [row] = data["table"]["rows"]
    # Kronoparken's now counts too; the organisation's own and the rejected still do not.
    assert (row["current"], row["previous"]) == (4, 1)
    assert "Hela Karlstad" in response.content.decode()


def test_a_drawn_area_counts_the_events_inside_its_outline(
    client, coordinator, agreement, make_event, kommunen, karlstad
):
    from trygg.places.tests.factories import box, make_area

    torget = make_area(karlstad, "Torget", box(13.50, 59.375, 13.51, 59.385), kind="custom")
    problem = add_problem(
        agreement,
        title="Klotter vid torget",
        categories=[cat("skadegorelse")],
        areas=[torget],
        acting_user=coordinator,
    )
    # Stora torget (59.3793 N, 13.5036 E) is inside; events there belong to no area.
    make_event(kommunen, area=None, occurred_from=at(IN_PERIOD, 20))
    make_event(kommunen, area=None, occurred_from=at(BEFORE, 20))
    make_event(kommunen, area=None, lat=59.39, lon=13.53, occurred_from=at(IN_PERIOD, 20))
    client.force_login(coordinator)

    data = client.get(url(problem)).context["evidence"]

    assert (data["table"]["total"]["current"], data["table"]["total"]["previous"]) == (1, 1)


def test_another_period_is_compared_with_as_many_days_before_and_months_are_cut_at_its_ends(
    client, coordinator, problem, events
):
    client.force_login(coordinator)

    response = client.get(url(problem), {"fran": "2026-03-10", "till": "2026-10-31"})

    data = response.context["evidence"]
    assert data["comparison"]["first_day"] == "2025-07-17"
    assert data["comparison"]["last_day"] == "2026-03-09"
    assert data["table"]["total"]["current"] == 3
    first = data["months"][0]
    assert first["partial"] and first["label"] == "17–31 jul 2025"
    march = [m for m in data["months"] if m["start"].startswith("2026-03")]
    assert [(m["start"], m["in_period"]) for m in march] == [
        ("2026-03-01", False),
        ("2026-03-10", True),
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"fran": "2026-05-01", "till": "2026-04-01"}, "Första dagen kommer efter den sista."),
        ({"fran": "2026-01-01", "till": "2026-12-31"}, "Perioden kan inte sluta efter i dag."),
        ({"fran": "2019-01-01", "till": "2026-01-01"}, "Välj en period på högst fem år."),
        ({"fran": "igår"}, "Fyll i ett giltigt datum."),
    ],
)
def test_a_period_that_cannot_be_shown_says_why_and_shows_the_default(
    client, coordinator, problem, query, message
):
    client.force_login(coordinator)

    response = client.get(url(problem), query)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["evidence"]["period"]["first_day"] == "2025-11-01"


def test_a_period_shorter_than_four_weeks_looks_for_hotspots_in_the_four_weeks_ending_it(
    client, coordinator, problem, events
):
    client.force_login(coordinator)

    response = client.get(url(problem), {"fran": "2026-03-08", "till": "2026-03-14"})

    hot = response.context["evidence"]["hotspots"]
    assert hot["window"] == "2026-02-15 – 2026-03-14"
    assert hot["events"] == 2  # the two in Centrum and Klara on 10 March


def test_too_few_events_for_hotspots_are_said_so(client, coordinator, problem, events):
    client.force_login(coordinator)

    data = client.get(url(problem)).context["evidence"]

    assert not data["hotspots"]["enough_data"]
    assert data["hotspots"]["summary"].startswith("För få händelser med exakt position")
    assert data["hotspots"]["outline"]  # Centrum is drawn even without hotspots


def test_hotspots_are_found_where_the_events_cluster(
    client, coordinator, make_event, kommunen, agreement, centrum
):
    problem = add_problem(
        agreement,
        title="Klotter",
        categories=[cat("skadegorelse.klotter")],
        areas=[centrum],
        acting_user=coordinator,
    )
    # 60 in a few cells near one corner of Centrum, 5 spread over the rest.
    for i in range(60):
        lat, lon = 59.3805 + 0.0009 * (i % 3), 13.5005 + 0.0018 * (i % 4)
        make_event(kommunen, area=centrum, lat=lat, lon=lon, occurred_from=at(IN_PERIOD, 20))
    for i in range(5):
        make_event(
            kommunen,
            area=centrum,
            lat=59.372 + 0.003 * i,
            lon=13.492 + 0.005 * i,
            occurred_from=at(IN_PERIOD, 20),
        )
    client.force_login(coordinator)

    response = client.get(url(problem))

    hot = response.context["evidence"]["hotspots"]
    assert hot["enough_data"] and hot["cells"]
    assert sum(c["count"] for c in hot["cells"]) >= 40
    assert "hotspot-map" in response.content.decode()


@pytest.mark.parametrize("whole", [False, True])
def test_the_events_come_back_with_their_exact_positions_places_and_months(
    coordinator, make_event, kommunen, agreement, karlstad, centrum, whole
):
    """The rows the places and hotspots are made of are read as bare numbers (on PostgreSQL
    packed as doubles): nothing rounded, no place as 0; the whole municipality reads the period
    alone, the areas both periods with each event's month."""
    from trygg.places.tests.factories import make_place

    problem = add_problem(
        agreement,
        title="Skadegörelse",
        categories=[cat("skadegorelse")],
        areas=[] if whole else [centrum],
        acting_user=coordinator,
    )
    torget = make_place(karlstad, "Stora torget")
    at_place = make_event(
        kommunen,
        area=centrum,
        place=torget,
        lat=59.381234567891,
        lon=13.501987654321,
        occurred_from=at(IN_PERIOD, 20),
    )
    vague = make_event(kommunen, area=centrum, precision_m=5000, occurred_from=at(IN_PERIOD, 21))
    before = make_event(kommunen, area=centrum, occurred_from=at(BEFORE, 20))
    chosen = evidence.default_period(dt.date(2026, 11, 22))
    parts = evidence.buckets(chosen)

    rows = evidence.event_rows(evidence.Subject.of(problem), parts)

    read = set(
        zip(
            rows.xy[:, 0].tolist(),
            rows.xy[:, 1].tolist(),
            rows.place.tolist(),
            rows.exact.tolist(),
            rows.in_period.tolist(),
            strict=True,
        )
    )
    stored = {e.pk: (e.x, e.y) for e in Event.objects.all()}
    expected = {
        (*stored[at_place.pk], torget.pk, True, True),
        (*stored[vague.pk], 0, False, True),
    }
    if not whole:
        expected.add((*stored[before.pk], 0, True, False))
    assert read == expected
    assert rows.both_periods is not whole
    months = [parts[b].start for b in rows.bucket.tolist()]
    assert sorted(months) == ([] if whole else [dt.date(2025, 3, 1), *[dt.date(2026, 3, 1)] * 2])


@pytest.mark.parametrize("whole", [False, True])
def test_the_places_with_the_most_events_are_listed(
    client, coordinator, make_event, kommunen, agreement, karlstad, centrum, whole
):
    from trygg.places.tests.factories import make_place

    problem = add_problem(
        agreement,
        title="Skadegörelse",
        categories=[cat("skadegorelse")],
        areas=[] if whole else [centrum],
        acting_user=coordinator,
    )
    torget, bron = make_place(karlstad, "Stora torget"), make_place(karlstad, "Östra bron")
    for day in (IN_PERIOD, IN_PERIOD, BEFORE):
        make_event(kommunen, area=centrum, place=torget, occurred_from=at(day, 20))
    for day in (IN_PERIOD, BEFORE, BEFORE):
        make_event(kommunen, area=centrum, place=bron, occurred_from=at(day, 20))
    make_event(kommunen, area=centrum, occurred_from=at(IN_PERIOD, 20))  # at no named place
    client.force_login(coordinator)

    data = client.get(url(problem)).context["evidence"]

    assert data["places"] == [
        {"name": "Stora torget", "current": 2, "previous": 1},
        {"name": "Östra bron", "current": 1, "previous": 2},
    ]


def test_a_problem_without_categories_says_there_is_nothing_to_count(
    client, coordinator, agreement
):
    problem = add_problem(agreement, title="Otrygghet", acting_user=coordinator)
    client.force_login(coordinator)

    response = client.get(url(problem))

    assert response.status_code == 200
    assert "Problemet har inga kategorier ännu" in response.content.decode()


# --- sections from the apps beside ----------------------------------------------------------


@pytest.fixture
def stub_sections(monkeypatch):
    seen = []

    def says(municipality, areas, categories, first_day, last_day):
        seen.append((municipality.code, [a.name for a in areas], first_day, last_day))
        return {"text": "Något att säga"}

    sections = {
        "says": evidence_sections.EvidenceSection(
            "says", "Sektionen som säger något", "promises/tests/stub_section.html", says
        ),
        "silent": evidence_sections.EvidenceSection(
            "silent", "Tyst sektion", "promises/tests/stub_section.html", lambda *args: None
        ),
    }
    monkeypatch.setattr(evidence_sections, "_SECTIONS", sections)
    return seen


def test_registered_sections_are_shown_with_their_heading_and_silent_ones_left_out(
    client, coordinator, problem, stub_sections, settings, tmp_path
):
    (tmp_path / "promises" / "tests").mkdir(parents=True)
    (tmp_path / "promises" / "tests" / "stub_section.html").write_text("<p>{{ data.text }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0].get("DIRS", [])]}
    ]
    client.force_login(coordinator)

    page = client.get(url(problem)).content.decode()

    assert stub_sections == [("1780", ["Centrum"], dt.date(2025, 11, 1), dt.date(2026, 10, 31))]
    assert '<h2 id="says-title">Sektionen som säger något</h2>' in page
    assert "<p>Något att säga</p>" in page
    assert "Tyst sektion" not in page


# --- who may read and write ---------------------------------------------------------------


def test_another_municipality_gets_404_and_the_anonymous_are_sent_to_log_in(
    client, problem, other_municipality_user
):
    response = client.get(url(problem))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

    client.force_login(other_municipality_user)
    assert client.get(url(problem)).status_code == 404
    response = client.post(url(problem, "promises:problem_notes"), {"notes": "Intrång"})
    assert response.status_code == 404
    assert Problem.objects.get(pk=problem.pk).notes == ""


def test_a_member_who_is_not_a_party_reads_but_cannot_write(client, problem, housing_reporter):
    client.force_login(housing_reporter)

    response = client.get(url(problem))

    assert response.status_code == 200
    assert "notes_form" not in response.context
    assert 'action="' + url(problem, "promises:problem_notes") not in response.content.decode()
    response = client.post(url(problem, "promises:problem_notes"), {"notes": "Min åsikt"})
    assert response.status_code == 403
    assert client.get(url(problem, "promises:problem_edit")).status_code == 403
    assert Problem.objects.get(pk=problem.pk).notes == ""


def test_the_staffs_notes_are_saved_scrubbed_and_audited(client, police_officer, problem):
    client.force_login(police_officer)

    response = client.post(
        url(problem, "promises:problem_notes"),
        {"notes": "Klottret kommer i skift; tips från 19850412-1230."},
    )

    assert response.status_code == 302
    problem.refresh_from_db()
    assert "19850412-1230" not in problem.notes and problem.notes.startswith("Klottret")
    assert AuditEntry.objects.filter(
        object_type="promises.problem", object_id=str(problem.pk), field="notes"
    ).exists()
    assert [c.name for c in problem.categories.all()] == ["Skadegörelse"]  # kept as it was
    page = client.get(url(problem)).content.decode()
    assert "Klottret kommer i skift" in page


def test_the_problems_categories_and_areas_are_changed_and_a_title_is_required(
    client, coordinator, problem, kronoparken
):
    client.force_login(coordinator)
    edit = url(problem, "promises:problem_edit")
    assert 'href="' + edit in client.get(url(problem)).content.decode()
    page = client.get(edit).content.decode()
    assert "<legend>Händelsekategorier</legend>" in page and "Kronoparken" in page

    response = client.post(edit, {"title": " ", "areas": [kronoparken.pk]})
    assert response.status_code == 400
    assert "Detta fält måste fyllas i." in response.content.decode()
    assert [a.name for a in problem.areas.all()] == ["Centrum"]

    klotter = cat("skadegorelse.klotter")
    response = client.post(
        edit, {"title": "Klotter", "categories": [klotter.pk], "areas": [kronoparken.pk]}
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.title == "Klotter"
    assert [c.pk for c in problem.categories.all()] == [klotter.pk]
    assert [a.name for a in problem.areas.all()] == ["Kronoparken"]


def test_the_cause_analysis_waits_for_the_ranking_then_is_saved_scrubbed(
    client, coordinator, problem, agreement
):
    client.force_login(coordinator)
    cause = url(problem, "promises:problem_cause")
    values = {
        "places": "Gångtunneln vid stationen",
        "times": "Fredagar och lördagar efter 22",
        "circumstances": "Trasig belysning; tips från 19850412-1230",
    }

    page = client.get(url(problem)).content.decode()
    assert "när parterna har prioriterat problemet" in page
    assert 'action="' + cause not in page
    response = client.post(cause, values)
    assert response.status_code == 400
    assert "Prioritera problemet innan orsaksanalysen skrivs." in response.content.decode()
    assert not Problem.objects.get(pk=problem.pk).has_cause_analysis

    rank_problems(agreement, [problem], acting_user=coordinator)
    page = client.get(url(problem)).content.decode()
    assert "platser, tider och omständigheter, aldrig personer" in page
    assert 'action="' + cause in page
    response = client.post(cause, {"places": "", "times": "", "circumstances": ""})
    assert response.status_code == 400
    assert "Skriv åtminstone var, när eller vad som gör det möjligt." in response.content.decode()
    response = client.post(cause, values)
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.cause_places == "Gångtunneln vid stationen"
    assert "19850412-1230" not in problem.cause_circumstances
    assert AuditEntry.objects.filter(object_type="promises.problem", field="cause_times").exists()


def test_a_problem_under_another_agreement_is_not_found(client, coordinator, problem, agreement):
    client.force_login(coordinator)

    response = client.get(reverse("promises:problem", args=[agreement.pk + 1, problem.pk]))

    assert response.status_code == 404


def test_the_default_period_is_the_twelve_complete_months_before_today():
    chosen = evidence.default_period(dt.date(2026, 1, 1))
    assert (chosen.first_day, chosen.last_day) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    # Twelve months against the twelve before, though 2024 has a leap day.
    assert (chosen.comparison.start, chosen.comparison.last_day) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
    )
