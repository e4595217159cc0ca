"""The walks' pages under /vandringar/: planning, the field page, the protocol, the answers,
the comparison. The public pages are mounted by the project (trygg/urls.py)."""

from django.urls import path

from trygg.walks import views_compare, views_photos, views_public

app_name = "walks"

urlpatterns = [
    path("foto/<int:pk>/", views_photos.finding_photo, name="photo"),
    path("<int:pk>/jamforelse/", views_compare.compare, name="compare"),
    path("<int:pk>/publicera/", views_public.publish, name="publish"),
    path("<int:pk>/avpublicera/", views_public.unpublish, name="unpublish"),
]
