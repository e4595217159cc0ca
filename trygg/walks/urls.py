"""The walks' pages under /vandringar/: planning, the field page, the protocol, the answers,
the comparison. The public pages are mounted by the project (trygg/urls.py)."""

from django.urls import path

from trygg.walks import views_field, views_photos

app_name = "walks"

urlpatterns = [
    path("foto/<int:pk>/", views_photos.finding_photo, name="photo"),
    path("<int:pk>/falt/", views_field.field, name="field"),
    path("<int:pk>/falt/manifest.webmanifest", views_field.field_manifest, name="field_manifest"),
    path("<int:pk>/falt/data.json", views_field.field_data, name="field_data"),
    path("<int:pk>/falt/sw.js", views_field.field_service_worker, name="field_service_worker"),
]
