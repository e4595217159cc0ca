"""Who is calling the API: a bearer token (other systems, scripts) or a logged-in session (pages).

Both return the user; endpoints read it from `request.auth` (and `request.user` is set too, so
code shared with pages sees the same user).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from trygg.organisations.models import ApiToken, hash_token

# last_used_at is for "which tokens are still in use?", not a log: one write a minute is enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer trygg_…`: a token that is not revoked, of an active user."""

    def authenticate(self, request, token: str):
        if not token:
            return None
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        _touch(api_token)
        request.user = api_token.user
        return api_token.user


def _touch(api_token: ApiToken) -> None:
    now = timezone.now()
    last = api_token.last_used_at
    if last is None or now - last >= LAST_USED_RESOLUTION:
        # update(), not save(): one column, no signals, and no lost update of other fields.
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now


class LoggedInSession(SessionAuth):
    """ninja's session auth (`django_auth`), asked only when someone is logged in.

    ninja checks CSRF before it looks at the session, so an anonymous POST would get
    "403 CSRF check failed"; here it gets the 401 every other anonymous call gets.
    The CSRF check still applies to logged-in users.
    """

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


token_auth = TokenAuth()
session_auth = LoggedInSession()
API_AUTH = [token_auth, session_auth]
