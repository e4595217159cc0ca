"""The promises API's writes beyond a commitment's fields: adopting a version, marking a
commitment for removal and keeping it, deleting a draft, opening and publishing a follow-up.
For each: what is written with its audit row, bad input by field with nothing written, 404 for
another municipality and 403 for a partner who is not a party."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.core.audit import object_type
from trygg.core.models import AuditEntry
from trygg.measures.actions.measures import create_measure
from trygg.promises.actions.follow_ups import record_status
from trygg.promises.actions.promises import adopt, mark_for_removal
from trygg.promises.models import Commitment, FollowUp, PromiseVersion
from trygg.promises.tests.api_calls import errors, every_status, send
from trygg.promises.tests.factories import commit, make_promise

pytestmark = [pytest.mark.frozen, pytest.mark.usefixtures("fast_passwords")]

T1_2024 = {"first_day": "2024-01-01", "last_day": "2024-04-30"}


def audit_rows(obj, **filters):
    return AuditEntry.objects.filter(object_type=object_type(obj), object_id=str(obj.pk), **filters)


def refused_to_outsiders(client, other_municipality_user, housing_reporter, method, path, body):
    """404 for another municipality, 403 with the reason for a partner outside the agreement."""
    assert send(client, other_municipality_user, method, path, body).status_code == 404
    response = send(client, housing_reporter, method, path, body)
    assert response.status_code == 403, response.content
    assert "parter" in response.json()["detail"]


# --- adopting ---------------------------------------------------------------------------------


def test_a_revision_is_adopted_with_the_drafts_and_audited(client, world, police_officer, polisen):
    promise = world["promise"]
    draft = commit(promise, polisen, police_officer, text="Fotpatrullering i centrum")
    body = {"adopted_on": "2024-10-22", "adopted_by": "KS och LPO", "changes": "Fotpatrullering."}
    response = send(client, police_officer, "post", f"/api/v1/promises/{promise.pk}/versions", body)
    assert response.status_code == 201, response.content
    version = response.json()
    assert (version["number"], version["is_revision"], version["changes"]) == (
        2,
        True,
        "Fotpatrullering.",
    )
    assert "Fotpatrullering i centrum" in [c["text"] for c in version["snapshot"]["commitments"]]
    draft.refresh_from_db()
    assert draft.added_in is not None and draft.added_in.number == 2
    assert audit_rows(draft.added_in, action="create").exists()


def test_the_first_adoption_takes_no_changes(client, world, coordinator, kommunen):
    promise = make_promise(world["agreement"], coordinator, title="Medborgarlöfte centrum")
    commit(promise, kommunen, coordinator, text="Belysning i parken", column="municipality")
    path = f"/api/v1/promises/{promise.pk}/versions"
    body = {"adopted_on": "2023-06-20", "adopted_by": "Kommunstyrelsen"}
    found = errors(send(client, coordinator, "post", path, body | {"changes": "Allt är nytt."}))
    assert "första gången" in found["changes"]
    assert not promise.versions.exists()
    response = send(client, coordinator, "post", path, body)
    assert response.status_code == 201, response.content
    assert (response.json()["number"], response.json()["is_revision"]) == (1, False)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"changes": " "}, "changes", "Beskriv för invånarna vad revideringen ändrar."),
        ({"adopted_by": " "}, "adopted_by", "Ange vem som antog löftet."),
        ({"adopted_on": "2027-08-01"}, "adopted_on", "under löftets period"),
        ({"adopted_on": None}, "adopted_on", ""),
        ({"adopted_on": "i morgon"}, "adopted_on", ""),
        ({"number": 7}, "number", "Okänt fält."),
    ],
)
def test_a_revision_that_cannot_be_adopted_is_refused_by_field(
    client, world, coordinator, fields, field, message
):
    promise = world["promise"]
    body = {"adopted_on": "2024-10-22", "adopted_by": "KS", "changes": "Nytt mål."} | fields
    response = send(client, coordinator, "post", f"/api/v1/promises/{promise.pk}/versions", body)
    assert message in errors(response)[field]
    assert PromiseVersion.objects.filter(promise=promise).count() == 1


def test_only_the_parties_adopt(client, world, other_municipality_user, housing_reporter):
    path = f"/api/v1/promises/{world['promise'].pk}/versions"
    body = {"adopted_on": "2024-10-22", "adopted_by": "KS", "changes": "Nytt mål."}
    refused_to_outsiders(client, other_municipality_user, housing_reporter, "post", path, body)
    assert PromiseVersion.objects.count() == 1


# --- removing a commitment --------------------------------------------------------------------


@pytest.fixture
def open_measure(world, coordinator):
    """A measure not yet done under the police commitment."""
    police = world["police"]
    measure = create_measure(
        police.promise.agreement.municipality, acting_user=coordinator, title="Krogkontroll"
    )
    police.measures.add(measure)
    return measure


def test_a_commitment_is_marked_for_removal_and_kept_again(
    client, world, police_officer, open_measure
):
    police, violence = world["police"], world["violence"]
    path = f"/api/v1/commitments/{police.pk}/removal"
    body = {
        "removal_reason": "Ersätts av åtagandet om våld i centrum; frågor till 070-123 45 67",
        "measures_on_removal": "move",
        "move_measures_to": violence.pk,
    }
    response = send(client, police_officer, "put", path, body)
    assert response.status_code == 200, response.content
    assert response.json()["measures_on_removal"] == "move"
    assert "070-123 45 67" not in response.json()["removal_reason"]
    police.refresh_from_db()
    assert (police.is_marked_for_removal, police.move_measures_to) == (True, violence)
    assert audit_rows(police, action="update", field="removal_reason").exists()

    kept = send(client, police_officer, "delete", path)
    assert kept.status_code == 200, kept.content
    assert (kept.json()["removal_reason"], kept.json()["measures_on_removal"]) == ("", "")
    police.refresh_from_db()
    assert not police.is_marked_for_removal and police.move_measures_to is None
    assert audit_rows(police, field="removal_reason").count() == 2


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"removal_reason": " "}, "removal_reason", "Skriv varför åtagandet tas bort."),
        ({"measures_on_removal": ""}, "measures_on_removal", "1 åtgärder"),
        ({"measures_on_removal": "glöm"}, "measures_on_removal", "Okänt val"),
        ({"move_measures_to": None}, "move_measures_to", "Välj åtagandet"),
        ({"move_measures_to": 999999}, "move_measures_to", "finns inte i löftet"),
        ({"move_measures_to": "self"}, "move_measures_to", "ett annat åtagande"),
        ({"removal_reason": None}, "removal_reason", ""),
        ({"when": "snart"}, "when", "Okänt fält."),
    ],
)
def test_a_removal_that_leaves_measures_unsaid_is_refused_by_field(
    client, world, coordinator, open_measure, fields, field, message
):
    police = world["police"]
    body = {"removal_reason": "Ersätts", "measures_on_removal": "move"} | fields
    if body.get("move_measures_to") == "self":
        body["move_measures_to"] = police.pk
    response = send(client, coordinator, "put", f"/api/v1/commitments/{police.pk}/removal", body)
    assert message in errors(response)[field]
    police.refresh_from_db()
    assert not police.is_marked_for_removal
    assert not audit_rows(police, action="update").exists()


def test_a_draft_is_not_marked_for_removal(client, world, coordinator, polisen):
    draft = commit(world["promise"], polisen, coordinator, text="Ett utkast")
    path = f"/api/v1/commitments/{draft.pk}/removal"
    found = errors(send(client, coordinator, "put", path, {"removal_reason": "Behövs inte"}))
    assert "ta bort det direkt" in found["removal_reason"]


def test_a_commitment_a_revision_removed_cannot_be_kept(client, world, coordinator):
    housing = world["housing"]
    housing.refresh_from_db()  # adopted since the fixture made it
    mark_for_removal(housing, reason="Sköts av bolaget", acting_user=coordinator)
    adopt(
        world["promise"],
        adopted_on=dt.date(2024, 10, 22),
        adopted_by="KS",
        changes="Trapphusen sköts av bolaget.",
        acting_user=coordinator,
    )
    response = send(client, coordinator, "delete", f"/api/v1/commitments/{housing.pk}/removal")
    assert "redan borttaget" in errors(response, 409)["removed_in"]
    housing.refresh_from_db()
    assert housing.is_removed and housing.removal_reason == "Sköts av bolaget"


def test_only_the_parties_mark_or_keep(
    client, world, coordinator, other_municipality_user, housing_reporter
):
    housing = world["housing"]  # the housing company's own commitment: still not theirs to drop
    path = f"/api/v1/commitments/{housing.pk}/removal"
    body = {"removal_reason": "Behövs inte"}
    refused_to_outsiders(client, other_municipality_user, housing_reporter, "put", path, body)
    housing.refresh_from_db()  # adopted since the fixture made it
    assert not housing.is_marked_for_removal
    mark_for_removal(housing, reason="Sköts av bolaget", acting_user=coordinator)
    refused_to_outsiders(client, other_municipality_user, housing_reporter, "delete", path, "")
    housing.refresh_from_db()
    assert housing.removal_reason == "Sköts av bolaget"


# --- deleting a draft -------------------------------------------------------------------------


def test_a_draft_is_deleted_and_the_deletion_audited(client, world, police_officer, polisen):
    draft = commit(world["promise"], polisen, police_officer, text="Ett utkast")
    response = send(client, police_officer, "delete", f"/api/v1/commitments/{draft.pk}")
    assert response.status_code == 204, response.content
    assert not Commitment.objects.filter(pk=draft.pk).exists()
    assert audit_rows(draft, action="delete", field="text").exists()


def test_an_adopted_commitment_is_not_deleted(client, world, coordinator):
    police = world["police"]
    response = send(client, coordinator, "delete", f"/api/v1/commitments/{police.pk}")
    assert "genom en revidering" in errors(response, 409)["added_in"]
    assert Commitment.objects.filter(pk=police.pk).exists()
    assert not audit_rows(police, action="delete").exists()


def test_only_the_parties_delete_a_draft(
    client, world, coordinator, polisen, other_municipality_user, housing_reporter
):
    draft = commit(world["promise"], polisen, coordinator, text="Ett utkast")
    path = f"/api/v1/commitments/{draft.pk}"
    refused_to_outsiders(client, other_municipality_user, housing_reporter, "delete", path, "")
    assert Commitment.objects.filter(pk=draft.pk).exists()


# --- opening a follow-up ----------------------------------------------------------------------


def test_a_party_opens_the_follow_up_of_an_ended_period(client, world, police_officer):
    promise = world["promise"]
    path = f"/api/v1/promises/{promise.pk}/follow-ups"
    response = send(client, police_officer, "post", path, T1_2024)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["first_day"], body["last_day"], body["published_on"]) == (
        "2024-01-01",
        "2024-04-30",
        None,
    )
    assert {c["id"] for c in body["missing"]} == {
        world[key].pk for key in ("police", "housing", "violence")
    }
    follow_up = FollowUp.objects.get(pk=body["id"])
    assert follow_up.promise == promise and audit_rows(follow_up, action="create").exists()


@pytest.mark.parametrize(
    "period, field, message",
    [
        ({"first_day": "2023-09-01", "last_day": "2023-12-31"}, "first_day", "redan uppföljd"),
        ({"first_day": "2024-01-01", "last_day": "2024-03-31"}, "first_day", "välj en av"),
        ({"first_day": "2022-01-01", "last_day": "2022-04-30"}, "first_day", "utanför löftets"),
        # The tertial running on 22 November 2026.
        ({"first_day": "2026-09-01", "last_day": "2026-12-31"}, "last_day", "inte slut än"),
        ({"first_day": "2024-01-01"}, "last_day", "Fältet måste anges."),
        ({**T1_2024, "promise": 1}, "promise", "Okänt fält."),
    ],
)
def test_a_period_that_cannot_be_followed_up_is_refused_by_field(
    client, world, coordinator, period, field, message
):
    path = f"/api/v1/promises/{world['promise'].pk}/follow-ups"
    assert message in errors(send(client, coordinator, "post", path, period))[field]
    assert FollowUp.objects.count() == 1


def test_a_promise_not_adopted_has_nothing_to_follow_up(client, world, coordinator):
    promise = make_promise(world["agreement"], coordinator, title="Medborgarlöfte centrum")
    path = f"/api/v1/promises/{promise.pk}/follow-ups"
    assert "inte antaget" in errors(send(client, coordinator, "post", path, T1_2024))["promise"]
    assert not promise.follow_ups.exists()


def test_only_the_parties_open_a_follow_up(
    client, world, other_municipality_user, housing_reporter
):
    path = f"/api/v1/promises/{world['promise'].pk}/follow-ups"
    refused_to_outsiders(client, other_municipality_user, housing_reporter, "post", path, T1_2024)
    assert FollowUp.objects.count() == 1


# --- publishing -------------------------------------------------------------------------------


def test_a_party_publishes_the_follow_up_for_residents(client, world, coordinator):
    every_status(world, coordinator)
    follow_up = world["follow_up"]
    body = {"summary": "Arbetet går enligt plan.", "next_steps": "Fler krogkontroller i vår."}
    path = f"/api/v1/follow-ups/{follow_up.pk}/publish"
    response = send(client, coordinator, "post", path, body)
    assert response.status_code == 200, response.content
    assert response.json()["published_on"] == "2026-11-22"  # today, when not given
    assert response.json()["next_steps"] == "Fler krogkontroller i vår."
    follow_up.refresh_from_db()
    assert follow_up.published_on == dt.date(2026, 11, 22)
    assert follow_up.summary == "Arbetet går enligt plan."
    assert audit_rows(follow_up, action="update", field="published_on").exists()
    again = send(client, coordinator, "post", path, body)
    assert "redan publicerad" in errors(again)["published_on"]


def test_a_publication_day_may_be_given(client, world, coordinator):
    every_status(world, coordinator)
    follow_up = world["follow_up"]
    body = {"next_steps": "Fortsätter.", "published_on": "2024-01-15"}
    response = send(client, coordinator, "post", f"/api/v1/follow-ups/{follow_up.pk}/publish", body)
    assert response.status_code == 200, response.content
    follow_up.refresh_from_db()
    assert follow_up.published_on == dt.date(2024, 1, 15)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"next_steps": " "}, "next_steps", "Skriv vad som händer nu."),
        ({"published_on": "2023-12-30"}, "published_on", "tidigast när perioden är slut"),
        ({"published_on": "2026-11-23"}, "published_on", "efter i dag"),
        ({"published": True}, "published", "Okänt fält."),
    ],
)
def test_a_follow_up_that_cannot_be_published_is_refused_by_field(
    client, world, coordinator, fields, field, message
):
    every_status(world, coordinator)
    follow_up = world["follow_up"]
    body = {"next_steps": "Fortsätter."} | fields
    response = send(client, coordinator, "post", f"/api/v1/follow-ups/{follow_up.pk}/publish", body)
    assert message in errors(response)[field]
    follow_up.refresh_from_db()
    assert follow_up.published_on is None and follow_up.next_steps == ""


def test_a_follow_up_with_statuses_missing_is_not_published(client, world, coordinator):
    follow_up = world["follow_up"]
    record_status(follow_up, world["police"], state="on_plan", acting_user=coordinator)
    body = {"next_steps": "Fortsätter."}
    response = send(client, coordinator, "post", f"/api/v1/follow-ups/{follow_up.pk}/publish", body)
    assert errors(response)["statuses"] == "2 åtaganden saknar status."
    follow_up.refresh_from_db()
    assert follow_up.published_on is None


def test_only_the_parties_publish(
    client, world, coordinator, other_municipality_user, housing_reporter
):
    every_status(world, coordinator)
    follow_up = world["follow_up"]
    path = f"/api/v1/follow-ups/{follow_up.pk}/publish"
    body = {"next_steps": "Fortsätter."}
    refused_to_outsiders(client, other_municipality_user, housing_reporter, "post", path, body)
    follow_up.refresh_from_db()
    assert follow_up.published_on is None
