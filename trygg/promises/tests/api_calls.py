"""Calls to the API as a persona, and what else the tests of the promises API share (the
`world` they work in is a fixture in conftest.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from trygg.organisations.tests.factories import bearer
from trygg.promises.actions.follow_ups import record_status

T3_2023 = (dt.date(2023, 9, 1), dt.date(2023, 12, 31))
SEED_TEXT = "Genomföra krogkontroller samt insatser mot droganvändning i krogmiljön."


def get(client, user, path, **params):
    return client.get(path, params, **bearer(user))


def send(client, user, method, path, body=""):
    return getattr(client, method)(path, body, content_type="application/json", **bearer(user))


def errors(response, status=422) -> dict[str, str]:
    assert response.status_code == status, response.content
    return {error["field"]: error["message"] for error in response.json()["detail"]}


def a_commitment() -> dict:
    return {"column": "police", "text": "Fotpatrullering i centrum", "owner": "polisen-karlstad"}


def every_status(world, user) -> None:
    """A status for each commitment of the world's follow-up: on plan."""
    follow_up = world["follow_up"]
    for key in ("police", "violence"):
        record_status(follow_up, world[key], state="on_plan", acting_user=user)
    record_status(
        follow_up,
        world["housing"],
        state="on_plan",
        value=Decimal(4),
        value_source="KBAB",
        acting_user=user,
    )
