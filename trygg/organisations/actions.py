"""Writes to organisations, memberships and API tokens, each audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.organisations.models import ApiToken, hash_token

# Never the secret, nor its hash: the audit log says which token, not how to use it.
TOKEN_AUDITED_FIELDS = ["user_id", "name", "prefix"]
PREFIX_LENGTH = 12  # "trygg_" and six characters: enough to tell tokens apart in a list


def _check_may_manage(user, acting_user) -> None:
    """Your own tokens, or anyone's as superuser. `acting_user=None` is the console (an admin)."""
    if acting_user is None:
        return
    if acting_user.pk != user.pk and not acting_user.is_superuser:
        raise PermissionDenied(_("Du kan bara hantera dina egna API-nycklar."))


@transaction.atomic
def create_token(user, *, name: str = "", acting_user=None) -> tuple[ApiToken, str]:
    """A new API token for `user`; returns the token and its secret, which is shown only now."""
    _check_may_manage(user, acting_user)
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:PREFIX_LENGTH], key_hash=hash_token(secret)
    )
    record_created(acting_user, token, TOKEN_AUDITED_FIELDS)
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, acting_user) -> ApiToken:
    """Stop a token from working. Revoking a revoked token changes nothing."""
    _check_may_manage(token.user, acting_user)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_changes(acting_user, token, {"revoked_at": (None, token.revoked_at)})
    return token
