"""The walks' pages under /vandringar/: planning, the field page, the protocol, the answers,
the comparison. The public pages are mounted by the project (trygg/urls.py)."""

from django.urls import path

from trygg.walks import views_photos

app_name = "walks"

urlpatterns = [
    path("foto/<int:pk>/", views_photos.finding_photo, name="photo"),
]
