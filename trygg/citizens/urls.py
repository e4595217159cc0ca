"""The residents' pages: reporting without an account and following a report (public), the
moderation queue (staff)."""

from django.urls import path

from trygg.citizens import views_moderation, views_moderators, views_photos, views_report

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
    # Staff: the moderation queue and the photos behind a check.
    path("granska/", views_moderation.queue, name="queue"),
    path("granska/<int:pk>/", views_moderation.moderate, name="moderate"),
    path("granska/<int:pk>/publicera/", views_moderation.publish, name="moderate_publish"),
    path("granska/<int:pk>/dolj/", views_moderation.hide, name="moderate_hide"),
    path("granska/<int:pk>/dubblett/", views_moderation.duplicate, name="moderate_duplicate"),
    path("granska/<int:pk>/ratta/", views_moderation.correct, name="moderate_correct"),
    path("granska/<int:pk>/text/", views_moderation.remove_text, name="moderate_text"),
    path("granska/<int:pk>/skicka/", views_moderation.route, name="moderate_route"),
    path("granska/<int:pk>/avsluta/", views_moderation.close, name="moderate_close"),
    path(
        "granska/<int:pk>/foto/<int:photo_pk>/",
        views_moderation.photo_review,
        name="moderate_photo",
    ),
    # Coordinators: who else moderates their municipality's reports.
    path("granska/granskare/", views_moderators.moderators, name="moderators"),
    path("granska/granskare/utse/", views_moderators.name, name="moderators_name"),
    path("granska/granskare/<int:pk>/ta-bort/", views_moderators.remove, name="moderators_remove"),
    path("foto/<int:pk>/", views_photos.report_photo, name="photo"),
]
