"""The evidence for one candidate problem: figures, trends, hotspots, survey, dialogues, notes."""

from django.urls import path

from trygg.promises import views_evidence as views

urlpatterns = [
    path("<int:agreement_pk>/problem/<int:pk>/", views.problem, name="problem"),
]
