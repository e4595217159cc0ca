"""Events counted per local day: the rollup the situation picture reads instead of the events.

Counting a year of a large municipality from the event table means reading hundreds of
thousands of rows; this table holds one row per day, category, source and visibility, so the
situation page reads a few thousand. It is kept exact by the writes themselves (imports add,
single reports and reviews recount their day, `trygg refresh-counts` rebuilds), and a test
compares it with a count of the events after every kind of write.
"""

from django.db import models

from trygg.places.municipality_column import StaysInItsMunicipality


class DailyCount(StaysInItsMunicipality):
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.CASCADE, db_index=False
    )
    day = models.DateField()  # local (Europe/Stockholm) date of occurred_from
    category = models.ForeignKey("events.Category", on_delete=models.CASCADE, db_index=False)
    source = models.CharField(max_length=10)
    visibility = models.CharField(max_length=12)
    # Set only for events visible to their own organisation: the one part of the visibility
    # rule that depends on who reported. Public and partner events in a municipality are
    # visible to everyone who works there, whoever reported them.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        db_index=False,
    )
    events = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # The situation page: one municipality, a span of days, summed by day and category
            # (covering, so the rows themselves are never read).
            models.Index(
                fields=[
                    "municipality",
                    "day",
                    "category",
                    "source",
                    "visibility",
                    "organisation",
                    "events",
                ],
                name="dailycount_situation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.category_id} {self.source}: {self.events}"
