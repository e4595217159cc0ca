"""The agreement and the promise: steps, problems and their ranking, commitments, adoption."""

from django.urls import path

from trygg.promises import views_agreements as views

urlpatterns = [
    path("<int:pk>/", views.agreement, name="agreement"),
    path("lofte/<int:pk>/", views.promise, name="promise"),
]
