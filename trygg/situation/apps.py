from django.apps import AppConfig


class SituationConfig(AppConfig):
    name = "trygg.situation"
    label = "situation"
