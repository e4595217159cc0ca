"""The survey pages (/matningar/): the municipality's surveys, a survey's figures with their
intervals and the change since the previous survey, its files (population, responses, sample
sizes) and the figures as CSV. Parse, check, call an action, render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.core.forms import add_action_errors
from trygg.organisations.access import access_for
from trygg.situation.access import chosen_municipality
from trygg.surveys import report
from trygg.surveys.actions.frame import (
    NOT_A_MANAGER,
    import_population,
    may_manage,
    set_sample_sizes,
)
from trygg.surveys.actions.responses import import_responses
from trygg.surveys.actions.surveys import create_survey
from trygg.surveys.estimates import estimate_survey, min_answers
from trygg.surveys.files import FileProblems
from trygg.surveys.forms import FileForm, SampleSizesForm, SurveyForm
from trygg.surveys.in_municipality import frame_of, respondents_of, survey_rows
from trygg.surveys.models import ResponseFile, Survey


def _survey_for(request, pk: int) -> Survey:
    """A survey of a municipality the user works in; 404 for others (as for events)."""
    access = access_for(request.user)
    surveys = Survey.objects.select_related("municipality", "questionnaire")
    if not access.is_superuser:
        # Only the municipalities the user works in: sharded by municipality (Citus), the
        # query then goes to their shards rather than to every one.
        surveys = surveys.filter(municipality_id__in=access.municipality_ids)
    survey = surveys.filter(pk=pk).first()
    if survey is None or not access.can_view(survey.municipality_id):
        raise Http404(_("Ingen sådan trygghetsmätning."))
    return survey


@require_GET
@login_required
def survey_list(request):
    municipality = chosen_municipality(request)
    # No municipality chosen: no surveys, without asking every shard for those of none.
    surveys = (
        Survey.objects.filter(municipality=municipality).select_related("questionnaire")
        if municipality is not None
        else Survey.objects.none()
    )
    context = {
        "municipality": municipality,
        "surveys": surveys.order_by("-year", "name"),
        "can_manage": municipality is not None and may_manage(request.user, municipality.pk),
    }
    return render(request, "surveys/list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def survey_new(request):
    municipality = chosen_municipality(request)
    if municipality is None or not may_manage(request.user, municipality.pk):
        raise PermissionDenied(
            _("Bara kommunens samordnare och analytiker kan lägga in mätningar.")
        )
    form = SurveyForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            survey = create_survey(
                municipality=municipality,
                acting_user=request.user,
                this_year=timezone.localdate().year,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Mätningen är skapad. Lägg in befolkning och svar."))
            return redirect("surveys:files", pk=survey.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "municipality": municipality}
    return render(request, "surveys/form.html", context, status=status)


@require_GET
@login_required
def survey_detail(request, pk: int):
    survey = _survey_for(request, pk)
    context = {
        "survey": survey,
        "can_manage": may_manage(request.user, survey.municipality_id),
        "min_answers": min_answers(),
    }
    try:
        figures, before = report.figures_with_previous(survey)
    except FileProblems as problems:
        context["problems"] = problems.problems
        return render(request, "surveys/detail.html", context)
    items = figures.items
    chosen = next((i for i in items if i.code == request.GET.get("fraga")), None)
    chosen = chosen or next((i for i in items if i.has_index), items[0] if items else None)
    context |= {
        "figures": figures,
        "before": before,
        "item_rows": report.item_rows(figures, before),
        "chosen": chosen,
        "area_rows": report.area_rows(figures, chosen, before) if chosen else [],
        "items": items,
    }
    return render(request, "surveys/detail.html", context)


@require_GET
@login_required
def survey_csv(request, pk: int):
    survey = _survey_for(request, pk)
    try:
        figures = estimate_survey(survey)
    except FileProblems as problems:
        return HttpResponse(
            "\n".join(str(p) for p in problems.problems),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="matning-{survey.year}-{survey.pk}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 with a byte-order mark
    csv.writer(response, delimiter=";").writerows(report.csv_rows(figures))
    return response


# --- files: population, responses, sample sizes ---------------------------------------------


def _managed_survey(request, pk: int) -> Survey:
    survey = _survey_for(request, pk)
    if not may_manage(request.user, survey.municipality_id):
        raise PermissionDenied(NOT_A_MANAGER)
    return survey


def _files_context(survey: Survey, **forms) -> dict:
    frame = frame_of(survey).select_related("area").order_by("area__name")
    return {
        "survey": survey,
        "frame": frame,
        "respondents": respondents_of(survey).count(),
        "files": survey_rows(ResponseFile, survey).order_by("imported_at"),
        "population_form": forms.get("population_form") or FileForm(prefix="befolkning"),
        "responses_form": forms.get("responses_form") or FileForm(prefix="svar"),
        "sizes_form": forms.get("sizes_form") or SampleSizesForm(prefix="urval", frame_areas=frame),
        "problems": forms.get("problems", []),
        "problems_of": forms.get("problems_of", ""),
    }


@require_GET
@login_required
def survey_files(request, pk: int):
    return render(request, "surveys/files.html", _files_context(_managed_survey(request, pk)))


@require_POST
@login_required
def upload_population(request, pk: int):
    return _upload(request, pk, "population")


@require_POST
@login_required
def upload_responses(request, pk: int):
    return _upload(request, pk, "responses")


def _upload(request, pk: int, what: str):
    survey = _managed_survey(request, pk)
    prefix = "befolkning" if what == "population" else "svar"
    form = FileForm(request.POST, request.FILES, prefix=prefix)
    problems = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            message = _import(what, survey, upload.read(), upload.name, request.user)
        except FileProblems as refused:
            problems = refused.problems
        else:
            messages.success(request, message)
            return redirect("surveys:files", pk=survey.pk)
    key = "population_form" if what == "population" else "responses_form"
    context = _files_context(survey, problems=problems, problems_of=what, **{key: form})
    return render(request, "surveys/files.html", context, status=400)


def _import(what: str, survey: Survey, data: bytes, name: str, user) -> str:
    if what == "population":
        cells = import_population(survey, data, name, acting_user=user)
        return _("Befolkningen är inläst: %(n)s celler.") % {"n": cells}
    imported = import_responses(survey, data, name, acting_user=user)
    if not imported.new:
        return _("Filen var redan inläst; inget lades till.")
    return ngettext("%(n)s svarande är inläst.", "%(n)s svarande är inlästa.", imported.rows) % {
        "n": imported.rows
    }


@require_POST
@login_required
def sample_sizes(request, pk: int):
    survey = _managed_survey(request, pk)
    frame = frame_of(survey).select_related("area").order_by("area__name")
    form = SampleSizesForm(request.POST, prefix="urval", frame_areas=frame)
    if form.is_valid():
        try:
            set_sample_sizes(survey, form.sizes(), acting_user=request.user)
        except FileProblems as refused:
            for problem in refused.problems:
                form.add_error(None, problem.message)
        else:
            messages.success(request, _("Urvalets storlek är sparad."))
            return redirect("surveys:files", pk=survey.pk)
    return render(
        request, "surveys/files.html", _files_context(survey, sizes_form=form), status=400
    )
