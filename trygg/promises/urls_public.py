"""Public pages, no login, under /oppen/loften/: the municipality's current promise, its
history and its published follow-ups. Only adopted versions and published follow-ups."""

from django.urls import path

from trygg.promises import views_public as views

app_name = "public_promises"

urlpatterns = [
    # ?kommun=<kommunkod>: that municipality's current promise; without it, the list.
    path("", views.current, name="current"),
    path("<int:pk>/", views.promise, name="promise"),
    path("<int:pk>/version/<int:number>/", views.version, name="version"),
    path("uppfoljning/<int:pk>/", views.follow_up, name="follow_up"),
    path("uppfoljning/<int:pk>/pdf/", views.follow_up_pdf, name="follow_up_pdf"),
]
