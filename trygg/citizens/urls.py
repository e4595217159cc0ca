"""The residents' pages: reporting without an account and following a report (public), the
moderation queue (staff)."""

from django.urls import path

from trygg.citizens import views_moderation, views_photos

app_name = "citizens"

urlpatterns: list = [
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
    path("foto/<int:pk>/", views_photos.report_photo, name="photo"),
]
