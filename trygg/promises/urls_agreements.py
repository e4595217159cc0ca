"""The agreement and the promise: steps, problems and their ranking, commitments, adoption."""

from django.urls import path

from trygg.promises import views_agreements as views

urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.agreement_create, name="agreement_create"),
    path("<int:pk>/", views.agreement, name="agreement"),
    path("<int:pk>/steg/<str:step>/", views.step_mark, name="step"),
    path("<int:pk>/nytt-problem/", views.problem_add, name="problem_add"),
    path("<int:pk>/prioritering/", views.problems_rank, name="rank"),
    path("<int:pk>/nytt-lofte/", views.promise_create, name="promise_create"),
    path("lofte/<int:pk>/", views.promise, name="promise"),
    path("lofte/<int:pk>/andra/", views.promise_edit, name="promise_edit"),
    path("lofte/<int:pk>/anta/", views.promise_adopt, name="adopt"),
    path("lofte/<int:pk>/nytt-atagande/", views.commitment_create, name="commitment_create"),
    path(
        "lofte/<int:pk>/atagande/<int:commitment_pk>/",
        views.commitment_edit,
        name="commitment",
    ),
    path(
        "lofte/<int:pk>/atagande/<int:commitment_pk>/ta-bort/",
        views.commitment_delete,
        name="commitment_delete",
    ),
    path(
        "lofte/<int:pk>/atagande/<int:commitment_pk>/ta-bort-vid-revidering/",
        views.commitment_remove,
        name="commitment_remove",
    ),
    path(
        "lofte/<int:pk>/atagande/<int:commitment_pk>/behall/",
        views.commitment_keep,
        name="commitment_keep",
    ),
]
