"""The promises API with the personas: who reads what (the municipality's staff; 404 for
another municipality), who writes (the parties; the owner for a status; 403 for the rest),
the actions' checks as JSON by field with nothing written, and the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.core.models import AuditEntry
from trygg.events.models import Category, Visibility
from trygg.measures.actions.measures import create_measure
from trygg.promises.actions.follow_ups import publish_follow_up
from trygg.promises.models import Commitment, CommitmentStatus
from trygg.promises.tests.api_calls import (
    SEED_TEXT,
    a_commitment,
    errors,
    every_status,
    get,
    send,
)
from trygg.promises.tests.factories import commit

pytestmark = [pytest.mark.frozen, pytest.mark.usefixtures("fast_passwords")]


# --- reading ----------------------------------------------------------------------------------


def test_staff_read_the_agreement_with_its_parties_steps_and_ranked_problems(
    client, world, housing_reporter
):
    listed = get(client, housing_reporter, "/api/v1/agreements", municipality="1780").json()
    assert [a["id"] for a in listed["items"]] == [world["agreement"].pk]

    body = get(client, housing_reporter, f"/api/v1/agreements/{world['agreement'].pk}").json()
    assert {(p["organisation"]["code"], p["role"]) for p in body["parties"]} == {
        ("karlstad-kommunledning", "municipality"),
        ("polisen-karlstad", "police"),
    }
    assert [s["position"] for s in body["steps"]] == list(range(1, 10))
    dialogues = next(s for s in body["steps"] if s["step"] == "dialogues")
    assert dialogues["done_on"] == "2023-05-17"
    first, second = body["problems"]
    assert (first["title"], first["rank"], first["categories"]) == (
        "Narkotika- och alkoholrelaterad brottslighet",
        1,
        ["ordning.drog"],
    )
    assert first["cause_analysis"]["times"] == "Fredag och lördag natt"
    assert first["areas"][0]["name"] == "Centrum"
    assert (second["rank"], second["cause_analysis"]) == (None, None)
    assert body["promises"][0]["id"] == world["promise"].pk


def test_the_promise_shows_the_adopted_version_and_the_working_copy_apart(
    client, world, coordinator, polisen
):
    promise = world["promise"]
    draft = commit(promise, polisen, coordinator, text="Ett utkast till nästa version")

    body = get(client, coordinator, f"/api/v1/promises/{promise.pk}").json()
    assert body["current"]["number"] == 1
    adopted = [c["text"] for c in body["current"]["snapshot"]["commitments"]]
    assert adopted[0] == SEED_TEXT  # the police column first, as printed
    assert "Ett utkast till nästa version" not in adopted
    working = {c["id"]: c for c in body["commitments"]}
    assert working[draft.pk]["added_in"] is None
    assert working[world["police"].pk]["added_in"] == 1
    assert working[world["police"].pk]["target_text"] == "minst 1 per månad"
    assert [c["column"] for c in body["commitments"]] == [
        "police",
        "police",
        "together",
        "municipality",
    ]
    assert [v["number"] for v in body["versions"]] == [1]

    versions = get(client, coordinator, f"/api/v1/promises/{promise.pk}/versions").json()
    assert versions[0]["snapshot"]["problems"] == ["Narkotika- och alkoholrelaterad brottslighet"]
    listed = get(client, coordinator, "/api/v1/promises", municipality="1780").json()
    assert listed["items"][0]["current_version"]["adopted_by"] == "KS"


def test_another_municipality_finds_nothing_and_writes_nothing(
    client, world, other_municipality_user
):
    user = other_municipality_user
    assert get(client, user, "/api/v1/agreements").json() == {"count": 0, "items": []}
    assert get(client, user, "/api/v1/promises").json() == {"count": 0, "items": []}
    commitment, follow_up = world["police"], world["follow_up"]
    for path in (
        f"/api/v1/agreements/{world['agreement'].pk}",
        f"/api/v1/promises/{world['promise'].pk}",
        f"/api/v1/promises/{world['promise'].pk}/commitments",
        f"/api/v1/promises/{world['promise'].pk}/follow-ups",
        f"/api/v1/commitments/{commitment.pk}",
        f"/api/v1/follow-ups/{follow_up.pk}",
    ):
        assert get(client, user, path).status_code == 404, path
    response = send(
        client, user, "post", f"/api/v1/promises/{world['promise'].pk}/commitments", a_commitment()
    )
    assert response.status_code == 404
    response = send(
        client,
        user,
        "post",
        f"/api/v1/follow-ups/{follow_up.pk}/statuses",
        {"commitment": commitment.pk, "state": "on_plan"},
    )
    assert response.status_code == 404
    assert Commitment.objects.count() == 3 and not CommitmentStatus.objects.exists()


def test_the_api_needs_a_token(client, world):
    assert client.get("/api/v1/promises").status_code == 401


# --- writing commitments ----------------------------------------------------------------------


def test_a_party_adds_a_commitment_through_the_action_scrubbed_and_audited(
    client, world, police_officer
):
    body = a_commitment() | {"text": "Fotpatrullering i centrum, ring 070-123 45 67"}
    response = send(
        client,
        police_officer,
        "post",
        f"/api/v1/promises/{world['promise'].pk}/commitments",
        body,
    )
    assert response.status_code == 201, response.content
    created = Commitment.objects.get(pk=response.json()["id"])
    assert "070-123 45 67" not in created.text
    assert response.json()["added_in"] is None and response.json()["owner"]["code"] == (
        "polisen-karlstad"
    )
    assert AuditEntry.objects.filter(
        object_type="promises.commitment", object_id=str(created.pk), action="create"
    ).exists()


def test_a_partner_outside_the_agreement_reads_but_may_not_write(client, world, housing_reporter):
    path = f"/api/v1/promises/{world['promise'].pk}/commitments"
    assert get(client, housing_reporter, path).json()["count"] == 3
    response = send(client, housing_reporter, "post", path, a_commitment())
    assert response.status_code == 403
    assert "parter" in response.json()["detail"]
    police = world["police"]
    response = send(
        client, housing_reporter, "patch", f"/api/v1/commitments/{police.pk}", {"text": "Inget"}
    )
    assert response.status_code == 403
    police.refresh_from_db()
    assert police.text == SEED_TEXT and Commitment.objects.count() == 3


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"owner": None}, "owner", "Varje åtagande behöver en ansvarig organisation."),
        ({"owner": "ingen"}, "owner", "Okänd organisation."),
        ({"owner": "karlskoga-kommun"}, "owner", "hör inte till kommunen"),
        ({"column": "alla"}, "column", "Välj vem som lovar"),
        ({"text": " "}, "text", "Skriv vad som utlovas."),
        ({"colour": "blå"}, "colour", "Okänt fält."),
        (
            {"target_value": 4, "target_comparison": "at_least", "target_per": "year"},
            "indicator_kind",
            "Ett mätbart mål behöver en indikator som mäter det.",
        ),
        (
            {"indicator_kind": "walks_held", "target_comparison": "fewer"},
            "target_comparison",
            "kan inte jämföras",
        ),
        ({"indicator_kind": "entered"}, "indicator_source", "Ange var värdet kommer ifrån"),
        ({"indicator_kind": "events", "indicator_category": "ufo"}, "indicator_category", "Okänd"),
        ({"indicator_kind": "horoskop"}, "indicator_kind", "Okänd indikator."),
        ({"measure_ids": [999999]}, "measure_ids", "finns inte eller syns inte"),
        ({"target_value": "mycket"}, "target_value", "Ange ett tal."),
        ({"target_value": 1.234}, "target_value", "Högst två decimaler."),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(
    client, world, coordinator, karlskoga_kommun, fields, field, message
):
    body = {**a_commitment(), **fields}
    response = send(
        client, coordinator, "post", f"/api/v1/promises/{world['promise'].pk}/commitments", body
    )
    found = errors(response)
    assert field in found, found
    assert message in found[field]
    assert Commitment.objects.count() == 3


def test_a_measure_of_another_municipality_is_refused(
    client, world, coordinator, karlskoga, other_municipality_user
):
    measure = create_measure(karlskoga, acting_user=other_municipality_user, title="Belysning")
    body = a_commitment() | {"measure_ids": [measure.pk]}
    response = send(
        client, coordinator, "post", f"/api/v1/promises/{world['promise'].pk}/commitments", body
    )
    # The measure is not even visible to Karlstad's coordinator: the same answer as unknown.
    assert "measure_ids" in errors(response)


def test_patch_changes_only_what_is_sent_and_put_replaces_the_whole(
    client, world, police_officer, coordinator, kommunen
):
    police = world["police"]
    measure = create_measure(
        police.promise.agreement.municipality,
        acting_user=coordinator,
        title="Krogkontroll i krogstråket",
    )
    path = f"/api/v1/commitments/{police.pk}"
    response = send(client, police_officer, "patch", path, {"measure_ids": [measure.pk]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["measure_ids"] == [measure.pk]
    assert (body["text"], body["indicator_kind"], body["target_per"]) == (
        SEED_TEXT,
        "measures_done",
        "month",
    )
    assert AuditEntry.objects.filter(
        object_type="promises.commitment", object_id=str(police.pk), field="measures"
    ).exists()

    assert "text" in errors(send(client, police_officer, "patch", path, {"text": None}))
    assert "body" in errors(send(client, police_officer, "patch", path, {}))
    # A target the indicator cannot measure: refused, nothing changed.
    refused = send(client, police_officer, "patch", path, {"indicator_kind": ""})
    assert "indicator_kind" in errors(refused)
    police.refresh_from_db()
    assert police.indicator_kind == "measures_done"

    replaced = send(
        client,
        coordinator,
        "put",
        path,
        {"column": "together", "text": "Krogkontroller tillsammans", "owner": kommunen.code},
    )
    assert replaced.status_code == 200, replaced.content
    body = replaced.json()
    assert (body["column"], body["indicator_kind"], body["target_value"], body["measure_ids"]) == (
        "together",
        "",
        None,
        [],
    )


# --- indicators -------------------------------------------------------------------------------


def test_the_indicator_kinds_are_listed(client, world, analyst):
    kinds = {k["key"]: k for k in get(client, analyst, "/api/v1/indicators").json()}
    assert {"measures_done", "events", "walks_held", "dialogues_held"} <= set(kinds)
    assert kinds["events"]["compares"] and kinds["events"]["requires_category"]
    assert not kinds["walks_held"]["compares"]


def test_a_commitments_indicator_is_counted_for_a_period_and_compared(
    client, world, analyst, make_event, kommunen, centrum
):
    at = {
        "category": Category.objects.get(code="ordning.vald"),
        "occurred_from": dt.datetime(2023, 10, 7, 23, 0, tzinfo=dt.UTC),
        "area": centrum,
    }
    for _ in range(3):
        make_event(kommunen, Visibility.PARTNERS, **at)
    make_event(kommunen, Visibility.ORGANISATION, **at)
    commitment = world["violence"]
    path = f"/api/v1/commitments/{commitment.pk}/indicator"

    body = get(client, analyst, path, start="2023-09-01", end="2023-12-31").json()
    assert body["value"] == 3  # what every partner sees: not the organisation's own
    assert body["baseline"]["count"] == 0 and body["baseline"]["start"] == "2023-01-01"
    assert body["baseline"]["verdict"] == "too_few"
    assert body["progress"]["suggested"] is None  # too few to say: never "better"
    assert body["category"] == "ordning.vald" and body["area"]["name"] == "Centrum"

    assert "end" in errors(get(client, analyst, path, start="2023-12-31", end="2023-09-01"))
    entered = f"/api/v1/commitments/{world['housing'].pk}/indicator"
    found = errors(get(client, analyst, entered, start="2023-09-01", end="2023-12-31"), 409)
    assert "indicator_kind" in found


# --- follow-ups -------------------------------------------------------------------------------


def test_the_owner_records_a_status_and_the_computed_value_is_kept(client, world, police_officer):
    follow_up, police = world["follow_up"], world["police"]
    path = f"/api/v1/follow-ups/{follow_up.pk}/statuses"
    first = send(client, police_officer, "post", path, {"commitment": police.pk, "state": "behind"})
    assert first.status_code == 201, first.content
    assert first.json()["value"] == 0.0
    assert first.json()["computed"]["target"]["months_met"] == [0, 4]
    again = send(
        client,
        police_officer,
        "post",
        path,
        {"commitment": police.pk, "state": "behind", "note": "Inga kontroller under hösten."},
    )
    assert again.status_code == 200 and CommitmentStatus.objects.count() == 1

    detail = get(client, police_officer, f"/api/v1/follow-ups/{follow_up.pk}").json()
    assert [s["commitment"]["id"] for s in detail["statuses"]] == [police.pk]
    assert detail["statuses"][0]["note"] == "Inga kontroller under hösten."
    assert {c["id"] for c in detail["missing"]} == {world["housing"].pk, world["violence"].pk}
    listed = get(client, police_officer, f"/api/v1/promises/{world['promise'].pk}/follow-ups")
    assert listed.json()["items"][0]["states"]["behind"] == 1


def test_recording_a_status_and_changing_a_commitment_join_in_the_municipality(
    client, world, police_officer, coordinator
):
    """Citus refuses a join of a status with its commitment, or of the commitment's link rows
    with the measures, on ids alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.organisations.tests.one_shard import joins_without_municipality

    police = world["police"]
    path = f"/api/v1/follow-ups/{world['follow_up'].pk}/statuses"
    with CaptureQueriesContext(connection) as queries:
        recorded = send(
            client, police_officer, "post", path, {"commitment": police.pk, "state": "behind"}
        )
        changed = send(
            client, coordinator, "patch", f"/api/v1/commitments/{police.pk}", {"text": "Nytt"}
        )
    assert (recorded.status_code, changed.status_code) == (201, 200), changed.content
    assert joins_without_municipality([q["sql"] for q in queries.captured_queries]) == []


def test_a_partner_reports_for_its_own_commitment_only(client, world, housing_reporter):
    path = f"/api/v1/follow-ups/{world['follow_up'].pk}/statuses"
    own = {"commitment": world["housing"].pk, "state": "on_plan", "value": "12"}
    found = errors(send(client, housing_reporter, "post", path, own))
    assert found == {"value_source": "Ange var värdet kommer ifrån."}
    response = send(
        client, housing_reporter, "post", path, own | {"value_source": "KBAB:s fastighetssystem"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["value"] == 12.0
    refused = send(
        client, housing_reporter, "post", path, {"commitment": world["police"].pk, "state": "done"}
    )
    assert refused.status_code == 403
    assert CommitmentStatus.objects.count() == 1


def test_bad_statuses_are_refused_by_field(client, world, coordinator):
    follow_up = world["follow_up"]
    path = f"/api/v1/follow-ups/{follow_up.pk}/statuses"
    police = world["police"].pk
    assert "reason" in errors(
        send(client, coordinator, "post", path, {"commitment": police, "state": "dropped"})
    )
    assert "value" in errors(
        send(client, coordinator, "post", path, {"commitment": police, "state": "done", "value": 3})
    )
    assert "state" in errors(
        send(client, coordinator, "post", path, {"commitment": police, "state": "kanske"})
    )
    assert "commitment" in errors(
        send(client, coordinator, "post", path, {"commitment": 999999, "state": "done"})
    )
    assert "who" in errors(
        send(client, coordinator, "post", path, {"commitment": police, "state": "done", "who": 1})
    )
    assert not CommitmentStatus.objects.exists()


def test_a_published_follow_up_does_not_change(client, world, coordinator):
    follow_up = world["follow_up"]
    every_status(world, coordinator)
    publish_follow_up(
        follow_up,
        summary="",
        next_steps="Fortsätter.",
        published_on=dt.date(2024, 1, 15),
        acting_user=coordinator,
    )
    response = send(
        client,
        coordinator,
        "post",
        f"/api/v1/follow-ups/{follow_up.pk}/statuses",
        {"commitment": world["police"].pk, "state": "behind"},
    )
    assert "publicerad" in errors(response)["state"]
    assert set(CommitmentStatus.objects.values_list("state", flat=True)) == {"on_plan"}
    detail = get(client, coordinator, f"/api/v1/follow-ups/{follow_up.pk}").json()
    assert detail["published_on"] == "2024-01-15" and detail["missing"] == []


# --- the document -----------------------------------------------------------------------------


def test_the_openapi_document_builds_with_the_promise_paths(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/api/v1/agreements": {"get"},
        "/api/v1/agreements/{agreement_id}": {"get"},
        "/api/v1/promises": {"get"},
        "/api/v1/promises/{promise_id}": {"get"},
        "/api/v1/promises/{promise_id}/versions": {"get", "post"},
        "/api/v1/promises/{promise_id}/commitments": {"get", "post"},
        "/api/v1/commitments/{commitment_id}": {"get", "patch", "put", "delete"},
        "/api/v1/commitments/{commitment_id}/removal": {"put", "delete"},
        "/api/v1/commitments/{commitment_id}/indicator": {"get"},
        "/api/v1/indicators": {"get"},
        "/api/v1/promises/{promise_id}/follow-ups": {"get", "post"},
        "/api/v1/follow-ups/{follow_up_id}": {"get"},
        "/api/v1/follow-ups/{follow_up_id}/statuses": {"post"},
        "/api/v1/follow-ups/{follow_up_id}/publish": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
    bodies = {
        ("/api/v1/promises/{promise_id}/commitments", "post"): {
            "column",
            "text",
            "owner",
            "indicator_kind",
            "measure_ids",
        },
        ("/api/v1/promises/{promise_id}/versions", "post"): {"adopted_on", "adopted_by", "changes"},
        ("/api/v1/commitments/{commitment_id}/removal", "put"): {
            "removal_reason",
            "measures_on_removal",
            "move_measures_to",
        },
        ("/api/v1/promises/{promise_id}/follow-ups", "post"): {"first_day", "last_day"},
        ("/api/v1/follow-ups/{follow_up_id}/publish", "post"): {
            "summary",
            "next_steps",
            "published_on",
        },
    }
    for (path, method), fields in bodies.items():
        body = paths[path][method]["requestBody"]["content"]["application/json"]["schema"]
        assert fields <= set(body["properties"]), path
    assert paths["/api/v1/indicators"]["get"]["summary"] == "Indikatorsorterna"
    assert paths["/api/v1/commitments/{commitment_id}"]["delete"]["summary"] == (
        "Ta bort ett utkast till åtagande"
    )
