"""Every page and every API route, walked for users of another municipality (issue 16, point 4;
decision 0035).

The routes come from the URL resolver and the API's OpenAPI document, so a new page or
endpoint is in the sweep the day it is added. Municipality B is the demo's Karlstad, loaded in
full (events, measures, plans, walks, residents' reports, the desk, dialogues, surveys, the
promise, presence); the county is set up with `trygg county-setup`'s code. Two personas must
get nothing of B:

* the coordinator of Karlskoga (municipality A), and
* the county's regional coordinator (länsstyrelsen), who sees the county's aggregates only.

For a route that names an object, the object is one of B's (`CASE_OBJECTS` says which for each
route's parameters, by the route's name); both personas must get 403, 404 or 405 for every
method, and nothing may be written. The same GET by a superuser must find the object, so a
case naming the wrong object cannot pass. A route that names nothing must not show any of B's
internal texts: the sweep writes a marker into them first. A route whose parameters the sweep
cannot fill fails: add its objects below.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from trygg.api import api
from trygg.citizens.actions.moderators import name_moderator
from trygg.citizens.models import (
    Centre,
    CitizenReport,
    DeskCase,
    Dialogue,
    DialogueQuote,
    ReportPhoto,
)
from trygg.core.models import AuditEntry
from trygg.core.periods import Kind, latest_complete
from trygg.core.tests.clock import NOW
from trygg.demo import county
from trygg.events.models import Event, Visibility
from trygg.measures.models import (
    ActionPlan,
    Decision,
    Measure,
    MeasureEntry,
    Meeting,
    PlanGoal,
    PlanProblem,
    ResponsibilityRule,
)
from trygg.places.models import Area, Municipality
from trygg.presence.actions.guards import GuardAreaInput, create_guard_area
from trygg.presence.actions.reports import ReportInput, file_report
from trygg.presence.models import Inspection, Premise, PresenceGroup, Shift, ShiftReport
from trygg.promises.models import Agreement, Commitment, FollowUp, Problem, ProcessStep, Promise
from trygg.purpleflag.models import Certification, MeasureTag
from trygg.situation.actions import create_annual_report, create_meeting_pack
from trygg.situation.scope import Scope
from trygg.surveys.models import FrameArea, Respondent, Survey
from trygg.walks.actions.templates import copy_template
from trygg.walks.models import ChecklistTemplate, Finding, FindingPhoto, Invitation, Walk

pytestmark = [pytest.mark.django_db, pytest.mark.frozen]

MARKER = "QXINTERNTQX"
DENIED = {403, 404, 405}
# The API checks a request's shape before it runs the endpoint, so an empty body is refused
# with 422 (the fields it lacks, nothing of B) before the permission is asked.
API_DENIED = DENIED | {422}
API_PREFIX = "/api/v1"

# --- the routes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # as Django writes it
    params: tuple[str, ...]
    methods: tuple[str, ...]  # what to try

    @property
    def namespace(self) -> str:
        return self.name.split(":", 1)[0] if ":" in self.name else ""


def _pattern_params(pattern: str) -> tuple[str, ...]:
    names = re.findall(r"<(?:\w+:)?(\w+)>", pattern) + re.findall(r"\(\?P<(\w+)>", pattern)
    return tuple(names)


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace + (entry.name or "")


def page_routes() -> list[Route]:
    """Every URL pattern but the API's (walked below from its OpenAPI document) and Django's
    admin (staff only: `test_the_admin_is_for_staff_only`)."""
    routes: dict[str, Route] = {}
    for pattern, name in _walk(get_resolver().url_patterns):
        in_api_or_admin = name.startswith(("api:", "admin:")) or pattern.startswith(
            ("api/", "admin/")
        )
        if in_api_or_admin and name != "queues":
            continue
        name = name or f"/{pattern}"  # an unnamed pattern (the start page's redirect)
        routes.setdefault(name, Route(name, pattern, _pattern_params(pattern), ("GET", "POST")))
    return sorted(routes.values(), key=lambda r: r.name)


def api_routes() -> list[Route]:
    """Every path and method of the API, from its OpenAPI document."""
    schema = api.get_openapi_schema()
    routes = []
    for path, operations in schema["paths"].items():
        methods = tuple(sorted(m.upper() for m in operations))
        params = tuple(re.findall(r"{(\w+)}", path))
        routes.append(Route(f"api {path}", path, params, methods))
    return sorted(routes, key=lambda r: r.name)


# Open to everyone by design: residents' pages, open data, login, health. They are still
# walked for B's internal texts (`test_public_routes_show_no_internal_text`).
PUBLIC = {
    "login",
    "logout",
    "set_language",
    "healthz",
    "public_summary",
    "public_walks",
    "public_walk",
    "public_reports",
    "public_reports_map",
    "citizens:report",
    "citizens:receipt",
    "citizens:track",
    "citizens:nearby",
    "citizens:me_too",
    "citizens:places",
    "citizens:boundaries",
    "citizens:photo",
}
PUBLIC_NAMESPACES = {"public_promises", "open311"}
# Paths of the API that need no object of a municipality (the schema, the list of routes).
API_OPEN = {f"{API_PREFIX}/openapi.json", f"{API_PREFIX}/docs", f"{API_PREFIX}/"}


def is_public(route: Route) -> bool:
    return route.name in PUBLIC or route.namespace in PUBLIC_NAMESPACES


PAGES = page_routes()
APIS = api_routes()

# --- which of B's objects a route's parameter names ------------------------------------------

# The object a namespace's `pk` names, unless a route's name says otherwise below.
NAMESPACE_PK = {
    "events": "event",
    "situation": "pack",
    "measures": "measure",
    "walks": "walk",
    "surveys": "survey",
    "citizens": "report",
    "desk": "centre",
    "dialogues": "dialogue",
    "promises": "agreement",
    "presence": "shift",
    "public_promises": "promise",
    "": "walk",  # public_walk
}
# (route name prefix, parameter) -> object; the longest matching prefix wins.
BY_ROUTE = {
    ("situation:annual", "pk"): "annual",
    ("situation:annual", "number"): "annual_number",
    ("measures:rule_", "pk"): "rule",
    ("measures:meeting", "pk"): "meeting",
    ("measures:plan", "pk"): "plan",
    ("measures:plan", "goal_pk"): "goal",
    ("measures:plan", "problem_pk"): "plan_problem",
    ("measures:plan", "measure_pk"): "measure",
    ("walks:photo", "pk"): "finding_photo",
    ("walks:template", "pk"): "template",
    ("walks:", "finding_pk"): "finding",
    ("walks:", "photo_pk"): "finding_photo",
    ("walks:", "number"): "protocol_number",
    ("walks:", "organisation_pk"): "invited",
    ("surveys:", "area_pk"): "survey_area",
    ("citizens:photo", "pk"): "report_photo",
    ("citizens:moderate_photo", "photo_pk"): "report_photo",
    ("citizens:moderators_remove", "pk"): "moderator",
    ("citizens:track", "token"): "token",
    ("desk:case", "pk"): "case",
    ("desk:close", "pk"): "case",
    ("desk:send_back", "pk"): "case",
    ("desk:reassign", "pk"): "case",
    ("dialogues:", "quote_pk"): "quote",
    ("promises:step", "step"): "step",
    ("promises:problem", "pk"): "agreement_problem",
    ("promises:", "agreement_pk"): "agreement",
    ("promises:promise", "pk"): "promise",
    # A new promise is made under its agreement: the pk is the agreement's (the promise's own pk
    # matched it only by chance where both sequences start at one).
    ("promises:promise_create", "pk"): "agreement",
    ("promises:adopt", "pk"): "promise",
    ("promises:commitment", "pk"): "promise",
    ("promises:", "commitment_pk"): "commitment",
    ("promises:follow_ups", "pk"): "promise",
    ("promises:follow_up", "pk"): "follow_up",
    ("promises:", "promise_pk"): "promise",
    ("public_promises:follow_up", "pk"): "follow_up",
    ("public_promises:version", "number"): "promise_number",
    ("presence:report", "pk"): "reported_shift",
    ("presence:shift_edit", "pk"): "planned_shift",
    ("presence:group", "pk"): "group",
    ("presence:premise", "pk"): "premise",
    ("presence:licence_new", "pk"): "premise",
    ("presence:inspection", "pk"): "inspection",
    ("presence:follow_up_new", "pk"): "inspection",
    ("presence:guard_area_", "pk"): "guard_area",
    ("purpleflag:", "pk"): "purple_flag",
    ("purpleflag:walk_unlink", "walk_pk"): "purple_flag_walk",
    ("purpleflag:measure_untag", "tag_pk"): "purple_flag_tag",
    # A county neither persona coordinates (Örebro, where Karlskoga lies).
    ("county:", "kod"): "other_county",
    ("open311:", "fmt"): "json",
    ("open311:", "code"): "service_code",
    ("open311:", "pk"): "report",
    ("open311:", "token"): "token",
}
API_IDS = {
    "event_id": "event",
    "measure_id": "measure",
    "rule_id": "rule",
    "walk_id": "walk",
    "finding_id": "finding",
    "case_id": "case",
    "report_id": "report",
    "photo_id": "report_photo",
    "dialogue_id": "dialogue",
    "survey_id": "survey",
    "agreement_id": "agreement",
    "promise_id": "promise",
    "commitment_id": "commitment",
    "follow_up_id": "follow_up",
    "group_id": "group",
    "shift_id": "shift",
    "premise_id": "premise",
    "inspection_id": "inspection",
    "guard_area_id": "guard_area",
    "year_id": "purple_flag",
}


# Paths whose parameter needs an object in a particular state.
API_BY_PATH = {(f"{API_PREFIX}/presence/shifts/{{shift_id}}/report", "shift_id"): "reported_shift"}


def object_for(route: Route, param: str) -> str | None:
    """The name of B's object that fills `param` of `route`, or None when the sweep has none."""
    if route.name.startswith("api "):
        return API_BY_PATH.get((route.pattern, param)) or API_IDS.get(param)
    matches = [
        (len(prefix), name)
        for (prefix, key), name in BY_ROUTE.items()
        if key == param and route.name.startswith(prefix)
    ]
    if matches:
        return max(matches)[1]
    if param == "pk":
        return NAMESPACE_PK.get(route.namespace)
    return None


def url_of(route: Route, objects: dict) -> str:
    values = {param: objects[object_for(route, param)] for param in route.params}
    if route.name.startswith("/"):
        return route.name
    if route.name.startswith("api "):
        path = route.pattern
        for param, value in values.items():
            path = path.replace("{" + param + "}", str(value))
        return path
    return reverse(route.name, kwargs=values)


# --- the world: the demo's Karlstad (B), Karlskoga (A), the county ---------------------------


@dataclass
class World:
    b: Municipality
    objects: dict
    users: dict


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 80, 80)).save(buffer, "JPEG")
    return buffer.getvalue()


# Internal texts, written into B's rows so that a page that shows one shows the marker. Each
# is a column no public page shows.
MARKED: list[tuple[Any, str, dict]] = [
    # Not residents' reports: a moderator publishes their text on the open pages.
    (
        Event,
        "description",
        {
            "visibility__in": [Visibility.PARTNERS, Visibility.ORGANISATION],
            "source__in": ["demo", "walk", "inspection", "partner", "shift"],
        },
    ),
    (ShiftReport, "note", {"shift__municipality": None}),
    (Measure, "description", {}),
    (MeasureEntry, "text", {"measure__municipality": None}),
    (Meeting, "notes", {}),
    (Decision, "text", {"meeting__municipality": None}),
    (ResponsibilityRule, "note", {}),
    (PlanProblem, "evidence", {"plan__municipality": None}),
    (DeskCase, "note", {}),
    (Respondent, "comment", {"survey__municipality": None}),
    (ProcessStep, "note", {"agreement__municipality": None}),
    (Inspection, "note", {}),
    (Shift, "note", {}),
]


def _mark(b: Municipality) -> None:
    for model, column, rule in MARKED:
        filters = {k: (b if v is None else v) for k, v in rule.items()}
        if not any(k.endswith("municipality") for k in filters):
            filters["municipality"] = b
        model.objects.filter(**filters).update(**{column: f"{MARKER} internt"})


def first(queryset) -> Any:
    """The first row, which the demo must have."""
    row = queryset.first()
    assert row is not None, f"the demo has no {queryset.model.__name__} here"
    return row


def _unpublished_photo(b: Municipality) -> FindingPhoto:
    """A photo only staff may see (a published walk's approved photos are open to all)."""
    photos = FindingPhoto.objects.filter(finding__walk__municipality=b)
    for photo in photos.select_related("finding__walk"):
        if not (photo.is_public and photo.finding.walk.published_at is not None):
            return photo
    raise AssertionError("the demo has no photo that only staff may see")


def _reported_shift(b: Municipality, admin) -> Shift:
    """A shift of the past with its report filed (the demo files none)."""
    shift = first(Shift.objects.filter(municipality=b, starts_at__lt=NOW).order_by("-starts_at"))
    file_report(shift, ReportInput(client_id=uuid.uuid4(), note="kvällspass"), acting_user=admin)
    return shift


def _objects(b: Municipality, users) -> dict:
    coordinator = users["samordnare"]
    event = first(
        Event.objects.filter(municipality=b, visibility=Visibility.PARTNERS, source="demo")
    )
    event.photo.save("svep.jpg", ContentFile(_jpeg()), save=True)
    scope = Scope(user=coordinator, municipality=b)
    week = latest_complete(Kind.WEEK, NOW.date())
    pack = create_meeting_pack(scope, week, acting_user=coordinator)
    annual, _ = create_annual_report(b, NOW.year - 1, acting_user=coordinator)
    national = first(ChecklistTemplate.objects.filter(municipality=None))
    template = copy_template(national, b, acting_user=coordinator)
    moderator = name_moderator(b, users["bovard"], acting_user=coordinator)
    # An unpublished walk if there is one: a published one has open pages by design.
    unpublished_first = F("published_at").asc(nulls_first=True)
    walk = first(Walk.objects.filter(municipality=b).order_by(unpublished_first))
    finding = first(Finding.objects.filter(walk__municipality=b))
    plan = first(ActionPlan.objects.filter(municipality=b))
    survey = first(Survey.objects.filter(municipality=b))
    dialogue = first(Dialogue.objects.filter(municipality=b))
    agreement = first(Agreement.objects.filter(municipality=b))
    promise = first(Promise.objects.filter(agreement=agreement))
    report = first(CitizenReport.objects.filter(municipality=b))
    purple_flag = first(Certification.objects.filter(municipality=b))
    guard_area = create_guard_area(
        b,
        GuardAreaInput(
            name="Svepets område",
            decision_reference="2026-1",
            decided_on=NOW.date(),
            valid_from=NOW.date(),
            valid_to=None,
            area_ids=[first(Area.objects.filter(municipality=b, kind=Area.Kind.DISTRICT)).pk],
        ),
        acting_user=users["admin"],
    )
    return {
        "event": event.pk,
        "pack": pack.pk,
        "annual": annual.pk,
        "annual_number": 1,
        "measure": first(Measure.objects.filter(municipality=b)).pk,
        "rule": first(ResponsibilityRule.objects.filter(municipality=b)).pk,
        "meeting": first(Meeting.objects.filter(municipality=b)).pk,
        "plan": plan.pk,
        "goal": first(PlanGoal.objects.filter(plan=plan)).pk,
        "plan_problem": first(PlanProblem.objects.filter(plan=plan)).pk,
        "walk": walk.pk,
        "finding": finding.pk,
        "finding_photo": _unpublished_photo(b).pk,
        "template": template.pk,
        "protocol_number": 1,
        "invited": first(Invitation.objects.filter(walk=walk)).organisation_id,
        "survey": survey.pk,
        "survey_area": first(FrameArea.objects.filter(survey=survey)).area_id,
        "report": report.pk,
        "report_photo": first(ReportPhoto.objects.filter(report__municipality=b)).pk,
        "moderator": moderator.pk,
        "token": "okand-lank",
        "centre": first(Centre.objects.filter(municipality=b)).pk,
        "case": first(DeskCase.objects.filter(municipality=b)).pk,
        "dialogue": dialogue.pk,
        "quote": first(DialogueQuote.objects.filter(dialogue__municipality=b)).pk,
        "agreement": agreement.pk,
        "agreement_problem": first(Problem.objects.filter(agreement=agreement)).pk,
        "step": first(ProcessStep.objects.filter(agreement=agreement)).step,
        "promise": promise.pk,
        "promise_number": 1,
        "commitment": first(Commitment.objects.filter(promise=promise)).pk,
        "follow_up": first(FollowUp.objects.filter(promise=promise)).pk,
        "group": first(PresenceGroup.objects.filter(municipality=b)).pk,
        "shift": first(Shift.objects.filter(municipality=b)).pk,
        "reported_shift": _reported_shift(b, users["admin"]).pk,
        "planned_shift": next(s for s in Shift.objects.filter(municipality=b) if s.is_planned).pk,
        "premise": first(Premise.objects.filter(municipality=b)).pk,
        "inspection": first(Inspection.objects.filter(municipality=b)).pk,
        "guard_area": guard_area.pk,
        "purple_flag": purple_flag.pk,
        "purple_flag_walk": first(purple_flag.walks.all()).pk,
        "purple_flag_tag": first(MeasureTag.objects.filter(certification=purple_flag)).pk,
        "other_county": "18",
        "json": "json",
        "service_code": "klotter",
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (B = Karlstad, A = Karlskoga) and the county of Värmland, loaded once for the
    module and rolled back after it."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        call_command("load_demo", days=28, no_police=True, stdout=io.StringIO())
        county.set_up(county.VARMLAND, police=False)
        names = ["samordnare", "karlskoga", "bovard", "admin", county.COUNTY_USER, "lanspolis"]
        users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
        b = Municipality.objects.get(code="1780")
        objects = _objects(b, users)
        _mark(b)
        yield World(b, objects, users)
        transaction.set_rollback(True)


OUTSIDERS = ["karlskoga", county.COUNTY_USER]


def _client(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def _call(client: Client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    if method == "POST" and not url.startswith(API_PREFIX):
        return client.post(url, {})
    return client.generic(method, url, "{}", content_type="application/json")


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", "replace")


# --- the tests ------------------------------------------------------------------------------


def test_every_route_is_in_the_sweep():
    """A new page or endpoint with a parameter the sweep cannot fill fails here, by name."""
    missing = [
        f"{route.name} ({param})"
        for route in [*PAGES, *APIS]
        for param in route.params
        if object_for(route, param) is None
    ]
    assert not missing, "Lägg till ett objekt för: " + ", ".join(missing)
    assert len(PAGES) > 150 and len(APIS) > 60  # the walk found the routes, not a stub


ROUTES_WITH_OBJECTS = [r for r in [*PAGES, *APIS] if r.params and not is_public(r)]
ROUTES_WITHOUT = [
    r for r in [*PAGES, *APIS] if not r.params and not is_public(r) and r.pattern not in API_OPEN
]


@pytest.mark.parametrize("route", ROUTES_WITH_OBJECTS, ids=lambda r: r.name)
def test_another_municipality_and_the_county_get_nothing_of_bs_objects(world, route):
    url = url_of(route, world.objects)
    # A PDF's objects are its page's (checked there); rendering it costs seconds.
    if "GET" in route.methods and not route.name.endswith("pdf"):
        found = _call(_client(world, "admin"), "GET", url).status_code
        assert found != 404, f"{url}: the case names no object of B (superuser got 404)"
    for username in OUTSIDERS:
        client = _client(world, username)
        for method in route.methods:
            written = AuditEntry.objects.count()
            response = _call(client, method, url)
            allowed = API_DENIED if url.startswith(API_PREFIX) else DENIED
            assert response.status_code in allowed, f"{username} {method} {url}"
            assert MARKER not in _body(response)
            assert AuditEntry.objects.count() == written, f"{username} {method} {url} wrote"


@pytest.mark.parametrize("route", ROUTES_WITHOUT, ids=lambda r: r.name)
def test_pages_without_an_object_show_nothing_internal_of_b(world, route):
    url = url_of(route, world.objects)
    for username in OUTSIDERS:
        client = _client(world, username)
        response = _call(client, "GET", url)
        assert MARKER not in _body(response), f"{username} GET {url}"
        if "POST" in route.methods:
            # May write in the persona's own municipality (a pack of Karlskoga's picture).
            response = _call(client, "POST", url)
            assert MARKER not in _body(response), f"{username} POST {url}"


@pytest.mark.parametrize(
    "route", [r for r in PAGES if is_public(r) and r.name != "logout"], ids=lambda r: r.name
)
def test_public_routes_show_no_internal_text(world, route):
    url = url_of(route, world.objects)
    assert MARKER not in _body(Client().get(url))
    assert MARKER not in _body(_client(world, "karlskoga").get(url))


def test_the_marker_is_where_bs_own_staff_see_it(world):
    """The sweep means something only if B's staff see the marked texts on these pages."""
    client = _client(world, "samordnare")
    event = _body(client.get(reverse("events:detail", kwargs={"pk": world.objects["event"]})))
    measure = _body(client.get(reverse("measures:detail", kwargs={"pk": world.objects["measure"]})))
    assert MARKER in event and MARKER in measure


def test_the_admin_is_for_staff_only(world):
    for username in OUTSIDERS:
        response = _client(world, username).get(reverse("admin:index"))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_county_user_gets_the_county_aggregates_and_a_municipal_user_does_not(world):
    url = reverse("county:page", kwargs={"kod": county.VARMLAND})
    page = _client(world, county.COUNTY_USER).get(url, {"ar": NOW.year})
    assert page.status_code == 200
    text = _body(page)
    assert "Karlstad" in text and "Arvika" in text and MARKER not in text
    # Aggregates only: no link to an event, a measure or a place.
    assert not re.search(r"/(handelser|atgarder|vandringar)/\d+/", text)
    for username in ("karlskoga", "samordnare", "lanspolis"):
        assert _client(world, username).get(url).status_code == 403
