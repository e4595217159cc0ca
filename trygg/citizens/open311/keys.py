"""API keys of Open311 client applications: made in the admin, shown once, stored as a hash.

A key is 32 random bytes, so a plain SHA-256 is enough to store it (no slow hash needed: there
is nothing to guess), and the hash is what a request's key is looked up by."""

from __future__ import annotations

import hashlib
import secrets

from trygg.citizens.models import Open311Client
from trygg.core.audit import record_changes, record_created
from trygg.places.models import Municipality

PREFIX_LENGTH = 8


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def _new_key() -> str:
    return secrets.token_urlsafe(32)


def create_client(
    actor, *, name: str, municipality: Municipality, posts_per_hour: int | None = None
) -> tuple[Open311Client, str]:
    """A new client with a new key; returns (client, key). The key is not stored.
    `posts_per_hour` None: the setting's ceiling (citizens/throttle.py)."""
    raw = _new_key()
    client = Open311Client.objects.create(
        name=name,
        municipality=municipality,
        key_hash=key_hash(raw),
        key_prefix=raw[:PREFIX_LENGTH],
        posts_per_hour=posts_per_hour,
    )
    # The hash is left out of the audit row: it identifies the key and is of no use there.
    record_created(
        actor, client, ["name", "municipality", "key_prefix", "is_active", "posts_per_hour"]
    )
    return client, raw


def replace_key(actor, client: Open311Client) -> str:
    """A new key for a client whose key leaked or was lost; the old one stops working."""
    raw = _new_key()
    old_prefix = client.key_prefix
    client.key_hash = key_hash(raw)
    client.key_prefix = raw[:PREFIX_LENGTH]
    client.save(update_fields=["key_hash", "key_prefix"])
    record_changes(actor, client, {"key_prefix": (old_prefix, client.key_prefix)})
    return raw


def client_for(raw_key: str, municipality: Municipality) -> Open311Client | None:
    """The active client this key belongs to, if it may report for this municipality."""
    if not raw_key:
        return None
    return Open311Client.objects.filter(
        key_hash=key_hash(raw_key), municipality=municipality, is_active=True
    ).first()
