"""The period summary, checked by hand on a small world: two dialogues in the spring (and one
after it), what was raised where, and the events of the same areas and period that the reader
may see and the statistics count."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.citizens.actions import dialogues as actions
from trygg.citizens.actions.dialogues import MentionRow
from trygg.citizens.dialogue_summary import WHOLE, summarise
from trygg.citizens.dialogue_themes import theme_category_ids
from trygg.citizens.models import Theme
from trygg.citizens.tests.factories import dialogue as make_dialogue
from trygg.core.tests.clock import at
from trygg.events.models import Category, Status, Visibility
from trygg.places.tests.factories import make_area

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

SPRING = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def cat(code: str) -> Category:
    return Category.objects.get(code=code)


@pytest.fixture
def world(coordinator, karlstad, kommunen, polisen, centrum, klara, kronoparken):
    """Mentions and quotes of the spring's two dialogues (the summer's is outside)."""
    first = make_dialogue(
        coordinator, karlstad, [kommunen, polisen], held_on=dt.date(2026, 4, 15), area=kronoparken
    )
    actions.set_mentions(
        first,
        [
            MentionRow(Theme.VIOLENCE, kronoparken, 3),
            MentionRow(Theme.VIOLENCE, centrum, 1),
            MentionRow(Theme.DRUGS_ALCOHOL, kronoparken, 2),
            MentionRow(Theme.YOUTH, None, 4),
        ],
        acting_user=coordinator,
    )
    actions.add_quote(
        first,
        theme=Theme.DRUGS_ALCOHOL,
        area=kronoparken,
        text="Det langas bakom ICA på kvällarna",
        acting_user=coordinator,
    )
    second = make_dialogue(
        coordinator, karlstad, [kommunen], held_on=dt.date(2026, 5, 20), area=centrum, visitors=30
    )
    actions.set_mentions(
        second,
        [MentionRow(Theme.VIOLENCE, centrum, 2), MentionRow(Theme.UNSAFE_PLACES, centrum, 5)],
        acting_user=coordinator,
    )
    summer = make_dialogue(coordinator, karlstad, [kommunen], held_on=dt.date(2026, 7, 2))
    actions.set_mentions(
        summer, [MentionRow(Theme.VIOLENCE, kronoparken, 10)], acting_user=coordinator
    )
    return first, second


@pytest.fixture
def events(
    world, make_event, kommunen, bostadsbolaget, karlskoga_kommun, centrum, klara, kronoparken
):
    """What was reported, with what counts beside each theme worked out by hand."""
    may = at(dt.date(2026, 5, 1), 22)
    vald, brak = cat("ordning.vald"), cat("ordning.brak")
    # Violence: Kronoparken 2; Centrum 2 (one in its sub-area Klara, one on the last evening).
    make_event(kommunen, category=vald, area=kronoparken, occurred_from=may)
    make_event(kommunen, category=vald, area=kronoparken, occurred_from=may)
    make_event(kommunen, category=cat("polis.brott_person"), area=klara, occurred_from=may)
    make_event(kommunen, category=brak, area=centrum, occurred_from=at(dt.date(2026, 6, 30), 23))
    # Not counted: after the period, rejected, or one organisation's own that the
    # coordinator's organisation cannot see, or in another municipality.
    make_event(kommunen, category=vald, area=centrum, occurred_from=at(dt.date(2026, 7, 1), 0))
    make_event(kommunen, category=vald, area=kronoparken, occurred_from=may, status=Status.REJECTED)
    make_event(
        bostadsbolaget,
        Visibility.ORGANISATION,
        category=vald,
        area=kronoparken,
        occurred_from=may,
    )
    make_event(karlskoga_kommun, category=vald, occurred_from=may, lat=59.327, lon=14.523)
    # Unsafe places: one lamp in Centrum.
    make_event(kommunen, category=cat("otrygg_plats.belysning"), area=centrum, occurred_from=may)
    # Drugs: one in the municipality but in none of the dialogues' areas.
    make_event(kommunen, category=cat("ordning.drog"), area=None, occurred_from=may)
    # Vandalism, which nobody raised: graffiti in Kronoparken.
    make_event(kommunen, category=cat("skadegorelse.klotter"), area=kronoparken, occurred_from=may)


def by_theme(summary: dict) -> dict[str, dict]:
    return {row["theme"]: row for row in summary["themes"]}


def test_mentions_per_theme_and_area_and_the_ranking(
    coordinator, karlstad, world, centrum, kronoparken
):
    summary = summarise(karlstad, *SPRING, coordinator)

    assert [d["held_on"] for d in summary["dialogues"]] == ["2026-04-15", "2026-05-20"]
    assert summary["visitors"] == 30
    assert summary["visitors_counted"] == 1
    assert summary["mentions_total"] == 3 + 1 + 2 + 4 + 2 + 5
    assert [a["name"] for a in summary["areas"]] == [
        "Centrum",
        "Kronoparken",
        "Hela kommunen / inget särskilt område",
    ]
    themes = by_theme(summary)
    c, k = str(centrum.pk), str(kronoparken.pk)
    assert themes["violence"]["mentions"] == 6
    assert themes["violence"]["mentions_by_area"] == {c: 3, k: 3, WHOLE: 0}
    assert themes["unsafe_places"]["mentions_by_area"] == {c: 5, k: 0, WHOLE: 0}
    assert themes["youth"]["mentions_by_area"] == {c: 0, k: 0, WHOLE: 4}
    # 6, 5, 4, 2; the summer's ten mentions of violence are outside the period.
    assert summary["ranking"] == ["violence", "unsafe_places", "youth", "drugs_alcohol"]
    assert [themes[t]["rank"] for t in summary["ranking"]] == [1, 2, 3, 4]
    assert themes["theft"]["rank"] is None
    assert themes["drugs_alcohol"]["quotes"] == [
        {
            "text": "Det langas bakom ICA på kvällarna",
            "area": "Kronoparken",
            "held_on": "2026-04-15",
            "dialogue": world[0].pk,
        }
    ]


def test_events_beside_each_theme_in_the_same_areas_and_period(
    coordinator, karlstad, events, centrum, kronoparken
):
    themes = by_theme(summarise(karlstad, *SPRING, coordinator))
    c, k = str(centrum.pk), str(kronoparken.pk)

    violence = themes["violence"]
    assert violence["events_by_area"] == {c: 2, k: 2, WHOLE: 4}
    assert violence["events"] == 4
    assert themes["unsafe_places"]["events_by_area"] == {c: 1, k: 0, WHOLE: 1}
    # The drugs event lies in no area the dialogues named: only the municipality column has it.
    assert themes["drugs_alcohol"]["events"] == 0
    assert themes["drugs_alcohol"]["events_by_area"] == {c: 0, k: 0, WHOLE: 1}
    assert themes["vandalism"]["events"] == 1
    assert themes["vandalism"]["mentions"] == 0
    # Leisure and young people have no event category: not compared.
    assert themes["youth"]["compared"] is False
    assert themes["youth"]["events"] is None


def test_an_event_in_an_older_version_of_a_district_counts_in_the_current_one(
    coordinator, karlstad, kommunen, world, make_event, kronoparken
):
    old = make_area(
        karlstad,
        "Kronoparken",
        kronoparken.geometry,
        code=kronoparken.code,
        valid_to=dt.date(2025, 12, 31),
    )
    make_event(
        kommunen, category=cat("ordning.vald"), area=old, occurred_from=at(dt.date(2026, 5, 2))
    )

    violence = by_theme(summarise(karlstad, *SPRING, coordinator))["violence"]
    assert violence["events_by_area"][str(kronoparken.pk)] == 1


def test_each_reader_counts_only_the_events_they_may_see(
    coordinator, housing_reporter, karlstad, events, kronoparken
):
    mine = by_theme(summarise(karlstad, *SPRING, housing_reporter))["violence"]
    theirs = by_theme(summarise(karlstad, *SPRING, coordinator))["violence"]
    # The housing company's own event is theirs to see, not the coordinator's.
    assert mine["events_by_area"][str(kronoparken.pk)] == 3
    assert theirs["events_by_area"][str(kronoparken.pk)] == 2


def test_a_period_without_dialogues_has_no_areas_and_counts_the_whole_municipality(
    coordinator, karlstad, events
):
    summary = summarise(karlstad, dt.date(2026, 5, 1), dt.date(2026, 5, 10), coordinator)
    assert summary["dialogues"] == []
    assert summary["areas"] == []
    assert summary["ranking"] == []
    assert by_theme(summary)["violence"]["events"] == 3  # Kronoparken 2, Klara 1


def test_every_theme_with_categories_names_existing_ones(db):
    ids = theme_category_ids()
    assert set(ids) == set(Theme.values)
    for theme in (
        Theme.VIOLENCE,
        Theme.UNSAFE_PLACES,
        Theme.DRUGS_ALCOHOL,
        Theme.VANDALISM,
        Theme.DISORDER,
        Theme.TRAFFIC,
        Theme.THEFT,
    ):
        assert ids[theme], theme
    # A parent names its subtree: every unsafe-place leaf is in.
    leaves = set(
        Category.objects.filter(code__startswith="otrygg_plats.").values_list("pk", flat=True)
    )
    assert leaves <= ids[Theme.UNSAFE_PLACES]
    assert not ids[Theme.YOUTH] and not ids[Theme.OTHER]
