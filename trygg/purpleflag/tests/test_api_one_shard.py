"""A Purple Flag year in the API reads its walks through the link rows in its municipality
(decision 0039): `year.walks` joined the link table to the walks on the walk alone, which Citus
refuses. The answer is that of the plain relation: the linked walks, by when they were held."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.organisations.tests.factories import bearer
from trygg.organisations.tests.one_shard import joins_without_municipality, without_municipality
from trygg.purpleflag.actions import link_walk
from trygg.purpleflag.tests.factories import EVENING_WALK_AT, evening_walk, make_year
from trygg.walks.models import Walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]


def test_a_years_walks_are_read_through_its_link_rows(client, coordinator, kommunen, centrum):
    year = make_year(coordinator, centrum)
    later = evening_walk(kommunen, coordinator, title="Novembervandringen")
    earlier = evening_walk(kommunen, coordinator, title="Oktobervandringen")
    Walk.objects.filter(pk=earlier.pk).update(walk_at=EVENING_WALK_AT - dt.timedelta(days=30))
    evening_walk(kommunen, coordinator, title="Inte kopplad")
    for walk in (later, earlier):
        link_walk(year, walk, acting_user=coordinator)

    with CaptureQueriesContext(connection) as queries:
        listed = client.get("/api/v1/purpleflag/years", **bearer(coordinator)).json()
        one = client.get(f"/api/v1/purpleflag/years/{year.pk}", **bearer(coordinator)).json()

    statements = [q["sql"] for q in queries.captured_queries]
    assert joins_without_municipality(statements) == []
    assert without_municipality(statements, "purpleflag_certification_walks") == []
    for body in (listed["items"][0], one):
        assert [(w["id"], w["title"]) for w in body["walks"]] == [
            (earlier.pk, "Oktobervandringen"),
            (later.pk, "Novembervandringen"),
        ]
