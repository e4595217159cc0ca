"""The residents' pages: reporting without an account and following a report (public), the
moderation queue (staff)."""

from django.urls import path

from trygg.citizens import views_report

app_name = "citizens"

urlpatterns: list = [
    # No login: a resident reports, checks what is already reported nearby, follows a report.
    path("", views_report.report_page, name="report"),
    path("kvitto/", views_report.receipt, name="receipt"),
    path("folj/<str:token>/", views_report.track, name="track"),
    path("i-narheten.json", views_report.nearby, name="nearby"),
    path("<int:pk>/jag-ocksa/", views_report.me_too, name="me_too"),
    path("platser.json", views_report.places, name="places"),
    path("omraden.geojson", views_report.boundaries, name="boundaries"),
]
