from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "trygg.measures"
    label = "measures"
