from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "trygg.events"
    label = "events"

    def ready(self):
        from trygg.core import jobs

        # Large files are imported by the worker, with progress the import page shows.
        jobs.register_handler("import_events", "trygg.events.jobs.run_import_job")
        # Retention (decision 0031): old events lose free text and exact position, old audit
        # rows go. Limits are in months, so once a day is soon enough.
        jobs.register_periodic("trygg.events.retention.run_periodic", 24 * 60 * 60.0)
