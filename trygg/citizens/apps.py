from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "trygg.citizens"
    label = "citizens"
    verbose_name = "Invånare"
