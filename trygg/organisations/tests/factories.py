"""Organisations, people with a role in one, and API tokens for tests, with plain defaults.

The named personas (coordinator, police officer, …) are fixtures in `trygg/conftest.py`, made
with these functions.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from trygg.organisations.actions import create_token
from trygg.organisations.models import Membership, Organisation

PASSWORD = "test-lösenord-1"


def make_organisation(
    municipality, code: str, name: str = "", kind: str = Organisation.Kind.OTHER, **fields
) -> Organisation:
    return Organisation.objects.create(
        code=code, name=name or code, kind=kind, municipality=municipality, **fields
    )


def make_person(username: str, organisation: Organisation, role: str = Membership.Role.REPORTER):
    """A user who is a member of `organisation` with `role` (and no other membership)."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def bearer(user) -> dict:
    """The header of an API call made with a fresh token of `user`, for the test client."""
    _, secret = create_token(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
