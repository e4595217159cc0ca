from django.urls import path

from trygg.situation import views_county

app_name = "county"

urlpatterns = [
    path("", views_county.county_index, name="index"),
    path("<str:kod>/", views_county.county_page, name="page"),
]
