from django.apps import AppConfig


class PresenceConfig(AppConfig):
    name = "trygg.presence"
    label = "presence"
    verbose_name = "Närvaro"

    def ready(self):
        from trygg.measures import indicators
        from trygg.presence.indicators import INSPECTIONS_HELD

        # What a commitment in a medborgarlöfte can be followed by: inspections held.
        indicators.register(INSPECTIONS_HELD)
