from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "trygg.measures"
    label = "measures"

    def ready(self):
        from trygg.core import jobs

        # Reminders and feedback e-mails about measures; a minute's delay is fine for mail.
        jobs.register_periodic("trygg.measures.notifications.run_periodic", 60.0)
