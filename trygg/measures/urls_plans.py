"""The åtgärdsplan's pages, included under /atgarder/planer/ in the measures namespace."""

from django.urls import path

from trygg.measures import views_plans as views

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("ny/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/andra/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("<int:pk>/anta/", views.plan_adopt, name="plan_adopt"),
    path("<int:pk>/mal/", views.goal_add, name="plan_goal_add"),
    path("<int:pk>/mal/<int:goal_pk>/", views.goal_edit, name="plan_goal"),
    path("<int:pk>/mal/<int:goal_pk>/ta-bort/", views.goal_delete, name="plan_goal_delete"),
    path("<int:pk>/problem/", views.problem_add, name="plan_problem_add"),
    path("<int:pk>/problem/<int:problem_pk>/", views.problem_edit, name="plan_problem"),
    path(
        "<int:pk>/problem/<int:problem_pk>/underlag/",
        views.problem_evidence,
        name="plan_problem_evidence",
    ),
    path(
        "<int:pk>/problem/<int:problem_pk>/ta-bort/",
        views.problem_delete,
        name="plan_problem_delete",
    ),
    path(
        "<int:pk>/problem/<int:problem_pk>/koppla/",
        views.measure_attach,
        name="plan_measure_attach",
    ),
    path(
        "<int:pk>/problem/<int:problem_pk>/ny-atgard/",
        views.measure_create,
        name="plan_measure_create",
    ),
    path(
        "<int:pk>/atgard/<int:measure_pk>/ta-ur-planen/",
        views.measure_detach,
        name="plan_measure_detach",
    ),
]
