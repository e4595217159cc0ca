"""Routing and answering through the API: the same actions as the pages, JSON errors with the
field, nothing written on bad input."""

from __future__ import annotations

import pytest

from trygg.core.models import AuditEntry
from trygg.measures.models import Measure
from trygg.organisations.tests.factories import bearer
from trygg.walks.models import Answer, Finding
from trygg.walks.tests.factories import capture, make_walk, sent_walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


def put(client, url: str, body: dict, user):
    return client.put(url, body, content_type="application/json", **bearer(user))


@pytest.fixture
def sent(kommunen, bostadsbolaget, coordinator, centrum):
    walk, (finding,) = sent_walk(kommunen, coordinator, [(bostadsbolaget, "Trasig lampa")])
    return walk, finding


def answer_url(walk, finding) -> str:
    return f"/api/v1/walks/{walk.pk}/findings/{finding.pk}/answer"


def test_the_responsible_organisation_answers_and_a_measure_opens(
    client, sent, housing_reporter, bostadsbolaget
):
    walk, finding = sent
    body = {"kind": "will_act", "text": "Vi byter armaturen", "due": "2026-12-20"}
    response = put(client, answer_url(walk, finding), body, housing_reporter)

    assert response.status_code == 200, response.json()
    answer = Answer.objects.get(finding=finding)
    assert response.json()["measure"]["id"] == answer.measure_id
    measure = Measure.objects.get(pk=answer.measure_id)
    assert measure.responsible == bostadsbolaget
    assert list(measure.events.all()) == [finding.event]


def test_an_answer_joins_sharded_tables_in_the_walks_municipality(client, sent, housing_reporter):
    """Citus refuses joining the answer's measure, or a finding's event, on ids alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trygg.organisations.tests.one_shard import joins_without_municipality

    walk, finding = sent
    body = {"kind": "will_act", "text": "Vi byter armaturen", "due": "2026-12-20"}
    with CaptureQueriesContext(connection) as queries:
        response = put(client, answer_url(walk, finding), body, housing_reporter)
    assert response.json()["measure"]["id"] == Answer.objects.get(finding=finding).measure_id
    assert joins_without_municipality([q["sql"] for q in queries.captured_queries]) == []


def test_a_will_not_answer_without_a_reason_is_refused_in_swedish_with_the_field(
    client, sent, housing_reporter
):
    walk, finding = sent
    response = put(client, answer_url(walk, finding), {"kind": "will_not"}, housing_reporter)

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error == {"field": "text", "message": "Skriv varför ni inte kommer att åtgärda det."}
    assert not Answer.objects.exists() and not Measure.objects.exists()


def test_another_organisation_cannot_answer(client, sent, police_officer):
    walk, finding = sent
    body = {"kind": "planned", "text": "Vi tar det"}
    response = put(client, answer_url(walk, finding), body, police_officer)

    assert response.status_code == 403
    assert "Karlstads Bostads AB" in response.json()["detail"]
    assert not Answer.objects.exists()


def test_the_coordinator_confirms_who_answers_and_it_is_audited(
    client, kommunen, coordinator, bostadsbolaget, centrum
):
    walk = make_walk(kommunen)
    finding = capture(walk, coordinator)
    url = f"/api/v1/walks/{walk.pk}/findings/{finding.pk}/responsible"

    response = put(client, url, {"organisation": "kbab"}, coordinator)

    assert response.status_code == 200, response.json()
    assert Finding.objects.get(pk=finding.pk).responsible == bostadsbolaget
    assert AuditEntry.objects.filter(object_type="walks.finding", object_id=str(finding.pk))


def test_an_unknown_organisation_is_named_and_nothing_is_routed(
    client, kommunen, coordinator, centrum, housing_reporter
):
    walk = make_walk(kommunen)
    finding = capture(walk, coordinator)
    url = f"/api/v1/walks/{walk.pk}/findings/{finding.pk}/responsible"

    unknown = put(client, url, {"organisation": "finns-inte"}, coordinator)
    not_coordinator = put(client, url, {"organisation": "kbab"}, housing_reporter)

    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "organisation"
    assert not_coordinator.status_code in (403, 404)
    assert Finding.objects.get(pk=finding.pk).responsible is None
