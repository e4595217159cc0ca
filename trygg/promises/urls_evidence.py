"""The evidence for one candidate problem: figures, trends, hotspots, survey, dialogues, notes,
and the forms that change the problem, its notes and its cause analysis."""

from django.urls import path

from trygg.promises import views_evidence as views

urlpatterns = [
    path("<int:agreement_pk>/problem/<int:pk>/", views.problem, name="problem"),
    path(
        "<int:agreement_pk>/problem/<int:pk>/iakttagelser/",
        views.problem_notes,
        name="problem_notes",
    ),
    path("<int:agreement_pk>/problem/<int:pk>/andra/", views.problem_edit, name="problem_edit"),
    path(
        "<int:agreement_pk>/problem/<int:pk>/orsaksanalys/",
        views.problem_cause,
        name="problem_cause",
    ),
]
