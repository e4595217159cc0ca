"""Client applications' keys are made in the admin, shown once, and stored only as a hash."""

from __future__ import annotations

import pytest

from trygg.citizens.models import Open311Client
from trygg.citizens.open311.keys import client_for, create_client
from trygg.core.models import AuditEntry

pytestmark = [pytest.mark.django_db]


def shown_key(response) -> str:
    """The key from the one message that shows it ("API-nyckel för …: KEY — kopiera …")."""
    [shown] = [str(m) for m in response.context["messages"] if "API-nyckel" in str(m)]
    return shown.split(": ", 1)[1].split(" ")[0]


def test_adding_a_client_in_the_admin_shows_its_key_once_and_keeps_only_the_hash(
    admin_client, karlstad
):
    added = admin_client.post(
        "/admin/citizens/open311client/add/",
        {"name": "Felanmälan-appen", "municipality": karlstad.pk, "is_active": "on"},
        follow=True,
    )

    client = Open311Client.objects.get()
    key = shown_key(added)
    assert client_for(key, karlstad) == client and client.key_prefix == key[:8]
    assert key not in client.key_hash
    # Shown once: the list page afterwards does not have it.
    assert key not in admin_client.get("/admin/citizens/open311client/").content.decode()
    audit = AuditEntry.objects.get(object_type="citizens.open311client", action="create")
    assert audit.new["key_prefix"] == key[:8] and key not in str(audit.new)


def test_replacing_a_key_in_the_admin_stops_the_old_one(admin_client, karlstad):
    client, old_key = create_client(None, name="App", municipality=karlstad)
    replaced = admin_client.post(
        "/admin/citizens/open311client/",
        {"action": "replace_keys", "_selected_action": [client.pk]},
        follow=True,
    )

    new_key = shown_key(replaced)
    assert client_for(old_key, karlstad) is None and client_for(new_key, karlstad) == client


def test_a_clients_own_hourly_ceiling_is_set_in_the_admin_and_audited(admin_client, karlstad):
    admin_client.post(
        "/admin/citizens/open311client/add/",
        {"name": "Regionappen", "municipality": karlstad.pk, "is_active": "on"},
    )
    client = Open311Client.objects.get()
    assert client.posts_per_hour is None  # empty: the setting's ceiling

    changed = admin_client.post(
        f"/admin/citizens/open311client/{client.pk}/change/",
        {
            "name": "Regionappen",
            "municipality": karlstad.pk,
            "is_active": "on",
            "posts_per_hour": "1000",
        },
    )

    assert changed.status_code == 302
    client.refresh_from_db()
    assert client.posts_per_hour == 1000
    audit = AuditEntry.objects.get(object_type="citizens.open311client", field="posts_per_hour")
    assert (audit.old, audit.new) == (None, 1000)


def test_a_ceiling_of_zero_is_refused_in_the_admin(admin_client, karlstad):
    client, _key = create_client(None, name="App", municipality=karlstad)

    refused = admin_client.post(
        f"/admin/citizens/open311client/{client.pk}/change/",
        {"name": "App", "municipality": karlstad.pk, "is_active": "on", "posts_per_hour": "0"},
    )

    assert refused.status_code == 200
    assert "posts_per_hour" in refused.context["adminform"].form.errors
    client.refresh_from_db()
    assert client.posts_per_hour is None
