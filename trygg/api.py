"""The REST API under /api/v1/ (django-ninja), documented at /api/v1/openapi.json.

Every endpoint needs a bearer token or a logged-in session (`auth` below applies to all routers,
so a new endpoint is closed unless it says otherwise). Errors are JSON in one shape:
`{"detail": "message"}` for 401/403/404 and `{"detail": [{"index"?, "field", "message"}]}` for
422, with Swedish messages.
"""

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger

from trygg.citizens.api import router as citizens_router
from trygg.citizens.api_desk import router as desk_router
from trygg.citizens.api_dialogues import router as dialogues_router
from trygg.core.api_errors import FieldErrors, field_error, field_name, swedish_message
from trygg.events.api import router as events_router
from trygg.measures.api import router as measures_router
from trygg.organisations.api import router as organisations_router
from trygg.organisations.auth import API_AUTH
from trygg.presence.api import router as presence_router
from trygg.presence.api_coverage import router as coverage_router
from trygg.promises.api import router as promises_router
from trygg.promises.api_commitments import router as commitments_router
from trygg.promises.api_follow_ups import router as follow_ups_router
from trygg.purpleflag.api import router as purpleflag_router
from trygg.surveys.api import router as surveys_router
from trygg.walks.api import router as walks_router


class LocalSwagger(Swagger):
    """Swagger UI from ninja's own static files; never the CDN page ninja falls back to."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings), "api": api, "add_csrf": True}
        return render(request, self.template, context)


# The page and its assets come from the `ninja` app: without it in INSTALLED_APPS there is no
# local copy to serve, so no docs page (openapi.json works either way).
DOCS_URL = "/docs" if "ninja" in settings.INSTALLED_APPS else None

api = NinjaAPI(
    title="Trygg API",
    version="1",
    description="Händelser på platser, aldrig personer. Bearer-token per användare: "
    "`trygg create-token --user NAMN`.",
    urls_namespace="api",
    auth=API_AUTH,
    # No validator badge: Swagger UI would send our schema to validator.swagger.io.
    docs=LocalSwagger(settings={"validatorUrl": None}),
    docs_url=DOCS_URL,
)
api.add_router("/", events_router)
api.add_router("/", organisations_router)
api.add_router("/", measures_router)
api.add_router("/", walks_router)
api.add_router("/", desk_router)
api.add_router("/", citizens_router)
api.add_router("/", dialogues_router)
api.add_router("/", surveys_router)
api.add_router("/", promises_router)
api.add_router("/", commitments_router)
api.add_router("/", follow_ups_router)
api.add_router("/", presence_router)
api.add_router("/", coverage_router)
api.add_router("/", purpleflag_router)


@api.exception_handler(FieldErrors)
def field_errors(request, exc: FieldErrors):
    return api.create_response(request, {"detail": exc.errors}, status=exc.status)


@api.exception_handler(NinjaValidationError)
def ninja_validation_error(request, exc: NinjaValidationError):
    """ninja's own checks (query and path parameters) in our shape: field and Swedish message."""
    errors = [field_error(field_name(error["loc"]), swedish_message(error)) for error in exc.errors]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(DjangoValidationError)
def django_validation_error(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = [field_error(f, m) for f, messages in exc.message_dict.items() for m in messages]
    else:
        errors = [field_error("body", message) for message in exc.messages]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    body: dict[str, Any] = {"detail": str(exc) or _("Du har inte behörighet till detta.")}
    # Actions on a list of items say which item was refused.
    index = getattr(exc, "index", None)
    if index is not None:
        body["index"] = index
    return api.create_response(request, body, status=403)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": _("Hittades inte.")}, status=404)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc: AuthenticationError):
    message = _("Logga in eller skicka en API-nyckel: 'Authorization: Bearer <nyckel>'.")
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="trygg"'
    return response
