"""Pages of the measures app under /atgarder/ (each subject has its own views module)."""

from django.urls import include, path

from trygg.measures import views, views_evaluation, views_meetings, views_rules

app_name = "measures"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("egna/", views.own_measures, name="own"),
    path("ny/", views.measure_create, name="create"),
    path("<int:pk>/", views.measure_detail, name="detail"),
    path("<int:pk>/andra/", views.measure_edit, name="edit"),
    path("<int:pk>/status/", views.measure_status, name="status"),
    path("<int:pk>/ansvar/", views.measure_assign, name="assign"),
    path("<int:pk>/kommentar/", views.measure_comment, name="comment"),
    path("<int:pk>/utvardering/", views_evaluation.evaluation, name="evaluation"),
    path("ansvar/", views_rules.rule_list, name="rules"),
    path("ansvar/ny/", views_rules.rule_create, name="rule_create"),
    path("ansvar/<int:pk>/", views_rules.rule_edit, name="rule_edit"),
    path("ansvar/<int:pk>/ta-bort/", views_rules.rule_delete, name="rule_delete"),
    path("ansvar/forslag/", views_rules.suggestion, name="suggest"),
    path("moten/", views_meetings.meetings, name="meetings"),
    path("moten/nytt/", views_meetings.meeting_create, name="meeting_create"),
    path("moten/<int:pk>/", views_meetings.meeting, name="meeting"),
    path("moten/<int:pk>/andra/", views_meetings.meeting_edit, name="meeting_edit"),
    path(
        "moten/<int:pk>/prioriteringar/",
        views_meetings.meeting_priorities,
        name="meeting_priorities",
    ),
    path("moten/<int:pk>/beslut/", views_meetings.meeting_decide, name="meeting_decide"),
    path("planer/", include("trygg.measures.urls_plans")),
]
