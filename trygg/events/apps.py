from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "trygg.events"
    label = "events"
