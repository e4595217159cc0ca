"""A partner sends a Trygghetscenter case back to the desk when it is not theirs: only the
partner that has it, only with a reason (scrubbed; without one a Swedish message and nothing
written), audited; the case waits at the desk again, which sends it on or settles it, and the
case's history tells it all, naming organisations and never the staff member."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trygg.citizens.actions import desk
from trygg.citizens.desk_history import case_history
from trygg.citizens.desk_stats import days_to_close
from trygg.citizens.models import DeskCase
from trygg.citizens.tests.desk_factories import desk_case, make_centre
from trygg.core.models import AuditEntry
from trygg.organisations.tests.factories import bearer

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

REASON = "Inte vår fastighet, det är kommunens mark"


@pytest.fixture
def centre(karlstad, kommunen, polisen):
    return make_centre(karlstad, kommunen, polisen)


@pytest.fixture
def housing_case(centre, police_officer, centrum, bostadsbolaget):
    return desk_case(centre, police_officer, area=centrum, taken_by=bostadsbolaget, note="Dörr")


@pytest.fixture
def police_case(centre, police_officer, kronoparken, polisen):
    return desk_case(centre, police_officer, area=kronoparken, taken_by=polisen, topic="traffic")


def _updates():
    return AuditEntry.objects.filter(
        object_type="citizens.deskcase", action=AuditEntry.Action.UPDATE
    )


def _api_return(client, case, user, body):
    return client.post(
        f"/api/v1/desk-cases/{case.pk}/return",
        json.dumps(body),
        content_type="application/json",
        **bearer(user),
    )


# --- the action ---------------------------------------------------------------------------


def test_the_partner_sends_a_case_back_with_a_scrubbed_reason_and_it_is_audited(
    housing_case, housing_reporter, bostadsbolaget
):
    desk.return_case(
        housing_case, reason=f"{REASON}, ring 070-123 45 67", acting_user=housing_reporter
    )

    housing_case.refresh_from_db()
    assert housing_case.taken_by is None and housing_case.state == DeskCase.State.OPEN
    assert housing_case.returned_by == bostadsbolaget and housing_case.returned_at is not None
    assert housing_case.return_reason.startswith(REASON)
    assert "070" not in housing_case.return_reason
    rows = {row.field: row for row in _updates()}
    assert set(rows) == {"taken_by", "returned_by", "return_reason"}
    assert (rows["taken_by"].old, rows["taken_by"].new) == (bostadsbolaget.pk, None)
    assert rows["return_reason"].new == housing_case.return_reason
    assert all(row.actor == housing_reporter for row in rows.values())


def test_a_reason_is_required_in_swedish_and_nothing_is_written(
    housing_case, housing_reporter, bostadsbolaget
):
    with pytest.raises(ValidationError) as refused:
        desk.return_case(housing_case, reason="  ", acting_user=housing_reporter)

    assert refused.value.message_dict == {"reason": ["Skriv kort varför ärendet inte är ert."]}
    housing_case.refresh_from_db()
    assert housing_case.taken_by == bostadsbolaget and housing_case.returned_by is None
    assert not _updates().exists()


@pytest.mark.parametrize(
    "persona", ["police_officer", "coordinator", "analyst", "other_municipality_user"]
)
def test_only_the_partner_that_has_the_case_sends_it_back(
    housing_case, persona, request, bostadsbolaget
):
    with pytest.raises(PermissionDenied):
        desk.return_case(housing_case, reason=REASON, acting_user=request.getfixturevalue(persona))

    housing_case.refresh_from_db()
    assert housing_case.taken_by == bostadsbolaget
    assert not _updates().exists()


def test_a_closed_case_is_not_sent_back(housing_case, housing_reporter):
    desk.close_case(housing_case, note="Lagad", acting_user=housing_reporter)

    with pytest.raises(ValidationError) as refused:
        desk.return_case(housing_case, reason=REASON, acting_user=housing_reporter)

    assert "case" in refused.value.message_dict
    assert not _updates().filter(field="taken_by").exists()


def test_a_copy_loaded_before_the_desk_sent_the_case_on_cannot_send_it_back(
    housing_case, housing_reporter, police_officer, kommunen
):
    stale = DeskCase.objects.get(pk=housing_case.pk)
    desk.reassign(housing_case, kommunen, acting_user=police_officer)

    with pytest.raises(PermissionDenied):
        desk.return_case(stale, reason=REASON, acting_user=housing_reporter)

    housing_case.refresh_from_db()
    assert housing_case.taken_by == kommunen


def test_the_desk_sends_a_returned_case_on_or_settles_it_and_it_counts_its_wait(
    centre, housing_case, police_case, housing_reporter, police_officer, polisen, kommunen
):
    other = desk_case(centre, police_officer, area=police_case.area, taken_by=housing_case.taken_by)
    desk.return_case(housing_case, reason=REASON, acting_user=housing_reporter)
    desk.return_case(other, reason=REASON, acting_user=housing_reporter)

    desk.reassign(housing_case, kommunen, acting_user=police_officer)
    desk.close_case(other, note="Hänvisade till kommunen", acting_user=police_officer)

    housing_case.refresh_from_db()
    other.refresh_from_db()
    assert housing_case.taken_by == kommunen and housing_case.state == DeskCase.State.OPEN
    assert other.state == DeskCase.State.CLOSED and other.taken_by is None
    # Visited yesterday, settled today after the partner sent it back: it waited a day.
    assert days_to_close(other) == 1


def test_the_history_tells_each_step_with_organisations_and_reasons(
    housing_case, housing_reporter, police_officer, coordinator, bostadsbolaget, kommunen, polisen
):
    desk.return_case(housing_case, reason=REASON, acting_user=housing_reporter)
    desk.reassign(housing_case, kommunen, acting_user=police_officer)
    desk.return_case(housing_case, reason=REASON, acting_user=coordinator)  # the same words
    desk.reassign(housing_case, bostadsbolaget, acting_user=police_officer)
    desk.close_case(housing_case, note="Dörren lagad", acting_user=housing_reporter)

    steps = case_history(housing_case)

    assert [step.kind for step in steps] == [
        "recorded",
        "returned",
        "sent",
        "returned",
        "sent",
        "closed",
    ]
    assert (steps[0].by, steps[0].to) == (polisen, bostadsbolaget)
    assert (steps[1].by, steps[1].text) == (bostadsbolaget, REASON)
    assert (steps[3].by, steps[3].text) == (kommunen, REASON)
    assert steps[4].to == bostadsbolaget and steps[5].text == "Dörren lagad"


# --- the pages ----------------------------------------------------------------------------


def test_the_partner_sends_a_case_back_from_its_list_and_it_waits_at_the_desk(
    client, housing_case, housing_reporter, police_officer, centre
):
    client.force_login(housing_reporter)
    assert "Skicka tillbaka" in client.get(reverse("desk:own")).content.decode()

    response = client.post(
        reverse("desk:send_back", args=[housing_case.pk]),
        {f"tillbaka-{housing_case.pk}-reason": REASON},
        follow=True,
    )

    page = response.content.decode()
    assert "Ärendet är skickat tillbaka till Trygghetscenter." in page
    assert "Dörr" not in page.split("Att göra", 1)[1]  # no longer on the partner's list
    housing_case.refresh_from_db()
    assert housing_case.taken_by is None
    client.force_login(police_officer)
    desk_page = client.get(reverse("desk:desk", args=[centre.pk])).content.decode()
    assert "Ett ärende har skickats tillbaka till disken." in desk_page
    assert "Tillbaka från partner" in desk_page and REASON in desk_page
    assert f'action="{reverse("desk:close", args=[housing_case.pk])}"' in desk_page


def test_sending_back_without_a_reason_is_refused_with_400_and_nothing_written(
    client, housing_case, housing_reporter, bostadsbolaget
):
    client.force_login(housing_reporter)

    response = client.post(
        reverse("desk:send_back", args=[housing_case.pk]),
        {f"tillbaka-{housing_case.pk}-reason": ""},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Skriv kort varför ärendet inte är ert." in page
    assert '<details class="desk-send-back" open>' in page  # the refused form is shown
    housing_case.refresh_from_db()
    assert housing_case.taken_by == bostadsbolaget
    assert not _updates().exists()


def test_another_partner_gets_404_and_the_desk_staff_403(
    client, housing_case, police_case, housing_reporter, police_officer, polisen, bostadsbolaget
):
    client.force_login(housing_reporter)
    url = reverse("desk:send_back", args=[police_case.pk])
    assert client.post(url, {f"tillbaka-{police_case.pk}-reason": REASON}).status_code == 404

    client.force_login(police_officer)  # sits at the desk, sees the case, but does not have it
    url = reverse("desk:send_back", args=[housing_case.pk])
    assert client.post(url, {f"tillbaka-{housing_case.pk}-reason": REASON}).status_code == 403

    police_case.refresh_from_db()
    housing_case.refresh_from_db()
    assert (police_case.taken_by, housing_case.taken_by) == (polisen, bostadsbolaget)
    assert not _updates().exists()


def test_the_desk_settles_a_returned_case_on_its_page(
    client, housing_case, housing_reporter, police_officer, centre
):
    desk.return_case(housing_case, reason=REASON, acting_user=housing_reporter)
    client.force_login(police_officer)

    refused = client.post(
        reverse("desk:close", args=[housing_case.pk]), {f"avsluta-{housing_case.pk}-note": ""}
    )
    done = client.post(
        reverse("desk:close", args=[housing_case.pk]),
        {f"avsluta-{housing_case.pk}-note": "Hänvisade till kommunen"},
    )

    assert refused.status_code == 400 and "Skriv en kort anteckning." in refused.content.decode()
    assert done.status_code == 302 and done["Location"] == reverse("desk:desk", args=[centre.pk])
    housing_case.refresh_from_db()
    assert housing_case.state == DeskCase.State.CLOSED


def test_the_case_page_shows_the_history_to_those_who_see_the_case(
    client, housing_case, housing_reporter, police_officer, other_municipality_user
):
    desk.return_case(housing_case, reason=REASON, acting_user=housing_reporter)
    url = reverse("desk:case", args=[housing_case.pk])

    client.force_login(police_officer)
    page = client.get(url).content.decode()

    assert "Skickad tillbaka till disken av Karlstads Bostads AB." in page
    assert REASON in page and "tillbaka vid disken" in page
    assert housing_reporter.get_username() not in page  # organisations, never the person
    # The partner that sent it back no longer has it, and no longer sees it.
    for outsider in (housing_reporter, other_municipality_user):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


# --- the API ------------------------------------------------------------------------------


def test_the_partner_sends_a_case_back_through_the_api_and_the_desk_finds_it(
    client, housing_case, housing_reporter, police_officer
):
    answer = _api_return(client, housing_case, housing_reporter, {"reason": REASON})

    assert answer.status_code == 200
    body = answer.json()
    assert body["taken_by"] is None and body["state"] == "open"
    assert body["returned_by"]["code"] == housing_case.taken_by.code
    assert body["return_reason"] == REASON
    assert _updates().filter(field="taken_by", actor=housing_reporter).exists()
    waiting = client.get(
        "/api/v1/desk-cases", {"at_desk": "true", "state": "open"}, **bearer(police_officer)
    ).json()
    assert [item["id"] for item in waiting["items"]] == [housing_case.pk]
    detail = client.get(f"/api/v1/desk-cases/{housing_case.pk}", **bearer(police_officer)).json()
    returned = detail["history"][-1]
    assert returned["kind"] == "returned" and returned["text"] == REASON
    assert returned["by"]["code"] == body["returned_by"]["code"]


def test_the_api_wants_a_reason_and_writes_nothing_without_one(
    client, housing_case, housing_reporter, bostadsbolaget
):
    empty = _api_return(client, housing_case, housing_reporter, {"reason": " "})
    missing = _api_return(client, housing_case, housing_reporter, {})
    person = _api_return(client, housing_case, housing_reporter, {"reason": "x", "name": "Anna"})

    assert empty.status_code == 422
    assert empty.json() == {
        "detail": [{"field": "reason", "message": "Skriv kort varför ärendet inte är ert."}]
    }
    assert missing.status_code == 422 and missing.json()["detail"][0]["field"] == "reason"
    assert person.status_code == 422
    housing_case.refresh_from_db()
    assert housing_case.taken_by == bostadsbolaget and not _updates().exists()


def test_in_the_api_another_partner_gets_404_and_the_desk_staff_403(
    client, housing_case, police_case, housing_reporter, police_officer
):
    assert _api_return(client, police_case, housing_reporter, {"reason": REASON}).status_code == 404
    assert _api_return(client, housing_case, police_officer, {"reason": REASON}).status_code == 403
    assert not _updates().exists()


def test_a_case_settled_at_the_desk_at_once_still_counts_no_days(centre, police_officer, centrum):
    settled = desk_case(centre, police_officer, area=centrum)

    assert settled.state == DeskCase.State.CLOSED and days_to_close(settled) == 0
