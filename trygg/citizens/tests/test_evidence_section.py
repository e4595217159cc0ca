"""The citizen dialogues in a problem area's evidence (issue 14, point 2): what residents raised
about the problem's areas in the period, themes by how often, the themes about the problem's
categories marked, the quotes; nothing to say without such a dialogue. Registered in
situation.evidence_sections from CitizensConfig.ready."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string

from trygg.citizens.actions import dialogues as actions
from trygg.citizens.actions.dialogues import MentionRow
from trygg.citizens.dialogue_summary import area_themes
from trygg.citizens.models import Theme
from trygg.citizens.tests.factories import dialogue as make_dialogue
from trygg.events.models import Category
from trygg.places.tests.factories import make_area
from trygg.situation import evidence_sections

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

SPRING = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


@pytest.fixture
def world(coordinator, karlstad, kommunen, polisen, centrum, klara, kronoparken):
    """April in Kronoparken (violence there and in Centrum's Klara, youth anywhere), May in
    Centrum (unsafe places), July outside the period."""
    first = make_dialogue(
        coordinator, karlstad, [kommunen, polisen], held_on=dt.date(2026, 4, 15), area=kronoparken
    )
    actions.set_mentions(
        first,
        [
            MentionRow(Theme.VIOLENCE, kronoparken, 3),
            MentionRow(Theme.VIOLENCE, klara, 1),
            MentionRow(Theme.YOUTH, None, 4),
        ],
        acting_user=coordinator,
    )
    actions.add_quote(
        first,
        theme=Theme.VIOLENCE,
        area=klara,
        text="Det blir bråk vid hållplatsen på natten",
        acting_user=coordinator,
    )
    second = make_dialogue(
        coordinator, karlstad, [kommunen], held_on=dt.date(2026, 5, 20), area=centrum, visitors=30
    )
    actions.set_mentions(
        second, [MentionRow(Theme.UNSAFE_PLACES, centrum, 5)], acting_user=coordinator
    )
    summer = make_dialogue(coordinator, karlstad, [kommunen], held_on=dt.date(2026, 7, 2))
    actions.set_mentions(summer, [MentionRow(Theme.VIOLENCE, centrum, 10)], acting_user=coordinator)
    return first, second


def test_what_was_raised_about_the_problems_areas_with_the_related_themes_marked(
    karlstad, world, centrum
):
    violence = Category.objects.get(code="ordning.vald")

    data = area_themes(karlstad, [centrum], [violence], *SPRING)

    # Both dialogues: the first raised Klara (under Centrum), the second was held there.
    assert [d["held_on"] for d in data["dialogues"]] == ["2026-04-15", "2026-05-20"]
    assert data["mentions_total"] == 6
    rows = [(r["theme"], r["mentions"], r["rank"], r["related"]) for r in data["themes"]]
    assert rows == [("unsafe_places", 5, 1, False), ("violence", 1, 2, True)]
    assert data["themes"][1]["quotes"][0]["text"] == "Det blir bråk vid hållplatsen på natten"
    page = render_to_string("citizens/evidence_section.html", {"data": data})
    assert "rör problemets kategorier" in page
    assert "2 medborgardialoger i perioden hölls i problemets områden" in page
    assert "<caption" in page and 'scope="row"' in page


def test_the_whole_municipality_hears_every_theme(karlstad, world):
    data = area_themes(karlstad, [], [], *SPRING)

    assert data["whole_municipality"]
    assert data["mentions_total"] == 3 + 1 + 4 + 5
    assert [r["theme"] for r in data["themes"]] == ["unsafe_places", "violence", "youth"]


def test_an_area_nobody_raised_and_no_dialogue_was_held_in_has_nothing_to_say(karlstad, world):
    from trygg.places.tests.factories import box

    elsewhere = make_area(karlstad, "Skåre", box(13.40, 59.43, 13.43, 59.45))

    assert area_themes(karlstad, [elsewhere], [], *SPRING) is None
    assert area_themes(karlstad, [], [], dt.date(2025, 1, 1), dt.date(2025, 12, 31)) is None


def test_the_section_is_registered_for_the_evidence_page(karlstad, world, kronoparken):
    computed = evidence_sections.compute_all(karlstad, [kronoparken], [], *SPRING)

    [dialogues] = [c for c in computed if c.section.key == "dialogues"]
    assert dialogues.section.compute is area_themes
    assert dialogues.data["mentions_total"] == 3
