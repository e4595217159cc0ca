from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "trygg.measures"
    label = "measures"

    def ready(self):
        from trygg.core import jobs
        from trygg.measures import indicators
        from trygg.measures.pack import measures_for_pack
        from trygg.situation.pack_sections import PackSection, register

        # Reminders and feedback e-mails about measures; a minute's delay is fine for mail.
        jobs.register_periodic("trygg.measures.notifications.run_periodic", 60.0)
        # The meeting pack keeps the measures opened in its period, due next and overdue.
        register(PackSection("measures", "measures/_pack_measures.html", measures_for_pack))
        # What a commitment can be followed by from the measures and the events.
        indicators.register(indicators.MEASURES_DONE)
        indicators.register(indicators.EVENTS)
