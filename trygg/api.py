"""The REST API under /api/v1/ (django-ninja), documented at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Trygg API",
    version="1",
    description="Händelser på platser, aldrig personer. Bearer-token per användare: "
    "`trygg create-token --user NAMN`.",
    urls_namespace="api",
)
