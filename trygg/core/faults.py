"""When the database goes away mid-request: a 503 that says "try again soon" instead of a
server error, as JSON under /api/ and /open311/ and as a page elsewhere.

Django turns any exception a view or middleware raises into a call of `handler500` while the
exception is still being handled, so this handler can tell a lost database from a bug. Nothing
here touches the database: it is the one thing that cannot be asked. Django closes a broken
connection at the end of the request, so the next request connects anew and the site answers
again as soon as the database is back.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.defaults import server_error

log = logging.getLogger(__name__)

DATABASE_GONE = (OperationalError, InterfaceError)
# Seconds a client is asked to wait before trying again: a database restart, not an outage.
RETRY_AFTER_SECONDS = 30
JSON_PREFIXES = ("/api/", "/open311/")


def database_is_gone() -> bool:
    return isinstance(sys.exc_info()[1], DATABASE_GONE)


def handler500(request: HttpRequest) -> HttpResponse:
    """503 when the exception being handled is the database's; Django's 500 otherwise."""
    if not database_is_gone():
        return server_error(request)
    log.warning("the database does not answer: 503 for %s %s", request.method, request.path)
    response = unavailable(request)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(JSON_PREFIXES):
        message = _("Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.")
        return JsonResponse({"detail": message}, status=503)
    # Rendered without the request: context processors would ask the database.
    return HttpResponse(loader.get_template("503.html").render(), status=503)
