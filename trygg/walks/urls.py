"""The walks' pages under /vandringar/: planning, the field page, the protocol, the answers,
the comparison. The public pages are mounted by the project (trygg/urls.py)."""

from django.urls import path

from trygg.walks import views_photos, views_plan

app_name = "walks"

urlpatterns = [
    path("foto/<int:pk>/", views_photos.finding_photo, name="photo"),
    # planning (views_plan.py)
    path("", views_plan.walk_list, name="list"),
    path("ny/", views_plan.walk_new, name="new"),
    path("<int:pk>/", views_plan.walk_detail, name="detail"),
    path("<int:pk>/andra/", views_plan.walk_edit, name="edit"),
    path("<int:pk>/rutt/", views_plan.walk_stops, name="stops"),
    path("<int:pk>/inbjudna/", views_plan.walk_invitations, name="invitations"),
    path("<int:pk>/deltagare/", views_plan.walk_participants, name="participants"),
    path("<int:pk>/genomford/", views_plan.walk_mark_walked, name="mark_walked"),
    path("checklistor/", views_plan.template_list, name="templates"),
    path("checklistor/<int:pk>/", views_plan.template_edit, name="template"),
    path("checklistor/<int:pk>/kopiera/", views_plan.template_copy, name="template_copy"),
]
