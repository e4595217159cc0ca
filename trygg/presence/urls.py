"""The presence pages under /narvaro/: the shared calendar, the groups, planning shifts, and
krogtillsyn."""

from django.urls import path

from trygg.presence import (
    views,
    views_coverage,
    views_field,
    views_groups,
    views_guards,
    views_inspections,
    views_reports,
    views_shifts,
)

app_name = "presence"

urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("pass/nytt/", views_shifts.shift_new, name="shift_new"),
    path("pass/serie/", views_shifts.series_new, name="series_new"),
    path("pass/<int:pk>/", views_shifts.shift_detail, name="shift"),
    path("pass/<int:pk>/andra/", views_shifts.shift_edit, name="shift_edit"),
    path("pass/<int:pk>/stall-in/", views_shifts.shift_cancel, name="shift_cancel"),
    path("pass/<int:pk>/genomfort/", views_shifts.shift_held, name="shift_held"),
    path("pass/<int:pk>/rapport/", views_reports.report_detail, name="report"),
    # The report's field page for the phones, its manifest, data and service worker.
    path("pass/<int:pk>/falt/", views_field.report_field, name="report_field"),
    path(
        "pass/<int:pk>/falt/manifest.webmanifest",
        views_field.report_field_manifest,
        name="report_field_manifest",
    ),
    path("pass/<int:pk>/falt/data.json", views_field.report_field_data, name="report_field_data"),
    path("pass/<int:pk>/falt/sw.js", views_field.report_field_sw, name="report_field_sw"),
    path("tackning/", views_coverage.coverage_page, name="coverage"),
    path("tackning/forslag/", views_coverage.accept_suggestion, name="coverage_accept"),
    path("grupper/", views_groups.group_list, name="groups"),
    path("grupper/ny/", views_groups.group_new, name="group_new"),
    path("grupper/<int:pk>/", views_groups.group_detail, name="group"),
    path("grupper/<int:pk>/andra/", views_groups.group_edit, name="group_edit"),
    path("ordningsvakter/", views_guards.guards_page, name="guards"),
    path("ordningsvakter/nytt/", views_guards.guard_area_new, name="guard_area_new"),
    path("ordningsvakter/<int:pk>/andra/", views_guards.guard_area_edit, name="guard_area_edit"),
    path("ordningsvakter/<int:pk>/avsluta/", views_guards.guard_area_end, name="guard_area_end"),
    path("ordningsvakter/export/", views_guards.guards_export, name="guards_export"),
    path("krogtillsyn/", views_inspections.overview, name="krog"),
    path("krogtillsyn/plan/", views_inspections.plan_edit, name="krog_plan"),
    path("krogtillsyn/stallen/nytt/", views_inspections.premise_new, name="premise_new"),
    path("krogtillsyn/stallen/<int:pk>/", views_inspections.premise_detail, name="premise"),
    path(
        "krogtillsyn/stallen/<int:pk>/tillstand/",
        views_inspections.licence_new,
        name="licence_new",
    ),
    path("krogtillsyn/tillsyn/ny/", views_inspections.inspection_new, name="inspection_new"),
    path("krogtillsyn/tillsyn/<int:pk>/", views_inspections.inspection_detail, name="inspection"),
    path(
        "krogtillsyn/tillsyn/<int:pk>/uppfoljning/",
        views_inspections.follow_up_new,
        name="follow_up_new",
    ),
]
