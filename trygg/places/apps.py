from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "trygg.places"
    label = "places"
