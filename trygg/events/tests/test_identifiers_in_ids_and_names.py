"""Fields kept verbatim (external ids) refuse personal identifiers; file names are scrubbed."""

import json

import pytest

from trygg.events.importers import csv_rows
from trygg.events.importers.base import ImportContext, ImportFailed, run_import
from trygg.events.models import Event, ImportRun
from trygg.organisations.actions import create_token

HEADER = "external_id,occurred_at,category,lat,lon,description\n"


def test_a_csv_row_whose_id_is_a_personal_identity_number_is_refused(tmp_path, bostadsbolaget):
    path = tmp_path / "rapporter.csv"
    path.write_text(HEADER + "19850412-1230,2026-03-01 21:30,Klotter,59.38,13.50,x\n", "utf-8")
    ctx = ImportContext(
        source="partner", importer="csv", file_name="r.csv", organisation=bostadsbolaget
    )
    with pytest.raises(ImportFailed) as failed:
        run_import(csv_rows.parse(csv_rows.read(path), organisation=bostadsbolaget), ctx)
    (error,) = failed.value.report.errors
    assert (error.row, error.field) == (2, "external_id")
    assert "personuppgift" in error.message
    assert not Event.objects.exists()


def test_the_api_refuses_an_external_id_that_is_a_phone_number(
    client, housing_reporter, bostadsbolaget
):
    _, secret = create_token(housing_reporter)
    body = {
        "category": "skadegorelse.klotter",
        "occurred_from": "2026-03-01T21:30:00",
        "lat": 59.3793,
        "lon": 13.5036,
        "external_id": "070-123 45 67",
    }
    response = client.post(
        "/api/v1/events",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "external_id"
    assert not Event.objects.exists()


def test_an_import_run_keeps_its_file_name_without_a_personal_identity_number(
    tmp_path, bostadsbolaget
):
    path = tmp_path / "x.csv"
    path.write_text(HEADER + "r1,2026-03-01 21:30,Klotter,59.38,13.50,x\n", "utf-8")
    ctx = ImportContext(
        source="partner",
        importer="csv",
        file_name="rapport_850412-1230.csv",
        organisation=bostadsbolaget,
    )
    run_import(csv_rows.parse(csv_rows.read(path), organisation=bostadsbolaget), ctx)
    assert "850412-1230" not in ImportRun.objects.get().file_name
