"""The measures API reads the meeting decision, the linked events and the timeline naming the
measures' municipality (decision 0039): the decision is no outer join and the events no join
of their link table on the event alone, which Citus refuses. The answers are those of the
plain relations, with a second municipality's measure beside them and an internal event of
another organisation among the links."""

from __future__ import annotations

import pytest

from trygg.core.tests.clock import TODAY
from trygg.events.models import Visibility
from trygg.measures.actions import comment_on_measure, create_measure, create_meeting, decide
from trygg.organisations.tests.one_shard import (
    joins_without_municipality,
    read_api,
    without_municipality,
)

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


def test_measures_read_their_decision_events_and_timeline_in_their_municipality(
    client, coordinator, housing_reporter, karlstad, karlskoga, kommunen, bostadsbolaget,
    other_municipality_user, make_event,
):  # fmt: skip
    shared = make_event(kommunen)
    internal = make_event(kommunen, visibility=Visibility.ORGANISATION)
    meeting = create_meeting(karlstad, held_on=TODAY, acting_user=coordinator)
    decision = decide(
        meeting,
        "Kommunen sätter upp belysning.",
        acting_user=coordinator,
        measure={"title": "Belysning", "responsible": bostadsbolaget},
    )
    lit = decision.measure
    linked = create_measure(
        karlstad, acting_user=coordinator, title="Röjning", events=[internal, shared]
    )
    comment_on_measure(linked, "Beställt hos entreprenören", acting_user=coordinator)
    create_measure(karlskoga, acting_user=other_municipality_user, title="Karlskogas åtgärd")

    (listed, one), statements = read_api(
        client, housing_reporter, "/api/v1/measures", f"/api/v1/measures/{linked.pk}"
    )

    assert joins_without_municipality(statements) == []
    for table in ("measures_decision", "measures_measure_events", "measures_measureentry"):
        assert without_municipality(statements, table) == [], table
    items = {item["id"]: item for item in listed["items"]}
    assert set(items) == {lit.pk, linked.pk}
    assert items[lit.pk]["decision"] == {"meeting": meeting.pk, "text": decision.text}
    assert (items[lit.pk]["event_ids"], items[linked.pk]["decision"]) == ([], None)
    # The municipality's own internal event is not the housing company's to see, even as an id.
    assert items[linked.pk]["event_ids"] == [shared.pk]
    assert one["event_ids"] == [shared.pk]
    assert [entry["text"] for entry in one["timeline"] if entry["text"]] == [
        "Beställt hos entreprenören"
    ]
