"""The Purple Flag pages under /purple-flag/: the municipality's years, a year's status page
(what is done and missing, the grid, the walks, the measures by focus area, the evening and
night picture), the self-assessment form and the printout. Parse, check, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.forms import add_action_errors
from trygg.core.pdf import pdf_response
from trygg.organisations.shards import children, linked
from trygg.purpleflag import actions
from trygg.purpleflag.access import check_may_run, may_run
from trygg.purpleflag.forms import AssessmentForm, CertificationForm, StepForm, TagForm, WalkForm
from trygg.purpleflag.grid import grid, measures_by_focus_area
from trygg.purpleflag.models import Certification
from trygg.purpleflag.picture import evening_picture, suppressed
from trygg.purpleflag.status import checks, is_application_overdue, renewal
from trygg.situation.access import chosen_municipality


def _municipality(request):
    municipality = chosen_municipality(request)
    if municipality is None:
        raise PermissionDenied(_("Du arbetar inte i någon kommun i Trygg."))
    return municipality


def _certification(request, pk: int) -> Certification:
    """A year the user may see; another municipality's is not found (404)."""
    years = Certification.objects.visible_to(request.user).select_related("area", "municipality")
    return get_object_or_404(years, pk=pk)


def _list(request, municipality, form=None, status=200):
    years = Certification.objects.filter(municipality=municipality).select_related("area")
    can_run = may_run(request.user, municipality.pk)
    context = {
        "municipality": municipality,
        "here": "purpleflag",
        "years": years,
        "can_run": can_run,
        "form": form or (CertificationForm(municipality) if can_run else None),
    }
    return render(request, "purpleflag/list.html", context, status=status)


@require_GET
@login_required
def year_list(request):
    return _list(request, _municipality(request))


@require_POST
@login_required
def year_new(request):
    municipality = _municipality(request)
    check_may_run(request.user, municipality.pk)
    form = CertificationForm(municipality, request.POST)
    if form.is_valid():
        try:
            year = actions.create_certification(
                municipality, form.to_input(), acting_user=request.user
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Purple Flag-året är skapat."))
            return redirect(year)
    return _list(request, municipality, form=form, status=422)


def status_context(request, certification: Certification) -> dict:
    today = timezone.localdate()
    return {
        "certification": certification,
        "municipality": certification.municipality,
        "checks": checks(certification, today),
        "renewal": renewal(certification, today),
        "application_overdue": is_application_overdue(certification, today),
        "grid": grid(certification),
        "walks": list(linked(certification, "walks").order_by("walk_at")),
        "measures": measures_by_focus_area(certification),
        "today": today,
    }


def _detail(request, certification, *, step_form=None, walk_form=None, tag_form=None, status=200):
    context = status_context(request, certification)
    municipality = certification.municipality
    can_run = may_run(request.user, municipality.pk)
    context |= {
        "here": "purpleflag",
        "picture": evening_picture(certification, request.user, context["today"]),
        "can_run": can_run,
    }
    if can_run:
        initial = {name: getattr(certification, name) for name in StepForm.base_fields}
        context |= {
            "step_form": step_form or StepForm(initial=initial),
            "walk_form": walk_form or WalkForm(municipality),
            "tag_form": tag_form or TagForm(municipality),
        }
    return render(request, "purpleflag/detail.html", context, status=status)


@require_GET
@login_required
def year_detail(request, pk: int):
    return _detail(request, _certification(request, pk))


def _back(certification: Certification, anchor: str = ""):
    return redirect(certification.get_absolute_url() + (f"#{anchor}" if anchor else ""))


@require_POST
@login_required
def year_step(request, pk: int):
    certification = _certification(request, pk)
    check_may_run(request.user, certification.municipality_id)
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            actions.set_step(certification, form.to_input(), acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Steget är sparat."))
            return _back(certification, "steg")
    certification.refresh_from_db()
    return _detail(request, certification, step_form=form, status=422)


@require_http_methods(["GET", "POST"])
@login_required
def assessment(request, pk: int):
    certification = _certification(request, pk)
    check_may_run(request.user, certification.municipality_id)
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if form.is_valid():
            try:
                actions.save_assessment(certification, form.to_cells(), acting_user=request.user)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Den egna bedömningen är sparad."))
                return _back(certification, "rutnat")
        status = 422
    else:
        form = AssessmentForm(initial=AssessmentForm.initial_from(grid(certification)))
        status = 200
    context = {"certification": certification, "form": form, "here": "purpleflag"}
    context["municipality"] = certification.municipality
    return render(request, "purpleflag/assessment.html", context, status=status)


@require_POST
@login_required
def walk_link(request, pk: int):
    certification = _certification(request, pk)
    check_may_run(request.user, certification.municipality_id)
    form = WalkForm(certification.municipality, request.POST)
    if form.is_valid():
        try:
            actions.link_walk(certification, form.cleaned_data["walk"], acting_user=request.user)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _back(certification, "vandringar")
    return _detail(request, certification, walk_form=form, status=422)


@require_POST
@login_required
def walk_unlink(request, pk: int, walk_pk: int):
    certification = _certification(request, pk)
    walk = get_object_or_404(linked(certification, "walks"), pk=walk_pk)
    actions.unlink_walk(certification, walk, acting_user=request.user)
    return _back(certification, "vandringar")


@require_POST
@login_required
def measure_tag(request, pk: int):
    certification = _certification(request, pk)
    check_may_run(request.user, certification.municipality_id)
    form = TagForm(certification.municipality, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.tag_measure(
                certification, data["measure"], data["focus_area"], acting_user=request.user
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            return _back(certification, "atgarder")
    return _detail(request, certification, tag_form=form, status=422)


@require_POST
@login_required
def measure_untag(request, pk: int, tag_pk: int):
    certification = _certification(request, pk)
    # In the year's municipality, as each of its tags is: one shard on Citus.
    tag = get_object_or_404(children(certification, "measure_tags"), pk=tag_pk)
    actions.untag_measure(tag, acting_user=request.user)
    return _back(certification, "atgarder")


@require_GET
@login_required
def year_print(request, pk: int):
    """The status for the application, to print or as PDF: only what every partner may see,
    small counts suppressed (it leaves the partners)."""
    certification = _certification(request, pk)
    context = status_context(request, certification)
    picture = evening_picture(certification, request.user, context["today"], shared_only=True)
    context |= {"picture": picture, "shown": suppressed(picture)}
    if request.GET.get("format") == "pdf":
        name = f"purple-flag-{certification.year}-{certification.area.name}.pdf"
        return pdf_response(request, "purpleflag/print.html", context, filename=name)
    return render(request, "purpleflag/print.html", context)
