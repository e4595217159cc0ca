"""The promises API reads each sharded table naming the municipality (decision 0039): a
promise joins its agreement, a follow-up its promise and agreement, a status its commitment on
the municipality too, the versions, link rows and counts name it, so Citus sends every query
to one shard. The answers are those of the plain relations, also with a second municipality's
promise beside them."""

from __future__ import annotations

import pytest

from trygg.measures.actions.measures import create_measure
from trygg.organisations.models import Organisation
from trygg.organisations.tests.factories import make_organisation
from trygg.organisations.tests.one_shard import (
    joins_without_municipality,
    read_api,
    without_municipality,
)
from trygg.promises.tests.api_calls import SEED_TEXT, every_status
from trygg.promises.tests.factories import commit, make_agreement, make_promise

pytestmark = [pytest.mark.frozen, pytest.mark.usefixtures("fast_passwords")]

# Tables a promise's answers read beside their parent's: each query of them names the
# municipality.
CHILD_TABLES = (
    "promises_promiseversion",
    "promises_commitment",
    "promises_commitment_measures",
    "promises_commitmentstatus",
    "promises_followup",
    "promises_promise_problems",
    "promises_problem",
    "promises_problem_categories",
    "promises_problem_areas",
    "promises_processstep",
    "promises_agreementparty",
)


@pytest.fixture
def karlskogas_promise(karlskoga, karlskoga_kommun, other_municipality_user):
    """Karlskoga's agreement and promise, beside Karlstad's: rows of two municipalities."""
    police = make_organisation(
        karlskoga, "polisen-karlskoga", "Polisen Karlskoga", Organisation.Kind.POLICE
    )
    agreement = make_agreement(
        karlskoga,
        karlskoga_kommun,
        police,
        other_municipality_user,
        title="Samverkansöverenskommelse Karlskoga",
    )
    promise = make_promise(agreement, other_municipality_user, title="Tryggare Karlskoga")
    commit(promise, karlskoga_kommun, other_municipality_user, text="Belysning i parken")
    return promise


def test_promises_and_their_commitments_name_the_municipality_and_answer_as_before(
    client, world, coordinator, karlstad, polisen, karlskogas_promise
):
    promise, police = world["promise"], world["police"]
    measure = create_measure(karlstad, acting_user=coordinator, title="Krogkontroll i stråket")
    draft = commit(promise, polisen, coordinator, text="Krogkontroller", measures=[measure])

    (listed, detail, read_draft, read_police), statements = read_api(
        client,
        coordinator,
        "/api/v1/promises",
        f"/api/v1/promises/{promise.pk}",
        f"/api/v1/commitments/{draft.pk}",
        f"/api/v1/commitments/{police.pk}",
    )

    assert joins_without_municipality(statements) == []
    for table in CHILD_TABLES:
        assert without_municipality(statements, table) == [], table
    assert [item["id"] for item in listed["items"]] == [promise.pk]
    assert listed["items"][0]["problems"] == [world["problem"].pk]
    assert listed["items"][0]["municipality"] == "1780"
    assert (detail["problems"], detail["current"]["number"]) == ([world["problem"].pk], 1)
    assert [v["number"] for v in detail["versions"]] == [1]
    added = {c["id"]: (c["column"], c["added_in"], c["measure_ids"]) for c in detail["commitments"]}
    assert added == {
        police.pk: ("police", 1, []),
        draft.pk: ("police", None, [measure.pk]),
        world["violence"].pk: ("together", 1, []),
        world["housing"].pk: ("municipality", 1, []),
    }
    assert (read_draft["text"], read_draft["added_in"], read_draft["measure_ids"]) == (
        "Krogkontroller",
        None,
        [measure.pk],
    )
    assert (read_police["text"], read_police["added_in"], read_police["removed_in"]) == (
        SEED_TEXT,
        1,
        None,
    )


def test_an_agreement_and_a_follow_up_name_the_municipality_and_answer_as_before(
    client, world, coordinator, karlskogas_promise
):
    every_status(world, coordinator)
    agreement, follow_up = world["agreement"], world["follow_up"]

    (read_agreement, follow_ups, read_follow_up), statements = read_api(
        client,
        coordinator,
        f"/api/v1/agreements/{agreement.pk}",
        f"/api/v1/promises/{world['promise'].pk}/follow-ups",
        f"/api/v1/follow-ups/{follow_up.pk}",
    )

    assert joins_without_municipality(statements) == []
    for table in CHILD_TABLES:
        assert without_municipality(statements, table) == [], table
    assert {p["organisation"]["code"] for p in read_agreement["parties"]} == {
        "karlstad-kommunledning",
        "polisen-karlstad",
    }
    first, second = read_agreement["problems"]
    assert (first["categories"], first["areas"][0]["name"]) == (["ordning.drog"], "Centrum")
    assert (second["categories"], second["areas"]) == ([], [])
    assert [p["id"] for p in read_agreement["promises"]] == [world["promise"].pk]
    assert [f["id"] for f in follow_ups["items"]] == [follow_up.pk]
    assert sum(follow_ups["items"][0]["states"].values()) == 3
    assert [s["commitment"]["id"] for s in read_follow_up["statuses"]] == [
        world["police"].pk,
        world["violence"].pk,
        world["housing"].pk,
    ]
    assert read_follow_up["missing"] == []
