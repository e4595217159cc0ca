"""The presence API names the municipality of every sharded table it reads (decision 0039): a
shift joins its group, an inspection its premise and licence on the municipality too; a shift
report, a premise's licences and an inspection's organisations, findings and measures are read
naming it. The answers are those of the plain relations, with a second municipality's shift
beside them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from trygg.organisations.tests.factories import bearer
from trygg.organisations.tests.one_shard import (
    joins_without_municipality,
    read_api,
    without_municipality,
)
from trygg.places.tests.factories import make_area
from trygg.presence.tests.factories import make_group, make_shift

pytestmark = pytest.mark.frozen  # NOW: Sunday 2026-11-22 12:00

LAST_NIGHT = dt.date(2026, 11, 21)
KARLSKOGA_BOX = {
    "type": "Polygon",
    "coordinates": [[[14.5, 59.3], [14.6, 59.3], [14.6, 59.35], [14.5, 59.35], [14.5, 59.3]]],
}


def _send(client, user, path, body, method="post"):
    call = getattr(client, method)
    response = call(path, body, content_type="application/json", **bearer(user))
    assert response.status_code == 201, response.content
    return response.json()


def test_shifts_and_a_shift_report_name_the_municipality(
    client, coordinator, police_officer, ungdomar, walkers, centrum, karlskoga_kommun
):
    youth = make_shift(ungdomar, centrum, LAST_NIGHT)
    night = make_shift(walkers, centrum, LAST_NIGHT, start=(22, 0), end=(1, 0), people=3)
    karlskoga_area = make_area(karlskoga_kommun.municipality, "Karlskoga centrum", KARLSKOGA_BOX)
    make_shift(make_group(karlskoga_kommun, "Karlskogas vandrare"), karlskoga_area, LAST_NIGHT)
    report = {
        "client_id": str(uuid.uuid4()),
        "met": {"under_13": 0, "13_17": 4, "18_25": 2, "over_25": 1},
        "interventions": {"talks": 3},
        "note": "Lugnt vid torget",
        "observations": [
            {
                "client_id": str(uuid.uuid4()),
                "category": "skadegorelse.klotter",
                "observed_at": "2026-11-21T21:40",
                "lat": 59.3800,
                "lon": 13.5030,
                "note": "Nytt klotter",
            }
        ],
    }
    _send(client, coordinator, f"/api/v1/presence/shifts/{youth.pk}/report", report)

    (listed, one, filed), statements = read_api(
        client,
        police_officer,
        "/api/v1/presence/shifts",
        f"/api/v1/presence/shifts/{night.pk}",
        f"/api/v1/presence/shifts/{youth.pk}/report",
    )

    assert joins_without_municipality(statements) == []
    assert without_municipality(statements, "presence_shiftreport") == []
    assert [(s["id"], s["group"]["name"], s["organisation"]) for s in listed["items"]] == [
        (youth.pk, "Ungdomar för trygghet", "karlstad-kommunledning"),
        (night.pk, "Nattvandrarna", "nattvandrarna-karlstad"),
    ]
    assert [c["id"] for c in listed["items"][1]["clashes"]] == [youth.pk]
    assert (one["group"]["name"], one["municipality"], one["area"]["name"]) == (
        "Nattvandrarna",
        "1780",
        "Centrum",
    )
    assert (filed["shift"], filed["met_total"]) == (youth.pk, 7)
    assert [o["category"] for o in filed["observations"]] == ["skadegorelse.klotter"]


def test_premises_and_inspections_name_the_municipality(
    client, coordinator, police_officer, kommunen, polisen, kajen
):
    inspection = _send(
        client,
        police_officer,
        "/api/v1/presence/inspections",
        {
            "premise": kajen.pk,
            "starts_at": "2026-11-20T23:30",
            "kind": "overserving",
            "organisations": [kommunen.code, polisen.code],
            "organisation": polisen.code,
            "findings": [{"category": "krog.overservering", "description": "Berusad gäst"}],
        },
    )
    path = f"/api/v1/presence/inspections/{inspection['id']}"
    follow_up = {"title": "Samtal med krögaren", "responsible": kommunen.code}
    [measure] = _send(client, coordinator, f"{path}/measures", follow_up)["measures"]

    (premises, premise, listed, one), statements = read_api(
        client,
        police_officer,
        "/api/v1/presence/premises",
        f"/api/v1/presence/premises/{kajen.pk}",
        "/api/v1/presence/inspections",
        path,
    )

    assert joins_without_municipality(statements) == []
    for table in (
        "presence_licence",
        "presence_inspection_organisations",
        "presence_inspection_findings",
        "presence_inspection_measures",
    ):
        assert without_municipality(statements, table) == [], table
    assert [p["name"] for p in premises["items"]] == ["Restaurang Kajen"]
    assert premise["licence_today"]["holder"] == "Kajen i Karlstad AB"
    assert [len(p["licences"]) for p in (premises["items"][0], premise)] == [1, 1]
    for body in (listed["items"][0], one):
        assert (body["premise"]["name"], body["licence_holder"]) == (
            "Restaurang Kajen",
            "Kajen i Karlstad AB",
        )
        assert [o["code"] for o in body["organisations"]] == [kommunen.code, polisen.code]
        assert [f["category"] for f in body["findings"]] == ["krog.overservering"]
        assert [(m["id"], m["title"]) for m in body["measures"]] == [
            (measure["id"], "Samtal med krögaren")
        ]
