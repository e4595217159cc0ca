"""The link tables of problems (categories, areas), promises (problems) and commitments (measures)
carry the municipality of the row that owns the link (decision 0038).

Each many-to-many field gets a through model on its existing table: the model and the field's
`through` are only new to the state, the table and its rows stay. Then, as for every other
table, the column is added empty, filled from the owner and made NOT NULL. Last, the unique
index Django generated for the link is replaced by a named constraint on the same columns."""

from django.db import migrations, models

from trygg.places.link_table_migration import fk, through


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_category_time_index"),
        ("measures", "0004_rows_carry_municipality"),
        ("places", "0002_load_municipalities"),
        ("promises", "0002_municipality_column"),
    ]

    operations = [
        *through(
            "promises",
            "ProblemCategory",
            "promises_problem_categories",
            "problem",
            fk("promises.problem"),
            "category",
            fk("events.category"),
            ("problem", "categories"),
            models.ManyToManyField(
                blank=True,
                help_text="Händelsekategorierna som visar problemet i lägesbilden.",
                related_name="+",
                through="promises.ProblemCategory",
                to="events.category",
                verbose_name="kategorier",
            ),
            "promises_problem_category_unique",
        ),
        *through(
            "promises",
            "ProblemArea",
            "promises_problem_areas",
            "problem",
            fk("promises.problem"),
            "area",
            fk("places.area"),
            ("problem", "areas"),
            models.ManyToManyField(
                blank=True,
                help_text="Tomt betyder hela kommunen.",
                related_name="+",
                through="promises.ProblemArea",
                to="places.area",
                verbose_name="områden",
            ),
            "promises_problem_area_unique",
        ),
        *through(
            "promises",
            "PromiseProblem",
            "promises_promise_problems",
            "promise",
            fk("promises.promise"),
            "problem",
            fk("promises.problem"),
            ("promise", "problems"),
            models.ManyToManyField(
                blank=True,
                related_name="promises",
                through="promises.PromiseProblem",
                to="promises.problem",
                verbose_name="problemområden",
            ),
            "promises_promise_problem_unique",
        ),
        *through(
            "promises",
            "CommitmentMeasure",
            "promises_commitment_measures",
            "commitment",
            fk("promises.commitment"),
            "measure",
            fk("measures.measure"),
            ("commitment", "measures"),
            models.ManyToManyField(
                blank=True,
                related_name="+",
                through="promises.CommitmentMeasure",
                to="measures.measure",
                verbose_name="åtgärder",
            ),
            "promises_commitment_measure_unique",
        ),
    ]
