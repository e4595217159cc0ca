"""Karlstad's agreement and promise, through the actions, for the tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trygg.promises.actions.agreements import PartyInput, create_agreement
from trygg.promises.actions.promises import CommitmentInput, add_commitment, create_promise
from trygg.promises.models import Agreement, PartyRole

START = dt.date(2023, 7, 1)
END = dt.date(2027, 6, 30)


def make_agreement(karlstad, kommunen, polisen, user, **fields) -> Agreement:
    values: dict[str, Any] = {
        "title": "Samverkansöverenskommelse Karlstad 2023–2027",
        "start": START,
        "end": END,
        "parties": [
            PartyInput(kommunen, PartyRole.MUNICIPALITY, "Kommunstyrelsen", dt.date(2023, 5, 30)),
            PartyInput(
                polisen, PartyRole.POLICE, "Lokalpolisområde Karlstad", dt.date(2023, 5, 30)
            ),
        ],
    } | fields
    return create_agreement(karlstad, acting_user=user, **values)


def make_promise(agreement, user, **fields):
    values: dict[str, Any] = {
        "title": "Medborgarlöfte 2023–2027",
        "start": START,
        "end": END,
    } | fields
    return create_promise(agreement, acting_user=user, **values)


def commit(promise, owner, user, text="Genomföra krogkontroller", column="police", **fields):
    return add_commitment(
        promise, CommitmentInput(column=column, text=text, owner=owner, **fields), acting_user=user
    )
