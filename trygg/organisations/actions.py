"""Writes to organisations, memberships and API tokens, each audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.audit import record_changes, record_created
from trygg.organisations.models import ApiToken, Membership, Organisation, hash_token

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


def _check_admin(acting_user) -> None:
    """Organisations and memberships are set up by system administrators (or the console)."""
    if acting_user is not None and not acting_user.is_superuser:
        raise PermissionDenied(_("Bara systemadministratörer kan lägga upp organisationer."))


ORGANISATION_AUDITED_FIELDS = ["code", "name", "kind", "municipality_id"]


@transaction.atomic
def set_up_organisation(
    code: str, *, name: str, kind: str, municipality, acting_user=None
) -> tuple[Organisation, bool]:
    """The organisation `code` with this name, kind and municipality: created, or its changed
    fields updated (an audit row each), so that a setup can be run again. Returns it and
    whether it was new."""
    _check_admin(acting_user)
    wanted = {"name": name, "kind": kind, "municipality_id": municipality.pk}
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        organisation = Organisation.objects.create(code=code, **wanted)
        record_created(acting_user, organisation, ORGANISATION_AUDITED_FIELDS)
        return organisation, True
    changes = {
        field: (getattr(organisation, field), value)
        for field, value in wanted.items()
        if getattr(organisation, field) != value
    }
    if changes:
        for field, (_old, value) in changes.items():
            setattr(organisation, field, value)
        organisation.save(update_fields=[f.removesuffix("_id") for f in changes])
        record_changes(acting_user, organisation, changes)
    return organisation, False


@transaction.atomic
def set_membership(user, organisation: Organisation, role: str, *, acting_user=None) -> bool:
    """`user` is a member of `organisation` with `role` (audited when new or changed); True
    when something changed."""
    _check_admin(acting_user)
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        record_created(acting_user, membership, ["user_id", "organisation_id", "role"])
        return True
    if membership.role == role:
        return False
    old, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    record_changes(acting_user, membership, {"role": (old, role)})
    return True
