from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trygg.core"
    label = "core"
    verbose_name = "Trygg: kärna"
