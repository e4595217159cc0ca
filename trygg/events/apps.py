from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "trygg.events"
    label = "events"

    def ready(self):
        from trygg.core import jobs

        # Large files are imported by the worker, with progress the import page shows.
        jobs.register_handler("import_events", "trygg.events.jobs.run_import_job")
