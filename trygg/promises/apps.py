from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "trygg.promises"
    label = "promises"
    verbose_name = "Medborgarlöften"

    def ready(self):
        from trygg.core import jobs
        from trygg.measures import carried_out
        from trygg.promises.carried_out import commitments_for

        # The åtgärdsplan and the measure's page show the commitments a measure carries out.
        carried_out.register("promises", commitments_for)
        # Reminders to the commitments' owners before a follow-up; they are due days ahead,
        # so a round every ten minutes is plenty.
        jobs.register_periodic("trygg.promises.reminders.run_periodic", 600.0)
