"""The organisations in the partnership: who events can be reported for and by."""

from __future__ import annotations

from ninja import Query, Router, Schema

from trygg.core.api_errors import FieldErrorsOut, MessageOut
from trygg.core.resolve import Resolver
from trygg.organisations.models import Organisation
from trygg.places.lookups import MUNICIPALITY

router = Router(tags=["organisationer"])


class OrganisationOut(Schema):
    code: str
    name: str
    kind: str
    municipality: str


class OrganisationListOut(Schema):
    count: int
    items: list[OrganisationOut]


@router.get(
    "/organisations",
    response={200: OrganisationListOut, 401: MessageOut, 422: FieldErrorsOut},
    summary="Organisationerna",
)
def list_organisations(
    request, municipality: str | None = Query(None, description="Kommunkod, t.ex. 1780.")
):
    # Who takes part is not secret among partners; their events are what visible_to guards.
    organisations = Organisation.objects.select_related("municipality").order_by("name")
    if municipality is not None:
        resolver = Resolver()
        found = resolver.get(MUNICIPALITY, municipality, "municipality")
        resolver.check()
        organisations = organisations.filter(municipality=found)
    items = [
        {"code": o.code, "name": o.name, "kind": o.kind, "municipality": o.municipality.code}
        for o in organisations
    ]
    return {"count": len(items), "items": items}
