from django.urls import path

from trygg.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("karta/", views.event_map, name="map"),
    path("karta/data.json", views.map_data, name="map_data"),
    path("karta/omraden.geojson", views.boundaries, name="boundaries"),
    path("rapportera/", views.report, name="report"),
    path("platser-nara.json", views.places_near, name="places_near"),
    path("gallring/", views.retention_settings, name="retention"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/foto/", views.event_photo, name="photo"),
    path("<int:pk>/granska/", views.event_review, name="review"),
]
