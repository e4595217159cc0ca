"""The Trygghetscenter pages (/trygghetscenter/): the desk's quick form, the cases sent back
to it and the day's cases, the partner's own list, a case with its history, the centre's
monthly statistics and the coordinators' settings.
Parse, check, call an action in `actions/desk.py`, render; bad input re-renders with 400."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.citizens import desk_stats
from trygg.citizens.actions import desk
from trygg.citizens.desk_history import case_history
from trygg.citizens.forms_desk import (
    CentreForm,
    CloseCaseForm,
    DeskCaseForm,
    ReassignForm,
    ReturnCaseForm,
)
from trygg.citizens.models import Centre, DeskCase
from trygg.core.forms import add_action_errors
from trygg.organisations.access import access_for
from trygg.organisations.shards import own_first_or_404
from trygg.organisations.tenancy import chosen_municipality_id
from trygg.places.models import Municipality, Place

# The browser's suggestions for the place field; a municipality has a few hundred named places.
PLACE_SUGGESTIONS = 2000
RECENTLY_CLOSED = 20


def _centre_or_404(request, pk: int) -> Centre:
    return own_first_or_404(request.user, Centre.objects.select_related("municipality"), pk=pk)


def _cases():
    """Cases with their reference tables (places, areas, organisations) joined; the centre is a
    sharded table, joined only where the municipality is named on both sides."""
    return DeskCase.objects.select_related("place", "area", "taken_by", "returned_by")


def _cases_in(municipality_id: int):
    """The cases of one municipality with their centre: names the municipality of both
    sharded tables, so that Citus sends the join to one shard."""
    return (
        _cases()
        .filter(municipality_id=municipality_id, centre__municipality_id=municipality_id)
        .select_related("centre")
    )


def _with_centres(cases, municipality_ids):
    """Cases of several municipalities: their centres in a second query naming the same
    municipalities, as Citus cannot join two sharded tables across shards."""
    centres = Centre.objects.filter(municipality_id__in=list(municipality_ids))
    return cases.prefetch_related(Prefetch("centre", queryset=centres))


def _visible_case_or_404(request, pk: int) -> DeskCase:
    """The case if the user may read it (`desk.may_read`), else 404."""
    case = _case_or_404(request, pk)
    if not desk.may_read(request.user, case):
        raise Http404
    return case


def _case_or_404(request, pk: int) -> DeskCase:
    """A case by its id (see `own_first_or_404`), with its centre read on the case's own
    shard; the caller checks what the user may do with it."""
    case = own_first_or_404(request.user, _cases(), pk=pk)
    case.centre = Centre.objects.get(municipality_id=case.municipality_id, pk=case.centre_id)
    return case


# The forms of one case on a page, by kind ("close", "reassign", "return"): a bound form with
# its errors after a refused POST, else an empty one. Prefixed by the case, as a page has many.
FORMS = {
    "close": ("avsluta", CloseCaseForm),
    "return": ("tillbaka", ReturnCaseForm),
}


def _case_form(case: DeskCase, kind: str, bound: dict | None):
    found = (bound or {}).get(case.pk, {}).get(kind)
    if found is not None:
        return found
    if kind == "reassign":
        return ReassignForm(prefix=f"skicka-{case.pk}", municipality_id=case.municipality_id)
    prefix, form_class = FORMS[kind]
    return form_class(prefix=f"{prefix}-{case.pk}")


def waited(case: DeskCase, today: dt.date) -> str:
    days = (today - case.visited_on).days
    if days < 1:
        return _("sedan i dag")
    return ngettext("%(n)s dag", "%(n)s dagar", days) % {"n": days}


# --- the overview -------------------------------------------------------------------------


@require_GET
@login_required
def index(request):
    """The centres the user works at or coordinates, and the way to the partner's list."""
    access = access_for(request.user)
    staffed = list(desk.staffed_centres(request.user))
    # Coordinators and analysts follow the municipality's centres without sitting there.
    overseen = list(
        Centre.objects.filter(municipality_id__in=desk.overseen_municipality_ids(request.user))
        .select_related("municipality")
        .exclude(pk__in=[c.pk for c in staffed])
    )
    context = {
        "staffed": staffed,
        "overseen": overseen,
        "may_create": bool(access.coordinated_municipality_ids),
        "coordinated_ids": access.coordinated_municipality_ids,
        "has_cases": _own_cases(access).exists(),
    }
    return render(request, "citizens/desk_index.html", context)


# --- the desk -----------------------------------------------------------------------------


def _staffed_centre(request, pk: int) -> tuple[Centre, list[int]]:
    centre = _centre_or_404(request, pk)
    staffing = desk.staffing_organisation_ids(request.user, centre)
    if not staffing:
        raise PermissionDenied(desk.NOT_DESK_STAFF)
    return centre, staffing


def _place_names(centre: Centre) -> list[str]:
    names = (
        Place.objects.filter(municipality_id=centre.municipality_id)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    return list(names[:PLACE_SUGGESTIONS])


def _desk_form(centre, staffing, data=None) -> DeskCaseForm:
    return DeskCaseForm(
        data,
        centre=centre,
        staffing_ids=staffing,
        initial={"visited_on": timezone.localdate(), "organisation": staffing[0]},
    )


def _returned_rows(centre: Centre, bound: dict | None) -> list[dict]:
    """Open cases without a partner: sent back by one, waiting for the desk, oldest first."""
    today = timezone.localdate()
    cases = _cases_in(centre.municipality_id).filter(
        centre=centre, state=DeskCase.State.OPEN, taken_by__isnull=True
    )
    return [
        {
            "case": case,
            "waited": waited(case, today),
            "reassign": _case_form(case, "reassign", bound),
            "close": _case_form(case, "close", bound),
        }
        for case in cases.order_by("returned_at", "pk")
    ]


def _render_desk(request, centre, staffing, form=None, bound=None, status=200):
    """`bound`: a refused case form with its errors, as {case pk: {kind: form}}."""
    today = timezone.localdate()
    recorded_today = [
        {"case": case, "reassign": _case_form(case, "reassign", bound)}
        for case in _cases_in(centre.municipality_id)
        .filter(centre=centre, created_at__date=today)
        .order_by("-pk")
    ]
    context = {
        "centre": centre,
        "form": form or _desk_form(centre, staffing),
        "place_names": _place_names(centre),
        "returned": _returned_rows(centre, bound),
        "rows": recorded_today,
        "may_coordinate": access_for(request.user).can_coordinate(centre.municipality_id),
    }
    return render(request, "citizens/desk_page.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def desk_page(request, pk: int):
    centre, staffing = _staffed_centre(request, pk)
    if request.method == "GET":
        return _render_desk(request, centre, staffing)
    form = _desk_form(centre, staffing, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            desk.record_case(
                centre,
                acting_user=request.user,
                topic=data["topic"],
                visited_on=data["visited_on"],
                place=data["place"],
                area=data["area"],
                taken_by=data["taken_by"],
                note=data["note"],
                organisation=data.get("organisation"),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Sparat."))
            return redirect("desk:desk", centre.pk)
    return _render_desk(request, centre, staffing, form=form, status=400)


@require_POST
@login_required
def reassign(request, pk: int):
    case = _case_or_404(request, pk)
    if not desk.may_reassign(request.user, case):
        raise PermissionDenied(_("Du kan inte skicka om det här ärendet."))
    form = ReassignForm(
        request.POST, prefix=f"skicka-{case.pk}", municipality_id=case.municipality_id
    )
    if form.is_valid():
        try:
            desk.reassign(case, form.cleaned_data["taken_by"], acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request, _("Ärendet är skickat till %(org)s.") % {"org": case.taken_by}
            )
            return redirect("desk:desk", case.centre_id)
    return _desk_with_errors(request, case, "reassign", form)


def _desk_with_errors(request, case: DeskCase, kind: str, form):
    """The desk page again with the refused form of one case (400)."""
    staffing = desk.staffing_organisation_ids(request.user, case.centre)
    if not staffing:  # a coordinator who does not sit at the desk has no desk page to show
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("desk:index")
    bound = {case.pk: {kind: form}}
    return _render_desk(request, case.centre, staffing, bound=bound, status=400)


# --- the partner's own list ---------------------------------------------------------------


def _own_cases(access):
    """The cases the user's organisations took on. A partner takes cases of its own
    municipality only, so naming those municipalities keeps the rows and lets Citus skip the
    other shards; the centres come in a second query (rule for several municipalities)."""
    organisation_ids = list(access.organisation_ids)
    municipality_ids = {access.municipality_of[org] for org in organisation_ids}
    cases = _cases().filter(municipality_id__in=municipality_ids, taken_by__in=organisation_ids)
    return _with_centres(cases, municipality_ids)


def _render_own(request, bound=None, status=200):
    """`bound`: a refused case form with its errors, as {case pk: {kind: form}}."""
    access = access_for(request.user)
    ours = _own_cases(access)
    today = timezone.localdate()
    open_rows = [
        {
            "case": case,
            "waited": waited(case, today),
            "may_close": desk.may_handle(request.user, case),
            "may_return": desk.may_return(request.user, case),
            "form": _case_form(case, "close", bound),
            "return_form": _case_form(case, "return", bound),
        }
        for case in ours.filter(state=DeskCase.State.OPEN).order_by("visited_on", "pk")
    ]
    closed = ours.filter(state=DeskCase.State.CLOSED).order_by("-closed_at", "-pk")
    context = {
        "open_rows": open_rows,
        "closed": closed[:RECENTLY_CLOSED],
        "has_organisation": bool(access.organisation_ids),
    }
    return render(request, "citizens/desk_own.html", context, status=status)


@require_GET
@login_required
def own(request):
    return _render_own(request)


@require_POST
@login_required
def close(request, pk: int):
    case = _visible_case_or_404(request, pk)
    if not desk.may_handle(request.user, case):
        raise PermissionDenied(_("Du kan inte avsluta det här ärendet."))
    # A case sent back to the desk is settled there: the desk page is where it was closed.
    at_desk = case.taken_by_id is None
    form = CloseCaseForm(request.POST, prefix=f"avsluta-{case.pk}")
    if form.is_valid():
        try:
            desk.close_case(case, note=form.cleaned_data["note"], acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Ärendet är avslutat."))
            return redirect("desk:desk", case.centre_id) if at_desk else redirect("desk:own")
    if at_desk:
        return _desk_with_errors(request, case, "close", form)
    return _render_own(request, bound={case.pk: {"close": form}}, status=400)


@require_POST
@login_required
def send_back(request, pk: int):
    """The partner sends a case back to the desk: not theirs, with a reason."""
    case = _visible_case_or_404(request, pk)
    if not desk.may_return(request.user, case):
        raise PermissionDenied(_("Du kan inte skicka tillbaka det här ärendet."))
    form = ReturnCaseForm(request.POST, prefix=f"tillbaka-{case.pk}")
    if form.is_valid():
        try:
            desk.return_case(case, reason=form.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request, _("Ärendet är skickat tillbaka till %(centre)s.") % {"centre": case.centre}
            )
            return redirect("desk:own")
    return _render_own(request, bound={case.pk: {"return": form}}, status=400)


# --- one case -----------------------------------------------------------------------------


@require_GET
@login_required
def case_detail(request, pk: int):
    """A case and its history, for everyone who may see it (404 for the rest)."""
    case = _visible_case_or_404(request, pk)
    context = {"case": case, "history": case_history(case)}
    return render(request, "citizens/desk_case.html", context)


# --- statistics ---------------------------------------------------------------------------


def _centre_for_statistics(request, pk: int) -> Centre:
    """Desk staff and the municipality's coordinators and analysts; 404 for the rest, as
    nobody else needs to know the centre is there."""
    centre = _centre_or_404(request, pk)
    if not (
        access_for(request.user).is_superuser
        or desk.is_desk_staff(request.user, centre)
        or centre.municipality_id in desk.overseen_municipality_ids(request.user)
    ):
        raise Http404
    return centre


def _chosen_year(request, centre: Centre) -> tuple[int, list[int]]:
    years = desk_stats.years_with_cases(centre)
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        year = years[0]
    if year not in years:
        year = years[0]
    return year, years


@require_GET
@login_required
def statistics(request, pk: int):
    centre = _centre_for_statistics(request, pk)
    year, years = _chosen_year(request, centre)
    stats = desk_stats.year_stats(centre, year)
    context = {
        "centre": centre,
        "stats": stats,
        "years": years,
        "months": [dt.date(year, month, 1) for month in desk_stats.MONTHS],
    }
    return render(request, "citizens/desk_stats.html", context)


@require_GET
@login_required
def statistics_csv(request, pk: int):
    centre = _centre_for_statistics(request, pk)
    year, _years = _chosen_year(request, centre)
    text = desk_stats.csv_text(desk_stats.year_stats(centre, year))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="trygghetscenter-{year}.csv"'
    return response


# --- centre settings ----------------------------------------------------------------------


def _render_centre_form(request, form, municipality, centre=None, status=200):
    context = {"form": form, "municipality": municipality, "centre": centre}
    return render(request, "citizens/desk_centre_form.html", context, status=status)


def _chosen_municipality(request) -> Municipality | None:
    coordinated = access_for(request.user).coordinated_municipality_ids
    municipalities = Municipality.objects.defer("geometry").filter(pk__in=coordinated)
    code = request.GET.get("kommun") or request.POST.get("kommun")
    if code:
        return municipalities.filter(code=code).first()
    # Without a code: the one municipality coordinated, or the one chosen in the session.
    chosen = chosen_municipality_id(request)
    if chosen in coordinated:
        return municipalities.filter(pk=chosen).first()
    return municipalities.first() if len(coordinated) == 1 else None


@require_http_methods(["GET", "POST"])
@login_required
def centre_create(request):
    if not access_for(request.user).coordinated_municipality_ids:
        raise PermissionDenied(desk.NOT_A_COORDINATOR)
    municipality = _chosen_municipality(request)
    if municipality is None:
        coordinated = access_for(request.user).coordinated_municipality_ids
        choices = Municipality.objects.defer("geometry").filter(pk__in=coordinated)
        return render(request, "citizens/desk_choose_municipality.html", {"choices": choices})
    if request.method == "GET":
        form = CentreForm(municipality_id=municipality.pk, initial={"name": "Trygghetscenter"})
        return _render_centre_form(request, form, municipality)
    form = CentreForm(request.POST, municipality_id=municipality.pk)
    if form.is_valid():
        data = form.cleaned_data
        try:
            centre = desk.create_centre(
                municipality,
                acting_user=request.user,
                name=data["name"],
                organisations=data["organisations"],
                is_active=data["is_active"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Trygghetscentret är skapat."))
            return redirect("desk:settings", centre.pk)
    return _render_centre_form(request, form, municipality, status=400)


@require_http_methods(["GET", "POST"])
@login_required
def centre_settings(request, pk: int):
    centre = _centre_or_404(request, pk)
    if not access_for(request.user).can_coordinate(centre.municipality_id):
        raise PermissionDenied(desk.NOT_A_COORDINATOR)
    if request.method == "GET":
        initial = {
            "name": centre.name,
            "organisations": list(desk.centre_organisations(centre)),
            "is_active": centre.is_active,
        }
        form = CentreForm(municipality_id=centre.municipality_id, initial=initial)
        return _render_centre_form(request, form, centre.municipality, centre)
    form = CentreForm(request.POST, municipality_id=centre.municipality_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            desk.update_centre(
                centre,
                acting_user=request.user,
                name=data["name"],
                organisations=data["organisations"],
                is_active=data["is_active"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Inställningarna är sparade."))
            return redirect("desk:settings", centre.pk)
    return _render_centre_form(request, form, centre.municipality, centre, status=400)
