"""The findings API: what the field page (and any other client) sends from the walk.

POST /api/v1/walks/{walk_id}/findings takes one finding, as multipart (the finding as JSON in
the part `finding`, photos as `photos` files) or as a JSON body without photos, and stores it
through `record_finding`: once, whatever number of times it is sent, all or nothing.
"""

from __future__ import annotations

import uuid

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router

from trygg.core.api_errors import FieldErrors, FieldErrorsOut, MessageOut, field_error
from trygg.core.resolve import Resolver
from trygg.events.lookups import REPORTABLE_CATEGORY
from trygg.measures.schemas import parse_body, refused_by_field
from trygg.walks.actions.findings import FindingInput, capturing_organisation, record_finding
from trygg.walks.in_municipality import children
from trygg.walks.models import Walk
from trygg.walks.schemas_findings import FindingIn, FindingOut, finding_out, multipart_openapi

ERRORS = {401: MessageOut, 403: MessageOut, 404: MessageOut, 422: FieldErrorsOut}
PATH = "/walks/{walk_id}/findings"

# The operation's description in the OpenAPI document; `register` adds it to a router.
OPERATION = {
    "response": {201: FindingOut, 200: FindingOut, **ERRORS},
    "url_name": "post_walk_finding",
    "summary": "Skicka en iakttagelse från vandringen",
    "description": "Som multipart/form-data (iakttagelsen som JSON i delen finding, foton i "
    "photos) eller som JSON utan foton. Enhetens id (client_id) gör att en iakttagelse som "
    "skickas igen inte sparas två gånger: svaret är då 200 med samma innehåll som första "
    "gången. Iakttagelsen blir en händelse med källa walk; anteckningen rensas från "
    "personuppgifter och fotona från metadata. Bara deltagare som får registrera på "
    "vandringen (arrangören och inbjudna organisationer).",
    "openapi_extra": multipart_openapi(),
}


def post_walk_finding(request, walk_id: int):
    walks = Walk.objects.visible_to(request.auth).select_related("template")
    walk = get_object_or_404(walks, pk=walk_id)
    # Before the body is read: someone who may not capture learns nothing from a 422.
    capturing_organisation(walk, request.auth)
    data = parse_body(_finding_json(request), FindingIn)
    finding_input = _resolved(walk, data, request.FILES.getlist("photos"))
    with refused_by_field():
        finding, created = record_finding(walk, finding_input, acting_user=request.auth)
    # A new finding has the photos just sent; a repeat answers what was stored the first time.
    photos = len(finding_input.photos) if created else finding.photos.count()
    return (201 if created else 200), finding_out(finding, photos=photos)


def register(target: Router) -> None:
    """Add the POST to `target`. ninja gives one path to one router: a router that already
    answers GET on this path must also take the POST, or one of the two answers 405."""
    target.add_api_operation(PATH, ["POST"], post_walk_finding, **OPERATION)  # type: ignore[arg-type]


def _finding_json(request) -> bytes:
    if request.content_type == "multipart/form-data":
        part = request.POST.get("finding")
        if part is None:
            raise FieldErrors([field_error("finding", _("Fältet måste anges."))])
        return part.encode()
    return request.body


def _resolved(walk: Walk, data: FindingIn, photos) -> FindingInput:
    """The codes and numbers turned into rows; 422 naming every one that names nothing."""
    lookups = Resolver()
    category = lookups.get(REPORTABLE_CATEGORY, data.category, "category")
    items = {item.code: item for item in walk.template.items.all()}
    scores = {}
    for score in data.scores:
        item = items.get(score.item)
        if item is None:
            message = _("Punkten ”%(item)s” finns inte i vandringens checklista.")
            lookups.fail("scores", message % {"item": score.item})
        elif item in scores:
            lookups.fail("scores", _("Punkten ”%(item)s” anges två gånger.") % {"item": item.label})
        else:
            scores[item] = score.score
    stop = None
    if data.stop is not None:
        stop = children(walk, "stops").filter(order=data.stop).first()
        if stop is None:
            lookups.fail("stop", _("Vandringen har inget stopp nummer %(n)s.") % {"n": data.stop})
    lookups.check()
    assert category is not None  # noqa: S101 -- a required field: lookups.check() raised
    return FindingInput(
        client_id=uuid.UUID(data.client_id),
        lat=data.lat,
        lon=data.lon,
        captured_at=data.captured_at,
        category=category,
        note=data.note,
        scores=scores,
        photos=photos,
        stop=stop,
    )
