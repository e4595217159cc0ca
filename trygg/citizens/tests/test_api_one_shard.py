"""The residents' reports and the dialogues in the API name the municipality of every sharded
table they read (decision 0039): a report joins its event on the municipality too, its photos
and a dialogue's organisations present are read apart naming it, and the dialogues an
organisation took part in are found through the link rows first. The answers are those of the
plain relations, also with a second municipality's rows beside them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from trygg.citizens.actions import moderation
from trygg.citizens.tests.factories import dialogue as make_dialogue
from trygg.citizens.tests.factories import resident_report
from trygg.organisations.tests.one_shard import (
    joins_without_municipality,
    read_api,
    without_municipality,
)

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


@pytest.fixture(autouse=True)
def karlstad_takes_reports(coordinator, centrum, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_reports_join_their_event_in_the_municipality_and_read_their_photos_in_it(
    client, coordinator, police_officer
):
    pending, _token = resident_report(description="Lampan vid trappan är släckt", photos=[jpeg()])
    published, _token = resident_report(description="Mörkt i gångtunneln", photos=[jpeg()])
    moderation.publish(published, acting_user=coordinator)

    (listed, one), statements = read_api(
        client, coordinator, "/api/v1/citizen-reports", f"/api/v1/citizen-reports/{pending.pk}"
    )
    partner = read_api(client, police_officer, "/api/v1/citizen-reports")
    (partner_list,), partner_statements = partner

    for sent in (statements, partner_statements):
        assert joins_without_municipality(sent) == []
        assert without_municipality(sent, "citizens_reportphoto") == []
    # The coordinator moderates: both, newest first, each with its photo.
    assert [item["id"] for item in listed["items"]] == [published.pk, pending.pk]
    assert listed["count"] == 2
    assert [len(item["photos"]) for item in listed["items"]] == [1, 1]
    assert (one["event"], one["area"]["name"], one["moderation"]) == (
        pending.event_id,
        "Centrum",
        "pending",
    )
    assert one["description"] == "Lampan vid trappan är släckt"
    assert [photo["review"] for photo in one["photos"]] == ["pending"]
    # A partner sees the published one only, and none of its photos before they are approved.
    assert [item["id"] for item in partner_list["items"]] == [published.pk]
    assert partner_list["items"][0]["photos"] == []


def test_dialogues_are_found_through_their_link_rows_and_show_who_was_there(
    client, coordinator, police_officer, karlstad, karlskoga, kommunen, polisen,
    other_municipality_user, karlskoga_kommun,
):  # fmt: skip
    held = dt.date(2026, 4, 15)
    ours = make_dialogue(coordinator, karlstad, [kommunen, polisen], held_on=held)
    # Karlskoga's, with Karlstad's police present: the officer sees it, the coordinator not.
    theirs = make_dialogue(
        other_municipality_user,
        karlskoga,
        [karlskoga_kommun, polisen],
        held_on=held - dt.timedelta(days=1),
        place_name="Karlskoga torg",
    )

    (listed, one), statements = read_api(
        client, police_officer, "/api/v1/dialogues", f"/api/v1/dialogues/{theirs.pk}"
    )
    (own,), own_statements = read_api(client, coordinator, "/api/v1/dialogues")

    for sent in (statements, own_statements):
        assert joins_without_municipality(sent) == []
        # The link rows of the user's organisations are looked up in every municipality (they
        # may have been present anywhere); those of the dialogues read name their municipality.
        unnamed = without_municipality(sent, "citizens_dialogue_organisations")
        assert [sql for sql in unnamed if '"dialogue_id" IN' in sql] == []
    assert [item["id"] for item in listed["items"]] == [ours.pk, theirs.pk]
    assert listed["count"] == 2
    assert [o["code"] for o in listed["items"][0]["organisations"]] == [
        kommunen.code,
        polisen.code,
    ]
    assert (one["municipality"], one["place_name"]) == ("1883", "Karlskoga torg")
    assert sorted(o["code"] for o in one["organisations"]) == sorted(
        [karlskoga_kommun.code, polisen.code]
    )
    assert [item["id"] for item in own["items"]] == [ours.pk]
