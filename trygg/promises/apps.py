from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "trygg.promises"
    label = "promises"
    verbose_name = "Medborgarlöften"

    def ready(self):
        from trygg.measures import carried_out
        from trygg.promises.carried_out import commitments_for

        # The åtgärdsplan and the measure's page show the commitments a measure carries out.
        carried_out.register("promises", commitments_for)
