"""/healthz for load balancers and monitoring: can Trygg reach its database, and is the worker
alive? No login, and nothing in the answer beyond those two words."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from trygg.core.heartbeat import worker_state

log = logging.getLogger(__name__)


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")  # the cheapest question the database must answer
            cursor.fetchone()
    except DatabaseError:
        log.exception("healthz: the database does not answer")
        return "error"
    return "ok"


def last_beat_state() -> str:
    try:
        return worker_state()
    except DatabaseError:  # e.g. a database not migrated yet: the beat cannot be read
        log.exception("healthz: the worker's beat cannot be read")
        return "unknown"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and a worker beat recently; 503 otherwise, with which."""
    database = database_state()
    worker = last_beat_state() if database == "ok" else "unknown"
    status = 200 if database == worker == "ok" else 503
    return JsonResponse({"database": database, "worker": worker}, status=status)
