"""The Purple Flag API with the personas: 201 and the year's data for the coordinator, 422 by
field with nothing written, 403 for a partner's write, 404 for another municipality."""

from __future__ import annotations

import pytest

from trygg.core.models import AuditEntry
from trygg.measures.actions.measures import create_measure
from trygg.organisations.tests.factories import bearer
from trygg.places.tests.factories import box, make_area
from trygg.purpleflag.models import Assessment, Certification, MeasureTag
from trygg.purpleflag.tests.factories import evening_walk, make_year

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

YEARS = "/api/v1/purpleflag/years"


def send(client, user, path, body, method="post"):
    return getattr(client, method)(path, body, content_type="application/json", **bearer(user))


def errors(response, status=422) -> dict[str, str]:
    assert response.status_code == status, response.content
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def a_year(area, **fields) -> dict:
    return {
        "municipality": "1780",
        "area": area.pk,
        "year": 2026,
        "starts_on": "2026-01-15",
    } | fields


def test_the_coordinator_creates_and_reads_a_year(client, coordinator, centrum):
    response = send(client, coordinator, YEARS, a_year(centrum, application_due="2026-09-30"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["area_name"], body["step"], body["application_due"]) == (
        "Centrum",
        "preparation",
        "2026-09-30",
    )
    assert [row["focus_area"] for row in body["grid"]] == [
        "sakerhet",
        "tillganglighet",
        "utbud",
        "plats",
        "policy",
    ]
    assert AuditEntry.objects.filter(object_type="purpleflag.certification").count() == 1
    listed = client.get(YEARS, {"municipality": "1780"}, **bearer(coordinator)).json()
    assert listed["count"] == 1


def test_bad_input_is_a_422_on_its_field_and_nothing_is_written(
    client, coordinator, centrum, karlskoga
):
    elsewhere = make_area(karlskoga, "Karlskoga centrum", box(14.51, 59.32, 14.53, 59.33))
    assert "annan kommun" in errors(send(client, coordinator, YEARS, a_year(elsewhere)))["area"]
    reversed_dates = a_year(centrum, starts_on="2026-05-01", application_due="2026-04-01")
    assert (
        "före starten"
        in errors(send(client, coordinator, YEARS, reversed_dates))["application_due"]
    )
    assert not Certification.objects.exists()


def test_scores_steps_walks_and_measures_through_the_api(
    client, coordinator, kommunen, centrum, karlskoga, other_municipality_user
):
    year = make_year(coordinator, centrum)
    path = f"{YEARS}/{year.pk}"
    cells = {
        "cells": [
            {"focus_area": "plats", "zone": "20-23", "score": 2},
            {"focus_area": "policy", "zone": "02-05", "score": 9},
        ]
    }
    assert (
        "från 0 till 3"
        in errors(send(client, coordinator, f"{path}/assessment", cells, "put"))["cells.1.score"]
    )
    assert not Assessment.objects.exists()
    cells["cells"][1]["score"] = 3
    body = send(client, coordinator, f"{path}/assessment", cells, "put").json()
    assert body["grid"][3]["cells"][1]["score"] == 2

    step = {"step": "visit", "submitted_on": "2026-10-01", "visit_on": "2026-09-01"}
    assert (
        "kan inte ligga före" in errors(send(client, coordinator, f"{path}/step", step))["visit_on"]
    )
    step["visit_on"] = "2026-10-20"
    assert send(client, coordinator, f"{path}/step", step).json()["step"] == "visit"

    walk = evening_walk(kommunen, coordinator)
    body = send(client, coordinator, f"{path}/walks", {"walk": walk.pk}).json()
    assert [w["id"] for w in body["walks"]] == [walk.pk]
    assert body["grid"][0]["cells"][0]["walk_mean"] == 2.0

    theirs = create_measure(karlskoga, acting_user=other_municipality_user, title="Väktare")
    assert "measure" in errors(
        send(
            client,
            coordinator,
            f"{path}/measures",
            {"measure": theirs.pk, "focus_area": "sakerhet"},
        )
    )
    mine = create_measure(centrum.municipality, acting_user=coordinator, title="Ljus i parken")
    assert "focus_area" in errors(
        send(client, coordinator, f"{path}/measures", {"measure": mine.pk, "focus_area": "nattliv"})
    )
    body = send(
        client, coordinator, f"{path}/measures", {"measure": mine.pk, "focus_area": "plats"}
    ).json()
    assert body["measures"][3]["measures"][0]["title"] == "Ljus i parken"
    assert MeasureTag.objects.count() == 1


def test_a_partner_reads_but_may_not_write_and_another_municipality_finds_nothing(
    client, coordinator, housing_reporter, other_municipality_user, centrum
):
    year = make_year(coordinator, centrum)
    path = f"{YEARS}/{year.pk}"
    assert client.get(path, **bearer(housing_reporter)).status_code == 200
    response = send(client, housing_reporter, f"{path}/step", {"step": "self_assessment"})
    assert response.status_code == 403 and "samordnare" in response.json()["detail"]
    assert client.get(path, **bearer(other_municipality_user)).status_code == 404
    assert client.get(f"{path}/evening", **bearer(other_municipality_user)).status_code == 404
    assert send(client, other_municipality_user, YEARS, a_year(centrum)).status_code == 403


def test_the_evening_picture_by_zone(client, coordinator, centrum):
    year = make_year(coordinator, centrum)
    body = client.get(f"{YEARS}/{year.pk}/evening", **bearer(coordinator)).json()
    assert [z["zone"] for z in body["zones"]] == ["17-20", "20-23", "23-02", "02-05"]
    assert (body["first"], body["last"], body["earlier_first"]) == (
        "2026-01-01",
        "2026-11-21",
        "2025-01-01",
    )
