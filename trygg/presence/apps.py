from django.apps import AppConfig


class PresenceConfig(AppConfig):
    name = "trygg.presence"
    label = "presence"
    verbose_name = "Närvaro"
