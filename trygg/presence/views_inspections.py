"""Krogtillsyn under /narvaro/krogtillsyn/: the year's inspections month by month against the
plan's target and the premises, a premise's history, and the forms for premises, licences,
inspections, follow-ups and the plan. Parse, check, call the action, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.forms import add_action_errors
from trygg.presence.access import may_manage_premises, may_record_inspections
from trygg.presence.actions.inspections import add_follow_up, record_inspection
from trygg.presence.actions.premises import (
    FIRST_YEAR,
    LAST_YEAR,
    add_licence,
    create_premise,
    set_inspection_target,
)
from trygg.presence.forms_inspections import (
    FollowUpForm,
    InspectionForm,
    LicenceForm,
    PlanForm,
    PremiseForm,
)
from trygg.presence.inspections import (
    findings_of,
    load_links,
    measures_of,
    monthly,
    organisations_of,
    premise_rows,
    with_parents,
)
from trygg.presence.models import Inspection, InspectionPlan, Premise
from trygg.presence.serving import serving_comparison
from trygg.situation.access import chosen_municipality

# The inspection form asks for a day and a time; the action names the moment.
INSPECTION_FIELDS = {"starts_at": "time"}


def _municipality(request):
    municipality = chosen_municipality(request)
    if municipality is None:
        raise PermissionDenied(_("Du arbetar inte i någon kommun i Trygg."))
    return municipality


def _year(request, default: int) -> int:
    """The year asked for (`?ar=`), or `default` when it is not a plausible year."""
    try:
        year = int(request.GET.get("ar", default))
    except ValueError:
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


@require_GET
@login_required
def overview(request):
    municipality = _municipality(request)
    today = timezone.localdate()
    year = _year(request, today.year)
    context = {
        "municipality": municipality,
        "year": year,
        "months": monthly(municipality.pk, year, today),
        "plan": InspectionPlan.objects.filter(municipality=municipality, year=year).first(),
        "rows": premise_rows(municipality.pk, year, today),
        "can_manage": may_manage_premises(request.user, municipality.pk),
        "can_record": may_record_inspections(request.user, municipality.pk),
    }
    return render(request, "presence/krog_overview.html", context)


def _visible_premise(request, pk: int) -> Premise:
    premises = Premise.objects.visible_to(request.user).select_related("place", "municipality")
    return get_object_or_404(premises.defer("municipality__geometry"), pk=pk)


@require_GET
@login_required
def premise_detail(request, pk: int):
    premise = _visible_premise(request, pk)
    # Names the premise's municipality on every sharded table, so Citus reads one shard.
    inspections = list(
        premise.inspections.filter(
            municipality_id=premise.municipality_id,
            licence__municipality_id=premise.municipality_id,
        )
        .select_related("organisation", "licence")
        .order_by("-starts_at")
    )
    load_links(inspections)
    context = {
        "premise": premise,
        "municipality": premise.municipality,
        "licences": premise.own_licences(),
        "current": premise.licence_on(timezone.localdate()),
        "inspections": inspections,
        "can_manage": may_manage_premises(request.user, premise.municipality_id),
        "can_record": may_record_inspections(request.user, premise.municipality_id),
        "serving": serving_comparison(premise, request.user, timezone.localdate()),
    }
    return render(request, "presence/premise.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def premise_new(request):
    municipality = _municipality(request)
    if not may_manage_premises(request.user, municipality.pk):
        raise PermissionDenied(_("Bara kommunens samordnare kan lägga upp serveringsställen."))
    form = PremiseForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            premise = create_premise(
                municipality,
                form.cleaned_data["place"],
                form.cleaned_data["name"],
                form.licence_input(),
                acting_user=request.user,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Serveringsstället är upplagt med sitt tillstånd."))
            return redirect(premise)
    context = {"form": form, "municipality": municipality, "premise": None}
    return render(
        request, "presence/licence_form.html", context, status=400 if form.is_bound else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def licence_new(request, pk: int):
    premise = _visible_premise(request, pk)
    if not may_manage_premises(request.user, premise.municipality_id):
        raise PermissionDenied(_("Bara kommunens samordnare kan lägga upp tillstånd."))
    form = LicenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_licence(premise, form.licence_input(), acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Tillståndet är sparat."))
            return redirect(premise)
    context = {"form": form, "municipality": premise.municipality, "premise": premise}
    return render(
        request, "presence/licence_form.html", context, status=400 if form.is_bound else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def inspection_new(request):
    municipality = _municipality(request)
    if not may_record_inspections(request.user, municipality.pk):
        raise PermissionDenied(_("Du kan inte registrera tillsyn i kommunen."))
    initial = {"premise": request.GET.get("stalle"), "day": timezone.localdate()}
    form = InspectionForm(
        request.POST or None, municipality=municipality, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        premise = form.cleaned_data["premise"]
        if premise is None:
            form.add_error("premise", _("Välj vilket serveringsställe som granskades."))
        else:
            try:
                inspection = record_inspection(
                    premise, form.inspection_input(), acting_user=request.user
                )
            except ValidationError as error:
                add_action_errors(form, _renamed(error))
            else:
                messages.success(request, _("Tillsynen är registrerad."))
                return redirect(inspection)
    context = {"form": form, "municipality": municipality}
    return render(
        request, "presence/inspection_form.html", context, status=400 if form.is_bound else 200
    )


def _renamed(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({INSPECTION_FIELDS.get(k, k): v for k, v in error.message_dict.items()})


def _visible_inspection(request, pk: int) -> Inspection:
    # The inspection alone with the shared tables (its municipality is not known before it is
    # read); its premise and licence then with the municipality named.
    inspections = Inspection.objects.visible_to(request.user).select_related(
        "organisation", "municipality"
    )
    return with_parents(get_object_or_404(inspections.defer("municipality__geometry"), pk=pk))


@require_GET
@login_required
def inspection_detail(request, pk: int):
    return _inspection_page(request, _visible_inspection(request, pk))


def _inspection_page(request, inspection: Inspection, form: FollowUpForm | None = None):
    """The inspection with its findings and follow-ups, and the form for one more (with its
    errors, after a refused post)."""
    context = {
        "inspection": inspection,
        "municipality": inspection.municipality,
        "organisations": organisations_of(inspection),
        "findings": findings_of(inspection).select_related("category").order_by("pk"),
        "measures": measures_of(inspection).order_by("pk"),
        "form": form or FollowUpForm(municipality=inspection.municipality),
    }
    return render(
        request, "presence/inspection.html", context, status=400 if form is not None else 200
    )


@require_POST
@login_required
def follow_up_new(request, pk: int):
    inspection = _visible_inspection(request, pk)
    form = FollowUpForm(request.POST, municipality=inspection.municipality)
    if form.is_valid():
        try:
            add_follow_up(inspection, **form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Uppföljningen är sparad som en åtgärd."))
            return redirect(inspection)
    return _inspection_page(request, inspection, form)


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit(request):
    municipality = _municipality(request)
    if not may_manage_premises(request.user, municipality.pk):
        raise PermissionDenied(_("Bara kommunens samordnare kan ändra tillsynsplanen."))
    year = _year(request, timezone.localdate().year)
    plan = InspectionPlan.objects.filter(municipality=municipality, year=year).first()
    initial = {"year": year, "target_per_month": plan.target_per_month if plan else None}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            set_inspection_target(
                municipality, data["year"], data["target_per_month"], acting_user=request.user
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Tillsynsplanens mål är sparat."))
            url = reverse("presence:krog")
            return redirect(f"{url}?kommun={municipality.pk}&ar={data['year']}")
    context = {"form": form, "municipality": municipality}
    return render(request, "presence/plan_form.html", context, status=400 if form.is_bound else 200)
