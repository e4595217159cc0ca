"""API tokens: made and revoked through actions, audited without the secret, shown once."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from trygg.cli import main as trygg_main
from trygg.core.models import AuditEntry
from trygg.organisations.actions import create_token, revoke_token
from trygg.organisations.models import ApiToken, hash_token


def get_events(client, secret):
    return client.get("/api/v1/events", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_new_token_is_stored_only_as_its_hash_and_audited_without_the_secret(coordinator):
    token, secret = create_token(coordinator, name="Skript för veckorapport")
    stored = ApiToken.objects.get()
    assert stored.key_hash == hash_token(secret)
    assert secret.startswith(stored.prefix) and len(secret) > len(stored.prefix) + 20
    entry = AuditEntry.objects.get(object_type="organisations.apitoken", object_id=str(token.pk))
    assert entry.action == "create"
    assert entry.new["name"] == "Skript för veckorapport"
    assert secret not in str(entry.new) and stored.key_hash not in str(entry.new)


def test_a_token_from_create_token_opens_the_api(client, coordinator):
    _, secret = create_token(coordinator)
    response = get_events(client, secret)
    assert response.status_code == 200
    assert response.json() == {"count": 0, "items": []}


def test_a_revoked_token_no_longer_opens_the_api_and_the_revocation_is_audited(client, coordinator):
    token, secret = create_token(coordinator)
    revoke_token(token, acting_user=coordinator)
    assert get_events(client, secret).status_code == 401
    change = AuditEntry.objects.get(action="update", object_id=str(token.pk))
    assert change.field == "revoked_at" and change.actor == coordinator


def test_revoking_a_revoked_token_changes_nothing(coordinator):
    token, _ = create_token(coordinator)
    revoke_token(token, acting_user=coordinator)
    first = ApiToken.objects.get().revoked_at
    revoke_token(token, acting_user=coordinator)
    assert ApiToken.objects.get().revoked_at == first
    assert AuditEntry.objects.filter(action="update").count() == 1


def test_nobody_revokes_someone_elses_token(coordinator, housing_reporter):
    token, _ = create_token(coordinator)
    with pytest.raises(PermissionDenied):
        revoke_token(token, acting_user=housing_reporter)
    assert ApiToken.objects.get().revoked_at is None


def test_the_token_of_a_deactivated_user_is_refused(client, coordinator):
    _, secret = create_token(coordinator)
    coordinator.is_active = False
    coordinator.save()
    assert get_events(client, secret).status_code == 401


def test_a_made_up_token_is_refused(client, coordinator):
    create_token(coordinator)
    assert get_events(client, "trygg_gissat").status_code == 401


@pytest.mark.frozen
def test_last_used_is_written_at_most_once_a_minute(client, coordinator, frozen_now):
    token, secret = create_token(coordinator)
    get_events(client, secret)
    first = ApiToken.objects.get().last_used_at
    assert first == timezone.now()
    frozen_now.shift(dt.timedelta(seconds=59))
    get_events(client, secret)
    assert ApiToken.objects.get().last_used_at == first
    frozen_now.shift(dt.timedelta(seconds=1))
    get_events(client, secret)
    assert ApiToken.objects.get().last_used_at == first + dt.timedelta(minutes=1)


def test_the_command_prints_only_the_token_on_stdout_and_a_swedish_note_on_stderr(
    client, coordinator
):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_token", user="samordnare", name="import", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert out.getvalue() == secret + "\n"
    assert "visas bara nu" in err.getvalue() and secret not in err.getvalue()
    assert ApiToken.objects.get().name == "import"
    assert get_events(client, secret).status_code == 200


def test_the_command_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="finns ingen användare som heter 'ingen'"):
        call_command("create_token", user="ingen")
    assert not ApiToken.objects.exists()


def test_trygg_create_token_with_an_unknown_user_exits_non_zero(db, capsys):
    with pytest.raises(SystemExit) as exit_info:
        trygg_main(["trygg", "create-token", "--user", "ingen"])
    assert exit_info.value.code != 0
    assert "ingen" in capsys.readouterr().err
