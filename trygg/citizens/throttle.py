"""Ceilings on posts per hour (issue 12, point 8): anonymous posts (reports and "me too") per
client address, and Open311 service requests per client application's key. Counted in
Django's cache: with the default local-memory cache each process counts for itself, which
still stops a flood; a shared cache makes the ceiling exact.

The hour is the clock hour: a bucket per address or key and hour, gone when the hour is."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

HOUR_SECONDS = 60 * 60


def client_address(request) -> str:
    # REMOTE_ADDR only: a forwarded header is set by the client and would undo the ceiling.
    # Behind a reverse proxy REMOTE_ADDR is the proxy's unless the deployment rewrites it from
    # a header the proxy sets; otherwise all residents share one ceiling.
    return request.META.get("REMOTE_ADDR") or "unknown"


def _bucket(kind: str, who: str) -> str:
    hour = timezone.now().strftime("%Y%m%d%H")
    return f"citizens:{kind}:{who}:{hour}"


def _used(bucket: str) -> int:
    return int(cache.get(bucket, 0))


def _add_one(bucket: str) -> None:
    if cache.add(bucket, 1, HOUR_SECONDS):
        return
    try:
        cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, HOUR_SECONDS)


def seconds_to_next_hour() -> int:
    """When the current bucket ends: what a refused client is told to wait (Retry-After)."""
    now = timezone.now()
    next_hour = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    return max(1, int((next_hour - now).total_seconds()))


# --- anonymous posts, per address ----------------------------------------------------------


def limit() -> int:
    return int(settings.TRYGG_CITIZEN_REPORTS_PER_HOUR)


def over_limit(request) -> bool:
    """Whether this client has used up the hour's posts (does not count this one)."""
    return _used(_bucket("posts", client_address(request))) >= limit()


def count_post(request) -> None:
    """One more post from this client in this hour."""
    _add_one(_bucket("posts", client_address(request)))


# --- Open311 client applications, per key ------------------------------------------------


def key_limit(client) -> int:
    """The client's own ceiling if the admin set one, else the setting's."""
    if client.posts_per_hour is not None:
        return int(client.posts_per_hour)
    return int(settings.TRYGG_OPEN311_POSTS_PER_KEY_HOUR)


def key_over_limit(client) -> bool:
    """Whether this client application has used up the hour's requests (not counting this)."""
    return _used(_bucket("open311", str(client.pk))) >= key_limit(client)


def count_key_post(client) -> None:
    _add_one(_bucket("open311", str(client.pk)))
