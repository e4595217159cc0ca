"""The link tables of problems, promises and commitments, as models of their own so that each
link carries the municipality of the row that owns it (decision 0038). They keep the tables
and columns Django created for the many-to-many fields."""

from __future__ import annotations

from django.db import models

from trygg.places.municipality_column import CarriesMunicipality


class ProblemCategory(CarriesMunicipality):
    municipality_parent = "problem"

    problem = models.ForeignKey("promises.Problem", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("events.Category", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "promises_problem_categories"
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "category"], name="promises_problem_category_unique"
            )
        ]


class ProblemArea(CarriesMunicipality):
    municipality_parent = "problem"

    problem = models.ForeignKey("promises.Problem", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("places.Area", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "promises_problem_areas"
        constraints = [
            models.UniqueConstraint(fields=["problem", "area"], name="promises_problem_area_unique")
        ]


class PromiseProblem(CarriesMunicipality):
    municipality_parent = "promise"

    promise = models.ForeignKey("promises.Promise", on_delete=models.CASCADE, related_name="+")
    problem = models.ForeignKey("promises.Problem", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "promises_promise_problems"
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "problem"], name="promises_promise_problem_unique"
            )
        ]


class CommitmentMeasure(CarriesMunicipality):
    municipality_parent = "commitment"

    commitment = models.ForeignKey(
        "promises.Commitment", on_delete=models.CASCADE, related_name="+"
    )
    measure = models.ForeignKey("measures.Measure", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "promises_commitment_measures"
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "measure"], name="promises_commitment_measure_unique"
            )
        ]
