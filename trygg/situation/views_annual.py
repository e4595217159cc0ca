"""The annual lägesbild (lag 2023:196): the list per municipality, the latest version with the
coordinator's form, kept versions and their PDF. Parse, check, call, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from trygg.core.pdf import pdf_response
from trygg.organisations.shards import find_visible
from trygg.situation import actions, annual, charts
from trygg.situation.access import can_edit, chosen_municipality
from trygg.situation.models import AnnualReport, AnnualReportVersion

ONLY_COORDINATORS = gettext_lazy(
    "Bara samordnare i kommunen kan göra och spara den årliga lägesbilden."
)

# --- forms ---------------------------------------------------------------------------------


class NewReportForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Skapa årlig lägesbild för år"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = annual.selectable_years(timezone.localdate())
        self.fields["year"].choices = [(y, y) for y in years]
        # The report is usually written early in the year, about the year that has just ended.
        self.fields["year"].initial = (
            years[1] if years[0] == timezone.localdate().year else years[0]
        )


class VersionForm(forms.Form):
    """The written sections (scrubbed by the action), whether to recount, and a note."""

    regenerate = forms.BooleanField(
        label=gettext_lazy("Räkna om de genererade avsnitten med dagens data"),
        required=False,
        help_text=gettext_lazy(
            "Annars behåller den nya versionen siffrorna från versionen före, "
            "så att texten och siffrorna hör ihop."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Kommentar till versionen"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("T.ex. ”Efter synpunkter från polisen” eller ”Till nämnden”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, heading, hint in annual.WRITTEN_SECTIONS:
            self.fields[key] = forms.CharField(
                label=heading,
                help_text=hint,
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 8}),
            )
        # The text fields first, in the document's order; the version's details after them.
        self.order_fields([*annual.WRITTEN_KEYS, "regenerate", "note"])

    def written(self) -> dict:
        return {key: self.cleaned_data[key] for key in annual.WRITTEN_KEYS}

    def text_fields(self):
        return [self[key] for key in annual.WRITTEN_KEYS]


# --- views ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def annual_list(request):
    """GET: the municipality's reports by year. POST: make the report for a year."""
    municipality = chosen_municipality(request)
    if municipality is None:
        return render(request, "situation/no_municipality.html", status=403)
    editable = can_edit(request.user, municipality.pk)
    form = NewReportForm()
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(ONLY_COORDINATORS)
        form = NewReportForm(request.POST)
        if form.is_valid():
            report, created = actions.create_annual_report(
                municipality, form.cleaned_data["year"], acting_user=request.user
            )
            if created:
                messages.success(request, _("Lägesbilden är skapad som version 1."))
            else:
                messages.info(
                    request,
                    _("Det finns redan en lägesbild för %(year)s; här är den.")
                    % {"year": report.year},
                )
            return redirect(report)
    # The versions counted in subqueries that name the municipality, where joining them
    # (an outer join between sharded tables) would keep Citus from sending it to one shard.
    versions = (
        AnnualReportVersion.objects.filter(municipality_id=municipality.pk, report=OuterRef("pk"))
        .order_by()
        .values("report")
    )
    reports = (
        AnnualReport.objects.filter(municipality=municipality)
        .annotate(
            version_count=Coalesce(Subquery(versions.annotate(n=Count("pk")).values("n")), 0),
            changed_at=Subquery(versions.annotate(at=Max("created_at")).values("at")),
        )
        .order_by("-year")
    )
    context = {"municipality": municipality, "reports": reports, "form": form, "can_edit": editable}
    return render(
        request, "situation/annual_list.html", context, status=400 if form.errors else 200
    )


def _report_for(request, pk: int) -> AnnualReport:
    reports = AnnualReport.objects.select_related("municipality")
    return find_visible(request.user, reports, pk, _("Lägesbilden hör till en annan kommun."))


@require_http_methods(["GET", "POST"])
@login_required
def annual_detail(request, pk: int):
    """The latest version; coordinators save a new one (never overwriting the last)."""
    report = _report_for(request, pk)
    editable = can_edit(request.user, report.municipality_id)
    latest = report.latest()
    form = VersionForm(initial=latest.written if latest else {})
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(ONLY_COORDINATORS)
        form = VersionForm(request.POST)
        if form.is_valid():
            version = actions.save_annual_version(
                report,
                form.written(),
                regenerate=form.cleaned_data["regenerate"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
            messages.success(request, _("Sparat som version %(n)s.") % {"n": version.number})
            return redirect(report)
    context = document_context(report, latest, form if editable else None) | {
        "form": form,
        "can_edit": editable,
        "versions": _versions(report),
    }
    return render(request, "situation/annual.html", context, status=400 if form.errors else 200)


def _version_for(request, pk: int, number: int) -> AnnualReportVersion:
    report = _report_for(request, pk)
    return get_object_or_404(_versions(report), number=number)


def _versions(report: AnnualReport):
    """The report's versions, naming its municipality so that Citus reads one shard."""
    return report.versions.filter(municipality_id=report.municipality_id).select_related(
        "created_by"
    )


@require_GET
@login_required
def annual_version(request, pk: int, number: int):
    version = _version_for(request, pk, number)
    context = document_context(version.report, version) | {
        "is_latest": version.number == version.report.latest().number,
    }
    return render(request, "situation/annual_version.html", context)


@require_GET
@login_required
def annual_pdf(request, pk: int, number: int):
    version = _version_for(request, pk, number)
    report = version.report
    name = f"lagesbild-{report.municipality.code}-{report.year}-v{version.number}.pdf"
    context = document_context(report, version)
    return pdf_response(request, "situation/annual_pdf.html", context, filename=name)


def document_context(
    report: AnnualReport, version: AnnualReportVersion | None, form: VersionForm | None = None
) -> dict:
    """What the page, a kept version and the PDF render: the sections in order, each with its
    kept data or text (or, on the coordinator's page, its text field), and the charts."""
    entries: list[dict] = []
    context: dict[str, Any] = {"report": report, "version": version, "entries": entries}
    if version is None:
        return context
    sections = version.generated["sections"]
    for entry in annual.outline(sections):
        if entry["written"]:
            entry["text"] = version.written.get(entry["key"], "")
            entry["field"] = form[entry["key"]] if form is not None else None
        else:
            entry["data"] = sections.get(entry["key"])
        entries.append(entry)
    context |= {
        "doc": version.generated,
        "generated_at": dt.datetime.fromisoformat(version.generated["generated_at"]),
        "charts": {
            "trend": charts.trend_chart(sections["years"]["trend"]),
            "months": charts.month_chart(sections["time"]["months"]),
            "month_names": charts.month_names(),
            "weekdays": list(
                zip(
                    charts.weekday_names(),
                    charts.heat_levels(sections["time"]["hour_weekday"]),
                    strict=True,
                )
            ),
            "hotspots": charts.hotspot_map(sections["hotspots"]["map"]),
        },
    }
    return context
