"""The Trygghetscenter pages (issue 12, point 6): staff only, never public."""

from django.urls import path

from trygg.citizens import views_desk

app_name = "desk"

urlpatterns: list = [
    path("", views_desk.index, name="index"),
    path("nytt/", views_desk.centre_create, name="create"),
    path("vara-arenden/", views_desk.own, name="own"),
    path("<int:pk>/", views_desk.desk_page, name="desk"),
    path("<int:pk>/statistik/", views_desk.statistics, name="statistics"),
    path("<int:pk>/statistik.csv", views_desk.statistics_csv, name="statistics_csv"),
    path("<int:pk>/installningar/", views_desk.centre_settings, name="settings"),
    path("arende/<int:pk>/", views_desk.case_detail, name="case"),
    path("arende/<int:pk>/avsluta/", views_desk.close, name="close"),
    path("arende/<int:pk>/tillbaka/", views_desk.send_back, name="send_back"),
    path("arende/<int:pk>/skicka/", views_desk.reassign, name="reassign"),
]
