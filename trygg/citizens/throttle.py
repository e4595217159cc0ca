"""A ceiling on anonymous posts (reports and "me too") per client address and hour (issue 12,
point 8). Counted in Django's cache: with the default local-memory cache each process counts
for itself, which still stops a flood; a shared cache makes the ceiling exact."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

HOUR_SECONDS = 60 * 60


def client_address(request) -> str:
    # REMOTE_ADDR only: a forwarded header is set by the client and would undo the ceiling.
    # Behind a reverse proxy REMOTE_ADDR is the proxy's unless the deployment rewrites it from
    # a header the proxy sets; otherwise all residents share one ceiling.
    return request.META.get("REMOTE_ADDR") or "unknown"


def _key(request) -> str:
    hour = timezone.now().strftime("%Y%m%d%H")
    return f"citizens:posts:{client_address(request)}:{hour}"


def limit() -> int:
    return int(settings.TRYGG_CITIZEN_REPORTS_PER_HOUR)


def over_limit(request) -> bool:
    """Whether this client has used up the hour's posts (does not count this one)."""
    return int(cache.get(_key(request), 0)) >= limit()


def count_post(request) -> None:
    """One more post from this client in this hour."""
    key = _key(request)
    if cache.add(key, 1, HOUR_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, HOUR_SECONDS)
